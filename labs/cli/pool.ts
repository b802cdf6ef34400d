// Runs (test, seed) jobs in worker processes (worker.ts, forked with tsx's loader). Jobs go out in
// chunks of consecutive jobs, handed to whichever worker is free, so a slow test does not leave
// the other cores idle. runInWorkers cuts a list of jobs into chunks; serveChunks, under it, takes
// chunks from any source as its processes are free (simlab worker feeds it from a queue). A worker that dies takes down only the seeds it was running:
// each is reported as a failed run with the process's exit status and the tail of its stderr.
// With a real-time limit per run (simlab grade's guard against a runaway run), a worker whose run
// goes past it is killed, and that run is reported as stopped, not as a wrong answer.
//
// Why processes, not worker_threads: measured on 2A (one worker, on a busy 2-core machine), a
// thread started its first seed in 0.5–0.6 s and a process in 0.5–0.75 s, and 200 seeds × 3
// tests took 2.1–2.9 s either way (within the noise). The start-up is paid once per worker, so
// the difference does not matter; a process isolates a run that exhausts memory or calls
// process.exit, and its globals (which the determinism guard patches) are its own.
import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { RunSummary, WorkerMessage, WorkOrder } from "./worker.ts";

export interface Job {
  part: string;
  test: string;
  seed: number;
  /** The run's events budget (SimulationOptions.maxEvents); none when absent. */
  maxEvents?: number;
  /** Replay this choice file's run instead (its test and seed must be the job's). */
  choicesFile?: string;
}

/** Where the workers run: simlab grade runs the tests of the tree it built for a submission. */
export interface WorkerSetup {
  /** The root of the simlab tree whose labs/cli/worker.ts runs the jobs. */
  tree: string;
  /** More options for node, after tsx's loader (e.g. another --import). */
  execArgv: string[];
  /** More environment variables. */
  env: Record<string, string>;
}

export interface PoolOptions {
  /** How many worker processes (at most one per chunk). */
  workers: number;
  /** Send each run's whole journal back (check-determinism's rerun). */
  keepJournal?: boolean;
  /** Called as each run finishes. */
  onRun?: (run: RunSummary) => void;
  /** Most jobs in one chunk (default: about six chunks per worker, at most 20 jobs). */
  chunkSize?: number;
  /** Stop a run that takes longer than this in real time (default: no limit). */
  runWallLimitMs?: number;
  /** How many dead workers are replaced before the jobs left are given up (default: 4 per worker). */
  maxReplacements?: number;
  /** Where the workers run (default: this tree's worker). */
  setup?: WorkerSetup;
}

/**
 * Every test for seeds from … from+count-1, seed by seed (every test of seed 1, then of seed 2, …):
 * chunks then mix light and heavy tests, which balances the workers better than all seeds of one
 * test after another (measured on 2A).
 */
export function jobsSeedBySeed(tests: readonly { part: string; name: string }[], from: number, count: number): Job[] {
  return Array.from({ length: count }, (_, i) => tests.map((test) => ({ part: test.part, test: test.name, seed: from + i }))).flat();
}

const workerFile = fileURLToPath(new URL("./worker.ts", import.meta.url));
const tsxLoader = import.meta.resolve("tsx");
const stderrTail = 2000;

/** Some consecutive jobs, run in order by one worker process, and where each job's run goes. */
export interface Chunk {
  jobs: readonly Job[];
  report(job: Job, run: RunSummary): void;
}

/** The options of serveChunks: the pool's, less what only runInWorkers uses. */
export type ServeOptions = Omit<PoolOptions, "onRun" | "chunkSize">;

/** Runs every job; resolves to one summary per job, in the jobs' order. */
export async function runInWorkers(jobs: readonly Job[], options: PoolOptions): Promise<RunSummary[]> {
  const chunkSize = options.chunkSize ?? Math.min(20, Math.max(1, Math.ceil(jobs.length / (options.workers * 6))));
  const results = new Map<Job, RunSummary>();
  const report = (job: Job, run: RunSummary): void => {
    results.set(job, run);
    options.onRun?.(run);
  };
  const chunks: Chunk[] = [];
  for (let i = 0; i < jobs.length; i += chunkSize) chunks.push({ jobs: jobs.slice(i, i + chunkSize), report });
  let next = 0;
  const replacements = await serveChunks(() => chunks[next++], { ...options, workers: Math.min(options.workers, chunks.length) });

  // Workers kept dying and the replacements ran out: what was never run is reported as such.
  return jobs.map(
    (job) =>
      results.get(job) ??
      failedRun(job, 0, "not run", `seed ${job.seed} was not run: worker processes kept ending early and ${replacements} replacements were used up (see the other failures).`),
  );
}

/**
 * Runs chunks in `options.workers` worker processes, each taking the next chunk when it is free,
 * until `next` has none left (resolves to undefined). The processes live as long as chunks come,
 * so a long-lived caller (simlab worker, fed by a queue) pays their start-up once. A worker
 * process that dies fails the rest of its chunk and is replaced, up to `maxReplacements` times
 * in all; then its lane stops taking chunks. Resolves, when every lane has stopped, to the number
 * of replacements used.
 */
