// `simlab sweep`: many seeds in worker processes, a table, failing seeds saved.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { simlab } from "./simlab.ts";

describe("simlab sweep", () => {
  test("2A over 3 seeds in 2 workers: one row per test, no failures, exit 0", () => {
    const { status, stdout, stderr } = simlab(["sweep", "2A", "--seeds", "3", "--from", "10", "--jobs", "2"]);
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^test +runs +failures +rate +virtual s \(mean\) +first failing seeds$/);
    for (const name of ["TestInitialElection2A", "TestReElection2A", "TestManyElections2A"]) {
      expect(stdout).toMatch(new RegExp(`^${name} +3 +0 +0\\.0% +\\d+\\.\\d\\d +-$`, "m"));
    }
    expect(lines).toHaveLength(4);
    // Not a terminal: no progress bar, one line at the end.
    expect(stderr).toMatch(/^9 runs in \d+\.\d s on 2 workers \(\d+\.\d runs\/s\), 0 failed\n$/);
    expect(status).toBe(0);
  });

  test("failing seeds: counted, listed, saved as JSON with their replay commands; exit 1", () => {
    const cwd = mkdtempSync(join(tmpdir(), "simlab-sweep-"));
    const { status, stdout } = simlab(["sweep", "XF", "--seeds", "7", "--jobs", "2"], { cwd });
    expect(stdout).toMatch(/^TestFailsEveryThirdSeedXF +7 +2 +28\.6% +0\.05 +3 6$/m);
    const saved = /2 failing runs saved in (\S+)/.exec(stdout);
    expect(saved).not.toBeNull();
    const file = JSON.parse(readFileSync(join(cwd, saved![1]!), "utf8"));
    expect(file.seeds).toEqual({ from: 1, count: 7 });
    expect(file.failures.map((f: { seed: number }) => f.seed)).toEqual([3, 6]);
    expect(file.failures[0].replay).toBe("npx simlab replay TestFailsEveryThirdSeedXF --seed 3");
    expect(file.failures[0].vitest).toBe('SEED=3 npm test -- XF -t "TestFailsEveryThirdSeedXF$"');
    expect(file.failures[0].failure).toContain("fails on those by design");
    expect(stdout).toContain("replay the first: npx simlab replay TestFailsEveryThirdSeedXF --seed 3");
    expect(status).toBe(1);
  });

  test("a worker process that dies fails only the seed it was running; the sweep goes on", () => {
    const cwd = mkdtempSync(join(tmpdir(), "simlab-sweep-"));
    const { status, stdout } = simlab(["sweep", "XE", "--seeds", "4", "--jobs", "1"], { cwd });
    expect(stdout).toMatch(/^TestExitsProcessXE +4 +1 +25\.0% +0\.05 +2$/m);
    const file = JSON.parse(readFileSync(join(cwd, /saved in (\S+)/.exec(stdout)![1]!), "utf8"));
    expect(file.failures[0].failure).toBe("TestExitsProcessXE failed: the worker process running seed 2 ended (exit code 7)");
    expect(status).toBe(1);
  });
});
