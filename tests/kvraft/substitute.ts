// What a run may use instead of the reference KV server (tests/harness/substitutes.ts): another
// StartKVServer, such as the broken servers of tests/kvraft/bad-servers.test.ts.
import type { KVServer, startKVServer } from "../../kvraft/server.ts";

/** What the KV tester needs of a KV server (the reference's KVServer, or a test double of it). */
export type KVServerLike = Pick<KVServer, "rf" | "kill" | "get" | "putAppend">;

/** kvraft/server.ts's startKVServer(). */
export type StartKVServer = (...args: Parameters<typeof startKVServer>) => KVServerLike;

declare module "../harness/substitutes.ts" {
  interface Substitutes {
    startKVServer?: StartKVServer;
  }
}
