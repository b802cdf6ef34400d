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
import { Channel, Cond, type Persister, go, log, now, randomInt, sleep } from "../sim/index.ts";
import { RaftLog } from "./log.ts";
import { decodeState, encodeState } from "./persist.ts";
import type {
  AppendEntriesArgs,
  AppendEntriesReply,
  ApplyMsg,
  InstallSnapshotArgs,
  InstallSnapshotReply,
  Peer,
  RequestVoteArgs,
  RequestVoteReply,
} from "./types.ts";

// SOLUTION BEGIN
// TODO(2A): choose timings. The tester allows at most 10 heartbeats per second and expects a new
//   leader within 5 s of a failure, so the paper's 150–300 ms election timeout is too short.
/** How often a leader sends AppendEntries when it has nothing new (≤ 10/s, the tester's limit). */
const HEARTBEAT_MS = 100;
/** Election timeouts are drawn from [min, max): randomized so that split votes are rare (§5.2). */
const ELECTION_TIMEOUT_MIN_MS = 400;
const ELECTION_TIMEOUT_MAX_MS = 800;
/** How long an unanswered request to a peer holds back the next one. */
const IN_FLIGHT_LIMIT_MS = 200;
/** How long after a peer's last acknowledgement a gap in its log is blamed on reordering (2D). */
const REORDERING_GRACE_MS = 50;

type Role = "follower" | "candidate" | "leader";
// SOLUTION END

/** Creates a Raft peer. It must return quickly: start long-running work with go(). */
export function make(peers: Peer[], me: number, persister: Persister, applyCh: Channel<ApplyMsg>): Raft {
  return new Raft(peers, me, persister, applyCh);
}

export class Raft {
  // SOLUTION BEGIN
  // TODO(2A, 2B, 2C, 2D): the state of Figure 2, and whatever else your implementation needs.
  // Persistent state on all servers (saved before answering any RPC).
  private currentTerm = 0;
  private votedFor: number | null = null;
  private log = new RaftLog();

  // Volatile state on all servers.
  private commitIndex = 0;
  private lastApplied = 0;

  // Volatile state on leaders, reinitialized after election.
  private nextIndex: number[] = [];
  private matchIndex: number[] = [];

  private role: Role = "follower";
  /** When a follower or candidate starts the next election, in virtual ms. */
  private electionDeadline = 0;
  /** The latest snapshot's bytes (2D), sent to followers that fell behind it. */
  private snapshotData: Uint8Array;
  /** A snapshot from the leader that the applier has yet to hand to the service (2D). */
  private pendingSnapshot: { data: Uint8Array; index: number; term: number } | undefined;
  /** Wakes the applier when commitIndex moves or a snapshot arrives. */
  private readonly applyCond = new Cond();
  /** Leaders: when each peer last acknowledged an AppendEntries (virtual ms). */
  private lastAckAt: number[] = [];
  /** Leaders: the request on its way to each peer, if any, and when it was sent. */
  private inFlight: ({ since: number } | undefined)[] = [];
  /** A broadcast is already scheduled for this instant (Start()s in a burst share one). */
  private broadcastScheduled = false;
  private dead = false;
  /** Reused by persist() for the bytes it hands the persister (which copies them). */
  private readonly persistScratch = { bytes: new Uint8Array(0) };
  // SOLUTION END

