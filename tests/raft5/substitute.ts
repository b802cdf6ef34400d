// What a run may use instead of lab 5's reference code (tests/harness/substitutes.ts): another
// make() for the extended Raft, another startKVServer() for lab 5's KV server.
import type { make } from "../../raft-extensions/extended-raft.ts";
import type { startKVServer } from "../../raft-extensions/kv-server.ts";

/** raft-extensions/extended-raft.ts's make(). */
export type MakeExtendedRaft = typeof make;

/** raft-extensions/kv-server.ts's startKVServer(). */
export type StartReadingKVServer = typeof startKVServer;

declare module "../harness/substitutes.ts" {
  interface Substitutes {
    makeExtendedRaft?: MakeExtendedRaft;
    startReadingKVServer?: StartReadingKVServer;
  }
}
