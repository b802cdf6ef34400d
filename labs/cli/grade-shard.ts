// Static shards of a grading, for a course that grades many submissions on a CI matrix (or any
// orchestrator that runs n copies of one command): `simlab grade SUBMISSION… --shard i/n --out
// FILE` runs the i-th of n slices of the grading's runs and writes them to a grade shard file;
// `simlab merge FILE…` (merge.ts) checks the shards against each other and prints the grade a
// local `simlab grade` prints, with the same --json and --csv files.
//
// A job is one run: (submission, test, seed). The jobs are listed submission by submission (in
// the order grade takes them: as given, a folder's subfolders sorted by name), and for each
// submission seed by seed, every test of every graded lab (grading.ts gradingJobs); the slices are
// n consecutive blocks of that list, sizes differing by at most one (shard.ts shardJobs). They
// depend only on the submissions' paths, the labs, the seeds and n, so every machine computes the
// same ones. A block mixes light and heavy tests; it holds whole submissions, and at its ends
// parts of one or two: a shard builds and checks (type-check, import rules) the tree of every
// submission its block touches, so a submission cut in two is checked twice, once per shard. The
// jobs of a lab whose checks fail are not run (as in a local grade) and leave that shard lighter.
//
// A grade shard file (JSON) says what was graded (labs, seeds, every submission's path and a hash
// of its student files: submission-hash.ts) and by which code (source-identity.ts: the manifest and
// the graders are in the sources' hash), and, for each submission its block touches, what the
// checks found and every run: outcome, virtual time, events, journal hash, the first line of the
// failure report, and how the run ended if it did not end by itself.
import { UsageError } from "../../sim/index.ts";
import { gradeOf, gradingJobs, runnableJobs, type Grade, type GradedRun, type SubmissionChecks } from "../course/grading.ts";
import { findLab, type Lab } from "../course/manifest.ts";
import type { Job } from "./pool.ts";
import { checkEverySliceOnce, runMatchesJob, shardBounds, type ShardSpec } from "./shard.ts";
import { describeIdentity, sameIdentity, type SourceIdentity } from "./source-identity.ts";

export const gradeShardFormat = "simlab grade shard";
export const gradeShardFormatVersion = 1;

export interface GradedSubmission {
  /** The path as grade took it (a folder given, or a subfolder of one). */
  path: string;
  /** submissionHash: SHA-256 of its student files. */
  files: string;
}

/** One submission of a shard's block: what its checks found and the runs of the block's jobs that ran. */
export interface GradeShardEntry {
  submission: string;
  checks: SubmissionChecks;
  runs: GradedRun[];
}

export interface GradeShardFile extends SourceIdentity {
  format: typeof gradeShardFormat;
  version: typeof gradeShardFormatVersion;
  labs: number[];
  seeds: { from: number; count: number };
  /** Every submission of the grading, in its order (not only this block's). */
  submissions: GradedSubmission[];
  shard: ShardSpec;
  /** The submissions this shard's block touches, in order. */
  graded: GradeShardEntry[];
}

/** The jobs of one submission in a shard's block. */
export interface SubmissionSlice {
  /** Its place in the grading's list of submissions. */
  index: number;
  jobs: Job[];
}

/**
 * The block of shard i/n of grading `submissions` (so many) on `graded` over `seeds`, by
 * submission, in order: shardJobs of the whole list, found without listing it (300 submissions of
 * every lab over 50 seeds are millions of runs).
 */
export function gradingSlice(submissions: number, graded: readonly Lab[], seeds: { from: number; count: number }, shard: ShardSpec): SubmissionSlice[] {
  const perSubmission = gradingJobs(graded, seeds);
  const size = perSubmission.length;
  const { start, end } = shardBounds(submissions * size, shard);
  const slices: SubmissionSlice[] = [];
  for (let index = Math.floor(start / size); index < submissions && index * size < end; index++) {
    slices.push({ index, jobs: perSubmission.slice(Math.max(start - index * size, 0), Math.min(end - index * size, size)) });
  }
  return slices;
}

/** A run as a grade shard keeps it: what the grade reads, and the failure report's first line alone. */
export function shardedRun(run: GradedRun): GradedRun {
  const kept: GradedRun = { part: run.part, test: run.test, seed: run.seed, passed: run.passed, virtualMs: run.virtualMs, events: run.events, journalHash: run.journalHash };
  if (run.ended !== undefined) kept.ended = run.ended;
  if (run.failure !== undefined) kept.failure = run.failure.split("\n")[0]!;
  return kept;
}

