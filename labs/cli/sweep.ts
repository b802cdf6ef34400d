// simlab sweep <part|test> --seeds N: every test over N seeds in worker processes, a pass-rate
// table, and the failing seeds saved with the command that replays each. Past one machine: with
// --shard i/n --out FILE only the i-th of n slices runs and its runs go to FILE (shard.ts; simlab
// merge puts the files together), and with --queue redis://HOST:PORT the jobs go to a Redis queue
// that `simlab worker`s on other machines serve (queue-sweep.ts, loaded only then).
import { UsageError } from "../../sim/index.ts";
import { selectTests } from "./catalog.ts";
import type { Command } from "./command.ts";
import { defaultJobs, outputFile, readOptions, readSeedRange, seedRangeOptions, wholeNumber } from "./options.ts";
import { jobsSeedBySeed, runInWorkers } from "./pool.ts";
import { Progress } from "./progress.ts";
import { readShardSpec, shardFileContent, shardJobs } from "./shard.ts";
import { sourceIdentity } from "./source-identity.ts";
import { reportSweep } from "./sweep-report.ts";

const defaultWaitS = 120;

const usage = `usage: simlab sweep <part|test> --seeds N [--from S] [--jobs J]
                    [--shard i/n --out FILE | --queue redis://HOST:PORT [--wait SECONDS]]

Runs every test of a part (or one test) for seeds S, S+1, …, S+N-1 in J worker processes,
then prints per test: runs, failures, failure rate, mean virtual seconds and the first failing
seeds. Failing seeds are saved as JSON in .simlab/failures/, each with the command that replays
it; the file's path is printed.

options:
  --seeds N    how many seeds per test (required)
  --from S     the first seed (default 1)
  --jobs J     worker processes (default: one per core, here ${defaultJobs()})
  --shard i/n  run only the i-th of n disjoint slices of the (test, seed) runs (1 ≤ i ≤ n), the
               same slices on every machine; needs --out
  --out FILE   write every run (outcome, virtual time, events, failure, replay command) to FILE,
               for simlab merge; without --shard (also with --queue), the whole sweep as shard 1/1
  --queue URL  put the runs on the Redis queue at URL (redis://HOST:PORT) instead, for the
               machines running simlab worker --queue URL; progress and table as runs come back
  --wait S     with --queue: stop with an error when Redis cannot be reached, or no run comes
               back, for S seconds (default ${defaultWaitS})

A progress bar is drawn on stderr when it is a terminal; otherwise one line at the end.
exit code: 0 every run passed, 1 some run failed, 2 bad input`;

export const sweepCommand: Command = {
  name: "sweep",
  summary: "run a part's tests over many seeds on every core (or in shards, or over a queue); pass rates and failing seeds",
  usage,
  async run(args) {
    const { values, positionals } = readOptions(
      "sweep",
      args,
      { ...seedRangeOptions, shard: { type: "string" }, out: { type: "string" }, queue: { type: "string" }, wait: { type: "string" } },
      { min: 1, max: 1, what: "one part or test, e.g. simlab sweep 2A --seeds 100" },
    );
    const { from, count, workers } = readSeedRange("sweep", values, undefined);
    if (values.queue !== undefined && (values.shard !== undefined || values.jobs !== undefined)) {
      throw new UsageError("sweep --queue hands every run to the queue's workers, so it takes neither --shard nor --jobs (give --jobs to simlab worker).");
    }
    if (values.wait !== undefined && values.queue === undefined) throw new UsageError("--wait goes with --queue (see simlab sweep --help).");
    if (values.shard !== undefined && values.out === undefined) {
      throw new UsageError("--shard needs --out FILE, where the shard's runs go for simlab merge (see simlab sweep --help).");
    }
    const shard = values.shard === undefined ? { index: 1, count: 1 } : readShardSpec(String(values.shard));
    const writeOut = outputFile("--out", values.out);
    const queueUrl = values.queue === undefined ? undefined : String(values.queue);
    const waitS = wholeNumber("--wait", values.wait, defaultWaitS, 1);
    const selection = await selectTests(positionals[0]!);
    const seeds = { from, count };
    const names = selection.tests.map((test) => test.name);

    if (queueUrl !== undefined) {
      const { sweepOverQueue } = await import("./queue-sweep.ts");
      const runs = await sweepOverQueue(queueUrl, jobsSeedBySeed(selection.tests, from, count), { waitS });
      writeOut?.(shardFileContent(sourceIdentity(), selection.label, selection.tests, seeds, shard, runs));
      return reportSweep(selection.label, names, seeds, runs);
    }

    const jobs = shardJobs(jobsSeedBySeed(selection.tests, from, count), shard);
    const progress = new Progress(jobs.length, process.stderr);
    const started = performance.now();
    const runs = await runInWorkers(jobs, { workers, onRun: (run) => progress.update(run.passed) });
    progress.finish((performance.now() - started) / 1000, workers);
    if (writeOut !== undefined) {
      writeOut(shardFileContent(sourceIdentity(), selection.label, selection.tests, seeds, shard, runs));
      process.stderr.write(`shard ${shard.index}/${shard.count}: ${runs.length} runs written to ${String(values.out)}\n`);
    }
    return reportSweep(selection.label, names, seeds, runs);
  },
};
