// Raft, as in Figure 2 of "In Search of an Understandable Consensus Algorithm (Extended Version)"
// by Ongaro and Ousterhout. Section numbers (§5.2 …) refer to that paper.
//
// The service (the tester, later the KV server) uses this API:
//   const rf = make(peers, me, persister, applyCh)   start a peer
//   rf.getState()        → { term, isLeader }
//   rf.start(command)    → { index, term, isLeader }: begin agreement on a new log entry; returns
//                          at once, and the command arrives on applyCh when it commits
//   rf.snapshot(i, data) the service has saved everything up to index i in `data` (2D)
//   rf.kill()            the tester is done with this peer
// Committed commands (and snapshots, 2D) go to applyCh in log order, as ApplyMsg values.
//
// Peers talk through `peers[i].call("Raft.requestVote", args)` (and appendEntries,
// installSnapshot), which resolves to the reply, or to null if the RPC failed. Everything runs in
// virtual time: use sleep(), now(), go() and randomInt() from simlab, never real timers.
//
// How this file reads: every RPC request and reply first goes through step(), which applies the
// rule about terms once for all (§5.1). Roles change only in becomeFollower, becomeCandidate and
// becomeLeader. The leader keeps one Progress per peer (progress.ts): nextIndex, matchIndex, and
// whether a request to it awaits its reply. The log's index arithmetic lives in log.ts, what is
// saved in persist.ts. invariant() states what must hold where it must hold.
// (Lab 5's extensions, raft-extensions/, subclass this Raft: what they build on is protected.)
import { Channel, Cond, type Persister, go, invariant, log, now, randomInt, sleep } from "../sim/index.ts";
import { RaftLog } from "./log.ts";
import { decodeState, encodeState } from "./persist.ts";
import { Progress } from "./progress.ts";
import type {
  AppendEntriesArgs,
  AppendEntriesReply,
  ApplyMsg,
  InstallSnapshotArgs,
  InstallSnapshotReply,
  Peer,
  RaftRpcHandlers,
  RequestVoteArgs,
  RequestVoteReply,
} from "./types.ts";
// SOLUTION BEGIN
// TODO(2A–2D): each stub below throws notImplemented() until you replace it with your code.
// SOLUTION ELSE
// import { notImplemented } from "../sim/index.ts";
// SOLUTION END

// SOLUTION BEGIN
// TODO(2A): choose timings. The tester allows at most 10 heartbeats per second and expects a new
//   leader within 5 s of a failure, so the paper's 150–300 ms election timeout is too short.
/** How often a leader sends AppendEntries to every peer, whatever else is on its way (≤ 10/s). */
const HEARTBEAT_MS = 100;
/** Election timeouts are drawn from [min, max): randomized so that split votes are rare (§5.2). */
export const ELECTION_TIMEOUT_MIN_MS = 400;
const ELECTION_TIMEOUT_MAX_MS = 800;

export type Role = "follower" | "candidate" | "leader";
// SOLUTION END

/** Creates a Raft peer. It must return quickly: start long-running work with go(). */
export function make(peers: Peer[], me: number, persister: Persister, applyCh: Channel<ApplyMsg>): Raft {
  return new Raft(peers, me, persister, applyCh);
}

export class Raft implements RaftRpcHandlers {
  private dead = false;
  // SOLUTION BEGIN
  // TODO(2A, 2B, 2C, 2D): the state of Figure 2, and whatever else your implementation needs.
  // Persistent state on all servers (saved before answering any RPC).
  protected currentTerm = 0;
  private votedFor: number | null = null;
  protected log = new RaftLog();

  // Volatile state on all servers.
  protected commitIndex = 0;
  private lastApplied = 0;

  // Volatile state on leaders, reinitialized after election: nextIndex and matchIndex per peer.
  protected progress: Progress[] = [];

  protected role: Role = "follower";
  /** When a follower or candidate starts the next election, in virtual ms. */
  private electionDeadline = 0;
  /** The latest snapshot's bytes (2D), sent to followers that fell behind it. */
  private snapshotData: Uint8Array;
  /** A snapshot from the leader that the applier has yet to hand to the service (2D). */
  private pendingSnapshot: { data: Uint8Array; index: number; term: number } | undefined;
  /** Wakes the applier when commitIndex moves or a snapshot arrives. */
  private readonly applyCond = new Cond();
  // SOLUTION END

