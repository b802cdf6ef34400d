// Broken lab-5H sessions, each with one rule of raft-extensions/sessions.ts (or of the session
// clerk) broken (see mutant.ts), run against the 5H tests (tests/raft5/5H.ts). Most change one
// method of the session table: the mutant server is the reference server whose table (made in
// its constructor, or restored from a snapshot) is a subclass with that method replaced.
import { SessionClerk, SessionExpiredError } from "../../raft-extensions/session-clerk.ts";
import { SessionKVServer } from "../../raft-extensions/session-kv-server.ts";
import { SessionTable, type EncodedSessionTable, type Session, type SessionLimits, type SessionWrite } from "../../raft-extensions/sessions.ts";
import type { CachedResult } from "../../raft-extensions/session-types.ts";
import { now, randomInt } from "../../sim/index.ts";
import type { MakeSessionClerk, StartSessionKVServer } from "../raft5/session-substitute.ts";
import type { Mutant } from "./mutant.ts";

/** The reference session table's private state and methods, as a mutant sees them. */
interface TableInside {
  limits: SessionLimits;
  sessions: Map<number, Session>;
  clock: number;
  register(nonce: number, index: number, at: number): number;
  execute(command: SessionWrite, index: number, run: () => CachedResult): CachedResult;
  advanceClock(at: number): void;
  touch(session: Session, index: number, at: number): void;
  leastRecentlyUsed(): Session;
  evict(session: Session): void;
  forgetBelow(session: Session, respondedUpTo: number): void;
  cachedResult(session: Session, seq: number): CachedResult | undefined;
  remember(session: Session, seq: number, result: CachedResult): void;
}

/** The reference session KV server's private state and methods, as a mutant sees them. */
interface ServerInside {
  table: SessionTable;
  limits: SessionLimits;
  restore(snapshot: Uint8Array): void;
  snapshotContents(index: number): { lastIncludedIndex: number; data: [string, string][]; sessions: EncodedSessionTable };
}

const tableReference = SessionTable.prototype as unknown as TableInside;
const serverReference = SessionKVServer.prototype as unknown as ServerInside;

/** A session KV server whose methods are the reference's except those `change` replaces. */
function serverMutant(change: (mutant: ServerInside) => void): StartSessionKVServer {
  class Mutant extends SessionKVServer {}
  change(Mutant.prototype as unknown as ServerInside);
  return (peers, me, persister, maxraftstate, options = {}) => new Mutant(peers, me, persister, maxraftstate, options);
}

/** A session KV server whose table's methods are the reference's except those `change` replaces. */
function tableMutant(change: (mutant: TableInside) => void): StartSessionKVServer {
  class Table extends SessionTable {}
  change(Table.prototype as unknown as TableInside);
  return serverMutant((m) => {
    m.restore = function (this: ServerInside, snapshot: Uint8Array) {
      serverReference.restore.call(this, snapshot);
      Object.setPrototypeOf(this.table, Table.prototype);
    };
  });
}

const lab5H = ["5H"];

