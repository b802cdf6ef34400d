// Grading one submission: what `simlab grade` does for each, and the grade it reports.
//
//   1. The grading tree: the official handout of the graded labs and those they build on, with
//      the submission's student files copied in (submission.ts).
//   2. The type-check (typecheck.ts). A lab with an error in its files, in the files of a lab it
//      builds on, or in the framework is not graded: 0 points, and one line that says why.
//   3. The load check (load-check.ts): each part's graders are loaded under the import rules
//      (import-rules.ts). A lab one of whose parts cannot be loaded is not graded either.
//   4. The runs: every test of every lab still graded, on every seed, in worker processes that
//      run the grading tree's code under the import rules (labs/cli/pool.ts). Each run has its
//      test's events budget (manifest.ts) besides the tests' own virtual-time limits, and a
//      real-time limit far above what any run needs, RUN_WALL_LIMIT_MS: a run stopped by it is
//      reported as such, not as a wrong answer.
//   5. The points: a test scores its points only if it passed on every seed.
//
// Steps 1–4 (checkAndRun) may run a part of a grading's jobs (gradingJobs), and step 5 (gradeOf)
// reads the checks and the runs back from wherever they ran: `simlab grade --shard i/n` runs a
// slice of the runs of every submission, and `simlab merge` grades from the shards' files
// (labs/cli/grade-shard.ts) exactly as a local grade does.
//
// A grade depends only on the submission, the official sources and the seeds: every limit but the
// real-time one is counted in virtual time or events. Other labs go on when one cannot be graded,
// and a run that crashes its worker fails that run alone.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { jobsSeedBySeed, runInWorkers, type Job } from "../cli/pool.ts";
import type { RunSummary } from "../cli/worker.ts";
import { filesUnder, gradersIn, studentFilesIn } from "./files.ts";
import { withFoundations, type Lab } from "./manifest.ts";
import { buildGradingTree } from "./submission.ts";
import { typeCheckErrors, type TypeCheckError } from "./typecheck.ts";

/** The real-time limit of one run: the slowest reference run takes a few seconds. */
export const RUN_WALL_LIMIT_MS = 300_000;
/** How long loading a submission's files may take. */
const LOAD_LIMIT_MS = 60_000;

export interface TestGrade {
  part: string;
  test: string;
  points: number;
  earned: number;
  runs: number;
  passed: number;
  /** The most events a run of it dispatched, against its budget (manifest.ts). */
  mostEvents: number;
  /** The first seed that failed: why (the report's first line), how it ended if abnormally, and how to replay it. */
  firstFailure?: { seed: number; why: string; ended?: RunSummary["ended"]; replay: string };
}

export interface LabGrade {
  lab: number;
  points: number;
  earned: number;
  /** Why none of the lab's tests ran, when none did. */
  notGraded?: string;
  tests: TestGrade[];
}

export interface Grade {
  submission: string;
  seeds: { from: number; count: number };
  labs: LabGrade[];
  points: number;
  earned: number;
  /** Student files the submission lacks (the skeleton's were used). */
  missing: string[];
  /** Files of the submission, not student files, that differ from the official ones and did not count. */
  ignored: string[];
  /** Runs the real-time limit stopped: not wrong answers, but the tests they belong to did not score. */
  stoppedRuns: number;
}

/** What the checks before any run found in a submission (steps 1–3). */
export interface SubmissionChecks {
  /** Student files the submission lacks (the skeleton's were used). */
  missing: string[];
  /** Files of the submission, not student files, that differ from the official ones and did not count. */
  ignored: string[];
  /** Why a lab was not graded, by lab number; the labs graded are not in it. */
  notGraded: Record<string, string>;
}

/** What a grade reads of a run (a RunSummary, or a run read back from a grade shard). */
export type GradedRun = Pick<RunSummary, "part" | "test" | "seed" | "passed" | "virtualMs" | "events" | "journalHash" | "ended" | "failure">;

export interface RunOptions {
  workers: number;
  /** Called as each run finishes, with how many runs there are in all. */
  onRun?: (run: RunSummary, total: number) => void;
}

const guard = fileURLToPath(new URL("./import-guard.ts", import.meta.url));
const loadCheck = fileURLToPath(new URL("./load-check.ts", import.meta.url));
const tsxLoader = import.meta.resolve("tsx");