  constructor(
    protected readonly peers: Peer[],
    protected readonly me: number,
    private readonly persister: Persister,
    private readonly applyCh: Channel<ApplyMsg>,
  ) {
    // SOLUTION BEGIN
    // TODO(2A): initialize, start the election ticker. TODO(2B): start the applier.
    // TODO(2C): restore the persisted state. TODO(2D): and the snapshot.
    this.readPersist();
    this.snapshotData = persister.readSnapshot();
    // The service restores the snapshot itself on restart; apply only what comes after it.
    this.commitIndex = this.log.snapshotIndex;
    this.lastApplied = this.log.snapshotIndex;
    this.resetElectionTimer();
    go(() => this.ticker());
    go(() => this.applier());
    // SOLUTION END
  }

  /** The current term, and whether this peer believes it is the leader. */
  getState(): { term: number; isLeader: boolean } {
    // SOLUTION BEGIN
    // TODO(2A)
    return { term: this.currentTerm, isLeader: this.role === "leader" };
    // SOLUTION ELSE
    // throw notImplemented("Raft.getState (2A)");
    // SOLUTION END
  }

  /**
   * Starts agreement on `command`. If this peer is not the leader, returns isLeader false.
   * Otherwise appends the command to the log and returns at once, without waiting for it to
   * commit: there is no guarantee it ever will (the leader may fail or lose an election).
   */
  start(command: unknown): { index: number; term: number; isLeader: boolean } {
    // SOLUTION BEGIN
    // TODO(2B)
    if (this.dead || this.role !== "leader") return { index: -1, term: this.currentTerm, isLeader: false };
    this.log.append({ term: this.currentTerm, command });
    this.persist();
    const index = this.log.lastIndex();
    log("propose", `leader appends index ${index} in term ${this.currentTerm}`);
    this.progress[this.me]!.succeeded(index); // the leader's own log counts towards a majority
    this.advanceCommitIndex(); // a one-server cluster commits here
    this.replicateNewEntries();
    return { index, term: this.currentTerm, isLeader: true };
    // SOLUTION ELSE
    // throw notImplemented("Raft.start (2B)");
    // SOLUTION END
  }

  /**
   * The service has saved, in `snapshot`, the state produced by every command up to and including
   * `index`. Raft can now discard those log entries (§7).
   */
  snapshot(index: number, snapshot: Uint8Array): void {
    // SOLUTION BEGIN
    // TODO(2D)
    if (index <= this.log.snapshotIndex || index > this.lastApplied) return; // stale or not applied yet
    this.log.compactThrough(index, this.log.term(index));
    this.snapshotData = snapshot;
    this.persist(snapshot);
    log("snapshot", `compacted the log through ${index}`);
    // SOLUTION ELSE
    // throw notImplemented("Raft.snapshot (2D)");
    // SOLUTION END
  }

  /** The tester is done with this peer. Its long-running tasks should stop. */
  kill(): void {
    this.dead = true;
    // SOLUTION BEGIN
    // TODO(2A): wake or stop anything that would otherwise keep running.
    this.applyCond.broadcast();
    // SOLUTION END
  }

  protected killed(): boolean {
    return this.dead;
  }

  // SOLUTION BEGIN
  // TODO(2A–2D): everything below is yours to write: roles, elections, replication, commit, apply,
  //   persistence and snapshots. The RPC handlers' names and argument types are fixed (types.ts).

  // --- every message first: terms (§5.1) -----------------------------------------------------

  /**
   * Rules for all servers (Figure 2): if an RPC request or response contains term T > currentTerm,
   * set currentTerm = T and convert to follower. Every handler and every reply path calls this
   * first. Returns false for a message from an older term, which no other rule may act on.
   */
  protected step(term: number): boolean {
    if (term > this.currentTerm) this.becomeFollower(term);
    return term === this.currentTerm;
  }

  /** Whether this peer still leads `term` (a reply to a request sent in an older term is stale). */
  protected isLeaderOf(term: number): boolean {
    return this.role === "leader" && this.currentTerm === term;
  }

  // --- roles ---------------------------------------------------------------------------------

  /** Adopts `term` (≥ ours) and becomes a follower in it. */
  protected becomeFollower(term: number): void {
    invariant(term >= this.currentTerm, "a term never decreases", () => `${this.currentTerm} → ${term}`);
    if (term > this.currentTerm) {
      this.currentTerm = term;
      this.votedFor = null;
      this.persist();
    }
    if (this.role !== "follower") log("role", `becomes follower in term ${term}`);
    this.role = "follower";
  }

