// `simlab grade --shard i/n --out FILE` and `simlab merge` of grade shards: the slices are
// disjoint, cover every (submission, test, seed) run in order and are balanced; the merged shards
// of a small grading (the reference, the skeleton, a submission that does not type-check) print
// and write exactly what a local grade prints and writes; every set of shards that is not one
// whole grading is refused with a sentence, never merged; and a submission's hash follows its
// student files alone. The refusals are shown on edited copies of the shard files, so that the
// file grades only once or twice (each grading of a submission type-checks a tree of its own).
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { gradingSlice } from "../../labs/cli/grade-shard.ts";
import { studentFilesIn, thisTree } from "../../labs/course/files.ts";
import { gradingJobs } from "../../labs/course/grading.ts";
import { submissionHash } from "../../labs/course/submission-hash.ts";
import { writeHandout } from "../../labs/course/handout.ts";
import { findLab } from "../../labs/course/manifest.ts";
import { simlab, usageError } from "../cli/simlab.ts";

const lab2 = findLab(2)!;
let scratch: string;
/** The folder of the three submissions graded here. */
let term: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "simlab-grade-shard-"));
  term = join(scratch, "term");
  mkdirSync(term);
  writeHandout(thisTree, [lab2], join(term, "b-skeleton"));
  cpSync(join(term, "b-skeleton"), join(term, "a-reference"), { recursive: true });
  for (const file of studentFilesIn(thisTree, lab2)) cpSync(join(thisTree, file), join(term, "a-reference", file));
  cpSync(join(term, "b-skeleton"), join(term, "c-type-error"), { recursive: true });
  const log = join(term, "c-type-error", "raft", "log.ts");
  writeFileSync(log, `const seq: number = "1";\nvoid seq;\n${readFileSync(log, "utf8")}`);
});

afterAll(() => {
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
});

/** Runs simlab in the scratch folder; fails the test if a stack trace shows. */
function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const outcome = simlab(args, { cwd: scratch, timeoutMs: 300_000 });
  expect(outcome.stderr).not.toMatch(/^\s+at /m);
  return outcome;
}

const read = (name: string): string => readFileSync(join(scratch, name), "utf8");

/** simlab merge expecting a refusal: exit 2, nothing on stdout, one sentence; returns it. */
function refused(files: string[]): string {
  const { status, stdout, stderr } = run(["merge", ...files]);
  expect(status, stderr).toBe(2);
  expect(stdout).toBe("");
  expect(stderr.trimEnd().split("\n")).toHaveLength(1);
  return stderr.trim();
}

/** A copy of a shard file, changed. */
function edited(from: string, name: string, change: (file: Record<string, any>) => void): string {
  const file = JSON.parse(read(from));
  change(file);
  writeFileSync(join(scratch, name), JSON.stringify(file));
  return name;
}