  constructor(
    private readonly peers: Peer[],
    private readonly me: number,
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
    this.matchIndex[this.me] = index;
    log("propose", `leader appends index ${index} in term ${this.currentTerm}`);
    this.scheduleBroadcast();
    return { index, term: this.currentTerm, isLeader: true };
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

  private killed(): boolean {
    return this.dead;
  }

  // SOLUTION BEGIN
  // TODO(2A–2D): everything below is yours to write: roles, elections, replication, commit, apply,
  //   persistence and snapshots. The RPC handlers' names and argument types are fixed (types.ts).

  // --- roles ---------------------------------------------------------------------------------

  /** Rules for all servers: if an RPC carries a higher term, adopt it and become follower (§5.1). */
  private becomeFollower(term: number): void {
    if (term > this.currentTerm) {
      this.currentTerm = term;
      this.votedFor = null;
      this.persist();
    }
    if (this.role !== "follower") log("role", `becomes follower in term ${term}`);
    this.role = "follower";
  }

  /** Candidates (§5.2): increment currentTerm, vote for self, reset the election timer. */
  private becomeCandidate(): void {
    this.role = "candidate";
    this.currentTerm++;
    this.votedFor = this.me;
    this.persist();
    this.resetElectionTimer();
    log("role", `becomes candidate in term ${this.currentTerm}`);
  }

  /** Leaders: initialize nextIndex and matchIndex, then assert leadership with heartbeats. */
  private becomeLeader(): void {
    this.role = "leader";
    this.nextIndex = this.peers.map(() => this.log.lastIndex() + 1);
    this.matchIndex = this.peers.map(() => 0);
    this.matchIndex[this.me] = this.log.lastIndex();
    this.lastAckAt = this.peers.map(() => -Infinity);
    this.inFlight = this.peers.map(() => undefined);
    log("role", `becomes leader in term ${this.currentTerm}`);
    const term = this.currentTerm;
    go(() => this.heartbeats(term));
  }

  private resetElectionTimer(): void {
    this.electionDeadline = now() + ELECTION_TIMEOUT_MIN_MS + randomInt(ELECTION_TIMEOUT_MAX_MS - ELECTION_TIMEOUT_MIN_MS);
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

  private startElection(): void {
    this.becomeCandidate();
    const args: RequestVoteArgs = {
      term: this.currentTerm,
      candidateId: this.me,
      lastLogIndex: this.log.lastIndex(),
      lastLogTerm: this.log.lastTerm(),
    };
    let votes = 1;
    if (votes > this.peers.length / 2) this.becomeLeader();
    for (let peer = 0; peer < this.peers.length; peer++) {
      if (peer === this.me) continue;
      go(async () => {
        const reply = await this.peers[peer]!.call("Raft.requestVote", args);
        if (reply === null || this.killed()) return;
        if (reply.term > this.currentTerm) return this.becomeFollower(reply.term);
        // Count only votes for this election, while it is still going on.
        if (this.role !== "candidate" || this.currentTerm !== args.term || !reply.voteGranted) return;
        if (++votes > this.peers.length / 2) this.becomeLeader();
      });
    }
  }

  /** RequestVote RPC handler (Figure 2). */
  requestVote(args: RequestVoteArgs): RequestVoteReply {
    if (args.term > this.currentTerm) this.becomeFollower(args.term);
    // §5.4.1: vote only for a candidate whose log is at least as up-to-date as ours.
    const upToDate =
      args.lastLogTerm > this.log.lastTerm() ||
      (args.lastLogTerm === this.log.lastTerm() && args.lastLogIndex >= this.log.lastIndex());
    const voteGranted =
      args.term === this.currentTerm && (this.votedFor === null || this.votedFor === args.candidateId) && upToDate;
    if (voteGranted) {
      this.votedFor = args.candidateId;
      this.persist();
      this.resetElectionTimer(); // granting a vote counts as hearing from a would-be leader
      log("vote", `votes for ${args.candidateId} in term ${args.term}`);
    }
    return { term: this.currentTerm, voteGranted };
  }

  // --- log replication (§5.3) ----------------------------------------------------------------

  /** Leaders: send AppendEntries to every peer each heartbeat interval, while leader of `term`. */
  private async heartbeats(term: number): Promise<void> {
    while (!this.killed() && this.role === "leader" && this.currentTerm === term) {
      this.broadcastAppendEntries();
      await sleep(HEARTBEAT_MS);
    }
  }

  /** Replicate new entries now rather than at the next heartbeat (ops should not wait 100 ms). */
  private scheduleBroadcast(): void {
    if (this.broadcastScheduled) return;
    this.broadcastScheduled = true;
    go(() => {
      this.broadcastScheduled = false;
      if (this.role === "leader" && !this.killed()) this.broadcastAppendEntries();
    });
  }

  private broadcastAppendEntries(): void {
    for (let peer = 0; peer < this.peers.length; peer++) {
      if (peer !== this.me) go(() => this.replicateTo(peer));
    }
  }

  /**
   * Sends the peer what it lacks, one request at a time: entries that Start() adds while a request
   * is on its way go together in the next one, sent as soon as the peer answers. (A request left
   * unanswered for IN_FLIGHT_LIMIT_MS — lost, or stuck on a dead link — no longer holds others back.)
   */
  private async replicateTo(peer: number): Promise<void> {
    if (this.role !== "leader" || this.killed()) return;
    const inFlight = this.inFlight[peer];
    if (inFlight !== undefined && now() - inFlight.since < IN_FLIGHT_LIMIT_MS) return;
    const mine = { since: now() };
    this.inFlight[peer] = mine;
    const sendAgain = await this.sendTo(peer);
    if (this.inFlight[peer] === mine) this.inFlight[peer] = undefined;
    if (sendAgain) await this.replicateTo(peer);
  }

  /**
   * One AppendEntries (or InstallSnapshot) to the peer, and what its reply teaches us.
   * Returns true if there is more to send right away.
   */
  private async sendTo(peer: number): Promise<boolean> {
    const prevLogIndex = this.nextIndex[peer]! - 1;
    if (prevLogIndex < this.log.snapshotIndex) {
      // A peer that acknowledged moments ago is most likely just receiving requests out of order
      // (the network reorders them); the entries already on their way will catch it up. Only a
      // peer that has gone quiet gets the whole snapshot.
      if (now() - this.lastAckAt[peer]! < REORDERING_GRACE_MS) return false;
      return this.sendSnapshotTo(peer);
    }
    const args: AppendEntriesArgs = {
      term: this.currentTerm,
      leaderId: this.me,
      prevLogIndex,
      prevLogTerm: this.log.term(prevLogIndex),
      entries: this.log.entriesAfter(prevLogIndex),
      leaderCommit: this.commitIndex,
    };
    // Assume these entries arrive, so that a request sent before this one is answered carries
    // only newer ones. If they do not, the follower's refusal moves nextIndex back (below).
    this.nextIndex[peer] = prevLogIndex + args.entries.length + 1;
    const reply = await this.peers[peer]!.call("Raft.appendEntries", args);
    if (reply === null || this.killed()) return false;
    if (reply.term > this.currentTerm) {
      this.becomeFollower(reply.term);
      return false;
    }
    if (this.role !== "leader" || this.currentTerm !== args.term) return false; // a stale reply
    if (reply.success) {
      this.lastAckAt[peer] = now();
      const match = args.prevLogIndex + args.entries.length;
      this.matchIndex[peer] = Math.max(this.matchIndex[peer]!, match);
      this.nextIndex[peer] = Math.max(this.nextIndex[peer]!, match + 1);
      this.advanceCommitIndex();
      return this.nextIndex[peer]! <= this.log.lastIndex();
    }
    // Fast backup: skip the follower's whole conflicting term at once, not one entry per RPC.
    let next = reply.conflictIndex;
    if (reply.conflictTerm !== -1) {
      const last = this.log.lastIndexOfTerm(reply.conflictTerm);
      if (last !== -1) next = last + 1;
    }
    this.nextIndex[peer] = Math.max(this.matchIndex[peer]! + 1, Math.min(next, this.log.lastIndex() + 1));
    return true;
  }

  /** AppendEntries RPC handler (Figure 2), with the conflict hints for fast backup. */
  appendEntries(args: AppendEntriesArgs): AppendEntriesReply {
    const reply: AppendEntriesReply = { term: this.currentTerm, success: false, conflictTerm: -1, conflictIndex: 0 };
    if (args.term < this.currentTerm) return reply; // 1. reply false if term < currentTerm
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
    // 2. reply false if the log has no entry at prevLogIndex whose term matches prevLogTerm.
    if (prevLogIndex > this.log.lastIndex()) {
      reply.conflictIndex = this.log.lastIndex() + 1;
      return reply;
    }
    if (this.log.term(prevLogIndex) !== prevLogTerm) {
      reply.conflictTerm = this.log.term(prevLogIndex);
      reply.conflictIndex = this.log.firstIndexOfTerm(reply.conflictTerm, prevLogIndex);
      return reply;
    }
    // 3. if an existing entry conflicts with a new one, delete it and all that follow it;
    // 4. append any new entries not already in the log. (A stale, shorter request truncates
    //    nothing: entries that match stay.)
    let changed = false;
    for (let k = 0; k < entries.length; k++) {
      const index = prevLogIndex + 1 + k;
      if (index <= this.log.lastIndex() && this.log.term(index) === entries[k]!.term) continue;
      if (index <= this.log.lastIndex()) {
        if (index <= this.commitIndex) {
          throw new Error(`safety: leader ${args.leaderId} would overwrite committed entry ${index} on ${this.me}`);
        }
        this.log.truncateAfter(index - 1);
      }
      this.log.append(...entries.slice(k));
      changed = true;
      break;
    }
    if (changed) this.persist();
    // 5. if leaderCommit > commitIndex, set commitIndex = min(leaderCommit, index of last new entry).
    const lastNew = prevLogIndex + entries.length;
    if (args.leaderCommit > this.commitIndex) this.setCommitIndex(Math.min(args.leaderCommit, lastNew));
    reply.success = true;
    return reply;
  }

  /**
   * Leaders: if there is an N > commitIndex that a majority has (matchIndex[i] ≥ N) and
   * log[N].term == currentTerm, set commitIndex = N. Only entries of the current term are committed
   * by counting replicas; earlier ones commit with them (§5.4.2, Figure 8).
   */
  private advanceCommitIndex(): void {
    for (let n = this.log.lastIndex(); n > this.commitIndex; n--) {
      if (this.log.term(n) !== this.currentTerm) break;
      const replicas = this.matchIndex.filter((m) => m >= n).length;
      if (replicas > this.peers.length / 2) {
        this.setCommitIndex(n);
        // Followers learn the new commitIndex with the next AppendEntries (at the latest, the next
        // heartbeat): a broadcast just for that would double the messages under load.
        return;
      }
    }
  }

  private setCommitIndex(index: number): void {
    if (index <= this.commitIndex) return;
    this.commitIndex = index;
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
        await this.applyCh.send({
          commandValid: true,
          command: entry.command,
          commandIndex: index,
          commandTerm: entry.term,
        });
        continue;
      }
      await this.applyCond.wait();
    }
  }