  /** Candidates (§5.2): increment currentTerm, vote for self, reset the election timer. */
  protected becomeCandidate(): void {
    this.role = "candidate";
    this.currentTerm++;
    this.votedFor = this.me;
    this.persist();
    this.resetElectionTimer();
    log("role", `becomes candidate in term ${this.currentTerm}`);
  }

  /** Leaders: a fresh Progress per peer, then heartbeats to assert leadership. */
  protected becomeLeader(): void {
    this.role = "leader";
    this.progress = this.peers.map(() => new Progress(this.log.lastIndex()));
    this.progress[this.me]!.succeeded(this.log.lastIndex());
    log("role", `becomes leader in term ${this.currentTerm}`);
    const term = this.currentTerm;
    go(() => this.heartbeats(term));
  }

  protected resetElectionTimer(): void {
    this.electionDeadline = now() + ELECTION_TIMEOUT_MIN_MS + randomInt(ELECTION_TIMEOUT_MAX_MS - ELECTION_TIMEOUT_MIN_MS);
  }

  protected isMajority(count: number): boolean {
    return count > this.peers.length / 2;
  }

  // --- elections (§5.2) ----------------------------------------------------------------------

  /** Followers and candidates: start an election when the timeout passes without a leader. */
  private async ticker(): Promise<void> {
    while (!this.killed()) {
      if (this.role === "leader") {
        await sleep(HEARTBEAT_MS);
        this.resetElectionTimer();
        continue;
      }
      const wait = this.electionDeadline - now();
      if (wait > 0) {
        await sleep(wait);
        continue;
      }
      this.startElection();
    }
  }

  /** Candidates: become one, ask every peer for its vote, and lead once a majority grants it. */
  protected startElection(): void {
    this.becomeCandidate();
    const args: RequestVoteArgs = {
      term: this.currentTerm,
      candidateId: this.me,
      lastLogIndex: this.log.lastIndex(),
      lastLogTerm: this.log.lastTerm(),
    };
    let votes = 1; // our own
    if (this.isMajority(votes)) return this.becomeLeader(); // a one-server cluster
    for (let peer = 0; peer < this.peers.length; peer++) {
      if (peer === this.me) continue;
      go(async () => {
        const reply = await this.peers[peer]!.call("Raft.requestVote", args);
        if (reply === null || this.killed()) return;
        if (!this.step(reply.term)) return;
        // Count only votes for this election, while it is still going on.
        if (this.role !== "candidate" || this.currentTerm !== args.term || !reply.voteGranted) return;
        if (this.isMajority(++votes)) this.becomeLeader();
      });
    }
  }

  /** RequestVote RPC handler (Figure 2). */
  requestVote(args: RequestVoteArgs): RequestVoteReply {
    // 1. Reply false if term < currentTerm.
    if (!this.step(args.term)) return { term: this.currentTerm, voteGranted: false };
    // 2. If votedFor is null or candidateId, and the candidate's log is at least as up-to-date as
    //    ours (§5.4.1: a later last term, or the same last term and at least as long), grant.
    const mayVote = this.votedFor === null || this.votedFor === args.candidateId;
    const upToDate =
      args.lastLogTerm > this.log.lastTerm() ||
      (args.lastLogTerm === this.log.lastTerm() && args.lastLogIndex >= this.log.lastIndex());
    const voteGranted = mayVote && upToDate;
    if (voteGranted) {
      this.votedFor = args.candidateId;
      this.persist();
      this.resetElectionTimer(); // granting a vote counts as hearing from a would-be leader
      log("vote", `votes for ${args.candidateId} in term ${args.term}`);
    }
    return { term: this.currentTerm, voteGranted };
  }

  // --- log replication (§5.3) ----------------------------------------------------------------

  /**
   * Leaders: an AppendEntries to every peer each heartbeat interval while leader of `term`,
   * whatever is already on its way to it, so that no follower's election timer runs out because
   * a request or its reply was lost. To a peer that awaits a reply the heartbeat carries no
   * entries (they are on their way already); if that request was lost, the heartbeat's reply
   * brings them on.
   */
  private async heartbeats(term: number): Promise<void> {
    while (!this.killed() && this.isLeaderOf(term)) {
      for (let peer = 0; peer < this.peers.length; peer++) {
        if (peer !== this.me) this.sendTo(peer, this.progress[peer]!.awaitingReply ? "heartbeat" : "everything");
      }
      await sleep(HEARTBEAT_MS);
    }
  }

