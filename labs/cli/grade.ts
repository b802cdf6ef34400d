// simlab grade SUBMISSION… [--labs L,…] [--seeds N] [--from S] [--jobs J] [--json FILE] [--csv FILE]
//                          [--shard i/n --out FILE]:
// grades each submission against this repository's graders (labs/course/grading.ts says how) and
// prints the points (grade-report.ts): test by test for one submission, one row per submission for
// several. With --shard i/n only the i-th of n slices of the runs is made, and written to --out for
// simlab merge (grade-shard.ts says what a slice is); a local grade is the one slice 1/1.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../../sim/index.ts";
import { edition } from "../../tests/harness/edition.ts";
import { checkAndRun, gradeOf, RUN_WALL_LIMIT_MS } from "../course/grading.ts";
import { labs as courseLabs } from "../course/manifest.ts";
import { isSubmission } from "../course/submission.ts";
import { submissionHash } from "../course/submission-hash.ts";
import type { Command } from "./command.ts";
import { gradesCsv, gradesJson, printGrades } from "./grade-report.ts";
import { gradeShardContent, gradingSlice, type GradeShardEntry } from "./grade-shard.ts";
import { defaultJobs, labList, outputFile, readOptions, readSeedRange, seedRangeOptions } from "./options.ts";
import { Progress } from "./progress.ts";
import { readShardSpec } from "./shard.ts";
import { sourceIdentity } from "./source-identity.ts";

const defaultSeeds = 50;

const usage = `usage: simlab grade SUBMISSION… [--labs L,…] [--seeds N] [--from S] [--jobs J] [--json FILE] [--csv FILE]
                                 [--shard i/n --out FILE]

Grades each SUBMISSION, a student repository (or a folder whose subfolders are student
repositories). Only the student files of the labs, and of the labs they build on, are taken from
it, into a fresh tree built from this repository's framework and graders: an edited test or
simulator does not count. That tree is type-checked and loaded under the import rules (student
code imports ../sim/index.ts and its labs' files, nothing else); a lab that fails either is not
graded, and says why. Then every test of the labs runs on every seed, each run within its test's
events budget, and a test scores its points only if it passes on every seed.

options:
  --labs L,…   the labs to grade (default: ${courseLabs.map((lab) => lab.number).join(",")})
  --seeds N    seeds per test (default ${defaultSeeds})
  --from S     the first seed (default 1)
  --jobs J     worker processes (default: one per core, here ${defaultJobs()})
  --json FILE  write every grade, test by test, as JSON
  --csv FILE   write one row per submission, points per part and in all, for a gradebook
  --shard i/n  make only the i-th of n disjoint slices of the (submission, test, seed) runs
               (1 ≤ i ≤ n), the same slices on every machine; needs --out, and prints no points:
               simlab merge puts the n files together and prints (and --json, --csv) the grade
  --out FILE   write the runs (and what the checks found) to FILE, for simlab merge; without
               --shard, the whole grading as shard 1/1, with its table

One submission prints its table, test by test; several print one row each. A run that takes more
than ${RUN_WALL_LIMIT_MS / 1000} s of real time is stopped and reported as such, not as a wrong answer.
exit code: 0 graded (whatever the points), 2 bad input`;

export const gradeCommand: Command = {
  name: "grade",
  summary: "grade student repositories against the official graders over many seeds (or in shards); a points table",
  usage,
  async run(args) {
    const { values, positionals } = readOptions(
      "grade",
      args,
      { ...seedRangeOptions, labs: { type: "string" }, json: { type: "string" }, csv: { type: "string" }, shard: { type: "string" }, out: { type: "string" } },
      { min: 1, max: Infinity, what: "one submission or more, e.g. simlab grade ../submissions/alice --labs 2" },
    );
    if (edition.kind === "handout") {
      throw new UsageError("grade runs in simlab's own repository, whose graders are the official ones; this is a student repository (npx simlab sweep checks your work over many seeds).");
    }
    const graded = labList("--labs", values.labs);
    const { from, count, workers } = readSeedRange("grade", values, defaultSeeds);
    if (values.shard !== undefined && values.out === undefined) {
      throw new UsageError("--shard needs --out FILE, where the shard's runs go for simlab merge (see simlab grade --help).");
    }
    const shard = values.shard === undefined ? { index: 1, count: 1 } : readShardSpec(String(values.shard));
    if (shard.count > 1 && (values.json !== undefined || values.csv !== undefined)) {
      throw new UsageError("--json and --csv need every run of the grading: give them to simlab merge, which writes them from the shards' files.");
    }
    const writeJson = outputFile("--json", values.json);
    const writeCsv = outputFile("--csv", values.csv);
    const writeOut = outputFile("--out", values.out);
    const submissions = positionals.flatMap(submissionsIn);
    const seeds = { from, count };

    const entries: GradeShardEntry[] = [];
    for (const slice of gradingSlice(submissions.length, graded, seeds, shard)) {
      const submission = submissions[slice.index]!;
      let progress: Progress | undefined;
      const started = performance.now();
      if (submissions.length > 1) process.stderr.write(`${submission}: `);
      const { checks, runs } = await checkAndRun(submission, graded, slice.jobs, {
        workers,
        onRun: (run, total) => {
          progress ??= new Progress(total, process.stderr);
          progress.update(run.passed);
        },
      });
      if (progress !== undefined) progress.finish((performance.now() - started) / 1000, workers);
      else if (submissions.length > 1) process.stderr.write(Object.keys(checks.notGraded).length === graded.length ? "no lab could be graded\n" : "no run of this shard is in a lab that could be graded\n");
      entries.push({ submission, checks, runs });
    }
    if (writeOut !== undefined) {
      const listed = submissions.map((path) => ({ path, files: submissionHash(path, graded) }));
      writeOut(gradeShardContent(sourceIdentity(), graded, seeds, listed, shard, entries));
      const runs = entries.reduce((sum, entry) => sum + entry.runs.length, 0);
      process.stderr.write(`grade shard ${shard.index}/${shard.count}: ${runs} runs of ${entries.length} of ${submissions.length} submission${submissions.length === 1 ? "" : "s"} written to ${String(values.out)}\n`);
    }
    if (shard.count > 1) return 0;
    const grades = entries.map((entry) => gradeOf(entry.submission, graded, seeds, entry.checks, entry.runs));
    printGrades(grades, graded);
    writeJson?.(gradesJson(grades, graded, seeds));
    writeCsv?.(gradesCsv(grades, graded));
    return 0;
  },
};

/** A submission as given, or each submission in a folder of them. */
function submissionsIn(path: string): string[] {
  let isFolder: boolean;
  try {
    isFolder = statSync(path).isDirectory();
  } catch {
    throw new UsageError(`grade: ${path} does not exist.`);
  }
  if (!isFolder) throw new UsageError(`grade: ${path} is not a folder; give a student repository, or a folder of them.`);
  if (isSubmission(path)) return [path];
  const inside = readdirSync(path, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && isSubmission(join(path, entry.name)))
    .map((entry) => join(path, entry.name))
    .sort();
  if (inside.length === 0) {
    const some = courseLabs.flatMap((lab) => lab.studentFiles).slice(0, 3).join(", ");
    throw new UsageError(`grade: ${path} has no student files (${some}, …), and no subfolder that has any.`);
  }
  return inside;
}
