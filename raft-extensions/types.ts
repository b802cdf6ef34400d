// What lab 5's extended Raft adds to lab 2's API: the options that switch the extensions on, what
// status() reports, the PreVote RPC (5A; Ongaro's dissertation §9.6), and leadership transfer's
// RPCs (5B; §3.10).
//
//   const rf = make(peers, me, persister, applyCh, { preVote: true, checkQuorum: true });
//   rf.status()                → { term, leader, role, leadTransferee, config, configIndex }
//   rf.transferLeadership(2)   hand leadership to server 2 (5B)
//   await rf.readIndex()       → { ok: true, index } once reading at index is linearizable (5C)
//   await rf.leaseRead()       → the same, from the leader's lease when it holds: no RPC (5D)
//
// With every option off (the default) the extended Raft is lab 2's Raft, message for message.
import type { ServiceApi } from "../sim/index.ts";
import type { Peer, RaftRpcHandlers, RequestVoteArgs } from "../raft/types.ts";

export interface RaftOptions {
  /**
   * PreVote (§9.6): before an election, ask the peers whether they would vote, without changing
   * any term; campaign for real only when a majority would.
   */
  preVote?: boolean;
  /**
   * CheckQuorum (§6.2): a leader that has not heard from a majority within an election timeout
   * steps down. With it comes the vote lease: a server that heard from its leader within the
   * minimum election timeout ignores RequestVote and PreVote from other candidates.
   */
  checkQuorum?: boolean;
  /**
   * Lease reads (5D; §6.4.1): leaseRead() answers from the leader's lease while it holds, without
   * a round of messages. Needs checkQuorum (the vote lease is what the lease stands on).
   */
  leaseReads?: boolean;
  /**
   * The most any server's clock may drift from real time, as a fraction ρ: every clock runs at a
   * rate within [1 − ρ, 1 + ρ]. The lease is shortened to be safe under it (5D; default 0.1).
   */
  maxClockDrift?: number;
  /**
   * The initial configuration (5E): the voters while the log holds no config entry. By default every
   * peer; a server that joins a running cluster starts with none, and learns the voters from the
   * config entry that adds it.
   */
  voters?: readonly number[];
}

/** A peer's role as status() reports it: a pre-candidate is a follower asking for pre-votes. */
export type StatusRole = "follower" | "pre-candidate" | "candidate" | "leader";

export interface RaftStatus {
  term: number;
  /** The leader this peer follows in `term` (itself when it leads), or null if it knows none. */
  leader: number | null;
  role: StatusRole;
  /** The server a leader is handing leadership to (5B), or null: none, or this peer does not lead. */
  leadTransferee: number | null;
  /** With lease reads (5D): when this leader's lease ends, by its own clock; null when it holds none. */
  leaseUntil?: number | null;
  /** The voters of the configuration this peer uses (5E), in increasing order. */
  config: number[];
  /** Its learners (5F), in increasing order. */
  learners: number[];
  /** The index of the config entry they come from; 0: the initial configuration. */
  configIndex: number;
  /** 5G, while the configuration is joint: C_old's voters (`config` being C_new's). Absent when not joint. */
  outgoing?: number[];
  /** 5G, while joint: the voters of C_old that become learners when it leaves joint. */
  learnersNext?: number[];
}

/** PreVote request: "would you vote for me in `term`?" The sender's own term stays as it is. */
export interface PreVoteArgs {
  /** The term the sender would campaign in: its currentTerm + 1. */
  term: number;
  candidateId: number;
  lastLogIndex: number;
  lastLogTerm: number;
}

export interface PreVoteReply {
  /** A grant echoes the request's term; a refusal carries the voter's currentTerm. */
  term: number;
  voteGranted: boolean;
}

/**
 * TimeoutNow (5B): the leader tells the transfer's target to start an election at once. It carries
 * the leader's last log entry, so that a target whose log does not end there (a TimeoutNow that
 * arrives late, after the leader moved on) ignores it.
 */
export interface TimeoutNowArgs {
  term: number;
  leaderId: number;
  lastLogIndex: number;
  lastLogTerm: number;
}

