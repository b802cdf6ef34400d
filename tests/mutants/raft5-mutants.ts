// Broken lab-5 Rafts, each with one rule broken (see mutant.ts): PreVote and CheckQuorum, run
// against the 5A tests (tests/raft5/5A.ts), leadership transfer, run against the 5B tests
// (tests/raft5/5B.ts), and ReadIndex and follower reads, run against the 5C tests
// (tests/raft5/5C.ts; one of them is a broken lab-5 KV server).
import { ExtendedRaft } from "../../raft-extensions/extended-raft.ts";
import type { PeerActivity } from "../../raft-extensions/check-quorum.ts";
import type { LeaderTransfer } from "../../raft-extensions/leader-transfer.ts";
import type { ReadQueue } from "../../raft-extensions/read-index.ts";
import { ReadingKVServer } from "../../raft-extensions/kv-server.ts";
import type { ReadIndexResult } from "../../raft-extensions/types.ts";
import type { ExtendedRequestVoteArgs, PreVoteArgs, PreVoteReply, RaftOptions, TimeoutNowArgs, TimeoutNowReply } from "../../raft-extensions/types.ts";
import { Raft } from "../../raft/raft.ts";
import type { Peer, RequestVoteArgs } from "../../raft/types.ts";
import { go, sleep } from "../../sim/index.ts";
import type { MakeExtendedRaft } from "../raft5/substitute.ts";
import type { Mutant, RaftInside } from "./mutant.ts";

/** The reference's extended Raft as a mutant sees it: lab 2's inside, and what 5A adds. */
export interface ExtendedInside extends RaftInside {
  options: RaftOptions;
  activity: PeerActivity;
  leader: number | null;
  preVote(args: PreVoteArgs): PreVoteReply;
  leaseHolds(): boolean;
  becomePreCandidate(): void;
  checkQuorum(term: number): Promise<void>;
  transfer: LeaderTransfer;
  transferLeadership(target: number): void;
  timeoutNow(args: TimeoutNowArgs): TimeoutNowReply;
  start(command: unknown): { index: number; term: number; isLeader: boolean };
  killed(): boolean;
  reads: ReadQueue;
  readIndex(): Promise<ReadIndexResult>;
  committedInTerm(term: number): Promise<boolean>;
  startReadRound(term: number): void;
  askLeaderForReadIndex(): Promise<ReadIndexResult>;
}

const extendedReference = ExtendedRaft.prototype as unknown as ExtendedInside;
/** Lab 2's Raft's methods, for a mutant that skips what the extended Raft adds to one. */
const lab2Reference = Raft.prototype as unknown as ExtendedInside;

/** An extended Raft whose methods are the reference's except those `change` replaces. */
export function extendedMutant(
  change: (mutant: ExtendedInside) => void,
  afterMake: (raft: ExtendedInside) => void = () => {},
  misread: (method: string, reply: unknown) => unknown = (_method, reply) => reply,
): MakeExtendedRaft {
  class Mutant extends ExtendedRaft {}
  change(Mutant.prototype as unknown as ExtendedInside);
  return (peers, me, persister, applyCh, options = {}) => {
    const reading = peers.map((peer) => ({
      call: async (method: string, args: unknown) => {
        const reply = await peer.call(method as never, args as never);
        return reply === null ? null : misread(method, reply);
      },
    })) as unknown as Peer[];
    const raft = new Mutant(reading, me, persister, applyCh, options);
    afterMake(raft as unknown as ExtendedInside);
    return raft;
  };
}

const lab5A = ["5A"];
const lab5B = ["5B"];
const lab5C = ["5C"];