export function gradeShardContent(
  identity: SourceIdentity,
  graded: readonly Lab[],
  seeds: { from: number; count: number },
  submissions: readonly GradedSubmission[],
  shard: ShardSpec,
  entries: readonly GradeShardEntry[],
): string {
  const file: GradeShardFile = {
    format: gradeShardFormat,
    version: gradeShardFormatVersion,
    ...identity,
    labs: graded.map((lab) => lab.number),
    seeds,
    submissions: [...submissions],
    shard,
    graded: entries.map((entry) => ({ ...entry, runs: entry.runs.map(shardedRun) })),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Reads a grade shard file's JSON (its "format" already seen to be gradeShardFormat); a UsageError if it is not a valid one. */
export async function validGradeShard(path: string, json: unknown): Promise<GradeShardFile> {
  // The schema library is loaded only here, so the other commands do not pay for it.
  const { z } = await import("zod");
  const whole = z.number().int();
  const run = z.object({
    part: z.string(),
    test: z.string(),
    seed: whole,
    passed: z.boolean(),
    virtualMs: z.number(),
    events: whole.min(0),
    journalHash: z.string(),
    ended: z.enum(["worker ended", "real-time limit", "not run"]).optional(),
    failure: z.string().optional(),
  });
  const schema = z.object({
    format: z.literal(gradeShardFormat),
    version: z.literal(gradeShardFormatVersion),
    simlab: z.string(),
    sources: z.string(),
    labs: z.array(whole).min(1),
    seeds: z.object({ from: whole.min(0), count: whole.min(1) }),
    submissions: z.array(z.object({ path: z.string(), files: z.string() })).min(1),
    shard: z.object({ index: whole.min(1), count: whole.min(1) }).refine((shard) => shard.index <= shard.count, "shard.index is past shard.count"),
    graded: z.array(
      z.object({
        submission: z.string(),
        checks: z.object({ missing: z.array(z.string()), ignored: z.array(z.string()), notGraded: z.record(z.string(), z.string()) }),
        runs: z.array(run),
      }),
    ),
  });
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`merge: ${path} is not a valid grade shard file: ${issue.path.join(".") || "the file"}: ${issue.message} (format version ${gradeShardFormatVersion} expected).`);
  }
  return parsed.data as GradeShardFile;
}

/**
 * Checks that the shards make one whole grading, graded by the code `here` (whose manifest scores
 * the runs), and grades it as a local grade would: the labs, the seeds and every submission's
 * grade, in the grading's order.
 */