  /**
   * Leaders: new entries go out at once to every peer that awaits no reply. A peer that does gets
   * them when that reply comes (or with the next heartbeat), together with whatever else was
   * appended meanwhile.
   */
  private replicateNewEntries(): void {
    for (let peer = 0; peer < this.peers.length; peer++) {
      if (peer !== this.me && !this.progress[peer]!.awaitingReply) this.sendTo(peer, "everything");
    }
  }

  /**
   * Leaders: sends the peer everything from its nextIndex on — log entries, or the snapshot if the
   * log no longer has them (§7) — or, as a heartbeat, an AppendEntries without entries. The
   * request is built when its task runs, so Start()s of the same instant go in one request.
   */
  private sendTo(peer: number, what: "everything" | "heartbeat"): void {
    const progress = this.progress[peer]!;
    const request = progress.sent();
    const term = this.currentTerm;
    go(() => {
      if (!this.isLeaderOf(term) || this.killed()) return;
      if (what === "everything" && progress.nextIndex <= this.log.snapshotIndex) {
        return this.sendInstallSnapshot(peer, progress, request);
      }
      return this.sendAppendEntries(peer, progress, request, what === "everything");
    });
  }

  /**
   * One AppendEntries (Figure 2), and what its reply teaches about the peer's log. It carries the
   * entries from the peer's nextIndex on, or, as a heartbeat, none (and then starts at the snapshot
   * if nextIndex lies inside it).
   */
  private async sendAppendEntries(peer: number, progress: Progress, request: number, withEntries: boolean): Promise<void> {
    const prevLogIndex = Math.max(progress.nextIndex - 1, this.log.snapshotIndex);
    const args: AppendEntriesArgs = {
      term: this.currentTerm,
      leaderId: this.me,
      prevLogIndex,
      prevLogTerm: this.log.term(prevLogIndex),
      entries: withEntries ? this.log.entriesAfter(prevLogIndex) : [],
      leaderCommit: this.commitIndex,
    };
    const reply = await this.peers[peer]!.call("Raft.appendEntries", args);
    const latest = progress.answered(request);
    if (reply === null || this.killed()) return; // lost: the next heartbeat retries
    if (!this.step(reply.term) || !this.isLeaderOf(args.term)) return;
    if (reply.success) {
      progress.succeeded(args.prevLogIndex + args.entries.length);
      this.advanceCommitIndex();
    } else {
      progress.rejected(this.nextIndexAfterConflict(reply));
    }
    progress.checkAgainst(this.log.lastIndex());
    // If last log index ≥ nextIndex, send what is left (after a rejection: retry further back).
    // Only the reply to the latest request does: an earlier one's would duplicate it.
    if (latest && progress.nextIndex <= this.log.lastIndex()) this.sendTo(peer, "everything");
  }

  /**
   * Fast backup (§5.3, "optimization"): skip the follower's whole conflicting term at once rather
   * than one entry per RPC. If we have entries of that term, resume after our last one; otherwise
   * at the first index of the term in the follower's log (or just past its end).
   */
  private nextIndexAfterConflict(reply: AppendEntriesReply): number {
    let next = reply.conflictIndex;
    if (reply.conflictTerm !== -1) {
      const last = this.log.lastIndexOfTerm(reply.conflictTerm);
      if (last !== -1) next = last + 1;
    }
    return Math.min(next, this.log.lastIndex() + 1);
  }

