// The 5H grader must be able to fail: each 5H test kills one of the broken sessions of
// tests/mutants/session-mutants.ts at seed 1 (beyond the one tests/mutants/mutants.test.ts names
// for each mutant), so that no 5H test is one that cannot fail.
import { describe, expect, it } from "vitest";
import { kills } from "../mutants/mutant.ts";
import { sessionMutants } from "../mutants/session-mutants.ts";
import { tests } from "./5H.ts";

/** Each 5H test, and a mutant it kills at seed 1. */
const kills5H: [test: string, mutant: string][] = [
  ["TestCommitThenCrashAppliesOnce5H", "duplicates-re-executed"],
  ["TestDuplicatedRequestsAcrossLeaderChanges5H", "forgets-results-but-not-the-watermark"],
  ["TestSnapshotKeepsSessions5H", "sessions-not-in-snapshot"],
  ["TestEvictionIsDeterministic5H", "evicts-a-random-session"],
  ["TestEvictedRetryIsRejected5H", "clerk-resends-under-a-new-session"],
  ["TestPipelinedClient5H", "cache-never-truncated"],
  ["TestRegisterReplayAfterEviction5H", "register-revives-by-nonce"],
  ["TestExpiryFollowsTheLog5H", "expires-by-the-replica-clock"],
  ["TestSessionsUnreliablePartitions5H", "cache-keyed-by-seq-alone"],
  ["TestSessionEvictionUnderLoad5H", "evicts-a-random-session"],
];

describe("the 5H grader can fail", () => {
  it("lists every 5H test once", () => {
    expect(kills5H.map(([t]) => t).sort()).toEqual(tests.map((t) => t.name).sort());
  });

  for (const [name, mutantName] of kills5H) {
    it(`${name} fails ${mutantName}`, async () => {
      const mutant = sessionMutants.find((m) => m.name === mutantName)!;
      const report = await tests.find((t) => t.name === name)!.run(1, { substitutes: mutant.substitutes });
      expect(kills(report), report.failure ?? "the test passed").toBe(true);
    });
  }
});
