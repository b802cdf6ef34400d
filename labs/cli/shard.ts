// Static shards of a sweep, for orchestrators that run n copies of one command (a CI matrix, a
// Kubernetes Indexed Job, GNU parallel over ssh): `simlab sweep PART --seeds N --shard i/n --out
// FILE` runs the i-th of n slices of the sweep's (test, seed) jobs and writes them to a shard
// file; `simlab merge FILE…` (merge.ts) checks the shards against each other and prints the
// sweep's table.
//
// The slices: the jobs in the order a local sweep makes them (seed by seed, every test of each:
// pool.ts jobsSeedBySeed), cut into n consecutive blocks whose sizes differ by at most one. They
// depend only on the tests, the seeds and n, so every machine computes the same ones, and a block
// of consecutive jobs mixes light and heavy tests as a local sweep's chunks do.
//
// A shard file (JSON) says what was swept and by which code (source-identity.ts), and holds
// every run of its slice: outcome, virtual time, events, journal hash, the failure report and
// the commands that replay it.
import { UsageError } from "../../sim/index.ts";
import { replayCommand, simlabReplayCommand } from "../../tests/registry.ts";
import type { Job } from "./pool.ts";
import type { SourceIdentity } from "./source-identity.ts";
import type { RunSummary } from "./worker.ts";

export const shardFormat = "simlab sweep shard";
export const shardFormatVersion = 1;

export interface ShardSpec {
  /** 1 … count. */
  index: number;
  count: number;
}

export interface ShardRun extends RunSummary {
  /** The simlab command that replays the run. */
  replay: string;
  /** The vitest command that replays the run. */
  vitest: string;
}

export interface ShardFile extends SourceIdentity {
  format: typeof shardFormat;
  version: typeof shardFormatVersion;
  /** What was swept, as the command line named it ("2A", "TestBackup2B"). */
  target: string;
  /** Every test of the sweep, in the sweep's order (not only this slice's). */
  tests: { part: string; name: string }[];
  seeds: { from: number; count: number };
  shard: ShardSpec;
  runs: ShardRun[];
}

/** --shard i/n, 1 ≤ i ≤ n. */
export function readShardSpec(text: string): ShardSpec {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard needs i/n with 1 ≤ i ≤ n, e.g. --shard 2/4 for the second of four slices, not "${text}".`);
  }
  return { index, count };
}

/** The jobs of slice i of n: the i-th of n consecutive blocks, sizes differing by at most one. */
export function shardJobs<T>(jobs: readonly T[], shard: ShardSpec): T[] {
  const { start, end } = shardBounds(jobs.length, shard);
  return jobs.slice(start, end);
}

/**
 * Checks that `shards` are every slice of `count` exactly once, or throws the sentence that says
 * which slice is given twice or missing; `of` names what they are slices of, for that sentence.
 */
export function checkEverySliceOnce(shards: readonly { path: string; file: { shard: ShardSpec } }[], count: number, of: string): void {
  const byIndex = new Map<number, string>();
  for (const { path, file } of shards) {
    const seen = byIndex.get(file.shard.index);
    if (seen !== undefined) throw new UsageError(`merge: shard ${file.shard.index}/${file.shard.count} is given twice: ${seen} and ${path}.`);
    byIndex.set(file.shard.index, path);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((index) => !byIndex.has(index));
  if (missing.length > 0) {
    const names = missing.map((index) => `${index}/${count}`);
    throw new UsageError(`merge: shard${missing.length === 1 ? "" : "s"} ${names.join(", ")} of ${of} ${missing.length === 1 ? "is" : "are"} missing; give every shard's file.`);
  }
}

/** Where slice i of n of a list of `length` jobs starts and ends (end excluded). */
export function shardBounds(length: number, shard: ShardSpec): { start: number; end: number } {
  return { start: Math.floor(((shard.index - 1) * length) / shard.count), end: Math.floor((shard.index * length) / shard.count) };
}

export function shardFileContent(
  identity: SourceIdentity,
  target: string,
  tests: readonly { part: string; name: string }[],
  seeds: { from: number; count: number },
  shard: ShardSpec,
  runs: readonly RunSummary[],
): string {
  const file: ShardFile = {
    format: shardFormat,
    version: shardFormatVersion,
    ...identity,
    target,
    tests: tests.map(({ part, name }) => ({ part, name })),
    seeds,
    shard,
    runs: runs.map((run) => ({ ...run, replay: simlabReplayCommand(run.test, run.seed), vitest: replayCommand(run.part, run.test, run.seed) })),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Whether a run is the one a job asked for. */
export function runMatchesJob(run: { part: string; test: string; seed: number }, job: Job): boolean {
  return run.part === job.part && run.test === job.test && run.seed === job.seed;
}
