// What lab 5H's session-aware clerks and KV servers say to each other, and what goes into the
// Raft log (Ongaro's dissertation §6.3; Dragonboat's client sessions).
//
//   register({ nonce })                      → { err: "OK", clientId }   a committed RegisterClient
//   putAppend({ clientId, seq, respondedUpTo, … }) → { err, appliedAt }  exactly once per (clientId, seq)
//   get({ key })                             → { err, value }            reads need no session
//
// A clerk's session id is the log index of the RegisterClient entry that made it, so every replica
// gives the same id. `respondedUpTo` is the lowest seq the clerk still waits for: every result
// below it has reached the clerk, and the servers may forget it. ErrSessionExpired means the
// session is gone (evicted, or expired): the server did not apply the command now, and cannot
// say whether an earlier copy of it was applied; the clerk tells its caller and never resends the
// command under a new session.
import type { ServiceApi } from "../sim/index.ts";

export type SessionErr = "OK" | "ErrNoKey" | "ErrWrongLeader" | "ErrSessionExpired" | "ErrStaleRequest";

export interface RegisterArgs {
  /** The clerk's own random number: a retried register of a live session gets that session back. */
  nonce: number;
}

export interface RegisterReply {
  err: SessionErr;
  /** The new session's id (the index of its RegisterClient entry); 0 unless err is OK. */
  clientId: number;
}

export interface SessionPutAppendArgs {
  key: string;
  value: string;
  op: "Put" | "Append";
  clientId: number;
  seq: number;
  /** The lowest seq of this clerk still without a response (all below it have one). */
  respondedUpTo: number;
}

export interface SessionPutAppendReply {
  err: SessionErr;
  /** The log index at which the command was applied (a duplicate answered from the cache gives the first one's). */
  appliedAt: number;
}

export interface SessionGetArgs {
  key: string;
}

export interface SessionGetReply {
  err: SessionErr;
  value: string;
}

/** The RPC handlers a lab-5H KV server offers its clerks. */
export interface SessionKvRpcHandlers {
  register(args: RegisterArgs): Promise<RegisterReply>;
  putAppend(args: SessionPutAppendArgs): Promise<SessionPutAppendReply>;
  get(args: SessionGetArgs): Promise<SessionGetReply>;
}

/** The RPCs a session clerk calls, as "KVServer.method". */
export type SessionKvApi = ServiceApi<"KVServer", SessionKvRpcHandlers>;

/** The result of a command, as a session's cache keeps it. */
export interface CachedResult {
  err: SessionErr;
  appliedAt: number;
}

/**
 * What goes into the Raft log. Every entry carries `at`, the proposing leader's clock when it
 * proposed it: time-based expiry reads time from the log, never from a replica's own clock.
 */
export type SessionCommand =
  | { kind: "Register"; nonce: number; at: number }
  | { kind: "Put" | "Append"; key: string; value: string; clientId: number; seq: number; respondedUpTo: number; at: number }
  | { kind: "Get"; key: string; at: number };

/** One session, as sessions() shows it to the tester (which compares replicas by it). */
export interface SessionView {
  clientId: number;
  /** The index of the last entry that used it: registered it, or carried one of its commands. */
  lastUsedIndex: number;
  /** The log time (`at`) of that entry. */
  lastActiveAt: number;
  respondedUpTo: number;
  /** The seqs whose results the cache holds, in increasing order. */
  cachedSeqs: number[];
}
