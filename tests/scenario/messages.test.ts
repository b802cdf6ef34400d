// Message-level steps fail with a sentence when the script and the run disagree: a request still
// held when the timeline ends, a deliver that finds fewer held requests than its count, an expect
// that does not hold. And a script that says what becomes of every message passes.
import { describe, expect, it } from "vitest";
import { parseScenario } from "./load.ts";
import { scenarioFileTest } from "./run-scenario.ts";

async function run(timeline: string): Promise<{ passed: boolean; failure: string }> {
  const file = "script.yaml";
  const scenario = parseScenario(`service: raft\nservers: 3\ntimeline:\n${timeline}`, file);
  const report = await scenarioFileTest(scenario, file).run(1);
  return { passed: report.passed, failure: report.failure ?? "" };
}

describe("message-level scripts", () => {
  it("a request still held when the timeline ends fails the run, listing what is held", async () => {
    const { passed, failure } = await run("  - hold: {rpc: RequestVote, from: 1}\n  - sleep: 2s\n");
    expect(passed).toBe(false);
    expect(failure).toMatch(/the timeline ended with \d+ requests? still held: RequestVote #\d+ 1→[02] \(term \d+\)/);
  });

  it("deliver with a count fails when fewer requests match", async () => {
    const { failure } = await run("  - hold: {rpc: AppendEntries, entries: 5}\n  - sleep: 1s\n  - deliver: {rpc: AppendEntries, count: 1}\n");
    expect(failure).toMatch(/deliver AppendEntries, count 1: only 0 held requests match; held now: none/);
  });

  it("expect says what the tester sees and what the script expected", async () => {
    const { failure } = await run("  - elect: 2\n  - expect: {server: 2, role: follower, voted-for: 0}\n");
    expect(failure).toMatch(/expect: server 2 is leader in term \d+, applied through 0, voted for 2 in its term; the script expected role follower, voted-for 0/);
  });

  it("elect makes its server the leader; a script that releases what it holds passes", async () => {
    const { passed, failure } = await run(
      "  - elect: 2\n  - expect: {server: 2, role: leader, voted-for: 2}\n  - hold: {from: 2, to: 0, rpc: AppendEntries}\n  - sleep: 150ms\n" +
        "  - drop: {from: 2, to: 0}\n  - unhold\n  - one: 3\n  - expect: {server: 0, role: follower, applied: 1}\n",
    );
    expect(failure).toBe("");
    expect(passed).toBe(true);
  });
});
