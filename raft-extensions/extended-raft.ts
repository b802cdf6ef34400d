// Lab 5: lab 2's Raft with PreVote and CheckQuorum (5A; Ongaro's dissertation §9.6 and §6.2),
// each behind an option, off by default, leadership transfer (5B; §3.10) and ReadIndex (5C;
// §6.4), and single-server membership change (5E; §4.1–4.2, membership.ts). The Raft of
// raft/raft.ts is not touched: this class extends it and overrides the few steps the extensions
// change, so each rule below has one home.
//
//   const rf = make(peers, me, persister, applyCh, { preVote: true, checkQuorum: true });
//   rf.status()                → { term, leader, role, leadTransferee }
//   rf.transferLeadership(2)   hand leadership to server 2
//   await rf.readIndex()       → { ok: true, index }: a read once index is applied is linearizable
//   await rf.leaseRead()       → the same, from the leader's lease when it holds (5D)
//   rf.proposeConfChange({ type: "addVoter", id: 3 })  → { ok: true, index, term, voters } (5E)
//
// PreVote. A follower whose election timeout passes does not increment its term at once. It
// becomes a pre-candidate: it forgets its leader, and asks every peer "would you vote for me in
// currentTerm + 1?" (the PreVote RPC). A peer grants iff that term is above its own, the asker's
// log is at least as up to date as its own (§5.4.1), and the vote lease (below) does not bind it.
// Nobody changes its term for a PreVote; a grant echoes the request's term. With grants from a
// majority the pre-candidate starts a real election (lab 2's); a refusal with a higher term makes
// it a follower of that term. So a server cut off from the others keeps its term, and when it
// comes back it does not depose a leader that did nothing wrong.
//
// CheckQuorum and the vote lease. A leader checks every minimum election timeout that a majority
// answered it since the last check (check-quorum.ts), and steps down — in its own term — if not.
// A follower that heard from its leader within the minimum election timeout, and a leader, ignore
// RequestVote and PreVote from other candidates: they neither vote nor adopt the term. The lease
// without CheckQuorum would let a leader that reaches only one "bridge" peer keep it loyal
// forever; CheckQuorum makes such a leader step down and frees the bridge.
//
// A pre-candidate forgets its leader (etcd-io/etcd#8334): otherwise two followers that time out
// together each hold the other off with a lease on a leader that is gone.
//
// Leadership transfer (5B). transferLeadership(target) on the leader stops it accepting commands,
// waits until the target's log matches its own to the last entry (replication brings it there, by
// snapshot if need be), then sends the target TimeoutNow. The target starts an election at once,
// in term + 1, without PreVote, and its RequestVotes say they come from a transfer, so that the
// vote lease lets them through; with the most up-to-date log it wins. If the target has not taken
// over within an election timeout the leader gives up and accepts commands again. A target whose
// latest config entry has committed but is not applied yet ignores TimeoutNow (etcd-io/etcd#12133;
// 5E), and the leader gives up in time. A follower passes the request to its leader; a request
// for itself, for no server, or for the target already under way changes nothing (the repeat
// does not extend the deadline); a request for another target replaces the transfer under way.
//
// ReadIndex (5C). readIndex() on the leader answers a read without writing the log: once an entry
// of its own term has committed (it appends a no-op if need be, for a new leader's commit index
// may lag behind what the old leader committed), it takes its commit index as the read index,
// confirms with a ConfirmLeadership round sent after that moment that a majority still takes it
// for leader, and resolves to the index (read-index.ts batches the reads per round). The service
// then waits until it has applied that index and reads its state. A follower's readIndex() asks
// its leader (LeaderReadIndex), so that it can serve the read itself once it has applied that far.
// A leader that stops leading fails every read it holds; a round without a majority within an
// election timeout fails its reads too. Nothing in ReadIndex guesses from time.
//
// Lease reads (5D; §6.4.1). With the leaseReads option (which needs checkQuorum), leaseRead() on
// the leader answers a read without any message while its lease holds (lease-read.ts): from the
// send time of the newest AppendEntries a majority acknowledged, for the vote lease's length
// shortened for clock drift, on its own clock, read at the moment it answers. The lease is only
// used once an entry of the leader's term has committed, never while a transfer is under way
// (TimeoutNow's election ignores vote leases), and after a transfer that was given up only once an
// entry appended after it has committed (a late TimeoutNow finds the target's log behind). When
// the lease does not hold, leaseRead() is readIndex().
//
// Membership change (5E). The configuration is the latest config entry in the log, used from the
// moment it is appended (membership.ts finds it, and falls back when a truncation removes it).
// Elections, commits, CheckQuorum, ReadIndex rounds and leases count the voters of that
// configuration only, and a server calls only them; a read round in flight is counted again when
// a config entry is appended (a quorum that shrinks may confirm it at once). proposeConfChange()
// on the leader appends one config entry, which changes one voter, and only when (1) the config
// entry before it has committed (one change at a time), (2) no transfer is under way, unless the
// change removes its target, which ends the transfer (§3.10: a target removed aborts it), and (3)
// an entry of the leader's own term has committed — the fix of the
// dissertation's single-server bug: without it, two leaders of different terms can each commit a
// change from the same committed configuration, and their two majorities need not overlap. A
// leader that has not committed in its term yet appends a no-op and answers ErrTermNotCommitted.
// A leader elected with a config entry past its commit index appends a no-op at once: an entry of
// an earlier term commits only under one of the leader's term, and without client load the change
// would wait forever, and every change after it (etcd's raft appends one on every election; lab 2's
// tests count indexes, so only a change in flight earns one here).
// A leader that removes itself goes on leading, without counting itself, until the entry that
// removes it commits; then it steps down, and, being no voter, never campaigns again. Learners
// (5F) are members a leader replicates to and counts for nothing; one never campaigns, not even
// on a TimeoutNow, and is promoted (addVoter) only once it holds everything committed.
//
// Joint consensus (5G; §4.3, joint-consensus.ts). proposeConfChange({ joint: [...] }) appends
// C_old,new, which changes several servers at once; while joint, elections, pre-votes, commits,
// ReadIndex rounds and CheckQuorum need a majority of C_old and one of C_new (Configuration.
// isQuorum; a joint election is campaign(), lab 2's counting both). Once the joint entry commits,
// the leader appends the leave entry, by itself (autoLeave) or on { leaveJoint: true }; a leader
// elected mid-change appends a no-op to get there (with autoLeave or not: 5E's rule above).
// Refused while joint: another joint change and a simple one; refused when not joint: leaving.
import { Channel, Cond, type Persister, TIMEOUT, UsageError, go, log, now, sleep } from "../sim/index.ts";
import { Raft } from "../raft/raft.ts";
import type {
  AppendEntriesArgs,
  AppendEntriesReply,
  ApplyMsg,
  InstallSnapshotArgs,
  InstallSnapshotReply,
  Peer,
  RequestVoteReply,
} from "../raft/types.ts";
import { PeerActivity } from "./check-quorum.ts";
import { LeaderTransfer } from "./leader-transfer.ts";
import { ReadQueue } from "./read-index.ts";
import { ReadLease, leaseDuration } from "./lease-read.ts";
import { Configuration, changedMembers, type ConfChange, type ConfChangeResult } from "./membership.ts";
import type { EnterJoint, LeaveJoint } from "./joint-consensus.ts";
// SOLUTION BEGIN
// TODO(5E, 5G): what configurations in snapshots (5E) and joint consensus (5G) need.
import { enteredJoint, isJointProposal, leftJoint, type JointConfEntry } from "./joint-consensus.ts";
import { ConfigurationStore } from "./config-persistence.ts";
import type { SnapshotBase } from "./membership.ts";
import type { RequestVoteArgs } from "../raft/types.ts";
// SOLUTION END
import {
  withPreVote,
  withReadIndex,
  withTransfer,
  NO_OP,
  type ConfirmLeadershipArgs,
  type ConfirmLeadershipReply,
  type ExtendedRequestVoteArgs,
  type LeaderReadIndexArgs,
  type ReadIndexResult,
  type ForwardTransferArgs,
  type ForwardTransferReply,
  type PreVoteArgs,
  type PreVoteReply,
  type RaftOptions,
  type RaftStatus,
  type TimeoutNowArgs,
  type TimeoutNowReply,
} from "./types.ts";
// SOLUTION BEGIN
// TODO(5A): replace each stub below with your code. The vote lease and the CheckQuorum period are
//   your Raft's minimum election timeout: import it, or name your own.
import { ELECTION_TIMEOUT_MIN_MS } from "../raft/raft.ts";
// SOLUTION ELSE
// import { notImplemented } from "../sim/index.ts";
// SOLUTION END
// SOLUTION BEGIN
// TODO(5B): how long a leader waits for its transfer's target to take over (about an election timeout).
/** A transfer not done within one minimum election timeout is abandoned (etcd: one election timeout). */
const TRANSFER_TIMEOUT_MS = ELECTION_TIMEOUT_MIN_MS;
// SOLUTION END
// SOLUTION BEGIN
// TODO(5G): how long a server that a leave entry unseated waits for a leader before it campaigns.
/** Three maximum election timeouts (the maximum is twice the minimum): the servers of C_new, which campaign after one, elect first. */
const UNSEATED_PATIENCE_MS = 3 * 2 * ELECTION_TIMEOUT_MIN_MS;
// SOLUTION END
// SOLUTION BEGIN
// TODO(5C): how long a read may wait for its round, or for the leader's no-op to commit.
/** A ConfirmLeadership round without a majority's answers within this is given up, and its reads fail. */
const READ_ROUND_TIMEOUT_MS = ELECTION_TIMEOUT_MIN_MS;
/** How long readIndex() waits for an entry of the leader's term to commit. */
const READ_COMMIT_WAIT_MS = ELECTION_TIMEOUT_MIN_MS;
// SOLUTION END