export interface TimeoutNowReply {
  term: number;
}

/** A follower asked to transfer leadership passes the request to its leader (5B). */
export interface ForwardTransferArgs {
  target: number;
}

export interface ForwardTransferReply {
  term: number;
}

/**
 * A RequestVote as the extended Raft sends it: a campaign that a TimeoutNow started says so, and
 * the vote lease does not refuse it (the leader itself asked for this election).
 */
export interface ExtendedRequestVoteArgs extends RequestVoteArgs {
  leadershipTransfer?: boolean;
}

/**
 * What readIndex() resolves to (5C): an index such that a read of the state machine once it has
 * applied `index` is linearizable; or why there is none (this peer, or the leader it asked, does
 * not lead; or the leader could not confirm its leadership in time). Either way, try again,
 * perhaps elsewhere.
 */
export type ReadIndexResult = { ok: true; index: number } | { ok: false; err: "ErrWrongLeader" | "ErrTimeout" };

/** The command of the entry a new leader appends so that something of its term commits (5C): no client's. */
export interface NoOp {
  noOp: true;
}

export const NO_OP: NoOp = { noOp: true };

/** Whether a committed command is a leader's no-op, which the service skips. */
export function isNoOp(command: unknown): boolean {
  return typeof command === "object" && command !== null && (command as { noOp?: unknown }).noOp === true;
}

/** A leader asks every peer "am I still your leader in `term`?" to confirm a ReadIndex round (5C). */
export interface ConfirmLeadershipArgs {
  term: number;
  leaderId: number;
}

export interface ConfirmLeadershipReply {
  term: number;
  /** Yes: the peer is in `term` and takes the sender for its leader. */
  ok: boolean;
}

/** A follower asks its leader for a read index (5C's follower reads). */
export type LeaderReadIndexArgs = Record<string, never>;

/** The RPC handlers of an extended Raft: lab 2's, PreVote (5A), TimeoutNow and ForwardTransfer (5B), ConfirmLeadership and LeaderReadIndex (5C). */
export interface ExtendedRaftRpcHandlers extends RaftRpcHandlers {
  preVote(args: PreVoteArgs): PreVoteReply;
  timeoutNow(args: TimeoutNowArgs): TimeoutNowReply;
  forwardTransfer(args: ForwardTransferArgs): ForwardTransferReply;
  confirmLeadership(args: ConfirmLeadershipArgs): ConfirmLeadershipReply;
  leaderReadIndex(args: LeaderReadIndexArgs): Promise<ReadIndexResult>;
}

/** The RPCs extended Raft peers call on each other, as "Raft.method". */
export type ExtendedRaftApi = ServiceApi<"Raft", ExtendedRaftRpcHandlers>;

/** Lab 2's client end to a peer, seen as one that also carries PreVote (the same end: only its type widens). */
export function withPreVote(peer: Peer): { call(method: "Raft.preVote", args: PreVoteArgs): Promise<PreVoteReply | null> } {
  return peer as unknown as { call(method: "Raft.preVote", args: PreVoteArgs): Promise<PreVoteReply | null> };
}

/** Lab 2's client end to a peer, seen as one that also carries leadership transfer's RPCs (5B). */
export function withTransfer(peer: Peer): {
  call(method: "Raft.timeoutNow", args: TimeoutNowArgs): Promise<TimeoutNowReply | null>;
  call(method: "Raft.forwardTransfer", args: ForwardTransferArgs): Promise<ForwardTransferReply | null>;
} {
  return peer as unknown as ReturnType<typeof withTransfer>;
}

/** Lab 2's client end to a peer, seen as one that also carries ReadIndex's RPCs (5C). */
export function withReadIndex(peer: Peer): {
  call(method: "Raft.confirmLeadership", args: ConfirmLeadershipArgs): Promise<ConfirmLeadershipReply | null>;
  call(method: "Raft.leaderReadIndex", args: LeaderReadIndexArgs): Promise<ReadIndexResult | null>;
} {
  return peer as unknown as ReturnType<typeof withReadIndex>;
}
