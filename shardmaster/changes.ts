// Configuration changes: what a Join, Leave, Move or Query may ask for, and the configuration
// each accepted Join, Leave or Move makes. This is the shardmaster's state machine without Raft:
// the server applies committed requests through these functions, in log order, on every replica.
//
// The next configuration
//   - has the next number, and a fresh `groups` object with fresh server lists: a configuration,
//     once made, is history that Query(num) must return unchanged, so it never shares anything
//     that a later change could modify;
//   - Join adds the groups and rebalances; Leave removes them and rebalances; Move puts one shard
//     on one group and does not rebalance (a later Join or Leave may move it again).
//
// Rejected requests (the rules labs/lab4-sharding.md documents). A request that names something
// impossible makes no configuration; its reply is "ErrRejected" with one of the sentences below,
// which the Clerk throws as a UsageError. Whether a gid is present depends on the latest
// configuration, so every check runs when the request is applied, on every replica against the
// same configuration: all replicas accept and reject the same requests.
//   Join   at least one group; each gid a positive integer that is not a group already; each
//          group's servers a non-empty list of names.
//   Leave  at least one gid; each a group of the latest configuration.
//   Move   a shard from 0 to NShards-1; the gid a group of the latest configuration.
//   Query  num is -1 or a whole number ≥ 0.
import { NShards, type Config } from "./common.ts";
import { rebalance } from "./rebalance.ts";
// SOLUTION BEGIN
// TODO(4A): the stub below throws notImplemented() until you replace it with your code.
// SOLUTION ELSE
// import { notImplemented } from "../sim/index.ts";
// SOLUTION END

/** A request that makes a new configuration, as it travels through the Raft log. */
export type Change =
  | { kind: "Join"; servers: Record<number, string[]> }
  | { kind: "Leave"; gids: number[] }
  | { kind: "Move"; shard: number; gid: number };

/** Config 0: no groups, every shard on gid 0. */
export function initialConfig(): Config {
  return { num: 0, shards: new Array<number>(NShards).fill(0), groups: {} };
}

/** The gids of a configuration's groups, in increasing order. */
export function gidsOf(config: Config): number[] {
  return Object.keys(config.groups)
    .map(Number)
    .sort((a, b) => a - b);
}

/** Why `change` cannot be applied to `latest`, as a sentence; undefined if it can. */
export function rejection(latest: Config, change: Change): string | undefined {
  switch (change.kind) {
    case "Join":
      return joinRejection(latest, change.servers);
    case "Leave":
      return leaveRejection(latest, change.gids);
    case "Move":
      if (!Number.isInteger(change.shard) || change.shard < 0 || change.shard >= NShards) {
        return `Move: shard ${show(change.shard)} does not exist (the shards are 0 to ${NShards - 1}).`;
      }
      if (!isGroupOf(latest, change.gid)) return `Move: gid ${show(change.gid)} is not a group of configuration ${latest.num}.`;
      return undefined;
    default:
      return `an unknown change ${show((change as { kind: unknown }).kind)}.`;
  }
}

/** Why Query(num) cannot be answered, as a sentence; undefined if it can. */
export function queryRejection(num: unknown): string | undefined {
  if (Number.isInteger(num) && (num as number) >= -1) return undefined;
  return `Query: num must be a configuration number or -1 (the latest), got ${show(num)}.`;
}

/** The configuration that follows `latest` once `change` (not rejected) is applied. */
export function nextConfig(latest: Config, change: Change): Config {
  // SOLUTION BEGIN
  // TODO(4A): the next configuration after a Join, Leave or Move. Copy what you keep (groups and
  //   their server lists): `latest` must not change.
  const groups: Record<number, string[]> = {};
  let shards = latest.shards.slice();
  switch (change.kind) {
    case "Join": {
      const gids = [...gidsOf(latest), ...Object.keys(change.servers).map(Number)].sort((a, b) => a - b);
      for (const gid of gids) groups[gid] = [...(latest.groups[gid] ?? change.servers[gid]!)];
      shards = rebalance(shards, gids);
      break;
    }
    case "Leave": {
      const gids = gidsOf(latest).filter((gid) => !change.gids.includes(gid));
      for (const gid of gids) groups[gid] = [...latest.groups[gid]!];
      shards = rebalance(shards, gids);
      break;
    }
    case "Move":
      for (const gid of gidsOf(latest)) groups[gid] = [...latest.groups[gid]!];
      shards[change.shard] = change.gid;
      break;
  }
  return { num: latest.num + 1, shards, groups };
  // SOLUTION ELSE
  // throw notImplemented("nextConfig (4A)");
  // SOLUTION END
}

// --- the checks ----------------------------------------------------------------------------------

function joinRejection(latest: Config, servers: unknown): string | undefined {
  if (typeof servers !== "object" || servers === null || Array.isArray(servers)) {
    return `Join: servers must map each new gid to its server names, got ${show(servers)}.`;
  }
  const entries = Object.entries(servers);
  if (entries.length === 0) return "Join: at least one group is needed, got none.";
  for (const [key, names] of entries) {
    const gid = Number(key);
    if (!Number.isSafeInteger(gid) || gid <= 0 || String(gid) !== key) {
      return `Join: gid ${key} is not a valid group id (gids are positive integers; 0 means no group).`;
    }
    if (isGroupOf(latest, gid)) {
      return `Join: gid ${gid} is already a group of configuration ${latest.num} (a group must leave before it joins again).`;
    }
    if (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === "string")) {
      return `Join: group ${gid}'s servers must be a non-empty list of names, got ${show(names)}.`;
    }
  }
  return undefined;
}

function leaveRejection(latest: Config, gids: unknown): string | undefined {
  if (!Array.isArray(gids)) return `Leave: gids must be a list of gids, got ${show(gids)}.`;
  if (gids.length === 0) return "Leave: at least one gid is needed, got none.";
  for (const gid of gids) {
    if (!isGroupOf(latest, gid)) return `Leave: gid ${show(gid)} is not a group of configuration ${latest.num}.`;
  }
  return undefined;
}

function isGroupOf(config: Config, gid: unknown): boolean {
  return Number.isSafeInteger(gid) && (gid as number) > 0 && Object.hasOwn(config.groups, gid as number);
}

function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}
