// What Raft shares with the service above it (the tester, or the KV server) and with its peers.
import type { ClientEnd, ServiceApi } from "../sim/index.ts";

/**
 * What Raft sends on applyCh, in log order: a committed command, or (2D) a snapshot that a peer's
 * InstallSnapshot brought, which the service must install instead of the commands it covers.
 */
export type ApplyMsg =
  | { commandValid: true; command: unknown; commandIndex: number; commandTerm: number; snapshotValid?: false }
  | { snapshotValid: true; snapshot: Uint8Array; snapshotTerm: number; snapshotIndex: number; commandValid?: false };

/** One entry of the log. */
export interface LogEntry {
  term: number;
  command: unknown;
}

/** The RPC handlers every Raft peer offers its peers (Figure 2, and Figure 13's InstallSnapshot). */
export interface RaftRpcHandlers {
  requestVote(args: RequestVoteArgs): RequestVoteReply;
  appendEntries(args: AppendEntriesArgs): AppendEntriesReply;
  installSnapshot(args: InstallSnapshotArgs): InstallSnapshotReply;
}

/** The RPCs Raft peers call on each other, as "Raft.method". */
export type RaftApi = ServiceApi<"Raft", RaftRpcHandlers>;

/** A client end to one peer. */
export type Peer = ClientEnd<RaftApi>;

export interface RequestVoteArgs {
  term: number;
  candidateId: number;
  lastLogIndex: number;
  lastLogTerm: number;
}

export interface RequestVoteReply {
  term: number;
  voteGranted: boolean;
}

export interface AppendEntriesArgs {
  term: number;
  leaderId: number;
  prevLogIndex: number;
  prevLogTerm: number;
  entries: LogEntry[];
  leaderCommit: number;
}

export interface AppendEntriesReply {
  term: number;
  success: boolean;
  /** Fast backup (§5.3, "optimization"): the term of the conflicting entry, or -1 if the log is too short. */
  conflictTerm: number;
  /** The first index of conflictTerm in the follower's log, or the follower's log length + 1. */
  conflictIndex: number;
}

export interface InstallSnapshotArgs {
  term: number;
  leaderId: number;
  lastIncludedIndex: number;
  lastIncludedTerm: number;
  data: Uint8Array;
}

export interface InstallSnapshotReply {
  term: number;
}
