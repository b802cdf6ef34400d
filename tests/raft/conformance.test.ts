// Each conformance test (part 2X) fails a Raft that breaks the rule it tests, naming the rule —
// and the reference passes them all (tests/raft/2X.test.ts). The broken Rafts are tests/mutants/.
import { describe, expect, it } from "vitest";
import { raftMutants } from "../mutants/raft-mutants.ts";
import { tests } from "./2X.ts";

/** Each 2X test, the mutant it rejects, and the start of the rule its failure names. */
const rejects: [test: string, mutant: string, rule: string][] = [
  ["TestVoteRefusedToAnOlderTerm2X", "votes-for-older-terms", "RequestVote rule 1"],
  ["TestOneVotePerTerm2X", "votes-twice-in-a-term", "RequestVote rule 2"],
  ["TestVoteNeedsAnUpToDateLog2X", "compares-log-lengths-only", "RequestVote rule 2"],
  ["TestLeaderStepsDownForAHigherTermRequest2X", "leader-keeps-leading-a-newer-term", "All servers"],
  ["TestLeaderStepsDownForAHigherTermReply2X", "ignores-terms-in-replies", "All servers"],
  ["TestCandidateCountsVotesOfThisElectionOnly2X", "counts-votes-across-elections", "Candidates: become leader only on votes from a majority"],
  ["TestCandidateFollowsTheNewLeader2X", "candidate-ignores-the-new-leader", "Candidates: if AppendEntries is received from the new leader"],
  ["TestHeartbeatsHoldOffElections2X", "heartbeats-do-not-reset-the-timer", "Followers: start an election only if"],
  ["TestAppendRefusedFromAnOlderTerm2X", "accepts-appends-from-older-terms", "AppendEntries rule 1"],
  ["TestAppendNeedsTheLeadersPrevEntry2X", "skips-the-prev-log-term-check", "AppendEntries rule 2"],
  ["TestAppendTruncatesOnlyAtAConflict2X", "truncates-on-every-append", "AppendEntries rule 3"],
  ["TestAppendAddsOnlyNewEntries2X", "appends-at-the-end-of-its-log", "AppendEntries rule 4"],
  ["TestCommitIndexStopsAtTheLastNewEntry2X", "commits-up-to-its-last-entry", "AppendEntries rule 5"],
  ["TestLeaderCommitsOnlyByItsOwnTerm2X", "commits-entries-of-older-terms", "Leaders: commit N only if"],
  ["TestLeaderCommitsWithAMajority2X", "counts-one-replica-too-few", "Leaders: commit N only if"],
  ["TestLeaderBacksUpToAFollowersLog2X", "never-backs-up", "Leaders: if AppendEntries fails because of log inconsistency"],
  ["TestTermSavedBeforeReplying2X", "does-not-save-the-term", "Persistent state"],
  ["TestVoteSavedBeforeReplying2X", "does-not-save-its-vote", "Persistent state"],
  ["TestOwnVoteSavedBeforeAsking2X", "does-not-save-its-own-vote", "Persistent state"],
  ["TestLogSavedBeforeReplying2X", "saves-appended-entries-late", "Persistent state"],
  ["TestSnapshotRefusedFromAnOlderTerm2X", "installs-snapshots-from-older-terms", "InstallSnapshot rule 1"],
  ["TestStaleSnapshotChangesNothing2X", "hands-stale-snapshots-to-the-service", "InstallSnapshot: a snapshot older than"],
  ["TestSnapshotKeepsAMatchingSuffix2X", "drops-the-log-after-a-snapshot", "InstallSnapshot rule 6"],
  ["TestSnapshotDiscardsAConflictingLog2X", "keeps-a-conflicting-log-after-a-snapshot", "InstallSnapshot rule 7"],
  ["TestSnapshotReachesTheServiceFirst2X", "does-not-hand-the-snapshot-over", "InstallSnapshot rule 8"],
  ["TestSnapshotSavedBeforeReplying2X", "forgets-its-snapshot-on-restart", "Persistent state"],
];

describe("each conformance test fails a Raft that breaks its rule", () => {
  it("covers every 2X test", () => {
    expect(rejects.map(([test]) => test).sort()).toEqual(tests.map((t) => t.name).sort());
  });

  for (const [name, mutantName, rule] of rejects) {
    it(`${name} rejects ${mutantName}`, async () => {
      const test = tests.find((t) => t.name === name)!;
      const mutant = raftMutants.find((m) => m.name === mutantName)!;
      const report = await test.run(1, { substitutes: mutant.substitutes });
      expect(report.failure).toContain(`${name} failed: TestFailure: ${rule}`);
      expect(report.failure).not.toContain("invariant broken:");
    });
  }
});
