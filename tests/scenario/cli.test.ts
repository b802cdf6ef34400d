// simlab run, replay, viz and check-determinism take --scenario FILE; each runs the file's test
// the way it runs a lab test (check-determinism in worker processes, which load the file again).
// A shardkv scenario explored against a broken ShardKV gives a choice file that check-determinism
// replays, in two processes, to the hash explore recorded.
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

describe("--scenario on the CLI, for a shardkv scenario", () => {
  const shardkv = "scenarios/shardkv-move-back-and-forth.yaml";
  // A shardkv run is ten times a raft scenario's; on a loaded machine a process may need minutes.
  const slow = { timeoutMs: 240_000 };
  it("run prints PASS", () => {
    const run = simlab(["run", "--scenario", shardkv, "--seed", "2"], slow);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^PASS shardkv-move-back-and-forth {2}\(seed 2, [\d.]+ s virtual, \d+ events\)$/m);
  }, 300_000);
  it("replay shows the joins and moves under the topic scenario", () => {
    const replay = simlab(["replay", "--scenario", shardkv, "--topics", "scenario", "--width", "80"], slow);
    expect(replay.status).toBe(0);
    expect(replay.stdout).toMatch(/scenario join 100,101/);
    expect(replay.stdout).toMatch(/scenario move shard 8 to 101/);
  }, 300_000);
  it("check-determinism runs it twice in separate processes", () => {
    const same = simlab(["check-determinism", "--scenario", shardkv, "--seeds", "1", "--jobs", "1"], slow);
    expect(same.stdout).toContain("same  shardkv-move-back-and-forth: 1 of 1 seeds gave the same journal twice");
    expect(same.status).toBe(0);
  }, 300_000);
  it("viz writes the run's page", () => {
    const viz = simlab(["viz", "--scenario", shardkv, "--out", ".simlab/viz/shardkv-scenario-cli-test.html"], slow);
    expect(viz.status).toBe(0);
    expect(existsSync(".simlab/viz/shardkv-scenario-cli-test.html")).toBe(true);
  }, 300_000);

  it("explore refuses a mutant of another lab's servers", () => {
    const { status, stderr } = simlab(["explore", "--scenario", shardkv, "--mutant", "acknowledges-before-commit", "--runs", "1"], slow);
    expect(status).toBe(2);
    expect(stderr).toBe("simlab: mutant acknowledges-before-commit is a broken 3A/3B server; shardkv-move-back-and-forth is a shardkv scenario.\n");
  }, 300_000);

  it("explore finds a broken ShardKV (loses-the-duplicate-table), and check-determinism replays its choice file twice to the recorded hash", () => {
    const dir = mkdtempSync(join(tmpdir(), "simlab-explore-shardkv-"));
    const file = join(dir, "found.json");
    const found = simlab(["explore", "--scenario", shardkv, "--mutant", "loses-the-duplicate-table", "--runs", "3", "--out", file], slow);
    expect(found.status, found.stdout + found.stderr).toBe(1);
    expect(found.stdout).toMatch(/^FAIL shardkv-move-back-and-forth at run \d of 3 /m);
    expect(found.stdout).toMatch(/Get\(\d\) returned a wrong value/);
    expect(found.stdout).toContain(`scenario: ${join(dir, "found.yaml")}`);
    const saved = JSON.parse(readFileSync(file, "utf8")) as { journalHash: string; mutant: string };
    expect(saved.mutant).toBe("loses-the-duplicate-table");
    const checked = simlab(["check-determinism", "--choices", file], { timeoutMs: 480_000 });
    expect(checked.stdout).toContain(`the file:         journal hash ${saved.journalHash} (failed)`);
    expect(checked.stdout).toContain("same: both replays, each in its own process, are the run the file recorded.");
    expect(checked.status).toBe(0);
  }, 900_000);

  it("shrink writes a smaller scenario that fails the same way", () => {
    const out = ".simlab/shrunk/shardkv-cli-test.yaml";
    const fixture = "tests/scenario/fixtures/shardkv-every-group-leaves.yaml";
    const { status, stdout } = simlab(["shrink", "--scenario", fixture, "--seed", "1", "--max-runs", "10", "--out", out], slow);
    expect(status).toBe(0);
    expect(stdout).toMatch(/fails with "TestFailure: liveness-after-heal: N clients still waiting N ms after the heal"/);
    const [, before, after] = /^ {2}timeline steps +(\d+) +(\d+)$/m.exec(stdout) ?? [];
    expect(Number(after)).toBeLessThan(Number(before));
    const rerun = simlab(["run", "--scenario", out, "--seed", "1"], slow);
    expect(rerun.status).toBe(1);
    expect(rerun.stdout).toMatch(/liveness-after-heal: \d+ clients still waiting 2000 ms after the heal/);
  }, 600_000);
});
