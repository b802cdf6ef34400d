// Properties of the shardmaster's state machine (rebalance.ts, changes.ts), checked with
// fast-check over random assignments and random sequences of Joins, Leaves and Moves:
//   - even:          after a Join or Leave every group serves ⌊NShards/g⌋ or ⌈NShards/g⌉ shards;
//   - minimal:       no more shards move than an even assignment needs (tests/shardmaster/balance.ts
//                    counts that independently), and from an even configuration a Join moves shards
//                    only to the new groups, a Leave only the leaving groups' shards;
//   - deterministic: the same configuration whatever the order of the gids, or of the keys of the
//                    groups objects (JavaScript lists integer keys below 2^32 - 1 in increasing
//                    order whatever the insertion order, so the gids include larger ones, whose
//                    keys list in insertion order);
//   - deep copies:   changing a configuration, or the servers a Join was given, changes no other
//                    configuration;
//   - rejoins:       the gids come from a small pool, so groups leave and join again.
// The fast-check seed is SEED (default 1), so a failure replays; fast-check prints the
// counterexample, shrunk.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { parseSeed } from "../../sim/index.ts";
import { NShards, type Config } from "../../shardmaster/common.ts";
import { rebalance } from "../../shardmaster/rebalance.ts";
import { initialConfig, nextConfig, rejection, type Change } from "../../shardmaster/changes.ts";
import { fewestMoves, gidsIn, movedShards, shardCounts } from "./balance.ts";

const seed = parseSeed(process.env.SEED, "SEED");

/** Gids to draw from: a few small ones (so groups rejoin) and some past 2^32 - 1. */
const gidPool = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 2 ** 32 - 1, 2 ** 32 + 7, 2 ** 40, Number.MAX_SAFE_INTEGER];
const aGid = fc.constantFrom(...gidPool);

/** What a step asks for; interpreted against the configuration at that step (see changeFor). */
type Intent =
  | { kind: "Join"; gids: number[] }
  | { kind: "Leave"; picks: number[] }
  | { kind: "Move"; shard: number; pick: number };

const anIntent: fc.Arbitrary<Intent> = fc.oneof(
  fc.record({ kind: fc.constant("Join" as const), gids: fc.uniqueArray(aGid, { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant("Leave" as const), picks: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }) }),
  fc.record({ kind: fc.constant("Move" as const), shard: fc.integer({ min: 0, max: NShards - 1 }), pick: fc.nat() }),
);

/** The change an intent makes of `latest`, valid by construction; undefined if there is none. */
function changeFor(latest: Config, intent: Intent): Change | undefined {
  const present = gidsIn(latest);
  switch (intent.kind) {
    case "Join": {
      const joining = intent.gids.filter((gid) => !present.includes(gid));
      if (joining.length === 0) return undefined;
      return { kind: "Join", servers: Object.fromEntries(joining.map((gid) => [gid, [`s${gid}a`, `s${gid}b`]])) };
    }
    case "Leave": {
      if (present.length === 0) return undefined;
      return { kind: "Leave", gids: [...new Set(intent.picks.map((p) => present[p % present.length]!))] };
    }
    case "Move":
      if (present.length === 0) return undefined;
      return { kind: "Move", shard: intent.shard, gid: present[intent.pick % present.length]! };
  }
}

/** The same configuration, its groups object built with its keys in the reverse order. */
function withKeysReversed(config: Config): Config {
  const groups: Record<number, string[]> = {};
  for (const gid of gidsIn(config).reverse()) groups[gid] = [...config.groups[gid]!];
  return { num: config.num, shards: [...config.shards], groups };
}

/** The same change, its servers object (for a Join) built with its keys in the reverse order. */
function changeWithKeysReversed(change: Change): Change {
  if (change.kind !== "Join") return change;
  const servers: Record<number, string[]> = {};
  for (const key of Object.keys(change.servers).reverse()) servers[Number(key)] = [...change.servers[Number(key)]!];
  return { kind: "Join", servers };
}

function isEven(config: Config): boolean {
  const counts = [...shardCounts(config.shards, gidsIn(config)).values()];
  return counts.length === 0 || Math.max(...counts) - Math.min(...counts) <= 1;
}