describe("shards of a grading", () => {
  test("the slices of any n are disjoint, cover every run in order, differ in size by at most one, and keep each submission's runs together", () => {
    const seeds = { from: 3, count: 2 };
    const perSubmission = gradingJobs([lab2], seeds);
    expect(perSubmission).toHaveLength(2 * 54);
    const all = [0, 1, 2].flatMap((index) => perSubmission.map((job) => ({ index, job })));
    for (const count of [1, 2, 3, 5, 8, 100, 400]) {
      const slices = Array.from({ length: count }, (_, i) => gradingSlice(3, [lab2], seeds, { index: i + 1, count }));
      expect(slices.flat().flatMap((slice) => slice.jobs.map((job) => ({ index: slice.index, job })))).toEqual(all);
      const sizes = slices.map((slice) => slice.reduce((sum, one) => sum + one.jobs.length, 0));
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      // A slice names each submission once, in order.
      for (const slice of slices) expect(slice.map((one) => one.index)).toEqual([...new Set(slice.map((one) => one.index))].sort());
    }
    // Within a submission, seed by seed: a block mixes the parts' tests.
    expect(perSubmission.slice(0, 3).map((job) => job.test)).toEqual(["TestInitialElection2A", "TestReElection2A", "TestManyElections2A"]);
    expect(new Set(perSubmission.slice(0, 54).map((job) => job.part))).toEqual(new Set(["2A", "2B", "2C", "2D", "2X"]));
    expect(perSubmission.every((job) => job.maxEvents === lab2.parts.find((part) => part.name === job.part)!.tests[job.test]!.maxEvents)).toBe(true);
  });

  test("three submissions in 2 shards, merged: the local grade's rows, --json and --csv, to the byte; one in 3 shards: its table; sets of shards that are not one grading are refused", () => {
    const local = run(["grade", term, "--labs", "2", "--seeds", "1", "--jobs", "2", "--out", "local.json", "--json", "local-grade.json", "--csv", "local.csv"]);
    expect(local.status, local.stderr).toBe(0);
    expect(local.stderr).toContain("grade shard 1/1: 108 runs of 3 of 3 submissions written to local.json");
    expect(local.stdout).toMatch(/^\S+a-reference +146\/146 +146\/146$/m);
    expect(local.stdout).toMatch(/^\S+b-skeleton +0\/146 +0\/146$/m);
    expect(local.stdout).toMatch(/^\S+c-type-error +0\/146 \(not graded\) +0\/146 +Lab 2 was not graded: it does not type-check: raft\/log\.ts\(1,7\)/m);

    // 3 × 54 runs: shard 1 holds a-reference's 54 and b-skeleton's first 27, shard 2 the rest.
    for (const i of [1, 2]) {
      const shard = run(["grade", term, "--labs", "2", "--seeds", "1", "--jobs", "2", "--shard", `${i}/2`, "--out", `g${i}.json`]);
      expect(shard.status, shard.stderr).toBe(0);
      expect(shard.stdout).toBe("");
      expect(shard.stderr).toContain(`grade shard ${i}/2: ${i === 1 ? 81 : 27} runs of 2 of 3 submissions written to g${i}.json`);
    }
    const [g1, g2] = [JSON.parse(read("g1.json")), JSON.parse(read("g2.json"))];
    expect(g1.graded.map((entry: { submission: string }) => entry.submission)).toEqual([join(term, "a-reference"), join(term, "b-skeleton")]);
    expect(g2.graded.map((entry: { submission: string }) => entry.submission)).toEqual([join(term, "b-skeleton"), join(term, "c-type-error")]);
    expect(g2.graded[1].runs).toEqual([]);

    const merged = run(["merge", "g2.json", "g1.json", "--json", "merged-grade.json", "--csv", "merged.csv"]);
    expect(merged.status, merged.stderr).toBe(0);
    expect(merged.stderr).toBe("merged 2 grade shards: 108 runs of 3 submissions\n");
    expect(merged.stdout).toBe(local.stdout);
    expect(read("merged-grade.json")).toBe(read("local-grade.json"));
    expect(read("merged.csv")).toBe(read("local.csv"));
    // The runs themselves are the local grade's, one by one.
    const runsOf = (file: { graded: { runs: unknown[] }[] }[]): unknown[] => file.flatMap((one) => one.graded.flatMap((entry) => entry.runs));
    expect(runsOf([g1, g2])).toEqual(runsOf([JSON.parse(read("local.json"))]));
    // A local grade's --out is shard 1/1: it merges alone into the same output.
    expect(run(["merge", "local.json"]).stdout).toBe(local.stdout);

    const skeleton = join(term, "b-skeleton");
    const alone = run(["grade", skeleton, "--labs", "2", "--seeds", "1", "--jobs", "2"]);
    expect(alone.stdout).toMatch(/^TestBasicAgree2B +0\/1 +0\/\d+ +1: NotImplementedError: Raft\.start \(2B\) is not implemented yet/m);
    for (const i of [1, 2, 3]) expect(run(["grade", skeleton, "--labs", "2", "--seeds", "1", "--jobs", "2", "--shard", `${i}/3`, "--out", `alone-${i}.json`]).status).toBe(0);
    const mergedAlone = run(["merge", "alone-3.json", "alone-1.json", "alone-2.json"]);
    expect(mergedAlone.stdout).toBe(alone.stdout);
    expect(mergedAlone.status).toBe(0);

    // Shards that do not make this grading are refused.
    expect(refused(["g1.json"])).toBe("simlab: merge: shard 2/2 of the grading (lab 2, seeds 1–1, in 2 shards) is missing; give every shard's file.");
    expect(refused(["g1.json", "g2.json", "g1.json"])).toBe("simlab: merge: shard 1/2 is given twice: g1.json and g1.json.");
    expect(refused(["g1.json", "alone-2.json"])).toBe(
      `simlab: merge: alone-2.json is a shard of another grading (lab 2, seeds 1–1, in 3 shards) than g1.json (lab 2, seeds 1–1, in 2 shards).`,
    );
    const short = edited("g1.json", "short.json", (file) => file.graded[1].runs.pop());
    expect(refused([short, "g2.json"])).toBe(
      `simlab: merge: short.json does not hold the runs of shard 1/2 for ${skeleton}: it has 26 runs for its 27 jobs, and run 27 should be ${gradingJobs([lab2], { from: 1, count: 1 })[26]!.test} seed 1; grade that shard again.`,
    );
    const dropped = edited("g2.json", "dropped.json", (file) => file.graded.pop());
    expect(refused(["g1.json", dropped])).toBe(`simlab: merge: dropped.json does not hold the submissions of shard 2/2 (${skeleton}, ${join(term, "c-type-error")}); grade that shard again.`);
    const disagrees = edited("g2.json", "disagrees.json", (file) => (file.graded[0].checks.ignored = ["tests/raft/2A.ts"]));
    expect(refused(["g1.json", disagrees])).toBe(
      `simlab: merge: g1.json and disagrees.json disagree on what the checks before the runs found in ${skeleton}: changed files that do not count: none, against tests/raft/2A.ts; grade both shards again from the same copy of the submissions.`,
    );
    const otherCode = edited("g2.json", "other-code.json", (file) => (file.sources = "0".repeat(64)));
    expect(refused(["g1.json", otherCode])).toMatch(
      /^simlab: merge: other-code\.json was graded by other code \(simlab \S+, sources 000000000000\) than g1\.json \(simlab \S+, sources [0-9a-f]{12}\); grade every shard from the same commit\.$/,
    );
    const bothOther = edited("g1.json", "other-code-1.json", (file) => (file.sources = "0".repeat(64)));
    expect(refused([bothOther, otherCode])).toMatch(
      /^simlab: merge: the shards were graded by other code \(simlab \S+, sources 000000000000\) than this simlab \(simlab \S+, sources [0-9a-f]{12}\); merge them in a checkout of the commit that graded them: the points come from its manifest\.$/,
    );
    const invalid = edited("g2.json", "invalid.json", (file) => (file.graded[0].runs[0].passed = "yes"));
    expect(refused(["g1.json", invalid])).toMatch(/^simlab: merge: invalid\.json is not a valid grade shard file: graded\.0\.runs\.0\.passed: /);
    const seeds = edited("g2.json", "seeds.json", (file) => (file.seeds = { from: 1, count: 3 }));
    expect(refused(["g1.json", seeds])).toBe("simlab: merge: seeds.json is a shard of another grading (lab 2, seeds 1–3, in 2 shards) than g1.json (lab 2, seeds 1–1, in 2 shards).");
    const labs = edited("g2.json", "labs.json", (file) => (file.labs = [2, 3]));
    expect(refused(["g1.json", labs])).toBe("simlab: merge: labs.json is a shard of another grading (labs 2, 3, seeds 1–1, in 2 shards) than g1.json (lab 2, seeds 1–1, in 2 shards).");
    const more = edited("g2.json", "more.json", (file) => file.submissions.push({ path: join(term, "d-late"), files: "0".repeat(64) }));
    expect(refused(["g1.json", more])).toBe(
      `simlab: merge: more.json grades other submissions than g1.json: ${join(term, "d-late")} is not among the other's; grade every shard from the same copy of the same submissions.`,
    );
    expect(refused([more, "g1.json"])).toBe(`simlab: merge: g1.json grades other submissions than more.json: ${join(term, "d-late")} is missing; grade every shard from the same copy of the same submissions.`);
    const changed = edited("g2.json", "changed.json", (file) => (file.submissions[1].files = "0".repeat(64)));
    expect(refused(["g1.json", changed])).toMatch(
      new RegExp(`^simlab: merge: changed\\.json grades other submissions than g1\\.json: the student files of ${skeleton} differ \\(hash 000000000000, against [0-9a-f]{12}\\); grade every shard from the same copy of the same submissions\\.$`),
    );

    // Grade shards and sweep shards do not mix; a file of neither is named.
    expect(run(["sweep", "2A", "--seeds", "1", "--jobs", "1", "--out", "sweep.json"]).status).toBe(0);
    expect(refused(["g1.json", "sweep.json"])).toBe("simlab: merge: g1.json is a shard of simlab grade and sweep.json of simlab sweep; merge the shards of one grading or one sweep at a time.");
    expect(refused(["sweep.json", "--json", "x.json"])).toBe("simlab: merge: --json and --csv go with the shards of simlab grade; a sweep's shards hold every run already.");
    writeFileSync(join(scratch, "other.json"), JSON.stringify({ format: "something else" }));
    expect(refused(["other.json"])).toBe('simlab: merge: other.json is not a shard file of simlab sweep or simlab grade (no "format": "simlab sweep shard" or "simlab grade shard").');
  }, 600_000);

  test("a submission's hash is that of its student files: a student file's change changes it, another file's does not", () => {
    const copy = join(scratch, "hashed");
    cpSync(join(term, "b-skeleton"), copy, { recursive: true });
    const before = submissionHash(copy, [lab2]);
    expect(before).toMatch(/^[0-9a-f]{64}$/);
    expect(submissionHash(join(term, "a-reference"), [lab2])).not.toBe(before);
    writeFileSync(join(copy, "README.md"), "notes of mine\n");
    writeFileSync(join(copy, "tests", "raft", "2A.ts"), "// an edited grader does not count\n");
    expect(submissionHash(copy, [lab2])).toBe(before);
    writeFileSync(join(copy, "raft", "progress.ts"), `${readFileSync(join(copy, "raft", "progress.ts"), "utf8")}\n// one more line\n`);
    expect(submissionHash(copy, [lab2])).not.toBe(before);
    // Lab 2 names its student files one by one: a new module beside them is not taken, nor hashed.
    const changed = submissionHash(copy, [lab2]);
    writeFileSync(join(copy, "raft", "helpers.ts"), "export const x = 1;\n");
    expect(submissionHash(copy, [lab2])).toBe(changed);
  });

  test("grade rejects a shard it cannot make in one line", () => {
    expect(usageError(["grade", thisTree, "--shard", "1/2"])).toBe("simlab: --shard needs --out FILE, where the shard's runs go for simlab merge (see simlab grade --help).");
    expect(usageError(["grade", thisTree, "--shard", "3/2", "--out", join(scratch, "x.json")])).toBe('simlab: --shard needs i/n with 1 ≤ i ≤ n, e.g. --shard 2/4 for the second of four slices, not "3/2".');
    expect(usageError(["grade", thisTree, "--shard", "1/2", "--out", join(scratch, "x.json"), "--csv", join(scratch, "x.csv")])).toBe(
      "simlab: --json and --csv need every run of the grading: give them to simlab merge, which writes them from the shards' files.",
    );
    expect(usageError(["grade", thisTree, "--out", join(scratch, "nowhere", "x.json")])).toBe(`simlab: --out: cannot write ${join(scratch, "nowhere", "x.json")}: its folder does not exist.`);
  });
});
