// simlab merge FILE…: the shard files of one sweep (shard.ts) or of one grading (grade-shard.ts)
// put together; which of the two, the files' "format" says. For a sweep it prints the table a
// local sweep of the same seeds prints and saves the failing seeds the same way; for a grading it
// prints the grade a local simlab grade prints, and writes the same --json and --csv files. It
// refuses (exit code 2) when the shards do not make one whole sweep or grading: a file that is no
// shard file, sweep and grade shards together, shards of different sweeps or gradings or of
// different code, a slice given twice or missing, a slice whose runs are not its jobs. Nothing is
// merged silently.
import { readFileSync } from "node:fs";
import { UsageError } from "../../sim/index.ts";
import type { Command } from "./command.ts";
import { gradesCsv, gradesJson, printGrades } from "./grade-report.ts";
import { gradesFromShards, gradeShardFormat, validGradeShard, type GradeShardFile } from "./grade-shard.ts";
import { describeIoError, outputFile, readOptions } from "./options.ts";
import { jobsSeedBySeed } from "./pool.ts";
import { checkEverySliceOnce, runMatchesJob, shardFormat, shardFormatVersion, shardJobs, type ShardFile } from "./shard.ts";
import { describeIdentity, sameIdentity, sourceIdentity } from "./source-identity.ts";
import { reportSweep } from "./sweep-report.ts";

const usage = `usage: simlab merge FILE… [--json FILE] [--csv FILE]

Reads the shard files written by simlab sweep … --shard i/n --out FILE (every slice 1/n … n/n of
one sweep, in any order) and prints the table that simlab sweep prints for the whole sweep;
failing seeds are saved in .simlab/failures/ with the commands that replay them, as sweep does.

Reads the shard files written by simlab grade … --shard i/n --out FILE the same way, and prints
the grade that simlab grade prints for the whole grading.

options (grade shards only):
  --json FILE  write every grade, test by test, as JSON, as simlab grade --json does
  --csv FILE   write one row per submission, as simlab grade --csv does

The shards must be of the same sweep (part or test, seeds, n), or the same grading (labs, seeds,
n, the same submissions with the same student files), and made by the same code (the same simlab
version and sources, compared by a content hash); each slice must be given exactly once, and hold
the runs of its jobs. Otherwise merge says what is wrong and merges nothing.

exit code: sweep shards: 0 every run passed, 1 some run failed; grade shards: 0 graded (whatever
the points); 2 bad input (including shards that do not fit)`;

export const mergeCommand: Command = {
  name: "merge",
  summary: "put the shard files of a sweep or a grading (--shard i/n --out FILE) together: its table",
  usage,
  async run(args) {
    const { values, positionals } = readOptions(
      "merge",
      args,
      { json: { type: "string" }, csv: { type: "string" } },
      { min: 1, max: Infinity, what: "the shard files of one sweep or grading, e.g. simlab merge shard-*.json" },
    );
    const read = positionals.map((path) => ({ path, json: readJson(path) }));
    const grading = read.find(({ json }) => json.format === gradeShardFormat);
    const sweeping = read.find(({ json }) => json.format === shardFormat);
    if (grading !== undefined && sweeping !== undefined) {
      throw new UsageError(`merge: ${grading.path} is a shard of simlab grade and ${sweeping.path} of simlab sweep; merge the shards of one grading or one sweep at a time.`);
    }
    if (grading !== undefined) {
      const shards: { path: string; file: GradeShardFile }[] = [];
      for (const { path, json } of read) shards.push({ path, file: await validGradeShard(path, json) });
      const writeJson = outputFile("--json", values.json);
      const writeCsv = outputFile("--csv", values.csv);
      const { graded, seeds, grades } = gradesFromShards(shards, sourceIdentity());
      const runs = shards.reduce((sum, { file }) => sum + file.graded.reduce((inFile, entry) => inFile + entry.runs.length, 0), 0);
      process.stderr.write(`merged ${shards.length} grade shard${shards.length === 1 ? "" : "s"}: ${runs} runs of ${grades.length} submission${grades.length === 1 ? "" : "s"}\n`);
      printGrades(grades, graded);
      writeJson?.(gradesJson(grades, graded, seeds));
      writeCsv?.(gradesCsv(grades, graded));
      return 0;
    }
    if (values.json !== undefined || values.csv !== undefined) {
      throw new UsageError("merge: --json and --csv go with the shards of simlab grade; a sweep's shards hold every run already.");
    }
    const shards: { path: string; file: ShardFile }[] = [];
    for (const { path, json } of read) shards.push({ path, file: await validSweepShard(path, json) });
    const runs = checkShards(shards);
    const first = shards[0]!.file;
    process.stderr.write(`merged ${shards.length} shard${shards.length === 1 ? "" : "s"}: ${runs.length} runs\n`);
    return reportSweep(first.target, first.tests.map((test) => test.name), first.seeds, runs);
  },
};