  /** AppendEntries RPC handler (Figure 2), with the conflict hints for fast backup. */
  appendEntries(args: AppendEntriesArgs): AppendEntriesReply {
    const reply: AppendEntriesReply = { term: this.currentTerm, success: false, conflictTerm: -1, conflictIndex: 0 };
    // 1. Reply false if term < currentTerm.
    if (!this.step(args.term)) return reply;
    invariant(this.role !== "leader", "at most one leader per term (Election Safety, §5.2)", () => `${args.leaderId} and ${this.me} both lead term ${args.term}`);
    this.becomeFollower(args.term); // a candidate that hears from the new leader steps down
    reply.term = this.currentTerm;
    this.resetElectionTimer();

    let { prevLogIndex, prevLogTerm, entries } = args;
    if (prevLogIndex < this.log.snapshotIndex) {
      // Our snapshot already covers the start of this request: skip what it covers.
      const covered = this.log.snapshotIndex - prevLogIndex;
      if (covered > entries.length) {
        reply.success = true; // everything sent is already in our snapshot
        reply.conflictIndex = this.log.snapshotIndex + 1;
        return reply;
      }
      entries = entries.slice(covered);
      prevLogIndex = this.log.snapshotIndex;
      prevLogTerm = this.log.snapshotTerm;
    }
    // 2. Reply false if the log has no entry at prevLogIndex whose term matches prevLogTerm.
    if (prevLogIndex > this.log.lastIndex()) {
      reply.conflictIndex = this.log.lastIndex() + 1;
      return reply;
    }
    if (this.log.term(prevLogIndex) !== prevLogTerm) {
      reply.conflictTerm = this.log.term(prevLogIndex);
      reply.conflictIndex = this.log.firstIndexOfTerm(reply.conflictTerm, prevLogIndex);
      return reply;
    }
    // 3. If an existing entry conflicts with a new one (same index, different term), delete it and
    //    all that follow it. 4. Append any new entries not already in the log. A stale, shorter
    //    request truncates nothing: entries that match stay.
    for (let k = 0; k < entries.length; k++) {
      const index = prevLogIndex + 1 + k;
      if (index <= this.log.lastIndex() && this.log.term(index) === entries[k]!.term) continue;
      if (index <= this.log.lastIndex()) this.deleteEntriesFrom(index);
      this.log.append(...entries.slice(k));
      this.persist();
      break;
    }
    // 5. If leaderCommit > commitIndex, set commitIndex = min(leaderCommit, index of last new
    //    entry) — never lower than it is (a stale request's last new entry may be behind it).
    const commit = Math.min(args.leaderCommit, prevLogIndex + entries.length);
    if (commit > this.commitIndex) this.setCommitIndex(commit);
    reply.success = true;
    return reply;
  }

  /** Followers: deletes the entry at `index` and all that follow it, which conflict with the leader's. */
  private deleteEntriesFrom(index: number): void {
    invariant(this.role !== "leader", "a leader never deletes entries from its own log (Leader Append-Only, §5.3)");
    invariant(index > this.commitIndex, "a committed entry is never deleted (§5.4)", () => `entry ${index}, commitIndex ${this.commitIndex}`);
    this.log.truncateAfter(index - 1);
  }

  // --- commitment (§5.3, §5.4.2) -------------------------------------------------------------

  /**
   * Leaders: if there is an N > commitIndex that a majority has (matchIndex[i] ≥ N) and
   * log[N].term == currentTerm, set commitIndex = N. Only entries of the current term are committed
   * by counting replicas; earlier ones commit with them (§5.4.2, Figure 8). Followers learn the new
   * commitIndex with the next AppendEntries.
   */
  protected advanceCommitIndex(): void {
    for (let n = this.log.lastIndex(); n > this.commitIndex && this.log.term(n) === this.currentTerm; n--) {
      let replicas = 0;
      for (const p of this.progress) if (p.matchIndex >= n) replicas++;
      if (this.isMajority(replicas)) {
        this.setCommitIndex(n);
        return;
      }
    }
  }

  protected setCommitIndex(index: number): void {
    invariant(index >= this.commitIndex, "commitIndex never decreases", () => `${this.commitIndex} → ${index}`);
    invariant(index <= this.log.lastIndex(), "commitIndex is at most the last log index", () => `${index} > ${this.log.lastIndex()}`);
    this.commitIndex = index;
    log("commit", `commits through index ${index}`);
    this.applyCond.signal();
  }

  // --- applying committed entries ------------------------------------------------------------

  /**
   * If commitIndex > lastApplied: apply log[lastApplied + 1], in order, one at a time.
   * lastApplied advances before the send: the service may take the message and call snapshot()
   * for that index before this task resumes, and must not find the index "not yet applied".
   */
  private async applier(): Promise<void> {
    while (!this.killed()) {
      const snap = this.pendingSnapshot;
      if (snap !== undefined) {
        this.pendingSnapshot = undefined;
        if (snap.index > this.lastApplied) {
          this.lastApplied = snap.index;
          log("apply", `applies the snapshot through index ${snap.index}`);
          await this.applyCh.send({
            snapshotValid: true,
            snapshot: snap.data,
            snapshotTerm: snap.term,
            snapshotIndex: snap.index,
          });
        }
        continue;
      }
      if (this.lastApplied < this.commitIndex) {
        const index = this.lastApplied + 1;
        const entry = this.log.entry(index);
        this.lastApplied = index;
        log("apply", `applies index ${index}`);
        await this.applyCh.send({
          commandValid: true,
          command: entry.command,
          commandIndex: index,
          commandTerm: entry.term,
        });
        continue;
      }
      invariant(this.lastApplied === this.commitIndex, "lastApplied is at most commitIndex", () => `${this.lastApplied} > ${this.commitIndex}`);
      await this.applyCond.wait();
    }
  }