/** Creates a Raft peer with the extensions `options` switches on (none by default: lab 2's Raft). */
export function make(peers: Peer[], me: number, persister: Persister, applyCh: Channel<ApplyMsg>, options: RaftOptions = {}): ExtendedRaft {
  return new ExtendedRaft(peers, me, persister, applyCh, options);
}

export class ExtendedRaft extends Raft {
  // SOLUTION BEGIN
  // TODO(5A): the state PreVote and CheckQuorum need.
  private readonly options: RaftOptions;
  /** Who answered the leader since its last quorum check (CheckQuorum). */
  private readonly activity: PeerActivity;
  /** The leader of currentTerm as far as this peer knows, or null. */
  private leader: number | null = null;
  /** When this peer last heard from `leader`, in virtual ms (the vote lease runs from here). */
  private heardFromLeaderAt = 0;
  /** The pre-vote round under way, or undefined (a number, so that a late grant is told apart). */
  private preVoteRound: number | undefined;
  private preVoteRounds = 0;
  // SOLUTION END
  // SOLUTION BEGIN
  // TODO(5B): the state leadership transfer needs.
  private readonly transfer: LeaderTransfer;
  /** The last index the service has taken from applyCh (a transfer's target must have applied its configuration). */
  private readonly applied: { index: number };
  // SOLUTION END
  // SOLUTION BEGIN
  // TODO(5C): the state ReadIndex needs.
  private readonly reads = new ReadQueue();
  /** Wakes readIndex() calls waiting for their term's first commit. */
  private readonly committed = new Cond();
  /** The read round in flight: its term, and the peers that confirmed it (re-counted when the configuration changes). */
  private readRound: { round: number; term: number; confirmed: Set<number> } | undefined;
  // SOLUTION END
  // SOLUTION BEGIN
  // TODO(5D): the state lease reads need.
  /** The leader's lease (lease reads), or undefined without the leaseReads option. */
  private readonly lease: ReadLease | undefined;
  /** The lease is used only once the commit index is past this: the last entry of a transfer (0: none). */
  private leaseAfterIndex = 0;
  // TODO(5E): the state membership change needs.
  /** The configuration in use: the latest config entry in the log, or the initial one. */
  private readonly configuration: Configuration;
  /** Stable storage for the configuration a snapshot covers (config-persistence.ts). */
  private readonly store: ConfigurationStore;
  // SOLUTION END