/** A shard file's JSON, with a "format" of simlab sweep's or simlab grade's shards. */
function readJson(path: string): { format: string } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === "ENOENT" ? "there is no such file" : describeIoError(error);
    throw new UsageError(`merge: cannot read ${path}: ${why}.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(`merge: ${path} is not JSON; give the files that simlab sweep (or grade) … --shard i/n --out FILE wrote.`);
  }
  const format = (json as { format?: unknown } | null)?.format;
  if (format !== shardFormat && format !== gradeShardFormat) {
    throw new UsageError(`merge: ${path} is not a shard file of simlab sweep or simlab grade (no "format": "${shardFormat}" or "${gradeShardFormat}").`);
  }
  return json as { format: string };
}

async function validSweepShard(path: string, json: unknown): Promise<ShardFile> {
  // The schema library is loaded only here, so the other commands do not pay for it.
  const { z } = await import("zod");
  const whole = z.number().int();
  const schema = z.object({
    format: z.literal(shardFormat),
    version: z.literal(shardFormatVersion),
    simlab: z.string(),
    sources: z.string(),
    target: z.string(),
    tests: z.array(z.object({ part: z.string(), name: z.string() })).min(1),
    seeds: z.object({ from: whole.min(0), count: whole.min(1) }),
    shard: z.object({ index: whole.min(1), count: whole.min(1) }).refine((shard) => shard.index <= shard.count, "shard.index is past shard.count"),
    runs: z.array(
      z.object({
        part: z.string(),
        test: z.string(),
        seed: whole,
        passed: z.boolean(),
        virtualMs: z.number(),
        events: whole.min(0),
        journalHash: z.string(),
        pid: whole,
        ended: z.enum(["worker ended", "real-time limit", "not run"]).optional(),
        failure: z.string().optional(),
        replay: z.string(),
        vitest: z.string(),
      }),
    ),
  });
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`merge: ${path} is not a valid shard file: ${issue.path.join(".") || "the file"}: ${issue.message} (format version ${shardFormatVersion} expected).`);
  }
  return parsed.data as ShardFile;
}

/** Checks that the shards make one whole sweep; returns its runs, in the sweep's job order. */
function checkShards(shards: { path: string; file: ShardFile }[]): ShardFile["runs"] {
  const { path: firstPath, file: first } = shards[0]!;
  const sweep = (file: ShardFile): string => `${file.target}, seeds ${file.seeds.from}–${file.seeds.from + file.seeds.count - 1}, in ${file.shard.count} shards`;
  for (const { path, file } of shards.slice(1)) {
    if (!sameIdentity(file, first)) {
      throw new UsageError(`merge: ${path} was swept by other code (${describeIdentity(file)}) than ${firstPath} (${describeIdentity(first)}); sweep every shard from the same commit.`);
    }
    if (sweep(file) !== sweep(first) || JSON.stringify(file.tests) !== JSON.stringify(first.tests)) {
      throw new UsageError(`merge: ${path} is a shard of another sweep (${sweep(file)}) than ${firstPath} (${sweep(first)}).`);
    }
  }
  checkEverySliceOnce(shards, first.shard.count, sweep(first));

  const jobs = jobsSeedBySeed(first.tests, first.seeds.from, first.seeds.count);
  const ordered = [...shards].sort((a, b) => a.file.shard.index - b.file.shard.index);
  return ordered.flatMap(({ path, file }) => {
    const expected = shardJobs(jobs, file.shard);
    const wrong = expected.findIndex((job, i) => file.runs[i] === undefined || !runMatchesJob(file.runs[i]!, job));
    if (file.runs.length !== expected.length || wrong >= 0) {
      const at = wrong >= 0 ? wrong : expected.length;
      const want = expected[at];
      throw new UsageError(
        `merge: ${path} does not hold the runs of shard ${file.shard.index}/${file.shard.count}: it has ${file.runs.length} runs for its ${expected.length} jobs` +
          (want !== undefined ? `, and run ${at + 1} should be ${want.test} seed ${want.seed}` : "") +
          "; sweep that shard again.",
      );
    }
    return file.runs;
  });
}
