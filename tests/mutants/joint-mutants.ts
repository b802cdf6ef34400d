// Broken joint consensus (lab 5G), each the reference extended Raft with one rule of C_old,new
// broken (see mutant.ts), run against the 5G tests (tests/raft5/5G.ts): decisions that count one
// configuration only, a demotion that takes effect before the configuration leaves joint, a
// missing guard, a leave appended before the joint entry commits, servers removed by the leave
// that are never told, and new leaders that append no no-op for a change in flight.
import { Configuration } from "../../raft-extensions/membership.ts";
import { ExtendedRaft } from "../../raft-extensions/extended-raft.ts";
import { isJointProposal, isQuorum, leftJoint, type EnterJoint, type JointConfEntry, type LeaveJoint } from "../../raft-extensions/joint-consensus.ts";
import type { ConfChange, ConfChangeResult } from "../../raft-extensions/membership.ts";
import type { RaftLog } from "../../raft/log.ts";
import type { MakeExtendedRaft } from "../raft5/substitute.ts";
import type { Mutant, RaftInside } from "./mutant.ts";

/** The reference's extended Raft as a joint-consensus mutant sees it. */
interface JointInside extends RaftInside {
  configuration: Configuration;
  proposeConfChange(change: ConfChange | EnterJoint | LeaveJoint): ConfChangeResult;
  appendJointEntry(entry: JointConfEntry): ConfChangeResult;
}

const extendedReference = ExtendedRaft.prototype as unknown as JointInside;

/** The reference's rule for a no-op on election (private in extended-raft.ts). */
interface ElectionNoOp {
  mustCommitOnElection(this: JointInside): boolean;
}

/** An extended Raft whose methods are the reference's except those `change` replaces; `afterMake` may change the new Raft itself. */
function jointMutant(change: (mutant: JointInside) => void, afterMake: (raft: JointInside) => void = () => {}): MakeExtendedRaft {
  class Mutant extends ExtendedRaft {}
  const mutant = Mutant.prototype as unknown as JointInside;
  // Without the reference's assertion that no committed entry is deleted (see mutant.ts).
  mutant.deleteEntriesFrom = function (this: JointInside, index: number) {
    this.log.truncateAfter(index - 1);
  };
  change(mutant);
  return (peers, me, persister, applyCh, options = {}) => {
    const raft = new Mutant(peers, me, persister, applyCh, options);
    afterMake(raft as unknown as JointInside);
    return raft;
  };
}

const lab5G = ["5G"];