  constructor(peers: Peer[], me: number, persister: Persister, applyCh: Channel<ApplyMsg>, options: RaftOptions) {
    // SOLUTION BEGIN
    // TODO(5A, 5B, 5D): start lab 2's Raft, with what CheckQuorum, leadership transfer and lease
    //   reads need to see of its peers' replies.
    const activity = new PeerActivity(me, peers.length);
    const transfer = new LeaderTransfer(peers.length);
    const configuration = new Configuration(options.voters ?? peers.map((_, peer) => peer));
    const store = new ConfigurationStore(persister, () => configuration.snapshotBase());
    const saved = store.saved();
    if (saved !== undefined) configuration.restoreBase(saved); // what the snapshot covers (5E)
    const members = configuration.restrict(peers);
    const lease = options.leaseReads === true ? new ReadLease(me, peers.length, leaseDuration(ELECTION_TIMEOUT_MIN_MS, checkedDrift(options)), () => configuration.voters) : undefined;
    const watched = transfer.watch(lease === undefined ? members : lease.watch(members));
    const applied = { index: 0 };
    super(options.checkQuorum === true ? activity.trackReplies(watched) : watched, me, store.persister, noteApplied(applyCh, applied));
    this.applied = applied;
    this.options = options;
    this.activity = activity;
    this.transfer = transfer;
    this.lease = lease;
    this.configuration = configuration;
    this.store = store;
    configuration.refresh(this.log); // the log as persisted
    transfer.onMatch = (peer) => {
      if (peer === transfer.target) this.sendTimeoutNowIfCaughtUp();
    };
    // SOLUTION ELSE
    // super(peers, me, persister, applyCh);
    // SOLUTION END
  }

  /** The current term, the leader this peer follows in it (or null), its role, and its transfer's target. */
  status(): RaftStatus {
    // SOLUTION BEGIN
    // TODO(5A, 5B, 5D)
    const role = this.preVoteRound !== undefined ? "pre-candidate" : this.role;
    const { voters, learners, index, outgoing, learnersNext } = this.configuration;
    const status: RaftStatus = { term: this.currentTerm, leader: this.leader, role, leadTransferee: this.transfer.target, config: [...voters], learners: [...learners], configIndex: index };
    if (outgoing.length > 0) {
      status.outgoing = [...outgoing]; // 5G: joint
      status.learnersNext = [...learnersNext];
    }
    if (this.lease !== undefined) status.leaseUntil = this.readLeaseHolds() ? this.lease.until() : null;
    return status;
    // SOLUTION ELSE
    // throw notImplemented("ExtendedRaft.status (5A)");
    // SOLUTION END
  }

  /** PreVote RPC handler: would this peer vote for the sender in args.term? It changes no term. */
  preVote(args: PreVoteArgs): PreVoteReply {
    // SOLUTION BEGIN
    // TODO(5A)
    const refused = { term: this.currentTerm, voteGranted: false };
    if (args.term <= this.currentTerm || this.leaseHolds()) return refused;
    if (!this.isUpToDate(args.lastLogIndex, args.lastLogTerm)) return refused;
    log("vote", `would vote for ${args.candidateId} in term ${args.term}`);
    return { term: args.term, voteGranted: true };
    // SOLUTION ELSE
    // throw notImplemented("ExtendedRaft.preVote (5A)");
    // SOLUTION END
  }
  // SOLUTION BEGIN
  // TODO(5A): the steps of lab 2's Raft that PreVote and CheckQuorum change (5D: and what a
  //   leader's lease must forget when it stops leading or starts a term).

  // --- the vote lease ----------------------------------------------------------------------

  /**
   * Whether the vote lease binds this peer, so that it ignores other candidates: with CheckQuorum,
   * a leader is bound, and so is a follower that heard from its leader within the minimum election
   * timeout.
   */
  private leaseHolds(): boolean {
    if (this.options.checkQuorum !== true) return false;
    if (this.role === "leader") return true;
    return this.leader !== null && now() - this.heardFromLeaderAt < ELECTION_TIMEOUT_MIN_MS;
  }

  /**
   * RequestVote, unless the vote lease binds this peer: then it neither votes nor adopts the term.
   * An election that a leadership transfer started is exempt (5B): the leader asked for it.
   */
  override requestVote(args: ExtendedRequestVoteArgs): RequestVoteReply {
    if (this.leaseHolds() && args.leadershipTransfer !== true) return { term: this.currentTerm, voteGranted: false };
    return super.requestVote(args);
  }

  // --- knowing the leader --------------------------------------------------------------------

  override appendEntries(args: AppendEntriesArgs): AppendEntriesReply {
    const reply = super.appendEntries(args);
    this.configuration.refresh(this.log); // a config entry appended, or truncated (5E)
    if (args.term === this.currentTerm) this.heardFrom(args.leaderId);
    return reply;
  }

  override installSnapshot(args: InstallSnapshotArgs): InstallSnapshotReply {
    const reply = super.installSnapshot(args);
    // The configuration the snapshot covers comes with it (5E): the base, saved with the Raft state.
    const covered = (args as InstallSnapshotArgs & { configuration?: SnapshotBase }).configuration;
    if (covered !== undefined && this.log.snapshotIndex === args.lastIncludedIndex && covered.index !== this.configuration.snapshotBase().index) {
      this.configuration.restoreBase(covered);
      this.store.resave();
    }
    this.configuration.refresh(this.log);
    if (args.term === this.currentTerm) this.heardFrom(args.leaderId);
    return reply;
  }

  /** The leader of currentTerm spoke: it is our leader, the lease runs from now, and no pre-vote goes on. */
  private heardFrom(leader: number): void {
    this.leader = leader;
    this.heardFromLeaderAt = now();
    this.preVoteRound = undefined;
  }

  protected override becomeFollower(term: number): void {
    if (term > this.currentTerm) {
      this.leader = null; // a new term's leader is not known yet
      this.preVoteRound = undefined;
    }
    if (this.role === "leader") {
      // A leader deposed by its transfer's target gives the target a whole election timeout: its
      // own timer may be about to fire (lab 2's leader does not keep it), and its campaign would
      // compete with the target's (hashicorp/raft#487: the old leader often won again).
      if (this.transfer.target !== null) this.resetElectionTimer();
      this.transfer.end(); // a leader that steps down transfers nothing
      this.reads.failAll({ ok: false, err: "ErrWrongLeader" }); // and confirms no read: clients retry elsewhere at once
      this.lease?.end(); // and holds no lease (5D)
    }
    super.becomeFollower(term);
  }

