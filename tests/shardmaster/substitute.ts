// What a run may use instead of the reference shardmaster (tests/harness/substitutes.ts): another
// startServer, such as the broken servers of tests/shardmaster/bad-masters.test.ts.
import type { ShardMaster, startServer } from "../../shardmaster/server.ts";

/** What the shardmaster tester needs of a server (the reference's ShardMaster, or a test double of it). */
export type ShardMasterLike = Pick<ShardMaster, "rf" | "kill" | "join" | "leave" | "move" | "query">;

/** shardmaster/server.ts's startServer(). */
export type StartShardMaster = (...args: Parameters<typeof startServer>) => ShardMasterLike;

declare module "../harness/substitutes.ts" {
  interface Substitutes {
    startShardMaster?: StartShardMaster;
  }
}
