// The 5D grader must be able to fail (as grader.test.ts shows for 5A–5C): each 5D test kills one of
// the broken leases of tests/mutants/lease-mutants.ts at seed 1, or is a control; the control
// (TestLeaseBeyondDriftBoundIsCaught5D, stale lease reads the checker must reject) fails when the
// lease is sized for the drift after all, so that its reads are safe.
import { describe, expect, it } from "vitest";
import { startKVServer } from "../../raft-extensions/kv-server.ts";
import { leaseMutants } from "../mutants/lease-mutants.ts";
import { raft5ScenarioMutants } from "../mutants/raft5-scenario-mutants.ts";
import { kills } from "../mutants/mutant.ts";
import { tests } from "./5D.ts";

/** Each 5D test but the control, and a mutant it kills at seed 1. */
const kills5D: [test: string, mutant: string][] = [
  ["TestLeaseReadsSendNothing5D", "lease-never-used"],
  ["TestNoLeaseBeforeItsTermsCommit5D", "lease-before-its-terms-commit"],
  ["TestLeaseExpiresBeforeANewLeaderCommits5D", "lease-from-still-leader"],
  ["TestLeaseUnderWorstCaseDrift5D", "lease-ignores-drift"],
  ["TestLeaseDroppedForTransfer5D", "lease-kept-across-transfer"],
  ["TestLateTimeoutNowAfterAbort5D", "stale-timeout-now-obeyed"],
  ["TestLeaseStartsAtSendTime5D", "lease-at-ack-receipt"],
  ["TestLeaseNotFromCheckQuorum5D", "lease-from-still-leader"],
  ["TestLeaseReadAfterPause5D", "lease-judged-by-ticks"],
];

/** The randomized tests, which judge the reference over many seeds; no mutant is sure to show at seed 1, so they name none. */
const randomized = ["TestLeaseReadsUnderBoundedDrift5D", "TestLeaseReadsUnderBoundedDriftUnreliable5D"];

/** Leases sized for a drift of 0.6, which covers the control's 0.5× clock: its lease reads are safe, and the control must fail. */
const leasesSizedForTheDrift = {
  startReadingKVServer: ((peers, me, persister, maxraftstate, options) =>
    startKVServer(peers, me, persister, maxraftstate, { ...options, raft: { ...options.raft, maxClockDrift: 0.6 } })) satisfies typeof startKVServer,
};

describe("the 5D grader can fail", () => {
  it("lists every 5D test once", () => {
    expect([...kills5D.map(([t]) => t), ...randomized, "TestLeaseBeyondDriftBoundIsCaught5D"].sort()).toEqual(tests.map((t) => t.name).sort());
  });

  it("TestLeaseBeyondDriftBoundIsCaught5D fails when the leases are sized for the drift", async () => {
    const report = await tests.find((t) => t.name === "TestLeaseBeyondDriftBoundIsCaught5D")!.run(1, { substitutes: leasesSizedForTheDrift });
    expect(report.failure).toContain("TestLeaseBeyondDriftBoundIsCaught5D failed: TestFailure: in 10 tries, the slow leader's lease never outlived");
  });

  for (const [name, mutantName] of kills5D) {
    it(`${name} fails ${mutantName}`, async () => {
      const mutant = [...leaseMutants, ...raft5ScenarioMutants].find((m) => m.name === mutantName)!;
      const report = await tests.find((t) => t.name === name)!.run(1, { substitutes: mutant.substitutes });
      expect(kills(report), report.failure ?? "the test passed").toBe(true);
    });
  }
});
