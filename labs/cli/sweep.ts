// simlab sweep <part|test> --seeds N: every test over N seeds in worker processes, a pass-rate
// table, and the failing seeds saved with the command that replays each.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../../sim/index.ts";
import { replayCommand, simlabReplayCommand } from "../../tests/registry.ts";
import { selectTests } from "./catalog.ts";
import type { Command } from "./command.ts";
import { defaultJobs, describeIoError, readOptions, readSeedRange, seedRangeOptions } from "./options.ts";
import { jobsSeedBySeed, runInWorkers } from "./pool.ts";
import { Progress } from "./progress.ts";
import type { RunSummary } from "./worker.ts";

const usage = `usage: simlab sweep <part|test> --seeds N [--from S] [--jobs J]

Runs every test of a part (or one test) for seeds S, S+1, …, S+N-1 in J worker processes,
then prints per test: runs, failures, failure rate, mean virtual seconds and the first failing
seeds. Failing seeds are saved as JSON in .simlab/failures/, each with the command that replays
it; the file's path is printed.

options:
  --seeds N    how many seeds per test (required)
  --from S     the first seed (default 1)
  --jobs J     worker processes (default: one per core, here ${defaultJobs()})

A progress bar is drawn on stderr when it is a terminal; otherwise one line at the end.
exit code: 0 every run passed, 1 some run failed, 2 bad input`;

const shownFailingSeeds = 5;

export const sweepCommand: Command = {
  name: "sweep",
  summary: "run a part's tests over many seeds on every core; pass rates and failing seeds",
  usage,
  async run(args) {
    const { values, positionals } = readOptions("sweep", args, seedRangeOptions, {
      min: 1,
      max: 1,
      what: "one part or test, e.g. simlab sweep 2A --seeds 100",
    });
    const { from, count, workers } = readSeedRange("sweep", values, undefined);
    const selection = await selectTests(positionals[0]!);
    const jobs = jobsSeedBySeed(selection.tests, from, count);
    const progress = new Progress(jobs.length, process.stderr);
    const started = performance.now();
    const runs = await runInWorkers(jobs, { workers, onRun: (run) => progress.update(run.passed) });
    progress.finish((performance.now() - started) / 1000, workers);

    const order = new Map(selection.tests.map((test, i) => [test.name, i]));
    const failures = runs.filter((run) => !run.passed).sort((a, b) => order.get(a.test)! - order.get(b.test)! || a.seed - b.seed);
    printTable(selection.tests.map((test) => test.name), runs);
    if (failures.length > 0) {
      const file = saveFailures(selection.label, from, count, failures);
      console.log(`\n${failures.length} failing run${failures.length === 1 ? "" : "s"} saved in ${file}`);
      const first = failures[0]!;
      console.log(`replay the first: ${simlabReplayCommand(first.test, first.seed)}`);
    }
    return failures.length > 0 ? 1 : 0;
  },
};

function printTable(names: string[], runs: RunSummary[]): void {
  const rows = names.map((name) => {
    const mine = runs.filter((run) => run.test === name);
    const failing = mine.filter((run) => !run.passed);
    // A run whose worker died has no virtual time to count.
    const timed = mine.filter((run) => run.events > 0);
    const meanVirtualS = timed.reduce((sum, run) => sum + run.virtualMs, 0) / Math.max(1, timed.length) / 1000;
    const seeds = failing.slice(0, shownFailingSeeds).map((run) => run.seed).join(" ");
    return [
      name,
      String(mine.length),
      String(failing.length),
      `${((100 * failing.length) / Math.max(1, mine.length)).toFixed(1)}%`,
      meanVirtualS.toFixed(2),
      failing.length === 0 ? "-" : failing.length > shownFailingSeeds ? `${seeds} …` : seeds,
    ];
  });
  const header = ["test", "runs", "failures", "rate", "virtual s (mean)", "first failing seeds"];
  const widths = header.map((title, c) => Math.max(title.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: string[]): string =>
    cells.map((cell, c) => (c === 0 || c === cells.length - 1 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ").trimEnd();
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

function saveFailures(label: string, from: number, count: number, failures: RunSummary[]): string {
  const dir = join(".simlab", "failures");
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const file = join(dir, `${label}-${stamp}.json`);
  const content = {
    target: label,
    seeds: { from, count },
    savedAt: new Date().toISOString(),
    failures: failures.map((run) => ({
      part: run.part,
      test: run.test,
      seed: run.seed,
      replay: simlabReplayCommand(run.test, run.seed),
      vitest: replayCommand(run.part, run.test, run.seed),
      failure: run.failure,
    })),
  };
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`);
  } catch (error) {
    throw new UsageError(`cannot save the failing seeds in ${file}: ${describeIoError(error)}.`);
  }
  return file;
}
