// Rebalancing: which group serves each shard once the set of groups has changed (Join, Leave).
//
// Three rules, and the grader checks each:
//   - Even. With g groups, every group serves ⌊NShards/g⌋ or ⌈NShards/g⌉ shards: the largest and
//     the smallest count differ by at most one.
//   - Minimal. Moving a shard means moving its data between groups (lab 4B), so as few shards
//     move as possible: a shard stays where it is unless its group has left or serves more than
//     its share, and it moves only to a group that serves fewer than its share. After a Join,
//     shards move only to the new groups; after a Leave, only the leaving groups' shards move
//     (as long as the configuration before was even, which only a Move can undo).
//   - Deterministic. Every replica runs this on the same input and must get the same output, or
//     the replicas' configurations differ. So the gids are sorted here, every tie is broken by
//     gid or shard number, and nothing depends on the order of an object's keys.
//
// Example: shards [1 1 1 1 1 2 2 2 2 2] and group 3 joins. Shares: 10 shards over 3 groups is 3
// each and one group gets 4 — the group that serves the most now (a tie between 1 and 2: the
// smaller gid, 1). Group 1 gives up shard 4, group 2 gives up shards 8 and 9, and group 3 takes
// them: [1 1 1 1 3 2 2 2 3 3].
import { NShards } from "./common.ts";
// SOLUTION BEGIN
// TODO(4A): the stub below throws notImplemented() until you replace it with your code.
// SOLUTION ELSE
// import { notImplemented } from "../sim/index.ts";
// SOLUTION END

/**
 * The assignment after the groups changed: `shards` is the current one (shard → gid), `gids` the
 * groups present now (distinct, in any order). With no groups, every shard goes to gid 0.
 */
export function rebalance(shards: readonly number[], gids: readonly number[]): number[] {
  // SOLUTION BEGIN
  // TODO(4A): give every group in `gids` its share of the NShards shards — evenly, moving as few
  //   shards as possible, and the same way on every replica (sort; break ties by gid).
  if (gids.length === 0) return new Array<number>(NShards).fill(0);

  // What each present group serves now, and the shards whose group has left (or is gid 0).
  const served = new Map<number, number[]>(gids.map((gid) => [gid, []]));
  const unassigned: number[] = [];
  shards.forEach((gid, shard) => (served.get(gid) ?? unassigned).push(shard));

  // Every group's share is ⌊NShards/g⌋; the NShards mod g groups that serve the most shards now
  // get one more, because they have the most to keep.
  const byLoad = [...gids].sort((a, b) => served.get(b)!.length - served.get(a)!.length || a - b);
  const extra = NShards % gids.length;
  const share = new Map(byLoad.map((gid, rank) => [gid, Math.floor(NShards / gids.length) + (rank < extra ? 1 : 0)]));

  // Groups over their share give up their highest-numbered shards…
  for (const gid of byLoad) {
    const mine = served.get(gid)!;
    while (mine.length > share.get(gid)!) unassigned.push(mine.pop()!);
  }
  // …and groups under their share take the unassigned shards, lowest-numbered first.
  unassigned.sort((a, b) => a - b);
  const next = shards.slice();
  for (const gid of byLoad) {
    const mine = served.get(gid)!;
    while (mine.length < share.get(gid)!) {
      const shard = unassigned.shift()!;
      next[shard] = gid;
      mine.push(shard);
    }
  }
  return next;
  // SOLUTION ELSE
  // throw notImplemented("rebalance (4A)");
  // SOLUTION END
}
