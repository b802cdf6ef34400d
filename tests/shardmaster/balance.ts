// What the grader knows about a good assignment of shards to groups, worked out independently of
// any rebalancer: how many shards each group serves, and the fewest shards that must move to make
// an assignment even. The 4A tests and the rebalancer's properties both use it.
import { NShards, type Config } from "../../shardmaster/common.ts";

/** The gids of a configuration's groups, in increasing order. */
export function gidsIn(config: Config): number[] {
  return Object.keys(config.groups)
    .map(Number)
    .sort((a, b) => a - b);
}

/** How many shards each of `gids` serves in `shards` (0 for a group that serves none). */
export function shardCounts(shards: readonly number[], gids: readonly number[]): Map<number, number> {
  const counts = new Map<number, number>(gids.map((gid) => [gid, 0]));
  for (const gid of shards) if (counts.has(gid)) counts.set(gid, counts.get(gid)! + 1);
  return counts;
}

/** How many shards have a different group in `after` than in `before`. */
export function movedShards(before: readonly number[], after: readonly number[]): number {
  return before.filter((gid, shard) => after[shard] !== gid).length;
}

/**
 * The fewest shards that must change group to go from `before` to an even assignment over `gids`.
 *
 * With g groups, each serves ⌊NShards/g⌋ shards and NShards mod g of them one more. A group keeps at
 * most min(what it serves, its share) of its shards; giving one of the larger shares to a group that
 * serves more than ⌊NShards/g⌋ lets it keep one more. So at best the groups keep
 * Σ min(count, ⌊NShards/g⌋) + min(NShards mod g, #groups serving more than ⌊NShards/g⌋), and every
 * other shard moves.
 */
export function fewestMoves(before: readonly number[], gids: readonly number[]): number {
  if (gids.length === 0) return before.filter((gid) => gid !== 0).length;
  const floor = Math.floor(NShards / gids.length);
  const counts = [...shardCounts(before, gids).values()];
  const kept =
    counts.reduce((sum, count) => sum + Math.min(count, floor), 0) +
    Math.min(NShards % gids.length, counts.filter((count) => count > floor).length);
  return NShards - kept;
}
