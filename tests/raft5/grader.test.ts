// The lab-5 graders must be able to fail. The 5A grader: Its "…WithoutPreVote" tests document what PreVote and
// CheckQuorum prevent: run with both on (substituted for the Rafts the tests start with both off),
// they must fail, saying so. The broken extended Rafts are tests/mutants/raft5-mutants.ts (each
// killed where tests/mutants/mutants.test.ts says); here, that each 5A test kills one of them or is
// a control, so that no 5A test is one that cannot fail. The same for 5B: each 5B test kills one of
// the broken transfers; and for 5C, whose control (stale reads the checker must reject) fails
// when the "stale" reads are in fact safe ones; and for 5E, each kills a broken membership change
// (tests/mutants/membership-mutants.ts) or 5A's lease.
import { describe, expect, it } from "vitest";
import { make } from "../../raft-extensions/extended-raft.ts";
import { raft5Mutants } from "../mutants/raft5-mutants.ts";
import { kills } from "../mutants/mutant.ts";
import { tests } from "./5A.ts";
import { tests as tests5B } from "./5B.ts";
import { tests as tests5C } from "./5C.ts";
import { startKVServer } from "../../raft-extensions/kv-server.ts";
import { membershipMutants } from "../mutants/membership-mutants.ts";
import { raft5ScenarioMutants } from "../mutants/raft5-scenario-mutants.ts";
import { tests as tests5E } from "./5E.ts";
import { tests as tests5F } from "./5F.ts";
import { jointMutants } from "../mutants/joint-mutants.ts";
import { configSnapshotMutants } from "../mutants/config-snapshot-mutants.ts";
import { membershipKvMutants } from "../mutants/membership-kv-mutants.ts";
import { tests as tests5G } from "./5G.ts";

const withBoth = { makeExtendedRaft: ((peers, me, persister, applyCh) => make(peers, me, persister, applyCh, { preVote: true, checkQuorum: true })) satisfies typeof make };

/** Each control, and the start of its failure when the features are on after all. */
const controls: [test: string, failure: string][] = [
  ["TestRejoinWithoutPreVoteDeposes5A", "without PreVote, server"],
  ["TestPartialMeshChurnsWithoutPreVote5A", "without PreVote, servers 3 and 4 should depose"],
];

/** Each other 5A test, and a mutant it kills at seed 1 (beyond the one mutants.test.ts names for it). */
const kills5A: [test: string, mutant: string][] = [
  ["TestPreVoteRejoin5A", "pre-vote-increments-the-term"],
  ["TestPreVoteNeedsAnUpToDateLog5A", "pre-vote-ignores-the-log"],
  ["TestVoteLeaseRefusesWhileLeaderAlive5A", "no-vote-lease"],
  ["TestIsolatedLeaderStepsDown5A", "check-quorum-never-steps-down"],
  ["TestIsolatedLeaderTurnsClientsAway5A", "check-quorum-never-steps-down"],
  ["TestPartialMeshIsStable5A", "pre-vote-changes-the-voters-term"],
  ["TestBridgeElectsANewLeader5A", "vote-lease-without-check-quorum"],
  ["TestStrandedHigherTermConverges5A", "leader-under-lease-ignores-higher-terms"],
  ["TestLeaderLossElectsQuickly5A", "pre-candidate-adopts-the-echoed-term"],
  ["TestDisruptiveServerIsIgnored5A", "no-vote-lease"],
  ["TestLowerTermRestartCanElect5A", "vote-reply-carries-the-old-term"],
  ["TestNemesisUnderLoad5A", "leads-on-pre-votes"],
];

describe("the 5A grader can fail", () => {
  it("lists every 5A test once", () => {
    expect([...controls.map(([t]) => t), ...kills5A.map(([t]) => t)].sort()).toEqual(tests.map((t) => t.name).sort());
  });

  for (const [name, failure] of controls) {
    it(`${name} fails when PreVote and CheckQuorum are on`, async () => {
      const report = await tests.find((t) => t.name === name)!.run(1, { substitutes: withBoth });
      expect(report.failure).toContain(`${name} failed: TestFailure: ${failure}`);
    });
  }

  for (const [name, mutantName] of kills5A) {
    it(`${name} fails ${mutantName}`, async () => {
      const mutant = raft5Mutants.find((m) => m.name === mutantName)!;
      const report = await tests.find((t) => t.name === name)!.run(1, { substitutes: mutant.substitutes });
      expect(kills(report), report.failure ?? "the test passed").toBe(true);
    });
  }
});

