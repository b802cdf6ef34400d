// The timeline's loop until a deadline (mark, skip-after, skip-end): the steps past the deadline
// are skipped, up to the skip-end, and nothing else is; a skip-after without a skip-end skips to
// the end. Measured in virtual time: a raft scenario's run takes exactly its sleeps.
import { describe, expect, it } from "vitest";
import { parseScenario } from "./load.ts";
import { scenarioFileTest } from "./run-scenario.ts";

async function virtualMsOf(steps: string[]): Promise<number> {
  const text = `service: raft\nservers: 3\ntimeline:\n${steps.map((step) => `  - ${step}\n`).join("")}`;
  const report = await scenarioFileTest(parseScenario(text, "loop.yaml"), "loop.yaml").run(1);
  expect(report.failure).toBeUndefined();
  return report.virtualMs;
}

describe("mark, skip-after and skip-end", () => {
  const iteration = ["skip-after: 100", "sleep: 60"];
  it("a loop of three 60 ms iterations with a 100 ms deadline runs two", async () => {
    expect(await virtualMsOf(["sleep: 500", "mark", ...iteration, ...iteration, ...iteration, "skip-end", "sleep: 10"])).toBe(500 + 60 + 60 + 10);
  });
  it("before its deadline it skips nothing", async () => {
    expect(await virtualMsOf(["mark", "skip-after: 1s", "sleep: 60", "sleep: 60", "skip-end", "sleep: 10"])).toBe(130);
  });
  it("without a mark the deadline counts from the timeline's start; without a skip-end it skips to the end", async () => {
    expect(await virtualMsOf(["sleep: 150", "skip-after: 100", "sleep: 60", "sleep: 60"])).toBe(150);
  });
});