export const jointMutants: Mutant[] = [
  {
    name: "joint-commit-counts-new-config-only",
    rule: "While joint, an entry commits once a majority of C_old and a majority of C_new hold it",
    bug: "commits once a majority of C_new holds an entry, whatever C_old holds",
    parts: lab5G,
    killedBy: { test: "TestJointCommitNeedsBothMajorities5G", seed: 1, check: /a majority of its configuration holds it|must not commit/ },
    substitutes: {
      makeExtendedRaft: jointMutant((m) => {
        m.advanceCommitIndex = function (this: JointInside) {
          const voters = this.configuration.voters;
          for (let n = this.log.lastIndex(); n > this.commitIndex && this.log.term(n) === this.currentTerm; n--) {
            if (isQuorum(voters, [], (v) => this.progress[v]!.matchIndex >= n)) {
              this.setCommitIndex(n);
              return;
            }
          }
        };
      }),
    },
  },
  {
    name: "joint-election-counts-old-config-only",
    rule: "While joint, a candidate wins with the votes of a majority of C_old and a majority of C_new",
    bug: "wins an election while joint with a majority of C_old's votes alone",
    parts: lab5G,
    killedBy: { test: "TestJointElectionNeedsBothMajorities5G", seed: 1, check: /nobody may be elected|voted for it/ },
    substitutes: {
      makeExtendedRaft: jointMutant(
        () => {},
        (raft) => {
          const configuration = raft.configuration;
          configuration.isQuorum = (acked) =>
            raft.role === "candidate" && configuration.isJoint() ? isQuorum(configuration.outgoing, [], acked) : Configuration.prototype.isQuorum.call(configuration, acked);
        },
      ),
    },
  },
  {
    name: "demoted-voter-dropped-at-once",
    rule: "A voter that a joint change demotes stays a voter of C_old until the configuration leaves joint, and only then becomes a learner",
    bug: "makes a demoted voter a learner at once, in the joint entry, dropping it from C_old",
    parts: lab5G,
    killedBy: { test: "TestJointDemotionOnLeave5G", seed: 1, check: /a learner only next|failed to reach agreement|only \d+ decided/ },
    substitutes: {
      makeExtendedRaft: jointMutant((m) => {
        m.appendJointEntry = function (this: JointInside, entry: JointConfEntry): ConfChangeResult {
          if (entry.confChange.type !== "enterJoint" || entry.learnersNext.length === 0) return extendedReference.appendJointEntry.call(this, entry);
          const next = entry.learnersNext;
          const dropped = { ...entry, outgoing: entry.outgoing.filter((v) => !next.includes(v)), learners: [...entry.learners, ...next].sort((a, b) => a - b), learnersNext: [] };
          return extendedReference.appendJointEntry.call(this, dropped);
        };
      }),
    },
  },
  {
    name: "simple-change-accepted-while-joint",
    rule: "While joint, a simple (one-server) change is refused: the configuration must leave joint first",
    bug: "accepts a simple change while joint, applying it to C_new and dropping C_old",
    parts: lab5G,
    killedBy: { test: "TestJointGuards5G", seed: 1, check: /a simple change while joint should be refused/ },
    substitutes: {
      makeExtendedRaft: jointMutant((m) => {
        m.proposeConfChange = function (this: JointInside, change: ConfChange | EnterJoint | LeaveJoint): ConfChangeResult {
          const configuration = this.configuration;
          if (isJointProposal(change) || !configuration.isJoint()) return extendedReference.proposeConfChange.call(this, change);
          const { outgoing, index } = configuration;
          configuration.outgoing = []; // as if not joint, for the guard
          try {
            return extendedReference.proposeConfChange.call(this, change);
          } finally {
            if (configuration.index === index) configuration.outgoing = outgoing; // refused after all: still joint
          }
        };
      }),
    },
  },
  {
    name: "leaves-joint-before-it-commits",
    rule: "The entry that leaves joint is appended only once the joint entry has committed",
    bug: "appends the leave entry right after the joint entry, before C_old,new has committed",
    parts: lab5G,
    killedBy: { test: "TestJointLeaderCrashBeforeCommit5G", seed: 1, check: /at most one uncommitted config entry/ },
    substitutes: {
      makeExtendedRaft: jointMutant((m) => {
        m.appendJointEntry = function (this: JointInside, entry: JointConfEntry): ConfChangeResult {
          const result = extendedReference.appendJointEntry.call(this, entry);
          if (!result.ok || entry.confChange.type !== "enterJoint" || !entry.autoLeave) return result;
          const left = leftJoint(this.configuration);
          if (typeof left !== "string") extendedReference.appendJointEntry.call(this, { confChange: { type: "leaveJoint" }, ...left });
          return result;
        };
      }),
    },
  },
  {
    name: "leader-elected-mid-change-never-leaves",
    rule: "A leader elected while the configuration is joint finishes the change: it commits the joint entry (its no-op) and leaves",
    bug: "a leader elected while joint (or with any config entry uncommitted) appends no no-op, so without client load the joint entry never commits under it and it never leaves",
    parts: lab5G,
    killedBy: { test: "TestJointLeaderCrashAfterCommit5G", seed: 1, check: /should leave joint on its own/ },
    substitutes: {
      makeExtendedRaft: jointMutant((m) => {
        (m as unknown as ElectionNoOp).mustCommitOnElection = () => false;
      }),
    },
  },
  {
    name: "no-op-on-election-only-with-auto-leave",
    rule: "A leader elected with a config entry past its commit index appends a no-op, with autoLeave or not (the 5G nemesis at seed 366)",
    bug: "appends its no-op on election only for a joint configuration with autoLeave (or when it is no voter), so that a leader elected before a joint entry with autoLeave false committed never commits it without client load, and refuses leaveJoint forever",
    parts: lab5G,
    killedBy: { test: "TestJointLeaderElectedBeforeCommitWithoutAutoLeave5G", seed: 1, check: /should accept \{"leaveJoint":true\}/ },
    substitutes: {
      makeExtendedRaft: jointMutant((m) => {
        (m as unknown as ElectionNoOp).mustCommitOnElection = function (this: JointInside) {
          return (this.configuration.isJoint() && this.configuration.autoLeave) || !this.configuration.isVoter(this.me);
        };
      }),
    },
  },
  {
    name: "unseated-server-never-campaigns",
    rule: "A server that an uncommitted leave entry removed or demoted may campaign (for C_new) when no leader speaks to it",
    bug: "never campaigns once its configuration makes it no voter, so that a leave entry that reached only the servers it removes leaves the cluster without a possible leader",
    parts: lab5G,
    killedBy: { test: "TestLeaveReachingOnlyRemovedServers5G", seed: 1, check: /should lead a term above/ },
    substitutes: {
      makeExtendedRaft: jointMutant((m) => {
        (m as unknown as { mayCampaign(this: JointInside): boolean }).mayCampaign = function (this: JointInside) {
          return this.configuration.isVoter(this.me);
        };
      }),
    },
  },
  {
    name: "removed-by-leave-never-told",
    rule: "A server that leaving joint removes is still sent the log until the next change, so that it learns it is out",
    bug: "stops calling a server the moment the leave entry removes it, so that it never learns, believes itself a voter of C_old, and campaigns",
    parts: lab5G,
    killedBy: { test: "TestJointReplaceLeader5G", seed: 1, check: /should commit, and reach|should never campaign|should send nothing/ },
    substitutes: {
      makeExtendedRaft: jointMutant(
        () => {},
        (raft) => {
          const configuration = raft.configuration;
          configuration.refresh = (log: RaftLog) => {
            Configuration.prototype.refresh.call(configuration, log);
            configuration.departing = [];
          };
        },
      ),
    },
  },
];
