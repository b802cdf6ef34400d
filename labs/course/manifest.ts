// The course, described once: its labs, what each is made of, and what each test is worth. Every
// course tool reads this file and nothing else for it:
//   - `simlab handout` (handout.ts) builds a student repository from the framework and each lab's
//     handout, given files and graders, with the student files turned into skeletons;
//   - `simlab grade` (grade.ts) takes only the student files from a submission, and scores each
//     test by its points, running it within its events budget;
//   - `simlab --help` lists the parts, and a student repository's README its labs and files.
//
// A path ending in "/" is a folder: every file in it (for student files, every .ts file, so a file
// a student adds there is theirs too). Paths are relative to the repository's root.
//
// Points. A test scores its points only when it passes on every seed graded (6.824's practice of
// running each test many times). Events budgets. A run that dispatches more events than its test's
// budget fails (sim/core/simulation.ts, maxEvents): a deterministic limit on work, so that a
// solution that burns work without progress fails the same way on every machine. Each budget is
// about 20 times the most events the reference solution used on that test over seeds 1 to 10, and
// at least 200,000 (docs/teaching.md says how to measure them again).
import { edition } from "../../tests/harness/edition.ts";

export interface TestScore {
  /** What the test is worth when it passes on every seed. */
  points: number;
  /** The most events one run may dispatch (simlab grade's limit on work). */
  maxEvents: number;
}

export interface Part {
  /** "2A": the name of its tests/registry.ts entry. */
  name: string;
  /** What the part is about, for tables and READMEs. */
  topic: string;
  /** Every test of the part, by its 6.824 name, in the registry's order. */
  tests: Readonly<Record<string, TestScore>>;
}

export interface Lab {
  number: number;
  title: string;
  /** The handout a student reads. */
  handout: string;
  /** The labs whose student code this one runs on (lab 3's KV servers run the student's own Raft). */
  buildsOn: readonly number[];
  parts: readonly Part[];
  /** What a student writes: skeletons in a handout, taken from the submission when grading. */
  studentFiles: readonly string[];
  /** What a student gets as it is; when grading, always the official copy. */
  givenFiles: readonly string[];
  /** The lab's graders: in every handout, never taken from a submission. */
  graders: readonly string[];
  /** simlab's own tests of the graders, which break the reference solution on purpose: not in handouts. */
  staffOnly: readonly string[];
}

/** What every student repository has besides the labs: the simulator, the CLI, the test harness. */
export const framework: readonly string[] = [
  "sim/",
  "labs/cli/",
  "labs/course/",
  "tests/harness/",
  "tests/registry.ts",
  "tests/scenario/",
  "docs/architecture.md",
  "docs/scenarios.md",
  "package.json",
  "package-lock.json",
  "tsconfig.json",
  "vitest.config.ts",
  ".gitignore",
];

/** simlab's own tests of the framework: they test no student code, so handouts leave them out. */
export const frameworkStaffOnly: readonly string[] = [
  "tests/harness/value-diff.test.ts",
  "tests/harness/wire-monitors.test.ts",
  // The scenario runner's own tests: they run the library in scenarios/ (not handed out), broken
  // servers, and the CLI's test helpers.
  "tests/scenario/cli.test.ts",
  "tests/scenario/library.test.ts",
  "tests/scenario/load.test.ts",
  "tests/scenario/messages.test.ts",
  "tests/scenario/mutants.test.ts",
  "tests/scenario/nemesis.test.ts",
  "tests/scenario/shrink.test.ts",
  "tests/scenario/timeline.test.ts",
  "tests/scenario/fixtures/broken-commit-part.ts",
  "tests/scenario/fixtures/shardkv-every-group-leaves.yaml",
  "tests/scenario/shardkv-endpoints.test.ts",
];

