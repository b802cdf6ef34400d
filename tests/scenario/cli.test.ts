// simlab run, replay, viz and check-determinism take --scenario FILE; each runs the file's test
// the way it runs a lab test (check-determinism in worker processes, which load the file again).
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { simlab } from "../cli/simlab.ts";

const scenario = "scenarios/partitioned-old-leader.yaml";

describe("--scenario on the CLI", () => {
  it("run prints the test's lines and PASS", () => {
    const { status, stdout } = simlab(["run", "--scenario", scenario, "--seed", "2"]);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^Scenario: partitioned-old-leader \.\.\.$/m);
    expect(stdout).toMatch(/^PASS partitioned-old-leader {2}\(seed 2, [\d.]+ s virtual, \d+ events\)$/m);
  });
  it("replay shows the timeline's steps under the topic scenario", () => {
    const { status, stdout } = simlab(["replay", "--scenario", scenario, "--topics", "scenario", "--width", "80"]);
    expect(status).toBe(0);
    expect(stdout).toMatch(/scenario disconnect \d/);
    expect(stdout).toMatch(/scenario connect all/);
  });
  it("check-determinism runs it twice in separate processes", () => {
    const { status, stdout } = simlab(["check-determinism", "--scenario", scenario, "--seeds", "2", "--jobs", "1"]);
    expect(stdout).toContain("same  partitioned-old-leader: 2 of 2 seeds gave the same journal twice");
    expect(status).toBe(0);
  });
  it("viz writes the run's page", () => {
    const { status, stdout } = simlab(["viz", "--scenario", scenario, "--out", ".simlab/viz/scenario-cli-test.html"]);
    expect(status).toBe(0);
    expect(stdout).toContain("PASS partitioned-old-leader");
    expect(existsSync(".simlab/viz/scenario-cli-test.html")).toBe(true);
  });
});
