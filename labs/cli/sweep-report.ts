// What a sweep prints when its runs are in, wherever they ran (here, in shards merged by simlab
// merge, or over a queue): per test its runs, failures, failure rate, mean virtual seconds and
// first failing seeds; then the failing seeds saved as JSON in .simlab/failures/, each with the
// command that replays it. The same runs give the same output, to the byte but the file's name.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../../sim/index.ts";
import { replayCommand, simlabReplayCommand } from "../../tests/registry.ts";
import { describeIoError } from "./options.ts";
import type { RunSummary } from "./worker.ts";

const shownFailingSeeds = 5;

/** Prints the table and saves the failing seeds; resolves to the exit code (1 when a run failed). */
export function reportSweep(label: string, testNames: readonly string[], seeds: { from: number; count: number }, runs: readonly RunSummary[]): number {
  const order = new Map(testNames.map((name, i) => [name, i]));
  const failures = runs.filter((run) => !run.passed).sort((a, b) => order.get(a.test)! - order.get(b.test)! || a.seed - b.seed);
  printTable(testNames, runs);
  if (failures.length > 0) {
    const file = saveFailures(label, seeds, failures);
    console.log(`\n${failures.length} failing run${failures.length === 1 ? "" : "s"} saved in ${file}`);
    const first = failures[0]!;
    console.log(`replay the first: ${simlabReplayCommand(first.test, first.seed)}`);
  }
  return failures.length > 0 ? 1 : 0;
}

function printTable(names: readonly string[], runs: readonly RunSummary[]): void {
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

function saveFailures(label: string, seeds: { from: number; count: number }, failures: RunSummary[]): string {
  const dir = join(".simlab", "failures");
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const file = join(dir, `${label}-${stamp}.json`);
  const content = {
    target: label,
    seeds,
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