export const labs: readonly Lab[] = [
  {
    number: 2,
    title: "Raft",
    handout: "labs/lab2-raft.md",
    buildsOn: [],
    parts: [
      {
        name: "2A",
        topic: "leader election",
        tests: {
          TestInitialElection2A: { points: 5, maxEvents: 200_000 },
          TestReElection2A: { points: 5, maxEvents: 200_000 },
          TestManyElections2A: { points: 5, maxEvents: 200_000 },
        },
      },
      {
        name: "2B",
        topic: "log replication",
        tests: {
          TestBasicAgree2B: { points: 3, maxEvents: 200_000 },
          TestRPCBytes2B: { points: 3, maxEvents: 200_000 },
          TestFollowerFailure2B: { points: 3, maxEvents: 200_000 },
          TestLeaderFailure2B: { points: 3, maxEvents: 200_000 },
          TestFailAgree2B: { points: 3, maxEvents: 200_000 },
          TestFailNoAgree2B: { points: 3, maxEvents: 200_000 },
          TestConcurrentStarts2B: { points: 3, maxEvents: 200_000 },
          TestRejoin2B: { points: 3, maxEvents: 200_000 },
          TestBackup2B: { points: 3, maxEvents: 200_000 },
          TestCount2B: { points: 3, maxEvents: 200_000 },
        },
      },
      {
        name: "2C",
        topic: "persistence",
        tests: {
          TestPersist12C: { points: 5, maxEvents: 200_000 },
          TestPersist22C: { points: 5, maxEvents: 200_000 },
          TestPersist32C: { points: 5, maxEvents: 200_000 },
          TestFigure82C: { points: 5, maxEvents: 200_000 },
          TestUnreliableAgree2C: { points: 5, maxEvents: 200_000 },
          TestFigure8Unreliable2C: { points: 5, maxEvents: 240_000 },
          TestReliableChurn2C: { points: 5, maxEvents: 600_000 },
          TestUnreliableChurn2C: { points: 5, maxEvents: 230_000 },
        },
      },
      {
        name: "2D",
        topic: "log compaction",
        tests: {
          TestSnapshotBasic2D: { points: 5, maxEvents: 200_000 },
          TestSnapshotInstall2D: { points: 5, maxEvents: 200_000 },
          TestSnapshotInstallUnreliable2D: { points: 5, maxEvents: 200_000 },
          TestSnapshotInstallCrash2D: { points: 5, maxEvents: 200_000 },
          TestSnapshotInstallUnCrash2D: { points: 5, maxEvents: 200_000 },
          TestSnapshotAllCrash2D: { points: 5, maxEvents: 200_000 },
          TestSnapshotInit2D: { points: 5, maxEvents: 200_000 },
        },
      },
      {
        name: "2X",
        topic: "conformance: one server against the rules of Figures 2 and 13, the harness playing its peers",
        tests: {
          TestVoteRefusedToAnOlderTerm2X: { points: 1, maxEvents: 200_000 },
          TestOneVotePerTerm2X: { points: 1, maxEvents: 200_000 },
          TestVoteNeedsAnUpToDateLog2X: { points: 1, maxEvents: 200_000 },
          TestLeaderStepsDownForAHigherTermRequest2X: { points: 1, maxEvents: 200_000 },
          TestLeaderStepsDownForAHigherTermReply2X: { points: 1, maxEvents: 200_000 },
          TestCandidateCountsVotesOfThisElectionOnly2X: { points: 1, maxEvents: 200_000 },
          TestCandidateFollowsTheNewLeader2X: { points: 1, maxEvents: 200_000 },
          TestHeartbeatsHoldOffElections2X: { points: 1, maxEvents: 200_000 },
          TestAppendRefusedFromAnOlderTerm2X: { points: 1, maxEvents: 200_000 },
          TestAppendNeedsTheLeadersPrevEntry2X: { points: 1, maxEvents: 200_000 },
          TestAppendTruncatesOnlyAtAConflict2X: { points: 1, maxEvents: 200_000 },
          TestAppendAddsOnlyNewEntries2X: { points: 1, maxEvents: 200_000 },
          TestCommitIndexStopsAtTheLastNewEntry2X: { points: 1, maxEvents: 200_000 },
          TestLeaderCommitsOnlyByItsOwnTerm2X: { points: 1, maxEvents: 200_000 },
          TestLeaderCommitsWithAMajority2X: { points: 1, maxEvents: 200_000 },
          TestLeaderBacksUpToAFollowersLog2X: { points: 1, maxEvents: 200_000 },
          TestTermSavedBeforeReplying2X: { points: 1, maxEvents: 200_000 },
          TestVoteSavedBeforeReplying2X: { points: 1, maxEvents: 200_000 },
          TestOwnVoteSavedBeforeAsking2X: { points: 1, maxEvents: 200_000 },
          TestLogSavedBeforeReplying2X: { points: 1, maxEvents: 200_000 },
          TestSnapshotRefusedFromAnOlderTerm2X: { points: 1, maxEvents: 200_000 },
          TestStaleSnapshotChangesNothing2X: { points: 1, maxEvents: 200_000 },
          TestSnapshotKeepsAMatchingSuffix2X: { points: 1, maxEvents: 200_000 },
          TestSnapshotDiscardsAConflictingLog2X: { points: 1, maxEvents: 200_000 },
          TestSnapshotReachesTheServiceFirst2X: { points: 1, maxEvents: 200_000 },
          TestSnapshotSavedBeforeReplying2X: { points: 1, maxEvents: 200_000 },
        },
      },
    ],
    studentFiles: ["raft/raft.ts", "raft/log.ts", "raft/progress.ts", "raft/persist.ts"],
    givenFiles: ["raft/types.ts"],
    graders: ["tests/raft/"],
    staffOnly: ["tests/raft/grader.test.ts", "tests/raft/conformance.test.ts"],
  },
  {
    number: 3,
    title: "fault-tolerant key/value service",
    handout: "labs/lab3-kvraft.md",
    buildsOn: [2],
    parts: [
      {
        name: "3A",
        topic: "a fault-tolerant KV service, without snapshots",
        tests: {
          TestBasic3A: { points: 5, maxEvents: 430_000 },
          TestSpeed3A: { points: 5, maxEvents: 340_000 },
          TestConcurrent3A: { points: 5, maxEvents: 1_100_000 },
          TestUnreliable3A: { points: 5, maxEvents: 410_000 },
          TestUnreliableOneKey3A: { points: 5, maxEvents: 200_000 },
          TestOnePartition3A: { points: 5, maxEvents: 200_000 },
          TestManyPartitionsOneClient3A: { points: 5, maxEvents: 370_000 },
          TestManyPartitionsManyClients3A: { points: 5, maxEvents: 800_000 },
          TestPersistOneClient3A: { points: 5, maxEvents: 580_000 },
          TestPersistConcurrent3A: { points: 5, maxEvents: 1_700_000 },
          TestPersistConcurrentUnreliable3A: { points: 5, maxEvents: 610_000 },
          TestPersistPartition3A: { points: 5, maxEvents: 1_400_000 },
          TestPersistPartitionUnreliable3A: { points: 5, maxEvents: 500_000 },
          TestPersistPartitionUnreliableLinearizable3A: { points: 5, maxEvents: 1_500_000 },
        },
      },
      {
        name: "3B",
        topic: "with snapshots",
        tests: {
          TestSnapshotRPC3B: { points: 5, maxEvents: 200_000 },
          TestSnapshotSize3B: { points: 5, maxEvents: 270_000 },
          TestSpeed3B: { points: 5, maxEvents: 340_000 },
          TestSnapshotRecover3B: { points: 5, maxEvents: 430_000 },
          TestSnapshotRecoverManyClients3B: { points: 5, maxEvents: 2_700_000 },
          TestSnapshotUnreliable3B: { points: 5, maxEvents: 400_000 },
          TestSnapshotUnreliableRecover3B: { points: 5, maxEvents: 430_000 },
          TestSnapshotUnreliableRecoverConcurrentPartition3B: { points: 5, maxEvents: 330_000 },
          TestSnapshotUnreliableRecoverConcurrentPartitionLinearizable3B: { points: 5, maxEvents: 860_000 },
        },
      },
    ],
    studentFiles: ["kvraft/client.ts", "kvraft/server.ts"],
    givenFiles: ["kvraft/common.ts"],
    graders: ["tests/kvraft/"],
    staffOnly: ["tests/kvraft/bad-servers.test.ts"],
  },
  {
    number: 4,
    title: "sharded key/value service",
    handout: "labs/lab4-sharding.md",
    buildsOn: [2],
    parts: [
      {
        name: "4A",
        topic: "the shardmaster",
        tests: {
          TestBasic: { points: 6, maxEvents: 200_000 },
          TestMulti: { points: 6, maxEvents: 200_000 },
          TestUnreliable4A: { points: 6, maxEvents: 200_000 },
          TestOnePartition4A: { points: 6, maxEvents: 200_000 },
          TestBadInput4A: { points: 6, maxEvents: 200_000 },
        },
      },
      {
        name: "4B",
        topic: "ShardKV, with shard migration and both challenges",
        tests: {
          TestStaticShards: { points: 5, maxEvents: 200_000 },
          TestJoinLeave: { points: 5, maxEvents: 200_000 },
          TestSnapshot: { points: 5, maxEvents: 230_000 },
          TestMissChange: { points: 5, maxEvents: 200_000 },
          TestConcurrent1: { points: 5, maxEvents: 240_000 },
          TestConcurrent2: { points: 5, maxEvents: 720_000 },
          TestConcurrent3: { points: 5, maxEvents: 1_100_000 },
          TestUnreliable1: { points: 5, maxEvents: 220_000 },
          TestUnreliable2: { points: 5, maxEvents: 260_000 },
          TestUnreliable3: { points: 5, maxEvents: 240_000 },
          TestChallenge1Delete: { points: 5, maxEvents: 350_000 },
          TestChallenge2Unaffected: { points: 5, maxEvents: 200_000 },
          TestChallenge2Partial: { points: 5, maxEvents: 200_000 },
          TestPartitionDuringMigration4B: { points: 5, maxEvents: 520_000 },
          TestConcurrentCrashLinearizable4B: { points: 5, maxEvents: 270_000 },
        },
      },
    ],
    studentFiles: ["shardmaster/client.ts", "shardmaster/server.ts", "shardmaster/changes.ts", "shardmaster/rebalance.ts", "shardkv/"],
    givenFiles: ["shardmaster/common.ts"],
    graders: ["tests/shardmaster/", "tests/shardkv/"],
    staffOnly: ["tests/shardmaster/bad-masters.test.ts", "tests/shardkv/bad-servers.test.ts", "tests/shardkv/key2shard.test.ts", "tests/shardkv/broken-shardkvs.ts", "tests/shardkv/scenario-world.test.ts", "tests/shardkv/scenario-links.test.ts", "tests/shardkv/scenario-messages.test.ts", "tests/shardkv/scenario-shrink-explore.test.ts"],
  },
  {
    number: 5,
    title: "Raft extensions",
    handout: "labs/lab5-raft-extensions.md",
    // Lab 3 for 5C: lab 5's KV server shares lab 3's RPCs and clerk, and 5C's KV tests lab 3's tester.
    buildsOn: [2, 3],
    parts: [
      {
        name: "5A",
        topic: "PreVote and CheckQuorum (the controls, which run without them, 1 point each)",
        tests: {
          TestPreVoteRejoin5A: { points: 5, maxEvents: 200_000 },
          TestRejoinWithoutPreVoteDeposes5A: { points: 1, maxEvents: 200_000 },
          TestPreVoteNeedsAnUpToDateLog5A: { points: 5, maxEvents: 200_000 },
          TestVoteLeaseRefusesWhileLeaderAlive5A: { points: 5, maxEvents: 200_000 },
          TestIsolatedLeaderStepsDown5A: { points: 5, maxEvents: 200_000 },
          TestIsolatedLeaderTurnsClientsAway5A: { points: 5, maxEvents: 200_000 },
          TestPartialMeshIsStable5A: { points: 5, maxEvents: 200_000 },
          TestPartialMeshChurnsWithoutPreVote5A: { points: 1, maxEvents: 200_000 },
          TestBridgeElectsANewLeader5A: { points: 5, maxEvents: 200_000 },
          TestStrandedHigherTermConverges5A: { points: 5, maxEvents: 200_000 },
          TestLeaderLossElectsQuickly5A: { points: 5, maxEvents: 200_000 },
          TestDisruptiveServerIsIgnored5A: { points: 5, maxEvents: 200_000 },
          TestLowerTermRestartCanElect5A: { points: 5, maxEvents: 200_000 },
          TestNemesisUnderLoad5A: { points: 5, maxEvents: 590_000 },
        },
      },
      {
        name: "5B",
        topic: "leadership transfer (TimeoutNow)",
        tests: {
          TestTransferToUpToDateFollower5B: { points: 5, maxEvents: 200_000 },
          TestTransferWalksEveryPeer5B: { points: 5, maxEvents: 200_000 },
          TestTransferRequestedAtFollower5B: { points: 5, maxEvents: 200_000 },
          TestTransferToSlowTarget5B: { points: 5, maxEvents: 200_000 },
          TestTransferAfterCompaction5B: { points: 5, maxEvents: 200_000 },
          TestTransferTimesOut5B: { points: 5, maxEvents: 200_000 },
          TestNoCommandsDuringTransfer5B: { points: 5, maxEvents: 200_000 },
          TestTransferToInvalidTarget5B: { points: 5, maxEvents: 200_000 },
          TestSecondTransferReplacesTheFirst5B: { points: 5, maxEvents: 200_000 },
          TestRepeatedTransferKeepsItsDeadline5B: { points: 5, maxEvents: 200_000 },
          TestTransferWithVoteLease5B: { points: 5, maxEvents: 200_000 },
          TestTransferNemesisUnderLoad5B: { points: 5, maxEvents: 840_000 },
        },
      },
      {
        name: "5C",
        topic: "ReadIndex and follower reads, and a KV service that reads by them (the stale-read control, 1 point)",
        tests: {
          TestReadIndexAppendsNothing5C: { points: 5, maxEvents: 200_000 },
          TestReadIndexBatchesRounds5C: { points: 5, maxEvents: 200_000 },
          TestReadIndexWaitsForItsTermsCommit5C: { points: 5, maxEvents: 200_000 },
          TestDeposedLeaderConfirmsNoRead5C: { points: 5, maxEvents: 200_000 },
          TestReadIndexIgnoresEarlierRounds5C: { points: 5, maxEvents: 200_000 },
          TestFollowerReadIndex5C: { points: 5, maxEvents: 200_000 },
          TestPendingReadsFailOnLeaderChange5C: { points: 5, maxEvents: 200_000 },
          TestDeposedLeaderServesNoStaleRead5C: { points: 5, maxEvents: 200_000 },
          TestStaleReadsAreCaught5C: { points: 1, maxEvents: 200_000 },
          TestFollowerReadWaitsForApply5C: { points: 5, maxEvents: 200_000 },
          TestReadIndexPartitions5C: { points: 5, maxEvents: 680_000 },
          TestFollowerReadsUnreliablePartitions5C: { points: 5, maxEvents: 280_000 },
        },
      },
      {
        name: "5D",
        topic: "Lease reads under clock drift and process pauses (the drift-beyond-bound control, 1 point)",
        tests: {
          TestLeaseReadsSendNothing5D: { points: 5, maxEvents: 200_000 },
          TestNoLeaseBeforeItsTermsCommit5D: { points: 5, maxEvents: 200_000 },
          TestLeaseExpiresBeforeANewLeaderCommits5D: { points: 5, maxEvents: 200_000 },
          TestLeaseBeyondDriftBoundIsCaught5D: { points: 1, maxEvents: 200_000 },
          TestLeaseUnderWorstCaseDrift5D: { points: 5, maxEvents: 200_000 },
          TestLeaseReadsUnderBoundedDrift5D: { points: 5, maxEvents: 800_000 },
          TestLeaseReadsUnderBoundedDriftUnreliable5D: { points: 5, maxEvents: 290_000 },
          TestLeaseDroppedForTransfer5D: { points: 5, maxEvents: 200_000 },
          TestLateTimeoutNowAfterAbort5D: { points: 5, maxEvents: 200_000 },
          TestLeaseStartsAtSendTime5D: { points: 5, maxEvents: 200_000 },
          TestLeaseNotFromCheckQuorum5D: { points: 5, maxEvents: 200_000 },
          TestLeaseReadAfterPause5D: { points: 5, maxEvents: 200_000 },
        },
      },
      {
        name: "5E",
        topic: "single-server membership change, with the own-term barrier",
        tests: {
          TestAddVoter5E: { points: 5, maxEvents: 200_000 },
          TestRemovedFollowerIsNotDisruptive5E: { points: 5, maxEvents: 200_000 },
          TestLeaderRemovesItself5E: { points: 5, maxEvents: 200_000 },
          TestTwoServersRemoveFollower5E: { points: 5, maxEvents: 200_000 },
          TestTwoServersLeaderRemovesItself5E: { points: 5, maxEvents: 200_000 },
          TestOwnTermBarrier5E: { points: 5, maxEvents: 200_000 },
          TestOneChangeAtATime5E: { points: 5, maxEvents: 200_000 },
          TestConfigFallsBackOnTruncation5E: { points: 5, maxEvents: 200_000 },
          TestCommitAfterRemove5E: { points: 5, maxEvents: 200_000 },
          TestRemovalReleasesPendingRead5E: { points: 5, maxEvents: 200_000 },
          TestRemovingTransferTargetEndsTransfer5E: { points: 5, maxEvents: 200_000 },
          TestTransferTargetWithUnappliedConfig5E: { points: 5, maxEvents: 200_000 },
          TestConfChangerNemesis5E: { points: 5, maxEvents: 200_000 },
          TestConfigInSnapshot5E: { points: 5, maxEvents: 200_000 },
          TestKVMembershipChangeLinearizable5E: { points: 5, maxEvents: 200_000 },
          TestReadQuorumFollowsTheConfiguration5E: { points: 5, maxEvents: 200_000 },
        },
      },
      {
        name: "5F",
        topic: "learners (non-voting members)",
        tests: {
          TestLearnersHaveNoQuorumPower5F: { points: 5, maxEvents: 200_000 },
          TestLearnerNeverCampaigns5F: { points: 5, maxEvents: 200_000 },
          TestPromotionWaitsForCatchUp5F: { points: 5, maxEvents: 200_000 },
          TestLearnerReadIndex5F: { points: 5, maxEvents: 200_000 },
          TestCheckQuorumIgnoresLearners5F: { points: 5, maxEvents: 200_000 },
          TestLeaseCountsOnlyVoters5F: { points: 5, maxEvents: 200_000 },
          TestCatchUpThatNeverEndsAborts5F: { points: 5, maxEvents: 200_000 },
          TestSnapshotKeepsLearners5F: { points: 5, maxEvents: 200_000 },
          TestLearnerMustVote5F: { points: 5, maxEvents: 200_000 },
          TestLearnerReadsLinearizable5F: { points: 5, maxEvents: 200_000 },
        },
      },
      {
        name: "5G",
        topic: "joint consensus (the challenge): C_old,new with several changes at once, both majorities, the guards",
        tests: {
          TestJointReplaceAll5G: { points: 5, maxEvents: 200_000 },
          TestJointLeaderCrashBeforeCommit5G: { points: 5, maxEvents: 200_000 },
          TestJointLeaderCrashAfterCommit5G: { points: 5, maxEvents: 200_000 },
          TestJointLeaderElectedBeforeCommitWithoutAutoLeave5G: { points: 5, maxEvents: 200_000 },
          TestLeaveReachingOnlyRemovedServers5G: { points: 5, maxEvents: 200_000 },
          TestJointCommitNeedsBothMajorities5G: { points: 5, maxEvents: 200_000 },
          TestJointElectionNeedsBothMajorities5G: { points: 5, maxEvents: 200_000 },
          TestJointGuards5G: { points: 5, maxEvents: 200_000 },
          TestJointDemotionOnLeave5G: { points: 5, maxEvents: 200_000 },
          TestJointInSnapshot5G: { points: 5, maxEvents: 200_000 },
          TestJointReplaceLeader5G: { points: 5, maxEvents: 200_000 },
          TestJointChangeNemesis5G: { points: 5, maxEvents: 200_000 },
          TestKVReplaceAllLinearizable5G: { points: 5, maxEvents: 200_000 },
        },
      },
      {
        name: "5H",
        topic: "client sessions with deterministic eviction: exactly once, a bounded table decided by the log, sessions in snapshots",
        tests: {
          TestCommitThenCrashAppliesOnce5H: { points: 5, maxEvents: 200_000 },
          TestDuplicatedRequestsAcrossLeaderChanges5H: { points: 5, maxEvents: 200_000 },
          TestSnapshotKeepsSessions5H: { points: 5, maxEvents: 200_000 },
          TestEvictionIsDeterministic5H: { points: 5, maxEvents: 200_000 },
          TestEvictedRetryIsRejected5H: { points: 5, maxEvents: 200_000 },
          TestPipelinedClient5H: { points: 5, maxEvents: 200_000 },
          TestRegisterReplayAfterEviction5H: { points: 5, maxEvents: 200_000 },
          TestExpiryFollowsTheLog5H: { points: 5, maxEvents: 200_000 },
          TestSessionsUnreliablePartitions5H: { points: 5, maxEvents: 200_000 },
          TestSessionEvictionUnderLoad5H: { points: 5, maxEvents: 200_000 },
        },
      },
    ],
    studentFiles: [
      "raft-extensions/extended-raft.ts",
      "raft-extensions/check-quorum.ts",
      "raft-extensions/leader-transfer.ts",
      "raft-extensions/read-index.ts",
      "raft-extensions/lease-read.ts",
      "raft-extensions/membership.ts",
      "raft-extensions/joint-consensus.ts",
      "raft-extensions/kv-server.ts",
      "raft-extensions/sessions.ts",
      "raft-extensions/session-kv-server.ts",
      "raft-extensions/session-clerk.ts",
    ],
    givenFiles: ["raft-extensions/types.ts", "raft-extensions/session-types.ts", "raft-extensions/config-persistence.ts"],
    graders: ["tests/raft5/"],
    staffOnly: ["tests/raft5/grader.test.ts", "tests/raft5/grader-5D.test.ts", "tests/raft5/grader-5H.test.ts", "tests/raft5/session-table.test.ts", "tests/raft5/membership-monitor.test.ts"],
  },
];

/** The lab with this number; undefined if the course has none. */
export function findLab(number: number): Lab | undefined {
  return labs.find((lab) => lab.number === number);
}

/** These labs and every lab they build on, in the course's order. */
export function withFoundations(chosen: readonly Lab[]): Lab[] {
  const wanted = new Set<number>();
  const add = (lab: Lab): void => {
    if (wanted.has(lab.number)) return;
    wanted.add(lab.number);
    for (const number of lab.buildsOn) add(findLab(number)!);
  };
  chosen.forEach(add);
  return labs.filter((lab) => wanted.has(lab.number));
}

/** The labs this tree holds: every lab in simlab's own repository, those handed out in a student's. */
export function labsOfThisTree(): Lab[] {
  if (edition.kind === "reference") return [...labs];
  const held = edition.labs;
  return labs.filter((lab) => held.includes(lab.number));
}
