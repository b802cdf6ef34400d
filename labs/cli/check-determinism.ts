// simlab check-determinism <part|test> [--seeds N]: runs every seed twice, in two separate sets
// of worker processes, and compares the journal hashes. For a mismatch it runs the seed twice
// more keeping both journals and names the first event where they part ways.
// simlab check-determinism --choices FILE: the same for an explored run, from its choice file.
import { describeSide, firstDifference } from "../../sim/trace/index.ts";
import { selectTarget } from "./catalog.ts";
import type { Command } from "./command.ts";
import { defaultJobs, readOptions, readSeedRange, seedRangeOptions } from "./options.ts";
import { readChoiceFile } from "./choice-file.ts";
import { UsageError } from "../../sim/index.ts";
import { jobsSeedBySeed, runInWorkers, type Job } from "./pool.ts";
import type { RunSummary } from "./worker.ts";

/** Seeds per test when --seeds is not given. */
const defaultSeeds = 5;

const usage = `usage: simlab check-determinism <part|test> [--seeds N] [--from S] [--jobs J]
       simlab check-determinism --scenario FILE [--seeds N] [--from S] [--jobs J]
       simlab check-determinism --choices FILE

Runs every test of a part (or one test) for seeds S … S+N-1 twice, each time in a separate
set of worker processes, and compares the journal hashes of the two runs. A run must be a
function of its seed alone: anything else it depends on (the wall clock, Math.random outside
the simulation, a global that survives from one run to the next, a file, the process id) shows
up here as a mismatch. For each mismatch the seed is run twice more keeping both journals, and
the first differing entry is printed: its index, virtual time, node, kind and both versions.

With --choices, the run is an explored one (simlab explore saved it): it is replayed from its
choice file twice, in two processes, and both hashes are compared with the file's too.

options:
  --scenario FILE  check a scenario file's run instead of a part or test (docs/scenarios.md)
  --choices FILE   check an explored run's choice file (instead of <part|test> and seeds)
  --seeds N    how many seeds per test (default ${defaultSeeds})
  --from S     the first seed (default 1)
  --jobs J     worker processes per pass (default: one per core, here ${defaultJobs()})

exit code: 0 every seed gave the same hash twice, 1 some did not, 2 bad input`;

/** Mismatches explained event by event (each costs two more runs with full journals). */
const explainedMismatches = 5;

export const checkDeterminismCommand: Command = {
  name: "check-determinism",
  summary: "run each seed twice in separate processes and compare the journals",
  usage,
  async run(args) {
    const { values, positionals } = readOptions("check-determinism", args, { ...seedRangeOptions, scenario: { type: "string" }, choices: { type: "string" } });
    if (values.choices !== undefined) {
      if (positionals.length > 0 || values.seeds !== undefined || values.from !== undefined || values.scenario !== undefined) {
        throw new UsageError(`check-determinism --choices takes no test, --scenario, --seeds or --from: the choice file names the run (see simlab check-determinism --help).`);
      }
      return checkChoiceFile(String(values.choices));
    }
    const { from, count, workers } = readSeedRange("check-determinism", values, defaultSeeds);
    const selection = await selectTarget("check-determinism", values.scenario, positionals, "simlab check-determinism 2A");
    const jobs = jobsSeedBySeed(selection.tests, from, count);

    // Two passes, each in fresh processes, so the two runs of a seed never share a process.
    const first = await runInWorkers(jobs, { workers });
    const second = await runInWorkers([...jobs].reverse(), { workers });
    second.reverse();

    const mismatches: { job: Job; a: RunSummary; b: RunSummary }[] = [];
    jobs.forEach((job, i) => {
      const a = first[i]!;
      const b = second[i]!;
      if (a.journalHash !== b.journalHash || a.passed !== b.passed) mismatches.push({ job, a, b });
    });

    for (const test of selection.tests) {
      const bad = mismatches.filter((m) => m.job.test === test.name).length;
      console.log(`${bad === 0 ? "same" : "DIFF"}  ${test.name}: ${count - bad} of ${count} seeds gave the same journal twice`);
    }
    for (const [n, { job, a, b }] of mismatches.entries()) {
      console.log("");
      console.log(`${job.test} seed ${job.seed}: journal hash ${a.journalHash} (pid ${a.pid}) but ${b.journalHash} (pid ${b.pid})` +
        (a.passed !== b.passed ? `; it ${a.passed ? "passed" : "failed"} the first time and ${b.passed ? "passed" : "failed"} the second` : ""));
      if (n >= explainedMismatches) {
        console.log(`  (not rerun: only the first ${explainedMismatches} mismatches are explained)`);
        continue;
      }
      await explain(job);
    }
    if (mismatches.length > 0) {
      console.log(`\n${mismatches.length} of ${jobs.length} runs were not reproducible. A run must depend on its seed only.`);
      return 1;
    }
    console.log(`${jobs.length} runs, each reproduced exactly in a second process.`);
    return 0;
  },
};

