// The shardmaster's state machine without Raft: rebalance() and the configuration changes of
// changes.ts, on hand-picked cases (the worked example of labs/lab4-sharding.md among them).
import { describe, expect, test } from "vitest";
import { NShards, type Config } from "../../shardmaster/common.ts";
import { rebalance } from "../../shardmaster/rebalance.ts";
import { initialConfig, nextConfig, queryRejection, rejection, type Change } from "../../shardmaster/changes.ts";

/** Applies changes one after another from config 0, as a replica would. */
function configsAfter(...changes: Change[]): Config[] {
  const configs = [initialConfig()];
  for (const change of changes) {
    const latest = configs[configs.length - 1]!;
    const why = rejection(latest, change);
    if (why !== undefined) throw new Error(why);
    configs.push(nextConfig(latest, change));
  }
  return configs;
}

describe("rebalance", () => {
  test("the handout's example: group 3 joins groups 1 and 2", () => {
    expect(rebalance([1, 1, 1, 1, 1, 2, 2, 2, 2, 2], [1, 2, 3])).toEqual([1, 1, 1, 1, 3, 2, 2, 2, 3, 3]);
  });

  test("the first group gets every shard; with no groups every shard is on gid 0", () => {
    expect(rebalance(new Array(NShards).fill(0), [7])).toEqual(new Array(NShards).fill(7));
    expect(rebalance([1, 1, 1, 1, 1, 2, 2, 2, 2, 2], [])).toEqual(new Array(NShards).fill(0));
  });

  test("a leaving group's shards go to the groups under their share; no other shard moves", () => {
    // 1 serves 0-3, 2 serves 4-6, 3 serves 7-9; 2 leaves: 5 shards each, so 1 takes 4, 3 takes 5 and 6.
    expect(rebalance([1, 1, 1, 1, 2, 2, 2, 3, 3, 3], [1, 3])).toEqual([1, 1, 1, 1, 1, 3, 3, 3, 3, 3]);
  });

  test("more groups than shards: each shard stays put, the new groups get none", () => {
    const before = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(rebalance(before, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])).toEqual(before);
  });

  test("the order of the gids does not matter", () => {
    const before = [5, 5, 5, 5, 5, 9, 9, 9, 9, 9];
    expect(rebalance(before, [9, 5, 100, 42])).toEqual(rebalance(before, [42, 100, 5, 9]));
  });

  test("an uneven assignment (after Moves) is evened out with the fewest moves", () => {
    // 1 serves 8, 2 serves 2; group 3 joins: shares 4/3/3 with the 4 for group 1, which gives up
    // shards 4-7: the first to group 2 (it has 2 of its 3), the rest to group 3.
    const after = rebalance([1, 1, 1, 1, 1, 1, 1, 1, 2, 2], [1, 2, 3]);
    expect(after).toEqual([1, 1, 1, 1, 2, 3, 3, 3, 2, 2]);
  });
});

describe("configuration changes", () => {
  test("Join, Move and Leave each make the next configuration", () => {
    const configs = configsAfter(
      { kind: "Join", servers: { 1: ["x", "y", "z"] } },
      { kind: "Join", servers: { 2: ["a", "b", "c"] } },
      { kind: "Move", shard: 0, gid: 2 },
      { kind: "Leave", gids: [1] },
    );
    expect(configs.map((c) => c.num)).toEqual([0, 1, 2, 3, 4]);
    expect(configs[0]).toEqual({ num: 0, shards: new Array(NShards).fill(0), groups: {} });
    expect(configs[1]!.shards).toEqual(new Array(NShards).fill(1));
    expect(configs[2]!.shards).toEqual([1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
    expect(configs[3]!.shards).toEqual([2, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
    expect(configs[4]).toEqual({ num: 4, shards: new Array(NShards).fill(2), groups: { 2: ["a", "b", "c"] } });
  });

  test("a gid may join again after it has left", () => {
    const configs = configsAfter(
      { kind: "Join", servers: { 1: ["x"] } },
      { kind: "Leave", gids: [1] },
      { kind: "Join", servers: { 1: ["y"] } },
    );
    expect(configs[3]!.groups).toEqual({ 1: ["y"] });
    expect(configs[3]!.shards).toEqual(new Array(NShards).fill(1));
  });

  test("a new configuration shares nothing with the one before", () => {
    const servers = { 1: ["x", "y"] };
    const [, first, second] = configsAfter({ kind: "Join", servers }, { kind: "Join", servers: { 2: ["a"] } });
    servers[1].push("changed by the caller");
    second!.groups[1]!.push("changed later");
    second!.shards[0] = 99;
    expect(first).toEqual({ num: 1, shards: new Array(NShards).fill(1), groups: { 1: ["x", "y"] } });
  });

  test("requests that name something impossible are rejected with a sentence", () => {
    const [, one] = configsAfter({ kind: "Join", servers: { 1: ["x"] } });
    const c = one!;
    expect(rejection(c, { kind: "Join", servers: { 0: ["x"] } })).toBe(
      "Join: gid 0 is not a valid group id (gids are positive integers; 0 means no group).",
    );
    expect(rejection(c, { kind: "Join", servers: { [-3]: ["x"] } })).toMatch(/^Join: gid -3 is not a valid group id/);
    expect(rejection(c, { kind: "Join", servers: { 1: ["y"] } })).toBe(
      "Join: gid 1 is already a group of configuration 1 (a group must leave before it joins again).",
    );
    expect(rejection(c, { kind: "Join", servers: {} })).toBe("Join: at least one group is needed, got none.");
    expect(rejection(c, { kind: "Join", servers: { 2: [] } })).toBe(
      "Join: group 2's servers must be a non-empty list of names, got [].",
    );
    expect(rejection(c, { kind: "Leave", gids: [1, 5] })).toBe("Leave: gid 5 is not a group of configuration 1.");
    expect(rejection(c, { kind: "Leave", gids: [] })).toBe("Leave: at least one gid is needed, got none.");
    expect(rejection(c, { kind: "Move", shard: NShards, gid: 1 })).toBe(
      "Move: shard 10 does not exist (the shards are 0 to 9).",
    );
    expect(rejection(c, { kind: "Move", shard: 3, gid: 2 })).toBe("Move: gid 2 is not a group of configuration 1.");
    expect(rejection(c, { kind: "Move", shard: 3, gid: 0 })).toBe("Move: gid 0 is not a group of configuration 1.");
    expect(rejection(c, { kind: "Move", shard: 3, gid: 1 })).toBeUndefined();
    expect(queryRejection(-2)).toBe("Query: num must be a configuration number or -1 (the latest), got -2.");
    expect(queryRejection(1.5)).toMatch(/got 1\.5\.$/);
    expect(queryRejection(-1)).toBeUndefined();
    expect(queryRejection(1000)).toBeUndefined();
  });
});
