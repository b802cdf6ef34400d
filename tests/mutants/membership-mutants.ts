// Broken membership changes (lab 5E), each the reference extended Raft with one rule of
// single-server change broken (see mutant.ts), run against the 5E tests (tests/raft5/5E.ts). The
// first is the dissertation's own bug: a leader that changes the configuration before anything of
// its term has committed. The last few break a rule of learners (5F), against the 5F tests.
import { Configuration, changedMembers, type ConfChange, type ConfChangeResult } from "../../raft-extensions/membership.ts";
import { ExtendedRaft } from "../../raft-extensions/extended-raft.ts";
import type { RaftLog } from "../../raft/log.ts";
import type { AppendEntriesArgs, AppendEntriesReply } from "../../raft/types.ts";
import type { PeerActivity } from "../../raft-extensions/check-quorum.ts";
import type { TimeoutNowArgs, TimeoutNowReply } from "../../raft-extensions/types.ts";
import type { MakeExtendedRaft } from "../raft5/substitute.ts";
import type { Mutant, RaftInside } from "./mutant.ts";

/** The reference's extended Raft as a membership mutant sees it. */
interface MembershipInside extends RaftInside {
  configuration: Configuration;
  activity: PeerActivity;
  timeoutNow(args: TimeoutNowArgs): TimeoutNowReply;
  killed(): boolean;
  start(command: unknown): { index: number; term: number; isLeader: boolean };
  proposeConfChange(change: ConfChange): ConfChangeResult;
  stepDownIfRemoved(): void;
}

const extendedReference = ExtendedRaft.prototype as unknown as MembershipInside;

/** An extended Raft whose methods are the reference's except those `change` replaces; `afterMake` may change the new Raft itself. */
function membershipMutant(change: (mutant: MembershipInside) => void, afterMake: (raft: MembershipInside) => void = () => {}): MakeExtendedRaft {
  class Mutant extends ExtendedRaft {}
  const mutant = Mutant.prototype as unknown as MembershipInside;
  // Without the reference's assertion that no committed entry is deleted (see mutant.ts): what a bug makes it delete is for the graders to notice.
  mutant.deleteEntriesFrom = function (this: MembershipInside, index: number) {
    this.log.truncateAfter(index - 1);
  };
  change(mutant);
  return (peers, me, persister, applyCh, options = {}) => {
    const raft = new Mutant(peers, me, persister, applyCh, options);
    afterMake(raft as unknown as MembershipInside);
    return raft;
  };
}

/** `log` as far as index `through`: what a server that only trusts committed entries looks at. */
function prefixOf(log: RaftLog, through: number): RaftLog {
  const last = Math.min(through, log.lastIndex());
  return {
    snapshotIndex: log.snapshotIndex,
    snapshotTerm: log.snapshotTerm,
    lastIndex: () => last,
    lastTerm: () => log.term(last),
    term: (index: number) => log.term(index),
    entry: (index: number) => log.entry(index),
  } as unknown as RaftLog;
}

const lab5E = ["5E"];
const lab5F = ["5F"];

/** Runs `f` with `configuration` taking `server` for a voter, or (`as` false) for no learner. */
function pretending<T>(configuration: Configuration, server: number, as: "voter" | "not a learner", f: () => T): T {
  const isVoter = configuration.isVoter;
  const isLearner = configuration.isLearner;
  if (as === "voter") configuration.isVoter = (s: number) => s === server || isVoter.call(configuration, s);
  else configuration.isLearner = (s: number) => s !== server && isLearner.call(configuration, s);
  try {
    return f();
  } finally {
    configuration.isVoter = isVoter;
    configuration.isLearner = isLearner;
  }
}

