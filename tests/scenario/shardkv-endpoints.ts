// How a shardkv scenario names the ends of a link or of a message pattern: the servers of lab
// 4B's tester (tests/shardkv/config.ts), by group, never by one number.
//
//   101                      every server of group 101 (a gid alone)
//   "101-2"                  server 2 of group 101; the same as {gid: 101, server: 2}
//   master                   every server of the shardmaster (its three replicas)
//   "master-1"               shardmaster server 1
//
// So `cuts: [{from: 101, to: 102}]` cuts every link from a server of 101 to a server of 102,
// and `hold: {rpc: InstallShard, from: 100, to: 101}` holds group 100's shard pushes to 101,
// whichever of 100's servers leads. A name stands for a set of members; a link between two names
// is every (from, to) pair of their members, a member never linked to itself.
//
// Clerks have no name: the network knows a link only by the server that sends on it (a clerk's
// end belongs to no server), so a clerk's messages are neither cut nor slowed by these, and
// message patterns see only messages between servers.
//
// In a raft or kv scenario an end is a server's number, as before; load.ts checks each end with
// checkEndpoint and expands links with linkMembers to find a link named twice.
import type { Endpoint } from "./format.ts";
import { shardkvGids } from "./format.ts";

/** The shardmaster's replicas in lab 4B's tester (config.ts: nctrlers). */
export const SHARDMASTER_SERVERS = 3;

/** One server a name stands for: of a replica group, or of the shardmaster. */
export type Member = { readonly gid: number; readonly server: number } | { readonly master: number };

/** What is wrong with `value` as a shardkv end (servers per group: `servers`), or undefined. */
export function checkEndpoint(value: Endpoint, servers: number): string | undefined {
  const gids = shardkvGids.join(", ");
  if (typeof value === "number") return isGid(value) ? undefined : `there is no group ${value}: the groups are ${gids} (a gid alone names every server of its group).`;
  if (typeof value === "object") return checkGroupServer(value.gid, value.server, servers);
  const server = /^(\d+)-(\d+)$/.exec(value);
  if (server !== null) return checkGroupServer(Number(server[1]), Number(server[2]), servers);
  if (value === "master") return undefined;
  const master = /^master-(\d+)$/.exec(value);
  if (master !== null) {
    return Number(master[1]) < SHARDMASTER_SERVERS ? undefined : `there is no shardmaster server ${master[1]}: they are master-0…master-${SHARDMASTER_SERVERS - 1}.`;
  }
  return (
    `unknown server name "${value}": a shardkv scenario names a group (${shardkvGids[1]}), one of its servers ("${shardkvGids[1]}-0" or {gid: ${shardkvGids[1]}, server: 0}), ` +
    `master or "master-0"; clerks have no name (their messages are neither cut nor matched).`
  );
}

function checkGroupServer(gid: number, server: number, servers: number): string | undefined {
  if (!isGid(gid)) return `there is no group ${gid}: the groups are ${shardkvGids.join(", ")}.`;
  if (server >= servers) return `there is no server ${server} in group ${gid}: its servers are 0…${servers - 1}.`;
  return undefined;
}

function isGid(value: number): boolean {
  return (shardkvGids as readonly number[]).includes(value);
}

/** The servers a checked end stands for, in a fixed order (groups by gid, then servers). */
export function membersOf(value: Endpoint, servers: number): Member[] {
  const all = (gid: number): Member[] => Array.from({ length: servers }, (_, server) => ({ gid, server }));
  if (typeof value === "number") return all(value);
  if (typeof value === "object") return [{ gid: value.gid, server: value.server }];
  if (value === "master") return Array.from({ length: SHARDMASTER_SERVERS }, (_, master) => ({ master }));
  const master = /^master-(\d+)$/.exec(value);
  if (master !== null) return [{ master: Number(master[1]) }];
  const [gid, server] = value.split("-").map(Number) as [number, number];
  return [{ gid, server }];
}

/** A member as the journal and the error sentences write it: "101-2", "master-1". */
export function memberLabel(member: Member): string {
  return "master" in member ? `master-${member.master}` : `${member.gid}-${member.server}`;
}

/** An end as a step's journal line writes it: 101 → "group 101", "101-2", master. */
export function endpointLabel(value: Endpoint): string {
  if (typeof value === "number") return `group ${value}`;
  if (typeof value === "object") return `${value.gid}-${value.server}`;
  return value;
}

/** Every one-way link from a member of `from` to a member of `to`, no member to itself, as [from, to] pairs. */
export function linkMembers(from: Endpoint, to: Endpoint, servers: number): [Member, Member][] {
  const pairs: [Member, Member][] = [];
  for (const a of membersOf(from, servers)) {
    for (const b of membersOf(to, servers)) if (memberLabel(a) !== memberLabel(b)) pairs.push([a, b]);
  }
  return pairs;
}
