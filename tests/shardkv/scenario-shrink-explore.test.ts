// simlab shrink and simlab explore on a shardkv scenario with message-level steps, named links
// and cuts: shrinking keeps the failure's kind and writes a file that reads back and fails the same
// way; exploring finds the broken ShardKV, its run replays from the recorded choices to the same
// journal, and the reference passes the same explored runs.
import { describe, expect, it } from "vitest";
import { ReplayChoices } from "../../sim/index.ts";
import { explore, makeStrategy } from "../../sim/explore/index.ts";
import { mutantNamed } from "../mutants/catalog.ts";
import type { Scenario } from "../scenario/format.ts";
import { libraryTest } from "../scenario/library.ts";
import { parseScenario } from "../scenario/load.ts";
import { failureKind, shrinkScenario } from "../scenario/shrink.ts";
import { scenarioToYaml } from "../scenario/write.ts";

const test = libraryTest("shardkv-shard-push-held-on-the-wire");
const substitutes = mutantNamed("serves-before-receiving").substitutes;
const runBroken = (scenario: Scenario, seed: number) => test.runScenario!(scenario, seed, { substitutes });

describe("shrink and explore on a shardkv message-level scenario", () => {
  it("shrinks it with a named link and cut: the result reads back and fails the same way", async () => {
    const base = test.scenarioOf!(1);
    const scenario: Scenario = {
      ...base,
      network: { ...base.network, links: [{ from: 102, to: 100, min: 20, max: 30 }], cuts: [{ from: "102-0", to: "master-2" }] },
    };
    const shrunk = await shrinkScenario(scenario, 1, runBroken, 12);
    expect(shrunk.kind).toMatch(/^TestFailure: Get\(N\) returned a wrong value:$/);
    expect(shrunk.shrinks).toBeGreaterThan(0);
    expect(shrunk.after.steps).toBeLessThan(shrunk.before.steps);
    const text = scenarioToYaml(shrunk.scenario);
    expect(text).toMatch(/links:\n\s+- from: 102\n\s+to: 100\n\s+min: 20\n\s+max: 30\n\s+cuts:\n\s+- from: 102-0\n\s+to: master-2\n/);
    const rerun = await runBroken(parseScenario(text, "shrunk.yaml"), 1);
    expect(failureKind(rerun)).toBe(shrunk.kind);
  }, 120_000);

  it("PCT finds serves-before-receiving; the run replays from its choices; the reference passes the same runs", async () => {
    const strategy = () => makeStrategy("pct", { seed: 1, depth: 3, bound: 12 });
    const found = await explore(strategy(), 3, (seed, choices) => test.run(seed, { choices, substitutes }), (r) => !r.passed);
    expect(found.failed, "no failure found").toBeDefined();
    const { seed, choices, result } = found.failed!;
    expect(result.failure).toMatch(/Get\(\d\) returned a wrong value/);
    const replayed = await test.run(seed, { choices: new ReplayChoices(choices), substitutes });
    expect(replayed.journalHash).toBe(result.journalHash);
    const reference = await explore(strategy(), 3, (s, c) => test.run(s, { choices: c }), (r) => !r.passed);
    expect(reference.failed?.result.failure, "the reference failed an explored run").toBeUndefined();
    expect(reference.runs).toBe(3);
  }, 120_000);
});