/**
 * Every run of grading the labs `graded` over the seeds, as jobs: seed by seed, every test of
 * every lab in the manifest's order, each with its test's events budget. This is the order a
 * grade's runs are sliced in for shards (grade --shard), so it depends only on the labs and seeds.
 */
export function gradingJobs(graded: readonly Lab[], seeds: { from: number; count: number }): Job[] {
  const tests = graded.flatMap((lab) => lab.parts).flatMap((part) => Object.keys(part.tests).map((name) => ({ part: part.name, name })));
  const budgets = new Map(graded.flatMap((lab) => lab.parts).flatMap((part) => Object.entries(part.tests).map(([name, score]) => [name, score.maxEvents])));
  return jobsSeedBySeed(tests, seeds.from, seeds.count).map((job) => ({ ...job, maxEvents: budgets.get(job.test)! }));
}

/**
 * Builds and checks the submission's grading tree (steps 1–3), then runs those of `jobs` (some of
 * gradingJobs(graded, …)) whose lab passed the checks (step 4), in the jobs' order.
 */
export async function checkAndRun(submission: string, graded: readonly Lab[], jobs: readonly Job[], options: RunOptions): Promise<{ checks: SubmissionChecks; runs: RunSummary[] }> {
  const scratch = mkdtempSync(join(tmpdir(), "simlab-grade-"));
  try {
    const tree = buildGradingTree(submission, graded, join(scratch, "tree"));
    const env = { SIMLAB_GRADED_TREE: tree.root, SIMLAB_GRADED_LABS: graded.map((lab) => lab.number).join(",") };
    const notGraded = new Map<number, string>();
    const errors = typeCheckErrors(tree.root);
    for (const lab of graded) {
      const why = typeCheckVerdict(tree.root, tree.labs, lab, errors);
      if (why !== undefined) notGraded.set(lab.number, why);
    }
    const loadable = graded.filter((lab) => !notGraded.has(lab.number));
    for (const [lab, why] of loadVerdicts(scratch, tree.root, loadable, env)) notGraded.set(lab, why);

    const checks: SubmissionChecks = { missing: tree.missing, ignored: tree.ignored, notGraded: {} };
    for (const lab of graded) if (notGraded.has(lab.number)) checks.notGraded[String(lab.number)] = notGraded.get(lab.number)!;
    const runnable = runnableJobs(graded, jobs, checks.notGraded);
    const runs = await runInWorkers(runnable, {
      workers: options.workers,
      chunkSize: 1,
      runWallLimitMs: RUN_WALL_LIMIT_MS,
      maxReplacements: Infinity,
      setup: { tree: tree.root, execArgv: ["--import", guard], env },
      onRun: (run) => options.onRun?.(run, runnable.length),
    });
    return { checks, runs };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The jobs that run once the checks are done: those of the labs not in `notGraded`. */
export function runnableJobs(graded: readonly Lab[], jobs: readonly Job[], notGraded: SubmissionChecks["notGraded"]): Job[] {
  const parts = new Set(graded.filter((lab) => !(String(lab.number) in notGraded)).flatMap((lab) => lab.parts.map((part) => part.name)));
  return jobs.filter((job) => parts.has(job.part));
}

/** The grade of a submission from its checks and every run of gradingJobs(graded, seeds) that ran (step 5). */
export function gradeOf(submission: string, graded: readonly Lab[], seeds: { from: number; count: number }, checks: SubmissionChecks, runs: readonly GradedRun[]): Grade {
  const labs = graded.map((lab) => labGrade(lab, runs, seeds.count, checks.notGraded[String(lab.number)]));
  return {
    submission,
    seeds,
    labs,
    points: labs.reduce((sum, lab) => sum + lab.points, 0),
    earned: labs.reduce((sum, lab) => sum + lab.earned, 0),
    missing: checks.missing,
    ignored: checks.ignored,
    stoppedRuns: runs.filter((run) => run.ended === "real-time limit").length,
  };
}

/**
 * Why `lab` cannot be graded for its type errors, undefined if it can: errors in its files (student,
 * given, graders), in those of a lab it builds on, or in files of no lab (the framework) count.
 */
function typeCheckVerdict(root: string, held: readonly Lab[], lab: Lab, errors: TypeCheckError[]): string | undefined {
  const filesOf = (one: Lab): string[] => [...studentFilesIn(root, one), ...filesUnder(root, one.givenFiles), ...gradersIn(root, one)];
  const ownLabs = withFoundations([lab]);
  const own = new Set(ownLabs.flatMap(filesOf));
  const ofSomeLab = new Set(held.flatMap(filesOf));
  const relevant = errors.filter((error) => own.has(error.file) || !ofSomeLab.has(error.file));
  if (relevant.length === 0) return undefined;
  const more = relevant.length > 1 ? ` (and ${relevant.length - 1} more)` : "";
  // A module that cannot be found: a file that is not a student file, or a package not installed.
  const missing = relevant.map((error) => / error TS2307: Cannot find module '([^']*)'/.exec(error.text)?.[1]).find((name) => name !== undefined);
  const hint =
    missing === undefined
      ? ""
      : missing.startsWith(".")
        ? ` (Only ${ownLabs.flatMap((one) => one.studentFiles).join(", ")} are taken from a submission.)`
        : " (The graders install only the lockfile's packages, and student code uses simlab's API alone, ../sim/index.ts.)";
  return `does not type-check: ${relevant[0]!.text}${more}${hint}`;
}

/** Loads each part of the labs in a worker-like process; the labs one of whose parts cannot be loaded, with why. */
function loadVerdicts(scratch: string, root: string, labs: readonly Lab[], env: Record<string, string>): Map<number, string> {
  const verdicts = new Map<number, string>();
  if (labs.length === 0) return verdicts;
  const out = join(scratch, "load-check.json");
  const names = labs.flatMap((lab) => lab.parts.map((part) => part.name));
  const { status, signal, stderr } = spawnSync(process.execPath, ["--import", tsxLoader, "--import", guard, loadCheck, out, ...names], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: LOAD_LIMIT_MS,
  });
  let loaded: Record<string, string | null>;
  try {
    loaded = JSON.parse(readFileSync(out, "utf8")) as Record<string, string | null>;
  } catch {
    const how = signal === "SIGTERM" ? `did not finish within ${LOAD_LIMIT_MS / 1000} s (a loop at the top level of a module?)` : `ended (exit code ${status}): ${stderr.trim().split("\n").pop()}`;
    for (const lab of labs) verdicts.set(lab.number, `cannot be loaded: loading its files ${how}`);
    return verdicts;
  }
  for (const lab of labs) {
    const failed = lab.parts.find((part) => loaded[part.name] !== null);
    if (failed !== undefined) verdicts.set(lab.number, `cannot be loaded (part ${failed.name}): ${loaded[failed.name]}`);
  }
  return verdicts;
}

