// What a run may use instead of the reference ShardKV server (tests/harness/substitutes.ts):
// another startServer, such as the broken servers of tests/shardkv/bad-servers.test.ts. (The
// shardmaster's substitute is lab 4A's: tests/shardmaster/substitute.ts.)
import type { ShardKV, startServer } from "../../shardkv/server.ts";

/**
 * What the ShardKV tester needs of a ShardKV server (the reference's ShardKV, or a test double of
 * it). The tester registers the whole object as the "ShardKV" service, so the methods the servers
 * call on each other are offered too.
 */
export type ShardKVLike = Pick<ShardKV, "rf" | "kill" | "get" | "putAppend">;

/** shardkv/server.ts's startServer(). */
export type StartShardKV = (...args: Parameters<typeof startServer>) => ShardKVLike;

declare module "../harness/substitutes.ts" {
  interface Substitutes {
    startShardKV?: StartShardKV;
  }
}