/** Each 5B test, and a mutant it kills at seed 1. */
const kills5B: [test: string, mutant: string][] = [
  ["TestTransferToUpToDateFollower5B", "timeout-now-skips-a-term"],
  ["TestTransferWalksEveryPeer5B", "timeout-now-to-the-wrong-peer"],
  ["TestTransferRequestedAtFollower5B", "follower-drops-transfer-requests"],
  ["TestTransferToSlowTarget5B", "timeout-now-before-catch-up"],
  ["TestTransferAfterCompaction5B", "timeout-now-pre-votes-first"],
  ["TestTransferTimesOut5B", "transfer-never-times-out"],
  ["TestNoCommandsDuringTransfer5B", "transfer-accepts-commands"],
  ["TestTransferToInvalidTarget5B", "transfer-to-self-blocks-commands"],
  ["TestSecondTransferReplacesTheFirst5B", "second-transfer-ignored"],
  ["TestRepeatedTransferKeepsItsDeadline5B", "repeated-transfer-extends-the-deadline"],
  ["TestTransferWithVoteLease5B", "transfer-vote-not-exempt-from-the-lease"],
  ["TestTransferNemesisUnderLoad5B", "transfer-accepts-commands"],
];

describe("the 5B grader can fail", () => {
  it("lists every 5B test once", () => {
    expect(kills5B.map(([t]) => t).sort()).toEqual(tests5B.map((t) => t.name).sort());
  });

  for (const [name, mutantName] of kills5B) {
    it(`${name} fails ${mutantName}`, async () => {
      const mutant = raft5Mutants.find((m) => m.name === mutantName)!;
      const report = await tests5B.find((t) => t.name === name)!.run(1, { substitutes: mutant.substitutes });
      expect(kills(report), report.failure ?? "the test passed").toBe(true);
    });
  }
});

/** Each 5C test, and a mutant it kills at seed 1. */
const kills5C: [test: string, mutant: string][] = [
  ["TestReadIndexAppendsNothing5C", "read-index-appends-for-every-read"],
  ["TestReadIndexBatchesRounds5C", "a-round-per-read"],
  ["TestReadIndexWaitsForItsTermsCommit5C", "read-index-before-its-terms-commit"],
  ["TestDeposedLeaderConfirmsNoRead5C", "read-index-skips-the-heartbeat-round"],
  ["TestReadIndexIgnoresEarlierRounds5C", "read-joins-the-round-in-flight"],
  ["TestFollowerReadIndex5C", "follower-reads-at-its-own-commit-index"],
  ["TestPendingReadsFailOnLeaderChange5C", "pending-reads-outlive-leadership"],
  ["TestDeposedLeaderServesNoStaleRead5C", "read-index-skips-the-heartbeat-round"],
  ["TestFollowerReadWaitsForApply5C", "follower-read-before-apply"],
  ["TestReadIndexPartitions5C", "read-index-before-its-terms-commit"],
  ["TestFollowerReadsUnreliablePartitions5C", "follower-read-before-apply"],
];

/** "Stale" reads that are ReadIndex reads after all: the control must then fail. */
const safeStaleReads = {
  startReadingKVServer: ((peers, me, persister, maxraftstate, options) =>
    startKVServer(peers, me, persister, maxraftstate, { ...options, readMode: options.readMode === "stale" ? "readIndex" : options.readMode })) satisfies typeof startKVServer,
};

describe("the 5C grader can fail", () => {
  it("lists every 5C test once", () => {
    expect([...kills5C.map(([t]) => t), "TestStaleReadsAreCaught5C"].sort()).toEqual(tests5C.map((t) => t.name).sort());
  });

  it("TestStaleReadsAreCaught5C fails when the stale reads are safe", async () => {
    const report = await tests5C.find((t) => t.name === "TestStaleReadsAreCaught5C")!.run(1, { substitutes: safeStaleReads });
    expect(report.failure).toContain("TestStaleReadsAreCaught5C failed: TestFailure: a stale read at cut-off leader");
  });

  for (const [name, mutantName] of kills5C) {
    it(`${name} fails ${mutantName}`, async () => {
      const mutant = raft5Mutants.find((m) => m.name === mutantName)!;
      const report = await tests5C.find((t) => t.name === name)!.run(1, { substitutes: mutant.substitutes });
      expect(kills(report), report.failure ?? "the test passed").toBe(true);
    });
  }
});

/** Each 5E test, and a mutant it kills at seed 1 (a broken membership change, or 5A's lease). */
const kills5E: [test: string, mutant: string][] = [
  ["TestAddVoter5E", "ignores-leaders-outside-its-configuration"],
  ["TestRemovedFollowerIsNotDisruptive5E", "no-vote-lease"],
  ["TestLeaderRemovesItself5E", "removed-leader-keeps-leading"],
  ["TestTwoServersRemoveFollower5E", "config-used-only-when-committed"],
  ["TestTwoServersLeaderRemovesItself5E", "removed-leader-counts-itself"],
  ["TestOwnTermBarrier5E", "conf-change-without-the-barrier"],
  ["TestOneChangeAtATime5E", "two-uncommitted-conf-changes"],
  ["TestConfigFallsBackOnTruncation5E", "no-fallback-on-truncation"],
  ["TestCommitAfterRemove5E", "config-used-only-when-committed"],
  ["TestRemovalReleasesPendingRead5E", "read-round-not-recounted-on-conf-change"],
  ["TestRemovingTransferTargetEndsTransfer5E", "transfer-outlives-its-targets-removal"],
  ["TestTransferTargetWithUnappliedConfig5E", "target-campaigns-with-unapplied-config"],
  ["TestConfChangerNemesis5E", "two-uncommitted-conf-changes"],
  ["TestConfigInSnapshot5E", "install-snapshot-without-config"],
  ["TestKVMembershipChangeLinearizable5E", "removed-leader-counts-itself"],
  ["TestReadQuorumFollowsTheConfiguration5E", "read-round-counts-the-first-configuration"],
];

