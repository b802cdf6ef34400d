// Lab 5H: the session table — client sessions as part of the replicated state machine
// (dissertation §6.3; Dragonboat's internal/rsm/session.go, whose LRU-by-count eviction this
// follows). Only the applier touches it, one committed entry at a time, and it reads nothing but
// the entries: so every replica that has applied the same prefix of the log holds the same table.
//
//   const table = new SessionTable({ maxSessions: 4, sessionTtlMs: 0 });
//   table.register(nonce, index, at)           → the session id (the entry's index)
//   table.execute(command, index, () => run()) → the cached or fresh result, or ErrSessionExpired
//   table.encode() / SessionTable.decode(…)    in and out of a snapshot
//
// The rules:
//   - A session is made by a committed RegisterClient entry; its id is that entry's index. A
//     register whose nonce names a live session (a clerk's retry after a lost reply) returns that
//     session instead of making another.
//   - The table holds at most maxSessions. Registering one more evicts the least recently used
//     session: the one whose last entry (its register or its latest command) is lowest in the
//     log. The log decides, so every replica evicts the same session at the same index.
//   - With sessionTtlMs > 0 a session also expires when the log's clock — the highest `at` applied
//     so far, a time the leader wrote into its entries — has passed its last activity by more
//     than the TTL. Never a replica's own clock: a follower applying late must decide the same.
//   - A command of an unknown session (evicted, expired, never registered) is rejected with
//     ErrSessionExpired: never executed, never turned into a new session.
//   - Each session caches its results by seq. A duplicate (a seq in the cache) is answered from
//     the cache and not executed again. A seq below the session's respondedUpTo whose result was
//     dropped is a late copy of a command whose answer the clerk already has: it is not executed
//     (ErrStaleRequest). Each command's respondedUpTo lets the table drop the results below it.
import type { CachedResult, SessionCommand, SessionView } from "./session-types.ts";
// SOLUTION BEGIN
// TODO(5H): the session table's rules (above).
// SOLUTION ELSE
// import { notImplemented } from "../sim/index.ts";
// SOLUTION END

export interface SessionLimits {
  /** At most this many sessions; registering one more evicts the least recently used. */
  maxSessions: number;
  /** A session idle this long in log time expires; 0: never. */
  sessionTtlMs: number;
}

/** One session's state. */
export interface Session {
  clientId: number;
  nonce: number;
  lastUsedIndex: number;
  lastActiveAt: number;
  respondedUpTo: number;
  /** seq → result, for the seqs at or above respondedUpTo that have been executed. */
  results: Map<number, CachedResult>;
}

/** A session as a snapshot holds it (results as [seq, result] pairs, in seq order). */
export interface EncodedSession {
  clientId: number;
  nonce: number;
  lastUsedIndex: number;
  lastActiveAt: number;
  respondedUpTo: number;
  results: [number, CachedResult][];
}

/** The table as a snapshot holds it. */
export interface EncodedSessionTable {
  clock: number;
  sessions: EncodedSession[];
}

/** A session command: a Put or an Append. */
export type SessionWrite = Extract<SessionCommand, { kind: "Put" | "Append" }>;

export class SessionTable {
  /** Sessions by id, in the order they were registered (which is id order: ids are log indexes). */
  private sessions = new Map<number, Session>();
  /** The log's clock: the highest `at` of the entries applied. */
  private clock = 0;

  constructor(readonly limits: SessionLimits) {}

  /** Applies a RegisterClient entry at `index`; returns the session's id. */
  register(nonce: number, index: number, at: number): number {
    // SOLUTION BEGIN
    // TODO(5H): a live session with this nonce, or a new one (evicting the least recently used if full).
    this.advanceClock(at);
    for (const session of this.sessions.values()) {
      if (session.nonce !== nonce) continue;
      this.touch(session, index, at);
      return session.clientId;
    }
    while (this.sessions.size >= this.limits.maxSessions) this.evict(this.leastRecentlyUsed());
    this.sessions.set(index, { clientId: index, nonce, lastUsedIndex: index, lastActiveAt: at, respondedUpTo: 1, results: new Map() });
    return index;
    // SOLUTION ELSE
    // throw notImplemented("SessionTable.register (5H)");
    // SOLUTION END
  }

