// `simlab sweep --shard i/n --out FILE` and `simlab merge FILE…`: the slices are disjoint and
// cover the sweep, the merged shards print what a local sweep prints and hold the same runs, run
// by run; shards that do not make one whole sweep are refused, never merged.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { jobsSeedBySeed } from "../../labs/cli/pool.ts";
import { readShardSpec, shardJobs } from "../../labs/cli/shard.ts";
import { simlab } from "./simlab.ts";

/** The runs of a shard file as a local sweep would report them (the worker's pid aside). */
function runsOf(file: string): unknown[] {
  return (JSON.parse(readFileSync(file, "utf8")).runs as Record<string, unknown>[]).map(({ pid: _pid, ...run }) => run);
}

/** The output of a sweep or merge, but the name of the file the failing seeds were saved in. */
const withoutFileName = (stdout: string): string => stdout.replace(/saved in \S+/, "saved in FILE");

describe("shards of a sweep", () => {
  test("the slices of any n are disjoint, cover every job in order, and differ in size by at most one", () => {
    const jobs = jobsSeedBySeed([{ part: "2A", name: "a" }, { part: "2A", name: "b" }, { part: "2A", name: "c" }], 5, 7);
    for (const count of [1, 2, 3, 4, 7, 21, 30]) {
      const slices = Array.from({ length: count }, (_, i) => shardJobs(jobs, { index: i + 1, count }));
      expect(slices.flat()).toEqual(jobs);
      const sizes = slices.map((slice) => slice.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
    expect(readShardSpec("2/4")).toEqual({ index: 2, count: 4 });
    for (const bad of ["0/4", "5/4", "1/0", "2", "a/b", "1/2/3"]) expect(() => readShardSpec(bad)).toThrow(/--shard needs i\/n with 1 ≤ i ≤ n/);
  });

  test("2A in 3 shards, merged: the local sweep's table, and its runs one by one", () => {
    const cwd = mkdtempSync(join(tmpdir(), "simlab-shard-"));
    const local = simlab(["sweep", "2A", "--seeds", "4", "--jobs", "2", "--out", "local.json"], { cwd });
    expect(local.status).toBe(0);
    for (const i of [1, 2, 3]) {
      const shard = simlab(["sweep", "2A", "--seeds", "4", "--jobs", "1", "--shard", `${i}/3`, "--out", `shard-${i}.json`], { cwd });
      expect(shard.stderr).toContain(`shard ${i}/3: 4 runs written to shard-${i}.json`);
      expect(shard.status).toBe(0);
    }
    const merged = simlab(["merge", "shard-3.json", "shard-1.json", "shard-2.json"], { cwd });
    expect(merged.stderr).toBe("merged 3 shards: 12 runs\n");
    expect(merged.stdout).toBe(local.stdout);
    expect(merged.stdout).toMatch(/^TestReElection2A +4 +0 +0\.0% +\d+\.\d\d +-$/m);
    expect(merged.status).toBe(0);
    const shardRuns = [1, 2, 3].flatMap((i) => runsOf(join(cwd, `shard-${i}.json`)));
    expect(shardRuns).toEqual(runsOf(join(cwd, "local.json")));
    expect(shardRuns).toHaveLength(12);
  }, 120_000);

  test("failing runs: merged like a local sweep's (saved, replay commands), exit 1; broken sets of shards are refused", () => {
    const cwd = mkdtempSync(join(tmpdir(), "simlab-shard-"));
    const local = simlab(["sweep", "XF", "--seeds", "7", "--jobs", "1"], { cwd });
    for (const i of [1, 2]) expect(simlab(["sweep", "XF", "--seeds", "7", "--jobs", "1", "--shard", `${i}/2`, "--out", `s${i}.json`], { cwd }).status).toBe(1);
    const merged = simlab(["merge", "s1.json", "s2.json"], { cwd });
    expect(withoutFileName(merged.stdout)).toBe(withoutFileName(local.stdout));
    expect(merged.stdout).toContain("replay the first: npx simlab replay TestFailsEveryThirdSeedXF --seed 3");
    expect(merged.status).toBe(1);
    const failing = JSON.parse(readFileSync(join(cwd, "s1.json"), "utf8")).runs.find((run: { passed: boolean }) => !run.passed);
    expect(failing).toMatchObject({ seed: 3, replay: "npx simlab replay TestFailsEveryThirdSeedXF --seed 3", vitest: 'SEED=3 npm test -- XF -t "TestFailsEveryThirdSeedXF$"' });
    expect(failing.failure).toContain("fails on those by design");

    const refused = (files: string[]): string => {
      const { status, stdout, stderr } = simlab(["merge", ...files], { cwd });
      expect(status).toBe(2);
      expect(stdout).toBe("");
      return stderr.trim();
    };
    expect(refused(["s1.json"])).toBe("simlab: merge: shard 2/2 of XF, seeds 1–7, in 2 shards is missing; give every shard's file.");
    expect(refused(["s1.json", "s2.json", "s1.json"])).toBe("simlab: merge: shard 1/2 is given twice: s1.json and s1.json.");
    expect(simlab(["sweep", "XF", "--seeds", "8", "--jobs", "1", "--shard", "2/2", "--out", "other.json"], { cwd }).status).toBe(1);
    expect(refused(["s1.json", "other.json"])).toBe("simlab: merge: other.json is a shard of another sweep (XF, seeds 1–8, in 2 shards) than s1.json (XF, seeds 1–7, in 2 shards).");

    const edited = (name: string, change: (file: Record<string, unknown> & { runs: unknown[] }) => void): string => {
      const file = JSON.parse(readFileSync(join(cwd, "s2.json"), "utf8"));
      change(file);
      writeFileSync(join(cwd, name), JSON.stringify(file));
      return name;
    };
    const otherCode = edited("other-code.json", (file) => (file.sources = "0".repeat(64)));
    expect(refused(["s1.json", otherCode])).toMatch(/^simlab: merge: other-code\.json was swept by other code \(simlab \S+, sources 000000000000\) than s1\.json \(simlab \S+, sources [0-9a-f]{12}\); sweep every shard from the same commit\.$/);
    const short = edited("short.json", (file) => file.runs.pop());
    expect(refused(["s1.json", short])).toBe("simlab: merge: short.json does not hold the runs of shard 2/2: it has 3 runs for its 4 jobs, and run 4 should be TestFailsEveryThirdSeedXF seed 7; sweep that shard again.");
    const broken = edited("broken.json", (file) => ((file.runs[0] as { passed: unknown }).passed = "yes"));
    expect(refused(["s1.json", broken])).toMatch(/^simlab: merge: broken\.json is not a valid shard file: runs\.0\.passed: /);
    writeFileSync(join(cwd, "table.txt"), local.stdout);
    expect(refused(["table.txt"])).toBe("simlab: merge: table.txt is not JSON; give the files that simlab sweep (or grade) … --shard i/n --out FILE wrote.");
    expect(refused(["nowhere.json"])).toBe("simlab: merge: cannot read nowhere.json: there is no such file.");
  }, 120_000);
});
