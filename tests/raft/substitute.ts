// What a run may use instead of the reference Raft (tests/harness/substitutes.ts): another make().
import type { make } from "../../raft/raft.ts";

/** raft/raft.ts's make(). */
export type MakeRaft = typeof make;

declare module "../harness/substitutes.ts" {
  interface Substitutes {
    makeRaft?: MakeRaft;
  }
}