  // --- snapshots (§7) ------------------------------------------------------------------------

  /** InstallSnapshot to a peer that needs entries we have discarded. True if there is more to send. */
  private async sendSnapshotTo(peer: number): Promise<boolean> {
    const args: InstallSnapshotArgs = {
      term: this.currentTerm,
      leaderId: this.me,
      lastIncludedIndex: this.log.snapshotIndex,
      lastIncludedTerm: this.log.snapshotTerm,
      data: this.snapshotData,
    };
    this.nextIndex[peer] = args.lastIncludedIndex + 1; // as for entries: assume it arrives
    const reply = await this.peers[peer]!.call("Raft.installSnapshot", args);
    if (reply === null || this.killed()) return false;
    if (reply.term > this.currentTerm) {
      this.becomeFollower(reply.term);
      return false;
    }
    if (this.role !== "leader" || this.currentTerm !== args.term) return false;
    this.matchIndex[peer] = Math.max(this.matchIndex[peer]!, args.lastIncludedIndex);
    this.nextIndex[peer] = Math.max(this.nextIndex[peer]!, args.lastIncludedIndex + 1);
    return this.nextIndex[peer]! <= this.log.lastIndex();
  }

  /** InstallSnapshot RPC handler (Figure 13). */
  installSnapshot(args: InstallSnapshotArgs): InstallSnapshotReply {
    if (args.term < this.currentTerm) return { term: this.currentTerm };
    this.becomeFollower(args.term);
    this.resetElectionTimer();
    // Nothing to do if we already have everything the snapshot covers.
    if (args.lastIncludedIndex <= this.commitIndex) return { term: this.currentTerm };
    // Keep the entries after the snapshot if our log agrees at its last index; else discard all.
    const agrees =
      args.lastIncludedIndex <= this.log.lastIndex() && this.log.term(args.lastIncludedIndex) === args.lastIncludedTerm;
    if (!agrees) this.log.truncateAfter(this.log.snapshotIndex);
    this.log.compactThrough(args.lastIncludedIndex, args.lastIncludedTerm);
    this.snapshotData = args.data;
    this.persist(args.data);
    this.commitIndex = args.lastIncludedIndex;
    this.pendingSnapshot = { data: args.data, index: args.lastIncludedIndex, term: args.lastIncludedTerm };
    this.applyCond.signal();
    log("snapshot", `installs the leader's snapshot through ${args.lastIncludedIndex}`);
    return { term: this.currentTerm };
  }

  // --- persistence (§5, Figure 2) ------------------------------------------------------------

  /** Saves currentTerm, votedFor and the log (and, when given, a new snapshot). */
  private persist(snapshot?: Uint8Array): void {
    const state = encodeState(
      {
        currentTerm: this.currentTerm,
        votedFor: this.votedFor,
        snapshotIndex: this.log.snapshotIndex,
        snapshotTerm: this.log.snapshotTerm,
      },
      this.log.encoded.jsonArrayBody(),
      this.persistScratch,
    );
    this.persister.save(state, snapshot);
  }

  private readPersist(): void {
    const saved = decodeState(this.persister.readRaftState());
    if (saved === undefined) return;
    this.currentTerm = saved.currentTerm;
    this.votedFor = saved.votedFor;
    this.log = new RaftLog(saved.snapshotIndex, saved.snapshotTerm, saved.entries);
  }
  // SOLUTION END
}
