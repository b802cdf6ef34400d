// What a run may use instead of the reference solutions. A grader must fail broken code; its
// meta-tests prove it by running the real tests with a broken Raft or server substituted here
// (RunOptions.substitutes). Each lab's config reads the substitute for what it starts, and falls
// back to the reference.
import type { Persister } from "../../sim/index.ts";
import type { make } from "../../raft/raft.ts";
import type { Peer } from "../../raft/types.ts";
import type { KVServer } from "../../kvraft/server.ts";

/** raft/raft.ts's make(). */
export type MakeRaft = typeof make;

/** What the KV tester needs of a KV server (the reference's KVServer, or a test double of it). */
export type KVServerLike = Pick<KVServer, "rf" | "kill" | "get" | "putAppend">;

/** kvraft/server.ts's startKVServer(). */
export type StartKVServer = (peers: Peer[], me: number, persister: Persister, maxraftstate: number) => KVServerLike;

export interface Substitutes {
  makeRaft?: MakeRaft;
  startKVServer?: StartKVServer;
}
