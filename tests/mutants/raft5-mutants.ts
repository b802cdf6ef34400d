// Broken lab-5A Rafts: PreVote and CheckQuorum, each with one rule broken (see mutant.ts). They
// run against the 5A tests (tests/raft5/5A.ts).
import { ExtendedRaft } from "../../raft-extensions/extended-raft.ts";
import type { PeerActivity } from "../../raft-extensions/check-quorum.ts";
import type { PreVoteArgs, PreVoteReply, RaftOptions } from "../../raft-extensions/types.ts";
import type { Peer, RequestVoteArgs } from "../../raft/types.ts";
import type { MakeExtendedRaft } from "../raft5/substitute.ts";
import type { Mutant, RaftInside } from "./mutant.ts";

/** The reference's extended Raft as a mutant sees it: lab 2's inside, and what 5A adds. */
interface ExtendedInside extends RaftInside {
  options: RaftOptions;
  activity: PeerActivity;
  leader: number | null;
  preVote(args: PreVoteArgs): PreVoteReply;
  leaseHolds(): boolean;
  becomePreCandidate(): void;
  checkQuorum(term: number): Promise<void>;
}

const extendedReference = ExtendedRaft.prototype as unknown as ExtendedInside;

/** An extended Raft whose methods are the reference's except those `change` replaces. */
function extendedMutant(
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
];