function labGrade(lab: Lab, runs: readonly GradedRun[], seeds: number, notGraded: string | undefined): LabGrade {
  const tests = lab.parts.flatMap((part) =>
    Object.entries(part.tests).map(([name, score]): TestGrade => {
      const mine = runs.filter((run) => run.test === name).sort((a, b) => a.seed - b.seed);
      const passed = mine.filter((run) => run.passed).length;
      const failing = mine.find((run) => !run.passed);
      const grade: TestGrade = {
        part: part.name,
        test: name,
        points: score.points,
        earned: mine.length === seeds && passed === seeds ? score.points : 0,
        runs: mine.length,
        passed,
        mostEvents: Math.max(0, ...mine.map((run) => run.events)),
      };
      if (failing !== undefined) {
        const why = (failing.failure ?? "").split("\n")[0]!.replace(`${name} failed: `, "");
        grade.firstFailure = { seed: failing.seed, why, replay: `npx simlab replay ${name} --seed ${failing.seed}` };
        if (failing.ended !== undefined) grade.firstFailure.ended = failing.ended;
      }
      return grade;
    }),
  );
  const grade: LabGrade = {
    lab: lab.number,
    points: tests.reduce((sum, test) => sum + test.points, 0),
    earned: tests.reduce((sum, test) => sum + test.earned, 0),
    tests,
  };
  if (notGraded !== undefined) grade.notGraded = notGraded;
  return grade;
}