export const sessionMutants: Mutant[] = [
  {
    name: "duplicates-re-executed",
    rule: "Sessions: a duplicate (a seq in the session's cache) is answered from the cache, never executed again",
    bug: "never finds a result in the cache, so a retried write is applied once more",
    parts: lab5H,
    killedBy: { test: "TestCommitThenCrashAppliesOnce5H", seed: 1, check: /should be answered from the session's cache/ },
    substitutes: {
      startSessionKVServer: tableMutant((m) => {
        m.cachedResult = () => undefined;
      }),
    },
  },
  {
    name: "cache-keyed-by-seq-alone",
    rule: "Sessions: results are cached per (session, seq)",
    bug: "keys the results by seq alone, in one cache for every session, so one client's write is answered with another's result",
    parts: lab5H,
    killedBy: { test: "TestDuplicatedRequestsAcrossLeaderChanges5H", seed: 1, check: /exactly once, on key k: the acknowledged append .* is missing/ },
    substitutes: {
      startSessionKVServer: tableMutant((m) => {
        const shared = new WeakMap<TableInside, Map<number, CachedResult>>();
        const cacheOf = (table: TableInside) => {
          let cache = shared.get(table);
          if (cache === undefined) shared.set(table, (cache = new Map()));
          return cache;
        };
        m.cachedResult = function (this: TableInside, _session: Session, seq: number) {
          return cacheOf(this).get(seq);
        };
        m.remember = function (this: TableInside, session: Session, seq: number, result: CachedResult) {
          cacheOf(this).set(seq, result);
          tableReference.remember.call(this, session, seq, result);
        };
      }),
    },
  },
  {
    name: "sessions-not-in-snapshot",
    rule: "Sessions live in the state machine, and so in its snapshots",
    bug: "snapshots the data with an empty session table, so a server restored from its snapshot has forgotten every session",
    parts: lab5H,
    killedBy: { test: "TestSnapshotKeepsSessions5H", seed: 1, check: /lab-5H monitor|answered from the session table the snapshot restored/ },
    substitutes: {
      startSessionKVServer: serverMutant((m) => {
        m.snapshotContents = function (this: ServerInside, index: number) {
          return { ...serverReference.snapshotContents.call(this, index), sessions: new SessionTable(this.limits).encode() };
        };
      }),
    },
  },
  {
    name: "evicts-a-random-session",
    rule: "Sessions: eviction is decided by the log (the least recently used by log index), the same on every replica",
    bug: "evicts a session drawn from the replica's own random stream, so replicas evict different sessions",
    parts: lab5H,
    killedBy: { test: "TestEvictionIsDeterministic5H", seed: 1, check: /lab-5H monitor|should be evicted/ },
    substitutes: {
      startSessionKVServer: tableMutant((m) => {
        m.leastRecentlyUsed = function (this: TableInside) {
          const sessions = [...this.sessions.values()];
          return sessions[randomInt(sessions.length)]!;
        };
      }),
    },
  },
  {
    name: "expires-by-the-replica-clock",
    rule: "Sessions: time-based expiry reads the leader's timestamps in the log, never a replica's own clock",
    bug: "expires sessions by the replica's clock when it applies an entry, so a follower that applies late expires sessions the leader kept",
    parts: lab5H,
    killedBy: { test: "TestExpiryFollowsTheLog5H", seed: 1, check: /lab-5H monitor/ },
    substitutes: {
      startSessionKVServer: tableMutant((m) => {
        m.advanceClock = function (this: TableInside) {
          tableReference.advanceClock.call(this, now());
        };
      }),
    },
  },
  {
    name: "unknown-session-treated-as-new",
    rule: "Sessions: a command of an unknown (evicted, expired) session is rejected with SessionExpired, never treated as new",
    bug: "opens a fresh session for a command whose session it does not know, so an evicted client's retry is applied again",
    parts: lab5H,
    killedBy: { test: "TestEvictedRetryIsRejected5H", seed: 1, check: /must be rejected with SessionExpired/ },
    substitutes: {
      startSessionKVServer: tableMutant((m) => {
        m.execute = function (this: TableInside, command: SessionWrite, index: number, run: () => CachedResult) {
          if (!this.sessions.has(command.clientId)) {
            this.sessions.set(command.clientId, { clientId: command.clientId, nonce: 0, lastUsedIndex: index, lastActiveAt: command.at, respondedUpTo: 1, results: new Map() });
          }
          return tableReference.execute.call(this, command, index, run);
        };
      }),
    },
  },
  {
    name: "clerk-resends-under-a-new-session",
    rule: "Sessions: a clerk told SessionExpired reports it; it never resends the command under a new session (lni/dragonboat#376)",
    bug: "the clerk catches SessionExpired, registers again and sends the same write under the new session, so it may be applied twice",
    parts: lab5H,
    killedBy: { test: "TestEvictedRetryIsRejected5H", seed: 1, check: /must be rejected with SessionExpired/ },
    substitutes: { makeSessionClerk: resendingClerk() },
  },
  {
    name: "register-revives-by-nonce",
    rule: "Sessions: a RegisterClient replayed after its session was evicted makes a new session; it never revives the old one (tigerbeetle/tigerbeetle#2153)",
    bug: "remembers every nonce's first session id for ever, so a replayed register brings an evicted session back with an empty cache",
    parts: lab5H,
    killedBy: { test: "TestRegisterReplayAfterEviction5H", seed: 1, check: /must be rejected with SessionExpired/ },
    substitutes: {
      startSessionKVServer: tableMutant((m) => {
        const firstIds = new WeakMap<TableInside, Map<number, number>>();
        m.register = function (this: TableInside, nonce: number, index: number, at: number) {
          let ids = firstIds.get(this);
          if (ids === undefined) firstIds.set(this, (ids = new Map()));
          const id = tableReference.register.call(this, nonce, index, at);
          const first = ids.get(nonce);
          if (first === undefined) {
            ids.set(nonce, id);
            return id;
          }
          if (first === id) return id;
          const session = this.sessions.get(id)!;
          this.sessions.delete(id);
          this.sessions.set(first, { ...session, clientId: first });
          return first;
        };
      }),
    },
  },
  {
    name: "cache-never-truncated",
    rule: "Sessions: the results below a client's respondedUpTo are dropped (Dragonboat's RespondedUpTo)",
    bug: "moves respondedUpTo but keeps every result, so the cache grows without bound",
    parts: lab5H,
    killedBy: { test: "TestPipelinedClient5H", seed: 1, check: /should cache seq 6 alone/ },
    substitutes: {
      startSessionKVServer: tableMutant((m) => {
        m.forgetBelow = function (this: TableInside, session: Session, respondedUpTo: number) {
          session.respondedUpTo = Math.max(session.respondedUpTo, respondedUpTo);
        };
      }),
    },
  },
  {
    name: "forgets-results-but-not-the-watermark",
    rule: "Sessions: a late copy of a seq below respondedUpTo, whose result was dropped, is not executed",
    bug: "drops the results below respondedUpTo without remembering respondedUpTo, so a late copy of an answered write is executed again",
    parts: lab5H,
    killedBy: { test: "TestPipelinedClient5H", seed: 1, check: /respondedUpTo/ },
    substitutes: {
      startSessionKVServer: tableMutant((m) => {
        m.forgetBelow = function (this: TableInside, session: Session, respondedUpTo: number) {
          for (const seq of [...session.results.keys()]) if (seq < respondedUpTo) session.results.delete(seq);
        };
      }),
    },
  },
];

/** A clerk that, told SessionExpired, registers again and resends the same write (the bug of clerk-resends-under-a-new-session). */
function resendingClerk(): MakeSessionClerk {
  let Resending: (new (ends: Parameters<MakeSessionClerk>[0]) => SessionClerk) | undefined;
  return (ends) => {
    Resending ??= resendingClass();
    return new Resending(ends);
  };
}

/** The clerk class of resendingClerk (made when the first clerk is, after the modules it extends have loaded). */
function resendingClass() {
  type Write = (this: SessionClerk, key: string, value: string, op: "Put" | "Append") => Promise<number>;
  const write = (SessionClerk.prototype as unknown as { write: Write }).write;
  class Resending extends SessionClerk {}
  (Resending.prototype as unknown as { write: Write }).write = async function (this: SessionClerk, key, value, op) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await write.call(this, key, value, op);
      } catch (err) {
        if (!(err instanceof SessionExpiredError) || attempt >= 3) throw err;
      }
    }
  };
  return Resending;
}
