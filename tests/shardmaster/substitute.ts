// What a run may use instead of the reference shardmaster (tests/harness/substitutes.ts): another
// startServer, such as the broken servers of tests/shardmaster/bad-masters.test.ts.
import type { Persister } from "../../sim/index.ts";
import type { Peer } from "../../raft/types.ts";
import type { ShardMaster } from "../../shardmaster/server.ts";

/** What the shardmaster tester needs of a server (the reference's ShardMaster, or a test double of it). */
export type ShardMasterLike = Pick<ShardMaster, "rf" | "kill" | "join" | "leave" | "move" | "query">;

/** shardmaster/server.ts's startServer(). */
export type StartShardMaster = (peers: Peer[], me: number, persister: Persister) => ShardMasterLike;

declare module "../harness/substitutes.ts" {
  interface Substitutes {
    startShardMaster?: StartShardMaster;
  }
}