/** Runs the intents from config 0 and returns every configuration made, checking each step. */
function runChecked(intents: Intent[]): Config[] {
  const configs = [initialConfig()];
  for (const intent of intents) {
    const latest = configs[configs.length - 1]!;
    const change = changeFor(latest, intent);
    if (change === undefined) continue;
    expect(rejection(latest, change)).toBeUndefined();
    const next = nextConfig(latest, change);
    checkStep(latest, change, next);
    // Deterministic: the same result from the same configuration and change with other key orders.
    expect(nextConfig(withKeysReversed(latest), changeWithKeysReversed(change))).toEqual(next);
    configs.push(next);
  }
  return configs;
}

function checkStep(before: Config, change: Change, after: Config): void {
  expect(after.num).toBe(before.num + 1);
  expect(after.shards).toHaveLength(NShards);
  const gids = gidsIn(after);
  if (change.kind === "Move") {
    expect(after.shards).toEqual(before.shards.map((gid, shard) => (shard === change.shard ? change.gid : gid)));
    expect(after.groups).toEqual(before.groups);
    return;
  }
  // Every shard on a group (gid 0 only when no group is left), evenly.
  if (gids.length === 0) expect(after.shards).toEqual(new Array(NShards).fill(0));
  else for (const gid of after.shards) expect(gids).toContain(gid);
  expect(isEven(after)).toBe(true);
  // Minimal.
  expect(movedShards(before.shards, after.shards)).toBe(fewestMoves(before.shards, gids));
  if (!isEven(before)) return;
  const stayed = gidsIn(before).filter((gid) => gids.includes(gid));
  for (let shard = 0; shard < NShards; shard++) {
    const [from, to] = [before.shards[shard]!, after.shards[shard]!];
    if (from === to) continue;
    if (change.kind === "Join") expect(stayed, `shard ${shard} moved to ${to}, which is not a new group`).not.toContain(to);
    else expect(stayed, `shard ${shard} moved away from ${from}, which stays`).not.toContain(from);
  }
}

describe("rebalance properties", () => {
  test("even, minimal, and independent of the order of the gids, for any assignment and groups", () => {
    const anAssignment = fc.array(fc.oneof(fc.constant(0), aGid), { minLength: NShards, maxLength: NShards });
    fc.assert(
      fc.property(anAssignment, fc.uniqueArray(aGid, { maxLength: gidPool.length }), (shards, gids) => {
        const after = rebalance(shards, gids);
        expect(after).toEqual(rebalance(shards, [...gids].reverse()));
        expect(after).toEqual(rebalance(shards, [...gids].sort((a, b) => a - b)));
        if (gids.length === 0) {
          expect(after).toEqual(new Array(NShards).fill(0));
          return;
        }
        for (const gid of after) expect(gids).toContain(gid);
        const counts = [...shardCounts(after, gids).values()];
        expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
        expect(movedShards(shards, after)).toBe(fewestMoves(shards, gids));
      }),
      { seed, numRuns: 2000 },
    );
  });

  test("any sequence of Joins, Leaves and Moves: even, minimal, deterministic, gids rejoin", () => {
    fc.assert(
      fc.property(fc.array(anIntent, { maxLength: 40 }), (intents) => {
        runChecked(intents);
      }),
      { seed, numRuns: 500 },
    );
  });

  test("configurations share nothing: changing one (or a Join's servers) changes no other", () => {
    fc.assert(
      fc.property(fc.array(anIntent, { maxLength: 25 }), fc.nat(), (intents, which) => {
        const configs = [initialConfig()];
        const servers: Record<number, string[]>[] = [];
        for (const intent of intents) {
          const latest = configs[configs.length - 1]!;
          const change = changeFor(latest, intent);
          if (change === undefined) continue;
          if (change.kind === "Join") servers.push(change.servers);
          configs.push(nextConfig(latest, change));
        }
        const copies = configs.map((c) => structuredClone(c));
        // The caller changes the servers it passed to Join, and one configuration is changed.
        for (const s of servers) for (const names of Object.values(s)) names.push("changed by the caller");
        const changed = configs[which % configs.length]!;
        changed.shards[0] = -1;
        for (const names of Object.values(changed.groups)) names.push("changed");
        changed.groups[99] = ["added"];
        configs.forEach((c, i) => {
          if (c !== changed) expect(c, `configuration ${i}`).toEqual(copies[i]);
        });
      }),
      { seed, numRuns: 300 },
    );
  });
});