  protected override becomeCandidate(): void {
    this.leader = null;
    this.preVoteRound = undefined;
    super.becomeCandidate();
  }

  // --- PreVote -------------------------------------------------------------------------------

  /** The election timeout passed: with PreVote, ask first; the real election starts on a majority's grants. */
  protected override startElection(): void {
    if (!this.mayCampaign()) {
      this.resetElectionTimer(); // no voter, no campaign (5E): a server not added yet, or removed
      return;
    }
    if (this.options.preVote !== true) return this.campaign();
    this.becomePreCandidate();
    const round = this.preVoteRound!;
    const args: PreVoteArgs = {
      term: this.currentTerm + 1,
      candidateId: this.me,
      lastLogIndex: this.log.lastIndex(),
      lastLogTerm: this.log.lastTerm(),
    };
    const granted = new Set([this.me]); // our own
    const enough = () => this.configuration.isQuorum((server) => granted.has(server)); // 5G: of C_old and of C_new while joint
    if (enough()) return this.campaign(); // a one-server cluster
    for (let peer = 0; peer < this.peers.length; peer++) {
      if (peer === this.me) continue;
      go(async () => {
        const reply = await withPreVote(this.peers[peer]!).call("Raft.preVote", args);
        if (reply === null || this.killed() || this.preVoteRound !== round) return;
        if (!reply.voteGranted) {
          if (reply.term > this.currentTerm) this.becomeFollower(reply.term); // ends the round too
          return;
        }
        granted.add(peer);
        if (enough() && this.currentTerm + 1 === args.term) {
          this.preVoteRound = undefined;
          this.campaign();
        }
      });
    }
  }

  /** A pre-candidate forgets its leader (else its lease refuses its fellow pre-candidates) and restarts its timer. */
  private becomePreCandidate(): void {
    if (this.role === "candidate") this.becomeFollower(this.currentTerm); // an election that failed
    this.leader = null;
    this.preVoteRound = ++this.preVoteRounds;
    this.resetElectionTimer(); // if this round fails, the next timeout starts another
    log("role", `becomes pre-candidate for term ${this.currentTerm + 1}`);
  }

  private isUpToDate(lastLogIndex: number, lastLogTerm: number): boolean {
    return lastLogTerm > this.log.lastTerm() || (lastLogTerm === this.log.lastTerm() && lastLogIndex >= this.log.lastIndex());
  }

  // --- CheckQuorum ---------------------------------------------------------------------------

  protected override becomeLeader(): void {
    super.becomeLeader();
    this.leader = this.me;
    this.transfer.end();
    this.lease?.begin(this.currentTerm);
    this.leaseAfterIndex = 0;
    if (this.mustCommitOnElection()) this.start(NO_OP);
    if (this.options.checkQuorum !== true) return;
    this.activity.markAllActive();
    const term = this.currentTerm;
    go(() => this.checkQuorum(term));
  }

  /**
   * 5E, 5G: whether a new leader appends a no-op at once. It does when a config entry of its log
   * lies past its commit index: by the commit rule that entry commits only under an entry of the
   * new leader's term, and without client load none would come, so that the change could never
   * finish (leaveJoint, or a removed leader stepping down) nor be followed by the next one, refused
   * "one change at a time" forever. etcd's raft appends an empty entry on every election; lab 2's
   * tests count indexes, so here only a change in flight earns one. A leader elected while joint
   * with autoLeave appends one too, even once the joint entry has committed: its commit is what
   * makes it leave.
   */
  private mustCommitOnElection(): boolean {
    const configuration = this.configuration;
    return configuration.index > this.commitIndex || (configuration.isJoint() && configuration.autoLeave);
  }

  /** Leaders: every minimum election timeout, step down unless a majority answered since the last check. */
  private async checkQuorum(term: number): Promise<void> {
    while (!this.killed()) {
      await sleep(ELECTION_TIMEOUT_MIN_MS);
      if (!this.isLeaderOf(term) || this.killed()) return;
      const quorate = this.configuration.isJoint()
        ? this.activity.checkAndResetQuorum((answered) => this.configuration.isQuorum(answered)) // 5G: a majority of each configuration
        : this.activity.checkAndReset((active) => this.isMajority(active), (peer) => this.configuration.isVoter(peer));
      if (!quorate) {
        log("role", `steps down in term ${term}: no majority answered within ${ELECTION_TIMEOUT_MIN_MS} ms`);
        this.leader = null;
        this.becomeFollower(term);
        return;
      }
    }
  }
  // SOLUTION END

  /**
   * Hands leadership to server `target` (5B). A leader stops accepting commands, brings the
   * target's log up to date and sends it TimeoutNow; if the target has not taken over within an
   * election timeout, it gives up and accepts commands again. A follower passes the request to its
   * leader. A request for this peer itself, for no server of the cluster, or for the target whose
   * transfer is under way does nothing.
   */
  transferLeadership(target: number): void {
    // SOLUTION BEGIN
    // TODO(5B, 5D): 5D: a transfer suspends the lease.
    if (this.role !== "leader") {
      const leader = this.leader;
      if (leader === null || leader === this.me) {
        log("transfer", `ignores a transfer to ${target}: it knows no leader to pass it to`);
        return;
      }
      log("transfer", `passes a transfer to ${target} on to leader ${leader}`);
      go(() => withTransfer(this.peers[leader]!).call("Raft.forwardTransfer", { target }));
      return;
    }
    if (!Number.isInteger(target) || target < 0 || target >= this.peers.length || target === this.me || !this.configuration.isVoter(target)) {
      log("transfer", `ignores a transfer to ${target}: not another server of the cluster`);
      return;
    }
    if (this.transfer.target === target) {
      log("transfer", `ignores a repeated transfer to ${target}: one is under way`);
      return;
    }
    if (this.transfer.target !== null) log("transfer", `abandons its transfer to ${this.transfer.target} for one to ${target}`);
    const round = this.transfer.begin(target);
    const term = this.currentTerm;
    this.leaseAfterIndex = this.log.lastIndex(); // no lease read from here until an entry after the transfer commits (5D)
    log("transfer", `begins handing leadership of term ${term} to ${target}`);
    go(async () => {
      await sleep(TRANSFER_TIMEOUT_MS);
      if (this.killed() || !this.isLeaderOf(term) || this.transfer.round !== round || this.transfer.target === null) return;
      log("transfer", `gives up its transfer to ${target} after ${TRANSFER_TIMEOUT_MS} ms, and accepts commands again`);
      this.transfer.end();
      if (this.lease !== undefined) this.start(NO_OP); // that entry, so that the lease can return (5D)
    });
    this.sendTimeoutNowIfCaughtUp();
    // SOLUTION ELSE
    // throw notImplemented("ExtendedRaft.transferLeadership (5B)");
    // SOLUTION END
  }

