// What a run may use instead of the reference solutions. A grader must fail broken code; its
// meta-tests prove it by running the real tests with a broken Raft or server substituted here
// (RunOptions.substitutes). Each lab's config reads the substitute for what it starts, and falls
// back to the reference.
import type { ClientEnd, Persister } from "../../sim/index.ts";
import type { make } from "../../raft/raft.ts";
import type { Peer } from "../../raft/types.ts";
import type { KVServer } from "../../kvraft/server.ts";
import type { ShardMaster } from "../../shardmaster/server.ts";
import type { ShardMasterApi } from "../../shardmaster/common.ts";
import type { MakeEnd } from "../../shardkv/common.ts";
import type { ShardKV } from "../../shardkv/server.ts";

/** raft/raft.ts's make(). */
export type MakeRaft = typeof make;

/** What the KV tester needs of a KV server (the reference's KVServer, or a test double of it). */
export type KVServerLike = Pick<KVServer, "rf" | "kill" | "get" | "putAppend">;

/** kvraft/server.ts's startKVServer(). */
export type StartKVServer = (peers: Peer[], me: number, persister: Persister, maxraftstate: number) => KVServerLike;

/** What the shardmaster tester needs of a server (the reference's ShardMaster, or a test double of it). */
export type ShardMasterLike = Pick<ShardMaster, "rf" | "kill" | "join" | "leave" | "move" | "query">;

/** shardmaster/server.ts's startServer(). */
export type StartShardMaster = (peers: Peer[], me: number, persister: Persister) => ShardMasterLike;

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

export interface Substitutes {
  makeRaft?: MakeRaft;
  startKVServer?: StartKVServer;
  startShardMaster?: StartShardMaster;
  startShardKV?: StartShardKV;
}