export const raft5Mutants: Mutant[] = [
  {
    name: "pre-vote-increments-the-term",
    rule: "PreVote: a pre-candidate asks for currentTerm + 1 without changing its own term",
    bug: "increments its term when it starts asking for pre-votes, as if it were a real election",
    parts: lab5A,
    killedBy: { test: "TestPreVoteRejoin5A", seed: 1, check: /should have kept term/ },
    substitutes: {
      makeExtendedRaft: extendedMutant((m) => {
        m.becomePreCandidate = function (this: ExtendedInside) {
          extendedReference.becomePreCandidate.call(this);
          this.currentTerm++;
          this.persist();
        };
      }),
    },
  },
  {
    name: "pre-vote-ignores-the-log",
    rule: "PreVote: grant only if the pre-candidate's log is at least as up to date (§5.4.1)",
    bug: "grants a pre-vote to any pre-candidate of a higher term, whatever its log",
    parts: lab5A,
    killedBy: { test: "TestPreVoteNeedsAnUpToDateLog5A", seed: 1, check: /no term should move/ },
    substitutes: {
      makeExtendedRaft: extendedMutant((m) => {
        m.preVote = function (this: ExtendedInside, args: PreVoteArgs) {
          return extendedReference.preVote.call(this, { ...args, lastLogTerm: Number.MAX_SAFE_INTEGER });
        };
      }),
    },
  },
  {
    name: "pre-candidate-keeps-its-leader",
    rule: "A pre-candidate forgets its leader (etcd-io/etcd#8334)",
    // Here the lease runs from the leader's last message, and a follower times out at least the
    // minimum election timeout after it, so a kept leader's lease has always lapsed by then: only
    // status() shows the bug. Under etcd's lease, which runs from the node's own timer, it deadlocks.
    bug: "keeps its leader when it becomes a pre-candidate",
    parts: lab5A,
    killedBy: { test: "TestVoteLeaseRefusesWhileLeaderAlive5A", seed: 1, check: /forgets its leader/ },
    substitutes: {
      makeExtendedRaft: extendedMutant((m) => {
        m.becomePreCandidate = function (this: ExtendedInside) {
          const leader = this.leader;
          extendedReference.becomePreCandidate.call(this);
          this.leader = leader;
        };
      }),
    },
  },
  {
    name: "pre-vote-changes-the-voters-term",
    rule: "PreVote: a voter never changes its term for a PreVote",
    bug: "adopts a pre-candidate's higher term, as it would a RequestVote's, before it answers",
    parts: lab5A,
    killedBy: { test: "TestPreVoteRejoin5A", seed: 1, check: /expected one leader, got none/ },
    substitutes: {
      makeExtendedRaft: extendedMutant((m) => {
        m.preVote = function (this: ExtendedInside, args: PreVoteArgs) {
          if (args.term > this.currentTerm) this.becomeFollower(args.term);
          return extendedReference.preVote.call(this, args);
        };
      }),
    },
  },
  {
    name: "pre-candidate-adopts-the-echoed-term",
    rule: "PreVote: a grant echoes the request's term, and the pre-candidate must not take it for a higher term",
    bug: "treats every PreVote reply of a higher term as news of that term: it adopts the grant's echoed term and drops the grant",
    parts: lab5A,
    killedBy: { test: "TestPreVoteRejoin5A", seed: 1, check: /expected one leader, got none/ },
    substitutes: {
      makeExtendedRaft: extendedMutant(
        () => {},
        () => {},
        (method, reply) => (method === "Raft.preVote" ? { ...(reply as PreVoteReply), voteGranted: false } : reply),
      ),
    },
  },
  {
    name: "vote-reply-carries-the-old-term",
    rule: "A voter adopts a higher term before it answers (canonical/raft#279: a restarted voter's votes were thrown away as stale)",
    bug: "answers RequestVote in the term it had before the request, so a candidate ahead of it discards its vote",
    parts: lab5A,
    killedBy: { test: "TestPreVoteRejoin5A", seed: 1, check: /Figure 2 monitor: a server that hears of a higher term adopts it/ },
    substitutes: {
      makeExtendedRaft: extendedMutant((m) => {
        m.requestVote = function (this: ExtendedInside, args: RequestVoteArgs) {
          const term = this.currentTerm;
          return { ...extendedReference.requestVote.call(this, args), term };
        };
      }),
    },
  },
  {
    name: "leader-under-lease-ignores-higher-terms",
    rule: "A leader steps down for a higher term in a reply; the vote lease covers only RequestVote and PreVote",
    bug: "a CheckQuorum leader ignores every higher term, so a server stranded at a higher term can never rejoin",
    parts: lab5A,
    killedBy: { test: "TestStrandedHigherTermConverges5A", seed: 1, check: /Figure 2 monitor: a server that hears of a higher term adopts it/ },
    substitutes: {
      makeExtendedRaft: extendedMutant((m) => {
        m.step = function (this: ExtendedInside, term: number) {
          if (this.role === "leader" && this.options.checkQuorum === true && term > this.currentTerm) return false;
          return extendedReference.step.call(this, term);
        };
      }),
    },
  },
  {
    name: "leads-on-pre-votes",
    rule: "PreVote: pre-votes are not votes; a pre-candidate with a majority of them must still win a real election",
    bug: "becomes leader as soon as a majority grants its pre-votes, before any RequestVote",
    parts: lab5A,
    killedBy: { test: "TestPreVoteRejoin5A", seed: 1, check: /Figure 2 monitor: a server leads a term only after a majority voted/ },
    substitutes: {
      makeExtendedRaft: extendedMutant((m) => {
        m.becomeCandidate = function (this: ExtendedInside) {
          extendedReference.becomeCandidate.call(this);
          this.becomeLeader();
        };
      }),
    },
  },
  {
    name: "no-vote-lease",
    rule: "Vote lease: a server that heard from its leader within the minimum election timeout ignores votes for others",
    bug: "grants pre-votes and votes whenever the log allows, however recently it heard from its leader",
    parts: lab5A,
    killedBy: { test: "TestVoteLeaseRefusesWhileLeaderAlive5A", seed: 1, check: /should refuse .* pre-votes \(vote lease\)/ },
    substitutes: {
      makeExtendedRaft: extendedMutant((m) => {
        m.leaseHolds = () => false;
      }),
    },
  },
  {
    name: "check-quorum-never-steps-down",
    rule: "CheckQuorum: a leader that has not heard from a majority within an election timeout steps down",
    bug: "checks for a quorum but never steps down",
    parts: lab5A,
    killedBy: { test: "TestIsolatedLeaderStepsDown5A", seed: 1, check: /should step down within/ },
    substitutes: {
      makeExtendedRaft: extendedMutant(
        () => {},
        (raft) => {
          raft.activity.checkAndReset = () => true;
        },
      ),
    },
  },
  {
    name: "check-quorum-counts-every-answer-ever",
    rule: "CheckQuorum: count the peers that answered since the last check",
    bug: "never forgets who answered, so a leader cut off after its first check goes on leading",
    parts: lab5A,
    killedBy: { test: "TestIsolatedLeaderStepsDown5A", seed: 1, check: /should step down within/ },
    substitutes: {
      makeExtendedRaft: extendedMutant(
        () => {},
        (raft) => {
          const activity = raft.activity as unknown as { active: boolean[]; checkAndReset(): boolean };
          const reference = activity.checkAndReset.bind(activity);
          activity.checkAndReset = () => {
            const seen = [...activity.active];
            const quorum = reference();
            seen.forEach((active, peer) => (activity.active[peer] = active));
            return quorum;
          };
        },
      ),
    },
  },
  {
    name: "vote-lease-without-check-quorum",
    rule: "The vote lease needs CheckQuorum (databendlabs/openraft#2080): a leader without a majority must step down",
    bug: "keeps the vote lease but never checks its quorum, so a leader that reaches only a bridge keeps it loyal",
    parts: lab5A,
    killedBy: { test: "TestBridgeElectsANewLeader5A", seed: 1, check: /must elect/ },
    substitutes: {
      makeExtendedRaft: extendedMutant((m) => {
        m.checkQuorum = async () => {};
      }),
    },
  },
  {
    name: "transfer-never-times-out",
    rule: "Leadership transfer: a transfer not done within about an election timeout is given up, and commands are accepted again (§3.10)",
    bug: "has no deadline: a transfer to a target that never takes over blocks commands forever",
    parts: lab5B,
    killedBy: { test: "TestTransferTimesOut5B", seed: 1, check: /should give its transfer up within/ },
    substitutes: {
      makeExtendedRaft: extendedMutant((m) => {
        m.transferLeadership = function (this: ExtendedInside, target: number) {
          extendedReference.transferLeadership.call(this, target);
          this.transfer.round++; // the round's timer now finds a newer round, and never gives up
        };
      }),
    },
  },
  {
    name: "transfer-accepts-commands",
    rule: "Leadership transfer: the leader accepts no command while it hands its leadership over (hashicorp ErrLeadershipTransferInProgress)",
    bug: "goes on accepting commands during a transfer, so the target is never quite caught up and the old log outgrows it",
    parts: lab5B,
    killedBy: { test: "TestTransferTimesOut5B", seed: 1, check: /start\(\) must refuse commands/ },
    substitutes: {
      makeExtendedRaft: extendedMutant((m) => {
        m.start = function (this: ExtendedInside, command: unknown) {
          return lab2Reference.start.call(this, command);
        };
      }),
    },
  },
  {
    name: "timeout-now-before-catch-up",
    rule: "Leadership transfer: TimeoutNow only once the target's log matches the leader's to the last entry",
    bug: "sends TimeoutNow at once, so a target that is behind starts an election it cannot win",
    parts: lab5B,
    killedBy: { test: "TestTransferToSlowTarget5B", seed: 1, check: /should lead term \d+ within/ },
    substitutes: {
      makeExtendedRaft: extendedMutant(
        () => {},
        (raft) => {
          raft.transfer.matchOf = () => Number.MAX_SAFE_INTEGER;
        },
      ),
    },
  },
  {
    name: "transfer-vote-not-exempt-from-the-lease",
    rule: "Leadership transfer: the RequestVotes of an election TimeoutNow started bypass the vote lease (etcd campaignTransfer)",
    bug: "refuses a transfer's votes under the vote lease like any other, so with CheckQuorum no transfer succeeds",
    parts: lab5B,
    killedBy: { test: "TestTransferWithVoteLease5B", seed: 1, check: /should lead term \d+ within/ },
    substitutes: {
      makeExtendedRaft: extendedMutant((m) => {
        m.requestVote = function (this: ExtendedInside, args: ExtendedRequestVoteArgs) {
          return extendedReference.requestVote.call(this, { ...args, leadershipTransfer: false });
        };
      }),
    },
  },
  {
    name: "timeout-now-pre-votes-first",
    rule: "Leadership transfer: the target of TimeoutNow campaigns at once, in term + 1, without PreVote",
    bug: "asks for pre-votes first, which followers under the vote lease refuse",
    parts: lab5B,
    killedBy: { test: "TestTransferWithVoteLease5B", seed: 1, check: /should lead term \d+ within/ },
    substitutes: {
      makeExtendedRaft: extendedMutant((m) => {
        m.timeoutNow = function (this: ExtendedInside, args: TimeoutNowArgs) {
          if (!this.step(args.term) || this.role === "leader") return { term: this.currentTerm };
          this.startElection(); // the extended Raft's: PreVote first when it is on
          return { term: this.currentTerm };
        };
      }),
    },
  },
  {
    name: "repeated-transfer-extends-the-deadline",
    rule: "Leadership transfer: a repeated request for the target under way is ignored and does not extend the deadline",
    bug: "starts the transfer afresh on every repeat, so a client that keeps asking keeps the leader refusing commands",
    parts: lab5B,
    killedBy: { test: "TestRepeatedTransferKeepsItsDeadline5B", seed: 1, check: /must be given up within/ },
    substitutes: {
      makeExtendedRaft: extendedMutant((m) => {
        m.transferLeadership = function (this: ExtendedInside, target: number) {
          if (this.role === "leader" && this.transfer.target === target) this.transfer.end();
          extendedReference.transferLeadership.call(this, target);
        };
      }),
    },
  },
  {
    name: "second-transfer-ignored",
    rule: "Leadership transfer: a request for another target replaces the transfer under way",
    bug: "ignores every request while a transfer is under way, so a transfer stuck on a dead target cannot be redirected",
    parts: lab5B,
    killedBy: { test: "TestSecondTransferReplacesTheFirst5B", seed: 1, check: /should lead term \d+ within/ },
    substitutes: {
      makeExtendedRaft: extendedMutant((m) => {
        m.transferLeadership = function (this: ExtendedInside, target: number) {
          if (this.role === "leader" && this.transfer.target !== null) return;
          extendedReference.transferLeadership.call(this, target);
        };
      }),
    },
  },
  {
    name: "follower-drops-transfer-requests",
    rule: "Leadership transfer: a follower asked to transfer passes the request to its leader",
    bug: "ignores transferLeadership() unless it leads",
    parts: lab5B,
    killedBy: { test: "TestTransferRequestedAtFollower5B", seed: 1, check: /should lead term \d+ within/ },
    substitutes: {
      makeExtendedRaft: extendedMutant((m) => {
        m.transferLeadership = function (this: ExtendedInside, target: number) {
          if (this.role !== "leader") return;
          extendedReference.transferLeadership.call(this, target);
        };
      }),
    },
  },
  {
    name: "transfer-to-self-blocks-commands",
    rule: "Leadership transfer: a transfer to the leader itself is a no-op",
    bug: "begins a transfer to itself, and refuses commands until it gives up",
    parts: lab5B,
    killedBy: { test: "TestTransferToInvalidTarget5B", seed: 1, check: /leadTransferee should stay null/ },
    substitutes: {
      makeExtendedRaft: extendedMutant((m) => {
        m.transferLeadership = function (this: ExtendedInside, target: number) {
          if (this.role === "leader" && target === this.me && this.transfer.target === null) {
            this.transfer.begin(target);
            const round = this.transfer.round;
            setTimeoutInVirtualTime(this, round);
            return;
          }
          extendedReference.transferLeadership.call(this, target);
        };
      }),
    },
  },
  {
    name: "timeout-now-to-the-wrong-peer",
    rule: "Leadership transfer: TimeoutNow goes to the target the request named",
    bug: "counts the target among the other peers rather than by its id, so TimeoutNow goes to the next server",
    parts: lab5B,
    killedBy: { test: "TestTransferToUpToDateFollower5B", seed: 1, check: /should lead term \d+ within/ },
    substitutes: {
      makeExtendedRaft: extendedMutant((m) => {
        m.transferLeadership = function (this: ExtendedInside, target: number) {
          const wrong = this.role === "leader" && target !== this.me ? (target + 1) % this.peers.length : target;
          extendedReference.transferLeadership.call(this, wrong === this.me ? (wrong + 1) % this.peers.length : wrong);
        };
      }),
    },
  },
  {
    name: "timeout-now-skips-a-term",
    rule: "Leadership transfer: the target campaigns in the leader's term + 1",
    bug: "adopts the leader's term + 1 on TimeoutNow and then starts its election, in term + 2",
    parts: lab5B,
    killedBy: { test: "TestTransferToUpToDateFollower5B", seed: 1, check: /should lead term \d+ within/ },
    substitutes: {
      makeExtendedRaft: extendedMutant((m) => {
        m.timeoutNow = function (this: ExtendedInside, args: TimeoutNowArgs) {
          if (this.step(args.term) && this.role !== "leader") this.becomeFollower(args.term + 1);
          return extendedReference.timeoutNow.call(this, { ...args, term: this.currentTerm });
        };
      }),
    },
  },
  {
    name: "read-index-skips-the-heartbeat-round",
    rule: "ReadIndex: confirm leadership with a round of a majority's answers sent after the read registered (§6.4 step 3)",
    bug: "serves the read at its commit index at once, trusting that it still leads",
    parts: lab5C,
    killedBy: { test: "TestDeposedLeaderConfirmsNoRead5C", seed: 1, check: /must confirm no read/ },
    substitutes: {
      makeExtendedRaft: extendedMutant((m) => {
        m.readIndex = async function (this: ExtendedInside) {
          if (this.role !== "leader") return this.askLeaderForReadIndex();
          const term = this.currentTerm;
          if (!(await this.committedInTerm(term))) return { ok: false, err: "ErrWrongLeader" };
          return { ok: true, index: this.commitIndex };
        };
      }),
    },
  },
  {
    name: "read-index-before-its-terms-commit",
    rule: "ReadIndex: a new leader serves no read until an entry of its own term has committed (etcd-io/etcd#7331)",
    bug: "takes its commit index as the read index at once, though a new leader's commit index may lag behind what its predecessor committed",
    parts: lab5C,
    killedBy: { test: "TestReadIndexWaitsForItsTermsCommit5C", seed: 1, check: /must not serve a read before an entry of its own term/ },
    substitutes: {
      makeExtendedRaft: extendedMutant((m) => {
        m.committedInTerm = async function (this: ExtendedInside, term: number) {
          return this.role === "leader" && this.currentTerm === term;
        };
      }),
    },
  },
  {
    name: "read-index-without-a-no-op",
    rule: "ReadIndex: a new leader appends a no-op, so that an entry of its term commits without waiting for a client's write",
    bug: "waits for an entry of its term to commit but never appends one, so a leader without writes serves no read",
    parts: lab5C,
    killedBy: { test: "TestReadIndexWaitsForItsTermsCommit5C", seed: 1, check: /once its no-op can commit/ },
    substitutes: {
      makeExtendedRaft: extendedMutant((m) => {
        m.committedInTerm = async function (this: ExtendedInside, term: number) {
          const start = this.start;
          this.start = () => ({ index: -1, term: this.currentTerm, isLeader: true }); // "appended"
          try {
            return await extendedReference.committedInTerm.call(this, term);
          } finally {
            this.start = start;
          }
        };
      }),
    },
  },
  {
    name: "read-index-appends-for-every-read",
    rule: "ReadIndex: a read appends nothing to the log (a new leader's one no-op aside)",
    bug: "appends a no-op for every read and waits for it to commit, as if the read went through the log",
    parts: lab5C,
    killedBy: { test: "TestReadIndexAppendsNothing5C", seed: 1, check: /reads must not append to the log/ },
    substitutes: {
      makeExtendedRaft: extendedMutant((m) => {
        m.committedInTerm = async function (this: ExtendedInside, term: number) {
          const { index, isLeader } = this.start({ noOp: true });
          if (!isLeader) return false;
          for (let waited = 0; waited < 400 && this.commitIndex < index; waited += 10) await sleep(10);
          return this.role === "leader" && this.currentTerm === term && this.commitIndex >= index;
        };
      }),
    },
  },
  {
    name: "follower-reads-at-its-own-commit-index",
    rule: "Follower reads: the read index comes from the leader (tikv/tikv#9239: not the follower's own, possibly lagging, commit index)",
    bug: "a follower takes its own commit index as the read index",
    parts: lab5C,
    killedBy: { test: "TestFollowerReadIndex5C", seed: 1, check: /should get a read index ≥/ },
    substitutes: {
      makeExtendedRaft: extendedMutant((m) => {
        m.askLeaderForReadIndex = async function (this: ExtendedInside) {
          return this.leader === null ? { ok: false, err: "ErrWrongLeader" } : { ok: true, index: this.commitIndex };
        };
      }),
    },
  },
  {
    name: "pending-reads-outlive-leadership",
    rule: "ReadIndex: a leader that stops leading fails the reads it holds at once (etcd-io/etcd#11483: dropped reads left callers hanging)",
    bug: "leaves its pending reads to their round's timeout when it steps down",
    parts: lab5C,
    killedBy: { test: "TestPendingReadsFailOnLeaderChange5C", seed: 1, check: /its pending read should fail then/ },
    substitutes: {
      makeExtendedRaft: extendedMutant(
        () => {},
        (raft) => {
          raft.reads.failAll = () => {};
        },
      ),
    },
  },
  {
    name: "a-round-per-read",
    rule: "ReadIndex: one ConfirmLeadership round confirms every read registered before it went out",
    bug: "sends a round of its own for every read",
    parts: lab5C,
    killedBy: { test: "TestReadIndexBatchesRounds5C", seed: 1, check: /at most 2 ConfirmLeadership rounds/ },
    substitutes: {
      makeExtendedRaft: extendedMutant(
        () => {},
        (raft) => {
          const queue = raft.reads as unknown as { waiting: unknown[]; confirming: unknown[] | null; round: number; startRound(): number | undefined };
          queue.startRound = () => {
            if (queue.confirming !== null || queue.waiting.length === 0) return undefined;
            queue.confirming = [queue.waiting.shift()]; // one read per round
            return ++queue.round;
          };
        },
      ),
    },
  },
  {
    name: "read-joins-the-round-in-flight",
    rule: "ReadIndex: only a round sent after the read registered confirms it (etcd-io/etcd#20418: late answers to an earlier round confirmed a deposed leader)",
    bug: "adds a read to the round already in flight, whose answers were given before the read began",
    parts: lab5C,
    killedBy: { test: "TestReadIndexIgnoresEarlierRounds5C", seed: 1, check: /only a round sent after B began may confirm it/ },
    substitutes: {
      makeExtendedRaft: extendedMutant(
        () => {},
        (raft) => {
          const queue = raft.reads as unknown as { waiting: unknown[]; confirming: unknown[] | null };
          raft.reads.add = (read) => {
            if (queue.confirming !== null) queue.confirming.push(read);
            else queue.waiting.push(read);
          };
        },
      ),
    },
  },
  {
    name: "follower-read-before-apply",
    rule: "Follower reads: the follower answers only once it has applied the read index",
    bug: "answers from its own data as soon as the leader gave the read index",
    parts: lab5C,
    killedBy: { test: "TestFollowerReadWaitsForApply5C", seed: 1, check: /must wait until it has applied the read index/ },
    substitutes: {
      startReadingKVServer: (peers, me, persister, maxraftstate, options) => {
        class Mutant extends ReadingKVServer {}
        (Mutant.prototype as unknown as { appliedThrough(index: number): Promise<boolean> }).appliedThrough = async () => true;
        return new Mutant(peers, me, persister, maxraftstate, options);
      },
    },
  },
];

/** The reference's give-up timer for a mutant's own transfer round (400 ms, the minimum election timeout). */
function setTimeoutInVirtualTime(raft: ExtendedInside, round: number): void {
  go(async () => {
    await sleep(400);
    if (!raft.killed() && raft.transfer.round === round) raft.transfer.end();
  });
}