  // --- snapshots (§7) ------------------------------------------------------------------------

  /** Leaders: one InstallSnapshot (Figure 13) to a peer that needs entries we have discarded. */
  private async sendInstallSnapshot(peer: number, progress: Progress, request: number): Promise<void> {
    const args: InstallSnapshotArgs = {
      term: this.currentTerm,
      leaderId: this.me,
      lastIncludedIndex: this.log.snapshotIndex,
      lastIncludedTerm: this.log.snapshotTerm,
      data: this.snapshotData,
    };
    const reply = await this.peers[peer]!.call("Raft.installSnapshot", args);
    const latest = progress.answered(request);
    if (reply === null || this.killed()) return;
    if (!this.step(reply.term) || !this.isLeaderOf(args.term)) return;
    progress.succeeded(args.lastIncludedIndex);
    progress.checkAgainst(this.log.lastIndex());
    if (latest && progress.nextIndex <= this.log.lastIndex()) this.sendTo(peer, "everything");
  }

  /** InstallSnapshot RPC handler (Figure 13). */
  installSnapshot(args: InstallSnapshotArgs): InstallSnapshotReply {
    // 1. Reply immediately if term < currentTerm.
    if (!this.step(args.term)) return { term: this.currentTerm };
    this.becomeFollower(args.term);
    this.resetElectionTimer();
    // Nothing to do if we already have everything the snapshot covers.
    if (args.lastIncludedIndex <= this.commitIndex) return { term: this.currentTerm };
    // 6. If an existing entry has the same index and term as the snapshot's last included entry,
    //    retain the entries following it; 7. otherwise discard the entire log.
    const agrees =
      args.lastIncludedIndex <= this.log.lastIndex() && this.log.term(args.lastIncludedIndex) === args.lastIncludedTerm;
    this.log.compactThrough(args.lastIncludedIndex, args.lastIncludedTerm);
    if (!agrees) this.log.truncateAfter(this.log.snapshotIndex);
    this.snapshotData = args.data;
    this.persist(args.data);
    // 8. Reset the state machine using the snapshot contents: the applier hands it to the service.
    this.pendingSnapshot = { data: args.data, index: args.lastIncludedIndex, term: args.lastIncludedTerm };
    this.setCommitIndex(args.lastIncludedIndex);
    log("snapshot", `installs the leader's snapshot through ${args.lastIncludedIndex}`);
    return { term: this.currentTerm };
  }

  // --- persistence (§5, Figure 2) ------------------------------------------------------------

  /** Saves currentTerm, votedFor and the log (and, when given, a new snapshot). */
  private persist(snapshot?: Uint8Array): void {
    const state = encodeState({
      currentTerm: this.currentTerm,
      votedFor: this.votedFor,
      snapshotIndex: this.log.snapshotIndex,
      snapshotTerm: this.log.snapshotTerm,
      entries: this.log.entriesSinceSnapshot,
    });
    this.persister.save(state, snapshot);
  }

  private readPersist(): void {
    const saved = decodeState(this.persister.readRaftState());
    if (saved === undefined) return;
    this.currentTerm = saved.currentTerm;
    this.votedFor = saved.votedFor;
    this.log = new RaftLog(saved.snapshotIndex, saved.snapshotTerm, saved.entries);
  }
  // SOLUTION ELSE
  //
  // /** RequestVote RPC handler (Figure 2). */
  // requestVote(args: RequestVoteArgs): RequestVoteReply {
  //   throw notImplemented("Raft.requestVote (2A)");
  // }
  //
  // /** AppendEntries RPC handler (Figure 2). */
  // appendEntries(args: AppendEntriesArgs): AppendEntriesReply {
  //   throw notImplemented("Raft.appendEntries (2A)");
  // }
  //
  // /** InstallSnapshot RPC handler (Figure 13). */
  // installSnapshot(args: InstallSnapshotArgs): InstallSnapshotReply {
  //   throw notImplemented("Raft.installSnapshot (2D)");
  // }
  // SOLUTION END
}