export const membershipMutants: Mutant[] = [
  {
    name: "conf-change-without-the-barrier",
    rule: "A leader appends a config entry only once an entry of its own term has committed (the dissertation's errata)",
    bug: "appends the config entry as soon as the previous one has committed, before its term's no-op commits",
    parts: lab5E,
    killedBy: { test: "TestOwnTermBarrier5E", seed: 1, check: /commit index=\d+ server=\d+ .* != server=\d+/ },
    substitutes: {
      makeExtendedRaft: membershipMutant((m) => {
        m.proposeConfChange = function (this: MembershipInside, change: ConfChange): ConfChangeResult {
          if (this.killed() || this.role !== "leader") return { ok: false, err: "ErrWrongLeader" };
          const members = changedMembers(this.configuration, change, this.peers.length);
          if (typeof members === "string") return { ok: false, err: "ErrInvalidChange" };
          if (this.configuration.index > this.commitIndex) return { ok: false, err: "ErrChangeInProgress" };
          const { index, term } = this.start({ confChange: { type: change.type, id: change.id }, ...members });
          this.advanceCommitIndex();
          return { ok: true, index, term, ...members };
        };
      }),
    },
  },
  {
    name: "two-uncommitted-conf-changes",
    rule: "One change at a time: a leader appends a config entry only once the one before it has committed",
    bug: "accepts a change while the previous config entry is still uncommitted",
    parts: lab5E,
    killedBy: { test: "TestOneChangeAtATime5E", seed: 1, check: /should be refused with ErrChangeInProgress/ },
    substitutes: {
      makeExtendedRaft: membershipMutant((m) => {
        m.proposeConfChange = function (this: MembershipInside, change: ConfChange): ConfChangeResult {
          const configuration = this.configuration;
          const real = configuration.index;
          configuration.index = Math.min(real, this.commitIndex); // as if the last config entry had committed
          const result = extendedReference.proposeConfChange.call(this, change);
          if (!result.ok) configuration.index = real; // (an accepted change's entry is the configuration now)
          return result;
        };
      }),
    },
  },
  {
    name: "config-used-only-when-committed",
    rule: "A server uses the latest config entry in its log as soon as it is appended, committed or not",
    bug: "uses a config entry only once it has committed, so a change commits under the old configuration",
    parts: lab5E,
    killedBy: { test: "TestCommitAfterRemove5E", seed: 1, check: /should commit at once/ },
    substitutes: {
      makeExtendedRaft: membershipMutant(
        (m) => {
          m.setCommitIndex = function (this: MembershipInside, index: number) {
            extendedReference.setCommitIndex.call(this, index);
            this.configuration.refresh(this.log);
            this.stepDownIfRemoved();
          };
        },
        (raft) => {
          const configuration = raft.configuration;
          configuration.refresh = (log) => Configuration.prototype.refresh.call(configuration, prefixOf(log, raft.commitIndex));
        },
      ),
    },
  },
  {
    name: "no-fallback-on-truncation",
    rule: "When a conflict truncates a config entry, the server falls back to the configuration before it",
    bug: "keeps using a config entry that a conflict has truncated from its log",
    parts: lab5E,
    killedBy: { test: "TestConfigFallsBackOnTruncation5E", seed: 1, check: /should lose add\(5\)/ },
    substitutes: {
      makeExtendedRaft: membershipMutant(
        () => {},
        (raft) => {
          const configuration = raft.configuration;
          configuration.refresh = (log) => {
            const { voters, learners, index } = configuration;
            Configuration.prototype.refresh.call(configuration, log);
            if (configuration.index < index) {
              configuration.voters = voters;
              configuration.learners = learners;
              configuration.index = index;
            }
          };
        },
      ),
    },
  },
  {
    name: "removed-leader-keeps-leading",
    rule: "A leader that removes itself steps down once the entry removing it has committed",
    bug: "goes on leading after its removal has committed",
    parts: lab5E,
    killedBy: { test: "TestLeaderRemovesItself5E", seed: 1, check: /a server that is no voter of a committed configuration does not lead/ },
    substitutes: {
      makeExtendedRaft: membershipMutant((m) => {
        m.stepDownIfRemoved = function () {};
      }),
    },
  },
  {
    name: "non-voter-campaigns",
    rule: "A server that is not a voter of its configuration never starts an election",
    bug: "campaigns when its election timeout passes, voter or not: a server not added yet elects itself with its empty configuration",
    parts: lab5E,
    killedBy: { test: "TestOneChangeAtATime5E", seed: 1, check: /\(>1\) leaders/ },
    substitutes: {
      makeExtendedRaft: membershipMutant((m) => {
        m.startElection = function (this: MembershipInside) {
          const configuration = this.configuration;
          const isVoter = configuration.isVoter;
          configuration.isVoter = (server: number) => server === this.me || isVoter.call(configuration, server); // for the check that it may campaign
          try {
            extendedReference.startElection.call(this);
          } finally {
            configuration.isVoter = isVoter;
          }
        };
      }),
    },
  },
  {
    name: "ignores-leaders-outside-its-configuration",
    rule: "Servers answer RPCs whatever their configuration says: a new server must accept the entries that add it",
    bug: "rejects AppendEntries from a leader that is not a voter of its own configuration, so a server not added yet never catches up",
    parts: lab5E,
    killedBy: { test: "TestAddVoter5E", seed: 1, check: /only \d+ decided|failed to reach agreement/ },
    substitutes: {
      makeExtendedRaft: membershipMutant((m) => {
        m.appendEntries = function (this: MembershipInside, args: AppendEntriesArgs): AppendEntriesReply {
          this.step(args.term);
          if (!this.configuration.isVoter(args.leaderId)) return { term: this.currentTerm, success: false, conflictTerm: -1, conflictIndex: 1 };
          return extendedReference.appendEntries.call(this, args);
        };
      }),
    },
  },
  {
    name: "removed-leader-counts-itself",
    rule: "A leader that is not a voter of its configuration does not count itself towards a commit",
    bug: "counts its own log towards every commit, voter or not",
    parts: lab5E,
    killedBy: { test: "TestLeaderRemovesItself5E", seed: 1, check: /until its removal commits, server \d+ should lead term/ },
    substitutes: {
      makeExtendedRaft: membershipMutant((m) => {
        m.advanceCommitIndex = function (this: MembershipInside) {
          const voters = this.configuration.voters;
          for (let n = this.log.lastIndex(); n > this.commitIndex && this.log.term(n) === this.currentTerm; n--) {
            let replicas = voters.includes(this.me) ? 0 : 1; // itself, always
            for (const voter of voters) if (this.progress[voter]!.matchIndex >= n) replicas++;
            if (this.isMajority(replicas)) {
              this.setCommitIndex(n);
              return;
            }
          }
        };
      }),
    },
  },
  {
    name: "learner-counts-toward-commit",
    rule: "Learners count for no commit: a majority is one of the voters",
    bug: "counts its learners' acknowledgements, as well as its voters', towards a commit",
    parts: lab5F,
    killedBy: { test: "TestLearnersHaveNoQuorumPower5F", seed: 1, check: /a majority of its configuration holds it|must not commit/ },
    substitutes: {
      makeExtendedRaft: membershipMutant((m) => {
        m.advanceCommitIndex = function (this: MembershipInside) {
          const counted = [...this.configuration.voters, ...this.configuration.learners];
          for (let n = this.log.lastIndex(); n > this.commitIndex && this.log.term(n) === this.currentTerm; n--) {
            let replicas = 0;
            for (const peer of counted) if (this.progress[peer]!.matchIndex >= n) replicas++;
            if (this.isMajority(replicas)) {
              this.setCommitIndex(n);
              return;
            }
          }
        };
      }),
    },
  },
  {
    name: "learner-campaigns-on-timeout-now",
    rule: "A learner never campaigns, not even on a TimeoutNow",
    bug: "starts an election when a TimeoutNow reaches it, learner or not",
    parts: lab5F,
    killedBy: { test: "TestLearnerNeverCampaigns5F", seed: 1, check: /should ignore a TimeoutNow|no voter of a committed configuration does not lead/ },
    substitutes: {
      makeExtendedRaft: membershipMutant((m) => {
        m.timeoutNow = function (this: MembershipInside, args: TimeoutNowArgs): TimeoutNowReply {
          return pretending(this.configuration, this.me, "voter", () => extendedReference.timeoutNow.call(this, args));
        };
      }),
    },
  },
  {
    name: "check-quorum-counts-learners",
    rule: "CheckQuorum counts the voters that answered, not the learners",
    bug: "counts a learner's answers in its quorum check, so a leader that reaches only learners keeps leading",
    parts: lab5F,
    killedBy: { test: "TestCheckQuorumIgnoresLearners5F", seed: 1, check: /should step down within/ },
    substitutes: {
      makeExtendedRaft: membershipMutant(
        () => {},
        (raft) => {
          const activity = raft.activity;
          const checkAndReset = activity.checkAndReset.bind(activity);
          activity.checkAndReset = (isMajority) => checkAndReset(isMajority);
        },
      ),
    },
  },
  {
    name: "promotes-without-catch-up",
    rule: "A learner is promoted only once it holds everything the leader has committed",
    bug: "promotes a learner however far behind it is",
    parts: lab5F,
    killedBy: { test: "TestPromotionWaitsForCatchUp5F", seed: 1, check: /should not be promoted/ },
    substitutes: {
      makeExtendedRaft: membershipMutant((m) => {
        m.proposeConfChange = function (this: MembershipInside, change: ConfChange): ConfChangeResult {
          return pretending(this.configuration, change.id, "not a learner", () => extendedReference.proposeConfChange.call(this, change));
        };
      }),
    },
  },
  {
    name: "learner-refuses-to-vote",
    rule: "A learner still answers RequestVote: a promotion may commit on the voters before it hears of it, and the survivor may need its vote (etcd's campaign_learner_must_vote)",
    bug: "a server that takes itself for a learner refuses every vote (it adopts the term, and grants nothing)",
    parts: lab5F,
    killedBy: { test: "TestLearnerMustVote5F", seed: 1, check: /should be elected within/ },
    substitutes: {
      makeExtendedRaft: membershipMutant((m) => {
        m.requestVote = function (this: MembershipInside, args) {
          if (!this.configuration.isLearner(this.me)) return extendedReference.requestVote.call(this, args);
          this.step(args.term);
          return { term: this.currentTerm, voteGranted: false };
        };
      }),
    },
  },
];