describe("the 5E grader can fail", () => {
  it("lists every 5E test once", () => {
    expect(kills5E.map(([t]) => t).sort()).toEqual(tests5E.map((t) => t.name).sort());
  });

  for (const [name, mutantName] of kills5E) {
    it(`${name} fails ${mutantName}`, async () => {
      const mutant = [...membershipMutants, ...raft5Mutants, ...raft5ScenarioMutants, ...configSnapshotMutants, ...membershipKvMutants].find((m) => m.name === mutantName)!;
      const report = await tests5E.find((t) => t.name === name)!.run(1, { substitutes: mutant.substitutes });
      expect(kills(report), report.failure ?? "the test passed").toBe(true);
    });
  }
});

/** Each 5F test, and a broken learner it kills at seed 1. */
const kills5F: [test: string, mutant: string][] = [
  ["TestLearnersHaveNoQuorumPower5F", "learner-counts-toward-commit"],
  ["TestLearnerNeverCampaigns5F", "learner-campaigns-on-timeout-now"],
  ["TestPromotionWaitsForCatchUp5F", "promotes-without-catch-up"],
  ["TestLearnerReadIndex5F", "ignores-leaders-outside-its-configuration"],
  ["TestLearnerMustVote5F", "learner-refuses-to-vote"],
  ["TestLearnerReadsLinearizable5F", "learner-reads-its-own-commit-index"],
  ["TestCheckQuorumIgnoresLearners5F", "check-quorum-counts-learners"],
  ["TestLeaseCountsOnlyVoters5F", "lease-counts-every-member"],
  ["TestSnapshotKeepsLearners5F", "config-in-snapshot-kept-in-memory-only"],
  ["TestCatchUpThatNeverEndsAborts5F", "promotes-without-catch-up"],
];

describe("the 5F grader can fail", () => {
  it("lists every 5F test once", () => {
    expect(kills5F.map(([t]) => t).sort()).toEqual(tests5F.map((t) => t.name).sort());
  });

  for (const [name, mutantName] of kills5F) {
    it(`${name} fails ${mutantName}`, async () => {
      const mutant = [...membershipMutants, ...raft5ScenarioMutants, ...configSnapshotMutants, ...membershipKvMutants].find((m) => m.name === mutantName)!;
      const report = await tests5F.find((t) => t.name === name)!.run(1, { substitutes: mutant.substitutes });
      expect(kills(report), report.failure ?? "the test passed").toBe(true);
    });
  }
});

/** Each 5G test, and a broken joint consensus it kills at seed 1. */
const kills5G: [test: string, mutant: string][] = [
  ["TestJointReplaceAll5G", "leaves-joint-before-it-commits"],
  ["TestJointLeaderCrashBeforeCommit5G", "leaves-joint-before-it-commits"],
  ["TestJointLeaderCrashAfterCommit5G", "leader-elected-mid-change-never-leaves"],
  ["TestJointCommitNeedsBothMajorities5G", "joint-commit-counts-new-config-only"],
  ["TestJointElectionNeedsBothMajorities5G", "joint-election-counts-old-config-only"],
  ["TestJointGuards5G", "simple-change-accepted-while-joint"],
  ["TestJointDemotionOnLeave5G", "demoted-voter-dropped-at-once"],
  ["TestJointReplaceLeader5G", "removed-by-leave-never-told"],
  ["TestJointChangeNemesis5G", "joint-commit-counts-new-config-only"],
  ["TestJointInSnapshot5G", "config-in-snapshot-kept-in-memory-only"],
  ["TestLeaveReachingOnlyRemovedServers5G", "unseated-server-never-campaigns"],
  ["TestJointLeaderElectedBeforeCommitWithoutAutoLeave5G", "no-op-on-election-only-with-auto-leave"],
  ["TestKVReplaceAllLinearizable5G", "leaves-joint-before-it-commits"],
];

describe("the 5G grader can fail", () => {
  it("lists every 5G test once", () => {
    expect(kills5G.map(([t]) => t).sort()).toEqual(tests5G.map((t) => t.name).sort());
  });

  for (const [name, mutantName] of kills5G) {
    it(`${name} fails ${mutantName}`, async () => {
      const mutant = [...jointMutants, ...configSnapshotMutants].find((m) => m.name === mutantName)!;
      const report = await tests5G.find((t) => t.name === name)!.run(1, { substitutes: mutant.substitutes });
      expect(kills(report), report.failure ?? "the test passed").toBe(true);
    });
  }
});