  /**
   * Applies a Put or Append entry at `index`: the cached result of a duplicate, ErrSessionExpired
   * for an unknown session, ErrStaleRequest for a late copy below respondedUpTo; otherwise runs
   * `run` (which changes the data) and caches its result.
   */
  execute(command: SessionWrite, index: number, run: () => CachedResult): CachedResult {
    // SOLUTION BEGIN
    // TODO(5H): look the command up in its session; run it only if it is new.
    this.advanceClock(command.at);
    const session = this.sessions.get(command.clientId);
    if (session === undefined) return { err: "ErrSessionExpired", appliedAt: 0 };
    this.touch(session, index, command.at);
    this.forgetBelow(session, command.respondedUpTo);
    const cached = this.cachedResult(session, command.seq);
    if (cached !== undefined) return cached;
    if (command.seq < session.respondedUpTo) return { err: "ErrStaleRequest", appliedAt: 0 };
    const result = run();
    this.remember(session, command.seq, result);
    return result;
    // SOLUTION ELSE
    // throw notImplemented("SessionTable.execute (5H)");
    // SOLUTION END
  }

  /** Applies any other entry (a Get, a leader's no-op): only the log's clock may move. */
  observe(at: number): void {
    // SOLUTION BEGIN
    // TODO(5H)
    this.advanceClock(at);
    // SOLUTION ELSE
    // throw notImplemented("SessionTable.observe (5H)");
    // SOLUTION END
  }

  /** The sessions, in id order, as the tester compares them across replicas. */
  view(): SessionView[] {
    // SOLUTION BEGIN
    // TODO(5H)
    return [...this.sessions.values()]
      .sort((a, b) => a.clientId - b.clientId)
      .map((s) => ({
        clientId: s.clientId,
        lastUsedIndex: s.lastUsedIndex,
        lastActiveAt: s.lastActiveAt,
        respondedUpTo: s.respondedUpTo,
        cachedSeqs: [...s.results.keys()].sort((a, b) => a - b),
      }));
    // SOLUTION ELSE
    // throw notImplemented("SessionTable.view (5H)");
    // SOLUTION END
  }

  /** The table for a snapshot. */
  encode(): EncodedSessionTable {
    // SOLUTION BEGIN
    // TODO(5H)
    const sessions = [...this.sessions.values()]
      .sort((a, b) => a.clientId - b.clientId)
      .map((s) => ({ ...s, results: [...s.results].sort(([a], [b]) => a - b) }));
    return { clock: this.clock, sessions };
    // SOLUTION ELSE
    // throw notImplemented("SessionTable.encode (5H)");
    // SOLUTION END
  }

  /** A table as a snapshot held it. */
  static decode(limits: SessionLimits, encoded: EncodedSessionTable): SessionTable {
    const table = new SessionTable(limits);
    // SOLUTION BEGIN
    // TODO(5H)
    table.clock = encoded.clock;
    for (const s of encoded.sessions) table.sessions.set(s.clientId, { ...s, results: new Map(s.results) });
    // SOLUTION ELSE
    // throw notImplemented("SessionTable.decode (5H)");
    // SOLUTION END
    return table;
  }

  // SOLUTION BEGIN
  // TODO(5H): anything else the table needs.
  /** Moves the log's clock to `at` if it is later, and expires the sessions idle past the TTL. */
  private advanceClock(at: number): void {
    if (at > this.clock) this.clock = at;
    if (this.limits.sessionTtlMs <= 0) return;
    for (const session of [...this.sessions.values()]) {
      if (this.clock - session.lastActiveAt > this.limits.sessionTtlMs) this.evict(session);
    }
  }

  private touch(session: Session, index: number, at: number): void {
    session.lastUsedIndex = index;
    session.lastActiveAt = Math.max(session.lastActiveAt, at);
  }

  /** The session whose last entry is lowest in the log. */
  private leastRecentlyUsed(): Session {
    let victim: Session | undefined;
    for (const session of this.sessions.values()) {
      if (victim === undefined || session.lastUsedIndex < victim.lastUsedIndex) victim = session;
    }
    if (victim === undefined) throw new Error("SessionTable: nothing to evict, yet the table is full (maxSessions must be at least 1)");
    return victim;
  }

  private evict(session: Session): void {
    this.sessions.delete(session.clientId);
  }

  private forgetBelow(session: Session, respondedUpTo: number): void {
    if (respondedUpTo <= session.respondedUpTo) return;
    session.respondedUpTo = respondedUpTo;
    for (const seq of [...session.results.keys()]) if (seq < respondedUpTo) session.results.delete(seq);
  }

  private cachedResult(session: Session, seq: number): CachedResult | undefined {
    return session.results.get(seq);
  }

  private remember(session: Session, seq: number, result: CachedResult): void {
    session.results.set(seq, result);
  }
  // SOLUTION END
}