export async function serveChunks(next: () => Chunk | undefined | Promise<Chunk | undefined>, options: ServeOptions): Promise<number> {
  let replacements = 0;
  const maxReplacements = options.maxReplacements ?? options.workers * 4;
  const lane = async (): Promise<void> => {
    let worker: WorkerProcess | undefined;
    for (let chunk = await next(); chunk !== undefined; chunk = await next()) {
      if (worker !== undefined && !worker.alive) worker = undefined;
      worker ??= new WorkerProcess(options);
      const ending = await worker.run(chunk);
      if (ending === "done") continue;
      worker = undefined;
      // A run stopped for time is no crash: its worker is replaced whatever the count.
      if (ending !== "stopped" && replacements++ >= maxReplacements) return;
    }
    worker?.stop();
  };
  await Promise.all(Array.from({ length: options.workers }, lane));
  return replacements;
}

/** One worker process (worker.ts), running the chunks it is given one at a time. */
class WorkerProcess {
  alive = true;
  private readonly child: ChildProcess;
  private stderr = "";
  /** What the running chunk is told when the process exits. */
  private onExit: ((code: number | null, signal: NodeJS.Signals | null) => void) | undefined;

  constructor(private readonly options: ServeOptions) {
    this.child = spawnWorker(options.setup);
    this.child.stderr!.setEncoding("utf8").on("data", (text: string) => {
      this.stderr = (this.stderr + text).slice(-stderrTail);
    });
    this.child.on("exit", (code, signal) => {
      this.alive = false;
      this.onExit?.(code, signal);
    });
  }

  /** Runs a chunk: "done", or how the process ended in the middle of it (the rest of the chunk failed). */
  run(chunk: Chunk): Promise<"done" | "died" | "stopped"> {
    const { child, options } = this;
    let done = 0;
    // The real-time guard: armed as each run begins, killing the worker when the run goes past it.
    let guard: NodeJS.Timeout | undefined;
    let stoppedRun = false;
    return new Promise((resolve) => {
      const onMessage = (message: WorkerMessage): void => {
        if (message.kind === "done") {
          child.off("message", onMessage);
          this.onExit = undefined;
          return resolve("done");
        }
        if (message.kind === "begin") {
          clearTimeout(guard);
          if (options.runWallLimitMs === undefined) return;
          guard = setTimeout(() => {
            stoppedRun = true;
            child.kill("SIGKILL");
          }, options.runWallLimitMs);
          return;
        }
        clearTimeout(guard);
        const job = chunk.jobs[done++]!;
        chunk.report(job, message.run);
      };
      this.onExit = (code, signal) => {
        clearTimeout(guard);
        child.off("message", onMessage);
        // The worker died mid-chunk: the seed it was running and the rest of the chunk fail.
        const status = signal !== null ? `signal ${signal}` : `exit code ${code}`;
        const stderr = this.stderr;
        chunk.jobs.slice(done).forEach((job, k) => {
          const run =
            stoppedRun && k === 0
              ? failedRun(job, child.pid ?? 0, "real-time limit", `seed ${job.seed} was stopped after ${options.runWallLimitMs! / 1000} s of real time, the limit for one run: a runaway run, not a wrong answer`)
              : failedRun(job, child.pid ?? 0, "worker ended", `the worker process running seed ${job.seed} ended (${status})${stderr ? `:\n${stderr.trimEnd()}` : ""}`);
          chunk.report(job, run);
        });
        resolve(stoppedRun ? "stopped" : "died");
      };
      child.on("message", onMessage);
      if (!this.alive) return this.onExit(child.exitCode, child.signalCode);
      const order: WorkOrder = {
        runs: chunk.jobs.map(({ part, test, seed, maxEvents, choicesFile }) => ({ part, test, seed, maxEvents, choicesFile })),
        keepJournal: options.keepJournal ?? false,
      };
      child.send(order);
    });
  }

  /** Lets the process end (it exits when its channel closes). */
  stop(): void {
    if (this.alive && this.child.connected) this.child.disconnect();
  }
}

/** The report of a run that a worker could not finish: failed, with no virtual time or journal. */
function failedRun(job: Job, pid: number, ended: NonNullable<RunSummary["ended"]>, why: string): RunSummary {
  return { part: job.part, test: job.test, seed: job.seed, passed: false, virtualMs: 0, events: 0, journalHash: "", pid, ended, failure: `${job.test} failed: ${why}` };
}

function spawnWorker(setup: WorkerSetup | undefined): ChildProcess {
  const file = setup === undefined ? workerFile : join(setup.tree, "labs", "cli", "worker.ts");
  return fork(file, [], {
    execArgv: ["--import", tsxLoader, ...(setup?.execArgv ?? [])],
    env: { ...process.env, ...setup?.env },
    stdio: ["ignore", "ignore", "pipe", "ipc"],
    serialization: "advanced",
  });
}
