// What a run may use instead of lab 5's reference Raft (tests/harness/substitutes.ts): another make().
import type { make } from "../../raft-extensions/extended-raft.ts";

/** raft-extensions/extended-raft.ts's make(). */
export type MakeExtendedRaft = typeof make;

declare module "../harness/substitutes.ts" {
  interface Substitutes {
    makeExtendedRaft?: MakeExtendedRaft;
  }
}
