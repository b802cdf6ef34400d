// What a lab-5H run may use instead of the reference (tests/harness/substitutes.ts): another
// startSessionKVServer() for the session KV server, another clerk.
import type { ClientEnd } from "../../sim/index.ts";
import type { SessionClerk } from "../../raft-extensions/session-clerk.ts";
import type { startSessionKVServer } from "../../raft-extensions/session-kv-server.ts";
import type { SessionKvApi } from "../../raft-extensions/session-types.ts";

/** raft-extensions/session-kv-server.ts's startSessionKVServer(). */
export type StartSessionKVServer = typeof startSessionKVServer;

/** Makes a session clerk from its ends (default: new SessionClerk(ends)). */
export type MakeSessionClerk = (ends: ClientEnd<SessionKvApi>[]) => SessionClerk;

declare module "../harness/substitutes.ts" {
  interface Substitutes {
    startSessionKVServer?: StartSessionKVServer;
    makeSessionClerk?: MakeSessionClerk;
  }
}