  /**
   * ReadIndex (5C): resolves to an index such that reading the state machine once it has applied
   * that index is linearizable, or to why there is none. On a follower, asks the leader.
   */
  async readIndex(): Promise<ReadIndexResult> {
    // SOLUTION BEGIN
    // TODO(5C)
    if (this.role !== "leader") return this.askLeaderForReadIndex();
    const term = this.currentTerm;
    if (!(await this.committedInTerm(term))) return { ok: false, err: this.isLeaderOf(term) ? "ErrTimeout" : "ErrWrongLeader" };
    const index = this.commitIndex;
    if (this.isMajority(1)) return { ok: true, index }; // a one-server cluster confirms itself
    return new Promise<ReadIndexResult>((answer) => {
      this.reads.add({ index, answer });
      this.startReadRound(term);
    });
    // SOLUTION ELSE
    // throw notImplemented("ExtendedRaft.readIndex (5C)");
    // SOLUTION END
  }

  /**
   * Lease reads (5D): resolves to an index such that reading the state machine once it has applied
   * that index is linearizable: the commit index at once, with no message, while this leader's
   * lease holds; otherwise whatever readIndex() resolves to. Leaders only (others: ErrWrongLeader).
   */
  async leaseRead(): Promise<ReadIndexResult> {
    // SOLUTION BEGIN
    // TODO(5D)
    if (this.lease === undefined) throw new UsageError("leaseRead() needs the leaseReads option (and checkQuorum): make(peers, me, persister, applyCh, { checkQuorum: true, leaseReads: true })");
    if (this.role !== "leader") return { ok: false, err: "ErrWrongLeader" };
    const term = this.currentTerm;
    if (!(await this.committedInTerm(term))) return { ok: false, err: this.isLeaderOf(term) ? "ErrTimeout" : "ErrWrongLeader" };
    if (this.readLeaseHolds()) return { ok: true, index: this.commitIndex };
    return this.readIndex();
    // SOLUTION ELSE
    // throw notImplemented("ExtendedRaft.leaseRead (5D)");
    // SOLUTION END
  }

  /** ConfirmLeadership RPC handler (5C): does this peer take the sender for its leader in args.term? */
  confirmLeadership(args: ConfirmLeadershipArgs): ConfirmLeadershipReply {
    // SOLUTION BEGIN
    // TODO(5C)
    if (!this.step(args.term) || this.role === "leader") return { term: this.currentTerm, ok: false };
    this.becomeFollower(args.term); // a candidate of this term learns who won
    this.resetElectionTimer(); // like a heartbeat: the leader is alive
    this.heardFrom(args.leaderId);
    return { term: this.currentTerm, ok: true };
    // SOLUTION ELSE
    // throw notImplemented("ExtendedRaft.confirmLeadership (5C)");
    // SOLUTION END
  }

  /** LeaderReadIndex RPC handler (5C): a follower asks the leader for a read index. */
  async leaderReadIndex(_args: LeaderReadIndexArgs): Promise<ReadIndexResult> {
    // SOLUTION BEGIN
    // TODO(5C)
    if (this.role !== "leader") return { ok: false, err: "ErrWrongLeader" };
    return this.readIndex();
    // SOLUTION ELSE
    // throw notImplemented("ExtendedRaft.leaderReadIndex (5C)");
    // SOLUTION END
  }

  /** Lab 2's start(), except that a leader handing its leadership over accepts no command (5B). */
  override start(command: unknown): { index: number; term: number; isLeader: boolean } {
    // SOLUTION BEGIN
    // TODO(5B)
    if (this.role === "leader" && this.transfer.target !== null) {
      log("transfer", `refuses a command: transferring leadership to ${this.transfer.target}`);
      return { index: -1, term: this.currentTerm, isLeader: false };
    }
    // SOLUTION END
    const result = super.start(command);
    // SOLUTION BEGIN
    // TODO(5E)
    if (result.isLeader) this.configuration.refresh(this.log); // a config entry is used once appended
    // SOLUTION END
    return result;
  }