export function gradesFromShards(shards: readonly { path: string; file: GradeShardFile }[], here: SourceIdentity): { graded: Lab[]; seeds: { from: number; count: number }; grades: Grade[] } {
  const { path: firstPath, file: first } = shards[0]!;
  const grading = (file: GradeShardFile): string =>
    `lab${file.labs.length === 1 ? "" : "s"} ${file.labs.join(", ")}, seeds ${file.seeds.from}–${file.seeds.from + file.seeds.count - 1}, in ${file.shard.count} shards`;
  for (const { path, file } of shards.slice(1)) {
    if (!sameIdentity(file, first)) {
      throw new UsageError(`merge: ${path} was graded by other code (${describeIdentity(file)}) than ${firstPath} (${describeIdentity(first)}); grade every shard from the same commit.`);
    }
    if (grading(file) !== grading(first)) {
      throw new UsageError(`merge: ${path} is a shard of another grading (${grading(file)}) than ${firstPath} (${grading(first)}).`);
    }
    const why = otherSubmissions(file.submissions, first.submissions);
    if (why !== undefined) {
      throw new UsageError(`merge: ${path} grades other submissions than ${firstPath}: ${why}; grade every shard from the same copy of the same submissions.`);
    }
  }
  if (!sameIdentity(first, here)) {
    throw new UsageError(
      `merge: the shards were graded by other code (${describeIdentity(first)}) than this simlab (${describeIdentity(here)}); merge them in a checkout of the commit that graded them: the points come from its manifest.`,
    );
  }
  const graded = first.labs.map((number) => {
    const lab = findLab(number);
    if (lab === undefined) throw new UsageError(`merge: ${firstPath} grades lab ${number}, which this simlab does not have.`);
    return lab;
  });
  checkEverySliceOnce(shards, first.shard.count, `the grading (${grading(first)})`);

  const checks = new Map<number, { path: string; checks: SubmissionChecks }>();
  const runs = first.submissions.map((): GradedRun[] => []);
  const ordered = [...shards].sort((a, b) => a.file.shard.index - b.file.shard.index);
  for (const { path, file } of ordered) {
    const slices = gradingSlice(first.submissions.length, graded, first.seeds, file.shard);
    const shardName = `shard ${file.shard.index}/${file.shard.count}`;
    if (file.graded.length !== slices.length || slices.some((slice, i) => file.graded[i]!.submission !== first.submissions[slice.index]!.path)) {
      const expected = slices.map((slice) => first.submissions[slice.index]!.path).join(", ");
      throw new UsageError(`merge: ${path} does not hold the submissions of ${shardName} (${expected}); grade that shard again.`);
    }
    slices.forEach((slice, i) => {
      const entry = file.graded[i]!;
      const seen = checks.get(slice.index);
      const disagreement = seen === undefined ? undefined : checksDisagree(seen.checks, entry.checks);
      if (disagreement !== undefined) {
        throw new UsageError(
          `merge: ${seen!.path} and ${path} disagree on what the checks before the runs found in ${entry.submission}: ${disagreement}; ` +
            "grade both shards again from the same copy of the submissions.",
        );
      }
      checks.set(slice.index, { path, checks: entry.checks });
      const expected = runnableJobs(graded, slice.jobs, entry.checks.notGraded);
      const wrong = expected.findIndex((job, k) => entry.runs[k] === undefined || !runMatchesJob(entry.runs[k]!, job));
      if (entry.runs.length !== expected.length || wrong >= 0) {
        const at = wrong >= 0 ? wrong : expected.length;
        const want = expected[at];
        throw new UsageError(
          `merge: ${path} does not hold the runs of ${shardName} for ${entry.submission}: it has ${entry.runs.length} runs for its ${expected.length} jobs` +
            (want !== undefined ? `, and run ${at + 1} should be ${want.test} seed ${want.seed}` : "") +
            "; grade that shard again.",
        );
      }
      runs[slice.index]!.push(...entry.runs);
    });
  }
  const grades = first.submissions.map((submission, index) => gradeOf(submission.path, graded, first.seeds, checks.get(index)!.checks, runs[index]!));
  return { graded, seeds: first.seeds, grades };
}

/** Why two lists of submissions are not the same grading's, or undefined if they are. */
function otherSubmissions(these: readonly GradedSubmission[], those: readonly GradedSubmission[]): string | undefined {
  const theirs = new Map(those.map((one) => [one.path, one.files]));
  const mine = new Set(these.map((one) => one.path));
  const onlyHere = these.find((one) => !theirs.has(one.path));
  if (onlyHere !== undefined) return `${onlyHere.path} is not among the other's`;
  const onlyThere = those.find((one) => !mine.has(one.path));
  if (onlyThere !== undefined) return `${onlyThere.path} is missing`;
  const changed = these.find((one) => theirs.get(one.path) !== one.files);
  if (changed !== undefined) {
    return `the student files of ${changed.path} differ (hash ${changed.files.slice(0, 12)}, against ${theirs.get(changed.path)!.slice(0, 12)})`;
  }
  if (these.some((one, i) => one.path !== those[i]!.path)) return "the same submissions, in another order";
  return undefined;
}

/** How the checks of one submission in two shards differ (the first difference), or undefined if they agree. */
function checksDisagree(one: SubmissionChecks, other: SubmissionChecks): string | undefined {
  const notGraded = (checks: SubmissionChecks): string => {
    const labs = Object.entries(checks.notGraded);
    return labs.length === 0 ? "every lab could be graded" : labs.map(([lab, why]) => `lab ${lab} was not graded: it ${why}`).join("; ");
  };
  const list = (files: string[]): string => (files.length === 0 ? "none" : files.join(", "));
  if (notGraded(one) !== notGraded(other)) return `${notGraded(one)}, against ${notGraded(other)}`;
  if (list(one.missing) !== list(other.missing)) return `student files missing: ${list(one.missing)}, against ${list(other.missing)}`;
  if (list(one.ignored) !== list(other.ignored)) return `changed files that do not count: ${list(one.ignored)}, against ${list(other.ignored)}`;
  return undefined;
}
