// simlab grade SUBMISSION… [--labs L,…] [--seeds N] [--from S] [--jobs J] [--json FILE] [--csv FILE]:
// grades each submission against this repository's graders (labs/course/grading.ts says how) and
// prints the points: test by test for one submission, one row per submission for several.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../../sim/index.ts";
import { edition } from "../../tests/harness/edition.ts";
import { gradeSubmission, RUN_WALL_LIMIT_MS, type Grade, type LabGrade } from "../course/grading.ts";
import { labs as courseLabs, type Lab } from "../course/manifest.ts";
import { isSubmission } from "../course/submission.ts";
import type { Command } from "./command.ts";
import { defaultJobs, labList, outputFile, readOptions, readSeedRange, seedRangeOptions } from "./options.ts";
import { Progress } from "./progress.ts";

const defaultSeeds = 50;

const usage = `usage: simlab grade SUBMISSION… [--labs L,…] [--seeds N] [--from S] [--jobs J] [--json FILE] [--csv FILE]

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

One submission prints its table, test by test; several print one row each. A run that takes more
than ${RUN_WALL_LIMIT_MS / 1000} s of real time is stopped and reported as such, not as a wrong answer.
exit code: 0 graded (whatever the points), 2 bad input`;

export const gradeCommand: Command = {
  name: "grade",
  summary: "grade student repositories against the official graders over many seeds; a points table",
  usage,
  async run(args) {
    const { values, positionals } = readOptions(
      "grade",
      args,
      { ...seedRangeOptions, labs: { type: "string" }, json: { type: "string" }, csv: { type: "string" } },
      { min: 1, max: Infinity, what: "one submission or more, e.g. simlab grade ../submissions/alice --labs 2" },
    );
    if (edition.kind === "handout") {
      throw new UsageError("grade runs in simlab's own repository, whose graders are the official ones; this is a student repository (npx simlab sweep checks your work over many seeds).");
    }
    const graded = labList("--labs", values.labs);
    const { from, count, workers } = readSeedRange("grade", values, defaultSeeds);
    const writeJson = outputFile("--json", values.json);
    const writeCsv = outputFile("--csv", values.csv);
    const submissions = positionals.flatMap(submissionsIn);

    const grades: Grade[] = [];
    for (const submission of submissions) {
      let progress: Progress | undefined;
      const started = performance.now();
      if (submissions.length > 1) process.stderr.write(`${submission}: `);
      const grade = await gradeSubmission(submission, graded, {
        seeds: { from, count },
        workers,
        onRun: (run, total) => {
          progress ??= new Progress(total, process.stderr);
          progress.update(run.passed);
        },
      });
      if (progress !== undefined) progress.finish((performance.now() - started) / 1000, workers);
      else if (submissions.length > 1) process.stderr.write("no lab could be graded\n");
      grades.push(grade);
    }
    if (grades.length === 1) printTable(grades[0]!);
    else printRows(grades, graded);
    writeJson?.(`${JSON.stringify({ labs: graded.map((lab) => lab.number), seeds: { from, count }, grades }, null, 2)}\n`);
    writeCsv?.(csv(grades, graded));
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

function printTable(grade: Grade): void {
  const seeds = `seeds ${grade.seeds.from}–${grade.seeds.from + grade.seeds.count - 1}`;
  console.log(`${grade.submission}: lab${grade.labs.length === 1 ? "" : "s"} ${grade.labs.map((lab) => lab.lab).join(", ")}, ${seeds}\n`);
  const rows: string[][] = [["test", "seeds passed", "points", "first failing seed"]];
  for (const lab of grade.labs) {
    if (lab.notGraded !== undefined) {
      rows.push([`lab ${lab.lab}`, "", `0/${lab.points}`, `not graded: ${lab.notGraded}`]);
      continue;
    }
    for (const test of lab.tests) {
      const failure = test.firstFailure;
      const why = failure?.ended === "worker ended" ? `crashed the test runner: ${failure.why}` : failure?.why;
      const shown = failure === undefined ? "-" : `${failure.seed}: ${shorten(why!, 90)}  ${failure.replay}`;
      rows.push([test.test, `${test.passed}/${test.runs}`, `${test.earned}/${test.points}`, shown]);
    }
    rows.push([`lab ${lab.lab}`, "", `${lab.earned}/${lab.points}`, ""]);
  }
  rows.push(["total", "", `${grade.earned}/${grade.points}`, ""]);
  printColumns(rows, [false, true, true, false]);
  for (const note of notes(grade, false)) console.log(`\n${note}`);
}

function printRows(grades: Grade[], graded: readonly Lab[]): void {
  const rows = [["submission", ...graded.map((lab) => `lab ${lab.number}`), "total", "notes"]];
  for (const grade of grades) {
    const cell = (lab: LabGrade): string => `${lab.earned}/${lab.points}${lab.notGraded === undefined ? "" : " (not graded)"}`;
    rows.push([grade.submission, ...grade.labs.map(cell), `${grade.earned}/${grade.points}`, notes(grade, true).join(" ")]);
  }
  printColumns(rows, [false, ...graded.map(() => true), true, false]);
}

/** What a reader of the grade should know besides the points (and, unless the table shows them, why a lab was not graded). */
function notes(grade: Grade, withLabs: boolean): string[] {
  const notes: string[] = [];
  for (const lab of withLabs ? grade.labs : []) if (lab.notGraded !== undefined) notes.push(`Lab ${lab.lab} was not graded: it ${lab.notGraded}`);
  if (grade.stoppedRuns > 0) {
    notes.push(
      `${grade.stoppedRuns} run${grade.stoppedRuns === 1 ? " was" : "s were"} stopped after ${RUN_WALL_LIMIT_MS / 1000} s of real time: not wrong answers, but runaway runs; the tests they belong to did not score.`,
    );
  }
  if (grade.missing.length > 0) notes.push(`Not in the submission (the skeleton's were used): ${grade.missing.join(", ")}.`);
  if (grade.ignored.length > 0) notes.push(`Changed, but not student files, so the official ones were used: ${grade.ignored.join(", ")}.`);
  return notes;
}

function printColumns(rows: string[][], alignRight: boolean[]): void {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => (c === row.length - 1 ? 0 : row[c]!.length))));
  for (const row of rows) {
    console.log(row.map((cell, c) => (c === row.length - 1 ? cell : alignRight[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join("  ").trimEnd());
  }
}

function shorten(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}

/** One row per submission: the points of each part and lab, the total, and the notes. */
function csv(grades: Grade[], graded: readonly Lab[]): string {
  const header = ["submission", ...graded.flatMap((lab) => [...lab.parts.map((part) => part.name), `lab ${lab.number}`]), "total", "out of", "notes"];
  const quote = (cell: string | number): string => (/[",\n]/.test(String(cell)) ? `"${String(cell).replaceAll('"', '""')}"` : String(cell));
  const rows = grades.map((grade) => [
    grade.submission,
    ...grade.labs.flatMap((lab) => [
      ...courseLabs.find((one) => one.number === lab.lab)!.parts.map((part) => lab.tests.filter((test) => test.part === part.name).reduce((sum, test) => sum + test.earned, 0)),
      lab.earned,
    ]),
    grade.earned,
    grade.points,
    notes(grade, true).join(" "),
  ]);
  return [header, ...rows].map((row) => row.map(quote).join(",")).join("\n") + "\n";
}