  /**
   * Membership change (5E): on the leader, appends the config entry that adds or removes one voter.
   * Refused while the previous config entry is uncommitted, and until an entry of this leader's term
   * has committed (it appends a no-op if it has none: try again once it commits).
   */
  proposeConfChange(change: ConfChange | EnterJoint | LeaveJoint): ConfChangeResult {
    // SOLUTION BEGIN
    // TODO(5E, 5G): 5G: a joint change, and no simple change while joint.
    if (this.killed() || this.role !== "leader") return { ok: false, err: "ErrWrongLeader" };
    // A transfer refuses every change but the one that removes its target, which ends it (5B's L9).
    const removesTransferTarget =
      this.transfer.target !== null && !isJointProposal(change) && change.type === "removeVoter" && change.id === this.transfer.target;
    if (this.transfer.target !== null && !removesTransferTarget) return { ok: false, err: "ErrTransferInProgress" };
    if (isJointProposal(change)) return this.proposeJointChange(change);
    if (this.configuration.isJoint()) {
      const reason = `the configuration is joint (entry ${this.configuration.index}): a simple change waits until it has left joint (the leave entry commits)`;
      log("membership", `refuses ${change.type}(${change.id}): ${reason}`);
      return { ok: false, err: "ErrInvalidChange", reason };
    }
    const members = changedMembers(this.configuration, change, this.peers.length);
    if (typeof members === "string") {
      log("membership", `refuses ${change.type}(${change.id}): ${members}`);
      return { ok: false, err: "ErrInvalidChange" };
    }
    if (this.configuration.index > this.commitIndex) {
      log("membership", `refuses ${change.type}(${change.id}): its config entry at ${this.configuration.index} has not committed`);
      return { ok: false, err: "ErrChangeInProgress" };
    }
    if (this.log.term(this.commitIndex) !== this.currentTerm) {
      if (this.log.lastTerm() !== this.currentTerm) this.start(NO_OP);
      log("membership", `refuses ${change.type}(${change.id}): nothing of term ${this.currentTerm} has committed yet`);
      return { ok: false, err: "ErrTermNotCommitted" };
    }
    if (change.type === "addVoter" && this.configuration.isLearner(change.id) && this.progress[change.id]!.matchIndex < this.commitIndex) {
      log("membership", `refuses to promote learner ${change.id}: it holds ${this.progress[change.id]!.matchIndex} of the ${this.commitIndex} entries committed`);
      return { ok: false, err: "ErrNotCaughtUp" }; // 5F: a voter that must catch up first would stall the commits it is needed for
    }
    if (removesTransferTarget) {
      log("transfer", `abandons its transfer to ${change.id}: that server is being removed`);
      this.transfer.end(); // the config entry below is an entry after the transfer, as the lease needs (5D)
    }
    const { index, term } = this.start({ confChange: { type: change.type, id: change.id }, ...members });
    log("membership", `appends ${change.type}(${change.id}) at ${index}: voters ${members.voters.join(",")}, learners ${members.learners.join(",") || "none"}`);
    this.advanceCommitIndex(); // a smaller quorum may commit what waits (etcd's TestCommitAfterRemoveNode)
    this.countReadRound(); // and confirm the reads that wait (raft-rs: a read pending when the quorum shrinks is released)
    return { ok: true, index, term, ...members };
    // SOLUTION ELSE
    // throw notImplemented("ExtendedRaft.proposeConfChange (5E)");
    // SOLUTION END
  }

  /** TimeoutNow RPC handler (5B): the leader asks this peer to start an election at once. */
  timeoutNow(args: TimeoutNowArgs): TimeoutNowReply {
    // SOLUTION BEGIN
    // TODO(5B)
    if (!this.step(args.term) || this.role === "leader") return { term: this.currentTerm };
    if (!this.configuration.isVoter(this.me)) {
      log("transfer", `ignores TimeoutNow from ${args.leaderId}: it is no voter (5E, 5F)`);
      return { term: this.currentTerm };
    }
    if (this.configuration.index <= this.commitIndex && this.applied.index < this.configuration.index) {
      log("transfer", `ignores TimeoutNow from ${args.leaderId}: its config entry at ${this.configuration.index} has committed, and it has applied only through ${this.applied.index} (etcd-io/etcd#12133)`);
      return { term: this.currentTerm };
    }
    if (this.log.lastIndex() !== args.lastLogIndex || this.log.lastTerm() !== args.lastLogTerm) {
      log("transfer", `ignores TimeoutNow from ${args.leaderId}: its log does not end where the leader's did`);
      return { term: this.currentTerm };
    }
    log("transfer", `takes over from ${args.leaderId}: campaigns in term ${this.currentTerm + 1} at once`);
    this.transfer.campaignTerm = this.currentTerm + 1;
    this.campaign(); // lab 2's election (5G: counting both configurations while joint): no PreVote
    return { term: this.currentTerm };
    // SOLUTION ELSE
    // throw notImplemented("ExtendedRaft.timeoutNow (5B)");
    // SOLUTION END
  }

  /** ForwardTransfer RPC handler (5B): a follower passes a transferLeadership() request on to its leader. */
  forwardTransfer(args: ForwardTransferArgs): ForwardTransferReply {
    // SOLUTION BEGIN
    // TODO(5B)
    if (this.role === "leader") this.transferLeadership(args.target);
    return { term: this.currentTerm };
    // SOLUTION ELSE
    // throw notImplemented("ExtendedRaft.forwardTransfer (5B)");
    // SOLUTION END
  }
  // SOLUTION BEGIN
  // TODO(5B): the steps of leadership transfer.

  /** Leaders: TimeoutNow to the transfer's target, once, as soon as its log matches ours to the last entry. */
  private sendTimeoutNowIfCaughtUp(): void {
    const target = this.transfer.target;
    if (target === null || this.transfer.timeoutNowSent || this.role !== "leader") return;
    if (this.transfer.matchOf(target, this.currentTerm) < this.log.lastIndex()) return;
    this.transfer.timeoutNowSent = true;
    const args: TimeoutNowArgs = { term: this.currentTerm, leaderId: this.me, lastLogIndex: this.log.lastIndex(), lastLogTerm: this.log.lastTerm() };
    log("transfer", `${target}'s log matches through ${args.lastLogIndex}: sends it TimeoutNow`);
    go(async () => {
      const reply = await withTransfer(this.peers[target]!).call("Raft.timeoutNow", args);
      if (reply !== null && !this.killed()) this.step(reply.term);
    });
  }

  // SOLUTION END
  // SOLUTION BEGIN
  // TODO(5E): the steps of membership change.

  // --- membership change (5E) -----------------------------------------------------------------

  /** A majority of the voters of the configuration in use (not of every peer). */
  protected override isMajority(count: number): boolean {
    return count > this.configuration.voters.length / 2;
  }

  /** Leaders: lab 2's commit rule, counting only the voters of the configuration in use (itself too, if it is one). */
  protected override advanceCommitIndex(): void {
    for (let n = this.log.lastIndex(); n > this.commitIndex && this.log.term(n) === this.currentTerm; n--) {
      if (this.configuration.isQuorum((voter) => this.progress[voter]!.matchIndex >= n)) {
        this.setCommitIndex(n); // 5G: while joint, a majority of C_old holds it and one of C_new
        return;
      }
    }
  }

  /** A leader whose removal has committed steps down (and, no voter, never campaigns again). */
  private stepDownIfRemoved(): void {
    if (this.role !== "leader" || this.configuration.isVoter(this.me) || this.configuration.index > this.commitIndex) return;
    log("membership", `steps down: the config entry at ${this.configuration.index} that removes it has committed`);
    this.leader = null;
    this.becomeFollower(this.currentTerm);
  }

