// What a run may use instead of the reference ShardKV server (tests/harness/substitutes.ts):
// another startServer, such as the broken servers of tests/shardkv/bad-servers.test.ts. (The
// shardmaster's substitute is lab 4A's: tests/shardmaster/substitute.ts.)
import type { ClientEnd, Persister } from "../../sim/index.ts";
import type { Peer } from "../../raft/types.ts";
import type { ShardMasterApi } from "../../shardmaster/common.ts";
import type { MakeEnd } from "../../shardkv/common.ts";
import type { ShardKV } from "../../shardkv/server.ts";

/**
 * What the ShardKV tester needs of a ShardKV server (the reference's ShardKV, or a test double of
 * it). The tester registers the whole object as the "ShardKV" service, so the methods the servers
 * call on each other are offered too.
 */
export type ShardKVLike = Pick<ShardKV, "rf" | "kill" | "get" | "putAppend">;

/** shardkv/server.ts's startServer(). */
export type StartShardKV = (
  servers: Peer[],
  me: number,
  persister: Persister,
  maxraftstate: number,
  gid: number,
  masters: ClientEnd<ShardMasterApi>[],
  makeEnd: MakeEnd,
) => ShardKVLike;

declare module "../harness/substitutes.ts" {
  interface Substitutes {
    startShardKV?: StartShardKV;
  }
}