/** Replays a choice file in two processes, one after the other; both must give the file's hash. */
async function checkChoiceFile(path: string): Promise<number> {
  const file = readChoiceFile(path);
  const job: Job = { part: file.part, test: file.test, seed: file.seed, choicesFile: path };
  const [a] = await runInWorkers([job], { workers: 1 });
  const [b] = await runInWorkers([job], { workers: 1 });
  console.log(`${path}: ${file.test}, seed ${file.seed}${file.mutant === null ? "" : `, mutant ${file.mutant}`}, ${file.choices.length} choices`);
  console.log(`  the file:         journal hash ${file.journalHash} (${file.passed ? "passed" : "failed"})`);
  console.log(`  run 1 (pid ${a!.pid}): journal hash ${a!.journalHash} (${a!.passed ? "passed" : "failed"})`);
  console.log(`  run 2 (pid ${b!.pid}): journal hash ${b!.journalHash} (${b!.passed ? "passed" : "failed"})`);
  const same = a!.journalHash === file.journalHash && b!.journalHash === file.journalHash && a!.passed === file.passed && b!.passed === file.passed;
  if (same) {
    console.log(`same: both replays, each in its own process, are the run the file recorded.`);
    return 0;
  }
  if (a!.journalHash === b!.journalHash) {
    console.log(`the two replays agree with each other but not with the file: the code has changed since it was written (explore again).`);
    return 1;
  }
  await explain(job);
  console.log(`the replays differ: the run depends on something besides its seed and its choices.`);
  return 1;
}

/** Runs the seed twice more, in two processes, keeping the journals, and prints where they part. */
async function explain(job: Job): Promise<void> {
  const [a] = await runInWorkers([job], { workers: 1, keepJournal: true });
  const [b] = await runInWorkers([job], { workers: 1, keepJournal: true });
  const first = a!.journal ?? [];
  const second = b!.journal ?? [];
  const difference = firstDifference(first, second);
  if (difference === undefined) {
    console.log(
      a!.journalHash === b!.journalHash
        ? `  rerun: both runs gave hash ${a!.journalHash} this time, so the divergence depends on something that changed between runs.`
        : `  rerun: the ${first.length} journal entries agree, but the hashes differ (${a!.journalHash}, ${b!.journalHash}): the difference is in events the journal hashes without keeping.`,
    );
    return;
  }
  const where = difference.first ?? difference.second!;
  const what = where.kind === "log" ? `log topic ${where.topic}` : `kind ${where.kind}`;
  console.log(`  first difference at entry #${difference.index} (virtual ${where.time} ms, node ${where.node}, ${what}):`);
  console.log(`    run 1 (pid ${a!.pid}): ${describeSide(difference.first, first.length)}`);
  console.log(`    run 2 (pid ${b!.pid}): ${describeSide(difference.second, second.length)}`);
  if (difference.index > 0) console.log(`    the entry before, the same in both: ${describeSide(first[difference.index - 1], first.length)}`);
}