  override snapshot(index: number, snapshot: Uint8Array): void {
    this.configuration.compacting(this.log, index);
    super.snapshot(index, snapshot);
    this.configuration.refresh(this.log);
  }

  // SOLUTION END
  // SOLUTION BEGIN
  // TODO(5G): the steps of joint consensus.

  // --- joint consensus (5G) -------------------------------------------------------------------

  /** Leaders: enter or leave a joint configuration (the rules: joint-consensus.ts). */
  private proposeJointChange(change: EnterJoint | LeaveJoint): ConfChangeResult {
    const what = "leaveJoint" in change ? "leaveJoint" : `joint [${(Array.isArray(change.joint) ? change.joint : []).map((c) => `${c?.type}(${c?.id})`).join(", ")}]`;
    const refuse = (err: "ErrInvalidChange" | "ErrChangeInProgress" | "ErrTermNotCommitted" | "ErrNotCaughtUp", reason: string): ConfChangeResult => {
      log("membership", `refuses ${what}: ${reason}`);
      return { ok: false, err, reason };
    };
    const configuration = this.configuration;
    const members = "leaveJoint" in change ? leftJoint(configuration) : enteredJoint(configuration, change, this.peers.length);
    if (typeof members === "string") return refuse("ErrInvalidChange", members);
    if (configuration.index > this.commitIndex) return refuse("ErrChangeInProgress", `the config entry at ${configuration.index} has not committed yet: one change at a time`);
    if (this.log.term(this.commitIndex) !== this.currentTerm) {
      if (this.log.lastTerm() !== this.currentTerm) this.start(NO_OP);
      return refuse("ErrTermNotCommitted", `nothing of term ${this.currentTerm} has committed yet: try again once its no-op commits`);
    }
    for (const promoted of members.voters.filter((v) => configuration.isLearner(v))) {
      const match = this.progress[promoted]!.matchIndex;
      if (match < this.commitIndex) return refuse("ErrNotCaughtUp", `learner ${promoted} holds ${match} of the ${this.commitIndex} entries committed: promote it once it has caught up`);
    }
    const confChange: JointConfEntry["confChange"] = "leaveJoint" in change ? { type: "leaveJoint" } : { type: "enterJoint", changes: change.joint.map(({ type, id }) => ({ type, id })), autoLeave: members.autoLeave };
    return this.appendJointEntry({ confChange, ...members });
  }

  /** Leaders: appends a joint config entry (which the configuration uses at once). */
  private appendJointEntry(entry: JointConfEntry): ConfChangeResult {
    const { index, term, isLeader } = this.start(entry);
    if (!isLeader) return { ok: false, err: "ErrWrongLeader" };
    const { voters, learners, outgoing, learnersNext } = entry;
    log("membership", `appends ${entry.confChange.type} at ${index}: voters ${voters.join(",")}${outgoing.length > 0 ? `, outgoing ${outgoing.join(",")}` : ""}, learners ${learners.join(",") || "none"}${learnersNext.length > 0 ? `, learners next ${learnersNext.join(",")}` : ""}`);
    this.advanceCommitIndex(); // a smaller quorum may commit what waits
    return { ok: true, index, term, voters: [...voters], learners: [...learners] };
  }

  /** Leaders: once a joint entry with autoLeave has committed, append the entry that leaves it (once: it is then the configuration). */
  private leaveJointIfDue(): void {
    const configuration = this.configuration;
    if (this.role !== "leader" || !configuration.isJoint() || !configuration.autoLeave || configuration.index > this.commitIndex) return;
    if (this.transfer.target !== null) return; // the new leader leaves (it appends a no-op, and leaves once that commits)
    const members = leftJoint(configuration);
    if (typeof members === "string") return;
    this.appendJointEntry({ confChange: { type: "leaveJoint" }, ...members });
  }

  /**
   * Whether this server may start an election: a voter of its configuration may, and (5G) so may a
   * server that the leave entry in use removed or demoted, while that entry has not committed as far
   * as it knows and no leader has spoken to it for UNSEATED_PATIENCE_MS. Without that, a leave entry
   * that reached only servers it removes deadlocks the cluster: they no longer campaign, and the
   * servers of C_new, still joint without it, need one of their votes, which their longer logs
   * refuse. The patience lets C_new elect first in the usual case (a leader of C_new replicates to
   * the departing servers, and they learn that the leave committed). Such a candidate counts the
   * votes of the configuration it uses (C_new), appends a no-op once elected, leads until that
   * commits, and steps down (5E's removed leader). (A 5E removal keeps 5E's rule: the removed server
   * never campaigns.)
   */
  private mayCampaign(): boolean {
    const configuration = this.configuration;
    if (configuration.isVoter(this.me)) return true;
    return configuration.index > this.commitIndex && configuration.unseated.includes(this.me) && now() - this.heardFromLeaderAt >= UNSEATED_PATIENCE_MS;
  }

  /**
   * Candidates: lab 2's election, which while joint needs a majority of C_new and one of C_old, and
   * where a candidate that is no voter of its configuration (mayCampaign) does not count itself.
   */
  private campaign(): void {
    if (!this.configuration.isJoint() && this.configuration.isVoter(this.me)) return super.startElection();
    this.becomeCandidate();
    const args: RequestVoteArgs = { term: this.currentTerm, candidateId: this.me, lastLogIndex: this.log.lastIndex(), lastLogTerm: this.log.lastTerm() };
    const granted = new Set([this.me]); // our own, which counts in each configuration we are a voter of
    const won = () => this.configuration.isQuorum((server) => granted.has(server));
    if (won()) return this.becomeLeader();
    for (let peer = 0; peer < this.peers.length; peer++) {
      if (peer === this.me) continue;
      go(async () => {
        const reply = await this.peers[peer]!.call("Raft.requestVote", args);
        if (reply === null || this.killed() || !this.step(reply.term)) return;
        if (this.role !== "candidate" || this.currentTerm !== args.term || !reply.voteGranted) return;
        granted.add(peer);
        if (won()) this.becomeLeader();
      });
    }
  }

