// simlab shrink's engine: a failing scenario shrinks to a smaller one that fails the same way,
// and the same input always shrinks to the same output.
import { describe, expect, it } from "vitest";
import { kvMutants } from "../mutants/kv-mutants.ts";
import { raftMutants } from "../mutants/raft-mutants.ts";
import { parts } from "../registry.ts";
import { parseScenario } from "./load.ts";
import { simlab } from "../cli/simlab.ts";
import { LosesDuplicateTable, starting } from "../shardkv/broken-shardkvs.ts";
import { libraryTest } from "./library.ts";
import { failureKind, shrinkScenario } from "./shrink.ts";
import { scenarioToYaml } from "./write.ts";

const mutant = raftMutants.find((m) => m.name === "commits-entries-of-older-terms")!;
const test = libraryTest("figure8-short");
const runWithMutant = (scenario: Parameters<NonNullable<typeof test.runScenario>>[0], seed: number) =>
  test.runScenario!(scenario, seed, { substitutes: mutant.substitutes });

describe("shrinking a failing scenario", () => {
  it("keeps the failure's kind, removes steps, and is deterministic", async () => {
    const original = test.scenarioOf!(1);
    const once = await shrinkScenario(original, 1, runWithMutant, 200);
    const again = await shrinkScenario(original, 1, runWithMutant, 200);

    expect(once.kind).toMatch(/^Figure N monitor: a leader commits an entry only once a majority holds an entry of its own term/);
    expect(once.after.steps).toBeLessThan(once.before.steps);
    expect(once.after.actions).toBeLessThan(once.before.actions);
    const rerun = await runWithMutant(once.scenario, 1);
    expect(rerun.passed).toBe(false);
    expect(failureKind(rerun)).toBe(once.kind);

    expect(scenarioToYaml(again.scenario)).toBe(scenarioToYaml(once.scenario));
    expect(again.runs).toBe(once.runs);
  });

  it("shrinks a 3A partition test's seed (a generic-test scenario) too: the result reads back and fails the same way", async () => {
    const kvTest = (await parts["3A"]!()).find((t) => t.name === "TestManyPartitionsOneClient3A")!;
    const broken = kvMutants.find((m) => m.name === "acknowledges-before-commit")!;
    const run = (scenario: Parameters<NonNullable<typeof kvTest.runScenario>>[0], seed: number) =>
      kvTest.runScenario!(scenario, seed, { substitutes: broken.substitutes });
    const shrunk = await shrinkScenario(kvTest.scenarioOf!(1), 1, run, 12);
    expect(shrunk.kind).toMatch(/get wrong value/);
    expect(shrunk.after.steps).toBeLessThan(shrunk.before.steps);
    const text = scenarioToYaml(shrunk.scenario);
    expect(text).toContain("generic-test:");
    const rerun = await run(parseScenario(text, "shrunk.yaml"), 1);
    expect(failureKind(rerun)).toBe(shrunk.kind);
  }, 120_000);

  it("shrinks a 4B test's seed (a shardkv scenario): the result reads back and fails the same way", async () => {
    const shardTest = (await parts["4B"]!()).find((t) => t.name === "TestUnreliable2")!;
    const substitutes = { startShardKV: starting(LosesDuplicateTable) };
    const run = (scenario: Parameters<NonNullable<typeof shardTest.runScenario>>[0], seed: number) => shardTest.runScenario!(scenario, seed, { substitutes });
    const shrunk = await shrinkScenario(shardTest.scenarioOf!(1), 1, run, 6);
    expect(shrunk.kind).toMatch(/^TestFailure: Get\(N\) returned a wrong value:$/);
    expect(shrunk.shrinks).toBeGreaterThan(0);
    const text = scenarioToYaml(shrunk.scenario);
    expect(text).toContain("service: shardkv");
    const rerun = await run(parseScenario(text, "shrunk.yaml"), 1);
    expect(failureKind(rerun)).toBe(shrunk.kind);
  }, 300_000);

  it("shrinks an explicit ops list toward fewer operations; the result reads back and fails the same way", async () => {
    const opsTest = libraryTest("kv-explicit-ops-across-a-leader-change");
    const broken = kvMutants.find((m) => m.name === "acknowledges-before-commit")!;
    const run = (scenario: Parameters<NonNullable<typeof opsTest.runScenario>>[0], seed: number) =>
      opsTest.runScenario!(scenario, seed, { substitutes: broken.substitutes });
    const original = opsTest.scenarioOf!(1);
    const shrunk = await shrinkScenario(original, 1, run, 40);
    expect(shrunk.kind).toMatch(/Get\(y\) returned a value the workload does not expect/);
    expect(shrunk.scenario.workload!.ops!.length).toBeLessThan(original.workload!.ops!.length);
    const rerun = await run(parseScenario(scenarioToYaml(shrunk.scenario), "shrunk.yaml"), 1);
    expect(failureKind(rerun)).toBe(shrunk.kind);
  }, 300_000);

  it("refuses a run that passes, and a test that draws its faults in code", async () => {
    await expect(shrinkScenario(test.scenarioOf!(1), 1, (scenario, seed) => test.runScenario!(scenario, seed))).rejects.toThrow(
      "there is no failure to shrink",
    );
    expect(simlab(["shrink", "TestBackup2B"]).stderr).toBe(
      "simlab: shrink needs a test whose faults are drawn as a scenario (TestFigure82C, TestFigure8Unreliable2C, the 3A/3B partition tests, 4B's TestConcurrent1/2/3, TestUnreliable2/3 and our own two) or --scenario FILE; TestBackup2B draws its faults in code.\n",
    );
  });

  it("simlab shrink writes the smallest scenario and its sizes", () => {
    const { status, stdout } = simlab(["shrink", "TestFigure8BrokenCommitXS", "--seed", "3", "--max-runs", "150", "--out", ".simlab/shrunk/cli-test.yaml"]);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^TestFigure8BrokenCommitXS, seed 3: fails with "Figure N monitor: a leader commits/m);
    expect(stdout).toMatch(/^ {2}actions +3003 +\d+$/m);
    expect(stdout).toMatch(/^150 runs, \d+ smaller failing scenarios accepted/m);
    expect(stdout).toContain("wrote .simlab/shrunk/cli-test.yaml; run it: npx simlab run --scenario .simlab/shrunk/cli-test.yaml --seed 3");
  });
});
