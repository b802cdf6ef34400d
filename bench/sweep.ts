// `npm run bench -- sweep [--seeds N]`: how many seeds of part 2A (every 2A test, one seed) a sweep
// runs per second of wall time with 1 worker process and with 2, start-up included. Target: a
// speedup of at least 1.7 on 2 cores, i.e. a worker's start-up (~0.6 s: node, tsx, the graders)
// is amortized over enough seeds. The default, 2000, is the size of a real sweep (course staff run
// thousands of seeds); at 600 seeds start-up still weighs, and the speedup measured 1.33–1.6.
//
// Then the same sweep over the Redis queue (simlab sweep --queue, simlab worker): a redis-server
// started for the bench on a free port, and 1 or 2 `simlab worker --jobs 1` processes started
// before the clock (a fleet's workers are long-lived; their worker processes start with the
// first job, inside the clock, as the pool's do). Target: the queue with 2 workers within 10% of
// the local pool's seeds_per_sec_2 (queue_vs_pool_2 ≥ 0.9). The queue's runs are checked, run
// by run, against the pool's (queue_matches_pool).
//
// A speedup can only be as good as the cores that are free: the result also reports
// `cpu_speedup_2`, the same measurement for a loop of plain arithmetic in 1 and 2 processes. When
// that is well below 2, other work is using a core and seeds_per_sec_2 says nothing about simlab.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { loadPart } from "../labs/cli/catalog.ts";
import { jobsSeedBySeed, runInWorkers } from "../labs/cli/pool.ts";
import { sweepOverQueue } from "../labs/cli/queue-sweep.ts";
import type { RunSummary } from "../labs/cli/worker.ts";
import { RedisServer } from "../tests/cli/redis-server.ts";

const spinMs = 1000;

export default async function sweepBench(args: string[]): Promise<Record<string, unknown>> {
  const at = args.indexOf("--seeds");
  const seeds = at >= 0 ? Number(args[at + 1]) : 2000;
  const tests = await loadPart("2A");
  // In the order simlab sweep uses: seed by seed, every test of each.
  const jobs = jobsSeedBySeed(tests, 1, seeds);

  let poolRuns: RunSummary[] = [];
  const seedsPerSec = async (workers: number): Promise<number> => {
    const started = performance.now();
    const runs = await runInWorkers(jobs, { workers });
    const seconds = (performance.now() - started) / 1000;
    const failed = runs.filter((run) => !run.passed).length;
    console.log(`pool,  ${workers} worker${workers === 1 ? " " : "s"}: ${seeds} seeds × ${tests.length} tests in ${seconds.toFixed(2)} s (${failed} failed)`);
    poolRuns = runs;
    return seeds / seconds;
  };
  const redis = await RedisServer.start();
  let queueMatches = true;
  const queueSeedsPerSec = async (workers: number): Promise<number> => {
    const started = await Promise.all(Array.from({ length: workers }, () => startWorker(redis.url)));
    try {
      const clock = performance.now();
      const runs = await sweepOverQueue(redis.url, jobs, { waitS: 120 });
      const seconds = (performance.now() - clock) / 1000;
      const failed = runs.filter((run) => !run.passed).length;
      console.log(`queue, ${workers} worker${workers === 1 ? " " : "s"}: ${seeds} seeds × ${tests.length} tests in ${seconds.toFixed(2)} s (${failed} failed)`);
      const outcome = (run: RunSummary): string => `${run.test} ${run.seed} ${run.passed} ${run.virtualMs} ${run.events} ${run.journalHash}`;
      queueMatches &&= runs.map(outcome).join("\n") === poolRuns.map(outcome).join("\n");
      return seeds / seconds;
    } finally {
      for (const worker of started) worker.kill("SIGTERM");
      await Promise.all(started.map((worker) => new Promise((resolve) => (worker.exitCode !== null ? resolve(null) : worker.on("exit", resolve)))));
    }
  };
  const control = async (processes: number): Promise<number> => {
    const counts = await Promise.all(Array.from({ length: processes }, () => spin()));
    return counts.reduce((a, b) => a + b, 0);
  };
  const cpu1 = await control(1);
  const one = await seedsPerSec(1);
  const two = await seedsPerSec(2);
  let queueOne: number;
  let queueTwo: number;
  try {
    queueOne = await queueSeedsPerSec(1);
    queueTwo = await queueSeedsPerSec(2);
  } finally {
    await redis.stop();
  }
  const cpu2 = await control(2);
  const round = (x: number): number => Math.round(x * 100) / 100;
  console.log(`control: a plain loop does ${round(cpu2 / cpu1)}x the work in 2 processes as in 1`);
  return {
    bench: "sweep",
    seeds,
    seeds_per_sec_1: round(one),
    seeds_per_sec_2: round(two),
    speedup: round(two / one),
    queue_seeds_per_sec_1: round(queueOne),
    queue_seeds_per_sec_2: round(queueTwo),
    queue_vs_pool_2: round(queueTwo / two),
    queue_matches_pool: queueMatches,
    cpu_speedup_2: round(cpu2 / cpu1),
  };
}

const simlabBin = fileURLToPath(new URL("../labs/cli/simlab.mjs", import.meta.url));

/** A `simlab worker --jobs 1` on the queue, once it serves. */
function startWorker(url: string): Promise<ChildProcess> {
  const worker = spawn(process.execPath, [simlabBin, "worker", "--queue", url, "--jobs", "1"], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let output = "";
    worker.stdout!.setEncoding("utf8").on("data", (text: string) => {
      output += text;
      if (output.includes(": serving ")) resolve(worker);
    });
    worker.on("exit", (code) => reject(new Error(`simlab worker ended (exit code ${code}) before serving:\n${output}`)));
  });
}

/** Iterations of a plain loop in a fresh process for spinMs of wall time. */
function spin(): Promise<number> {
  const script = `let n = 0; const end = performance.now() + ${spinMs};
    while (performance.now() < end) for (let i = 0; i < 10000; i++) n++;
    process.stdout.write(String(n));`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["-e", script], (error, stdout) => (error ? reject(error) : resolve(Number(stdout))));
  });
}