  // SOLUTION END
  // SOLUTION BEGIN
  // TODO(5C): the steps of ReadIndex.

  // --- ReadIndex (5C) ----------------------------------------------------------------------

  /** Leaders: whether an entry of `term` has committed, appending a no-op if none is in the log; waits a while for it. */
  private async committedInTerm(term: number): Promise<boolean> {
    if (this.log.lastTerm() !== term && !this.start(NO_OP).isLeader) return false;
    const deadline = now() + READ_COMMIT_WAIT_MS;
    if (this.log.term(this.commitIndex) !== term) {
      go(async () => {
        await sleep(READ_COMMIT_WAIT_MS);
        this.committed.broadcast(); // wakes the wait below at its deadline
      });
    }
    while (this.isLeaderOf(term) && !this.killed() && this.log.term(this.commitIndex) !== term) {
      if (now() >= deadline) return false;
      await this.committed.wait();
    }
    return this.isLeaderOf(term) && this.log.term(this.commitIndex) === term;
  }

  protected override setCommitIndex(index: number): void {
    super.setCommitIndex(index);
    this.committed.broadcast();
    this.stepDownIfRemoved();
    this.leaveJointIfDue(); // 5G
  }

  /** Leaders: a ConfirmLeadership round for the reads waiting, unless one is in flight (they go in the next). */
  private startReadRound(term: number): void {
    const round = this.reads.startRound();
    if (round === undefined) return;
    const args: ConfirmLeadershipArgs = { term, leaderId: this.me };
    const confirmed = new Set<number>();
    this.readRound = { round, term, confirmed };
    for (let peer = 0; peer < this.peers.length; peer++) {
      if (peer === this.me) continue;
      go(async () => {
        const reply = await withReadIndex(this.peers[peer]!).call("Raft.confirmLeadership", args);
        if (reply === null || this.killed()) return;
        if (!this.step(reply.term) || !this.isLeaderOf(term) || this.reads.round !== round || !reply.ok) return;
        confirmed.add(peer);
        this.countReadRound();
      });
    }
    go(async () => {
      await sleep(READ_ROUND_TIMEOUT_MS);
      if (this.reads.round !== round || !this.reads.inFlight()) return;
      log("read", `no majority confirmed read round ${round} within ${READ_ROUND_TIMEOUT_MS} ms: its reads fail`);
      this.reads.endRound(round, { ok: false, err: "ErrTimeout" });
      if (this.isLeaderOf(term)) this.startReadRound(term);
    });
  }

  /**
   * Leaders: ends the read round in flight if the peers that confirmed it, and this peer, are a
   * majority of the voters of the configuration in use — counted at each confirmation, and again
   * when a config entry is appended (5E: a 2-server cluster that removes the silent peer releases
   * its pending reads at once, raft-rs).
   */
  private countReadRound(): void {
    const r = this.readRound;
    if (r === undefined || this.reads.round !== r.round || !this.reads.inFlight() || !this.isLeaderOf(r.term)) return;
    // Our own counts unless we removed ourselves (5E); while joint, a majority of each configuration (5G).
    if (!this.configuration.isQuorum((server) => server === this.me || r.confirmed.has(server))) return;
    this.readRound = undefined;
    this.reads.endRound(r.round, "confirmed");
    this.startReadRound(r.term); // the reads that arrived meanwhile
  }

  /** Followers: a read index from the leader (a follower read serves it once applied that far). */
  private async askLeaderForReadIndex(): Promise<ReadIndexResult> {
    const leader = this.leader;
    if (leader === null || leader === this.me) return { ok: false, err: "ErrWrongLeader" };
    // The leader answers within its commit wait and one round; a call to a leader we cannot reach
    // may take seconds to fail, and the reader should try elsewhere sooner.
    const answer = new Channel<ReadIndexResult>(1);
    go(async () => {
      const reply = await withReadIndex(this.peers[leader]!).call("Raft.leaderReadIndex", {});
      void answer.send(reply ?? { ok: false, err: "ErrWrongLeader" });
    });
    const r = await answer.recvWithin(READ_COMMIT_WAIT_MS + READ_ROUND_TIMEOUT_MS);
    return r === TIMEOUT || r === undefined ? { ok: false, err: "ErrTimeout" } : r;
  }
  // SOLUTION END
  // SOLUTION BEGIN
  // TODO(5D): when the lease may be used.

  /** Leaders: whether a read may be answered from the lease now (see the top of this file). */
  private readLeaseHolds(): boolean {
    if (this.lease === undefined || this.role !== "leader") return false;
    if (this.log.term(this.commitIndex) !== this.currentTerm || this.commitIndex <= this.leaseAfterIndex) return false;
    return this.transfer.target === null && this.lease.holds();
  }
  // SOLUTION END
}

// SOLUTION BEGIN
// TODO(5B): know what the service has applied.
/** applyCh, as the Raft sees it: each send, once the service has taken the message, notes its index in `applied`. */
function noteApplied(applyCh: Channel<ApplyMsg>, applied: { index: number }): Channel<ApplyMsg> {
  const noting = Object.create(applyCh) as Channel<ApplyMsg>;
  noting.send = async (msg: ApplyMsg) => {
    await applyCh.send(msg);
    const index = msg.snapshotValid === true ? msg.snapshotIndex : msg.commandIndex;
    if (index !== undefined && index > applied.index) applied.index = index;
  };
  return noting;
}
// SOLUTION END

// SOLUTION BEGIN
// TODO(5D): check the lease options.
/** The maxClockDrift a lease is sized for (default 0.1), once the options are known to allow lease reads. */
function checkedDrift(options: RaftOptions): number {
  if (options.checkQuorum !== true) {
    throw new UsageError("the leaseReads option needs checkQuorum: a lease stands on the followers' vote lease, which only CheckQuorum gives. Pass { checkQuorum: true, leaseReads: true }.");
  }
  const drift = options.maxClockDrift ?? 0.1;
  if (typeof drift !== "number" || !(drift >= 0 && drift < 1)) {
    throw new UsageError(`maxClockDrift must be a fraction from 0 up to (not including) 1, the most a clock's rate may differ from 1; got ${String(drift)}.`);
  }
  return drift;
}
// SOLUTION END
