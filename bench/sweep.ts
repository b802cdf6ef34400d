// `npm run bench -- sweep [--seeds N]`: how many seeds of part 2A (every 2A test, one seed) a sweep
// runs per second of wall time with 1 worker process and with 2, start-up included. Target: a
// speedup of at least 1.7 on 2 cores, i.e. a worker's start-up (~0.6 s: node, tsx, the graders)
// is amortized over enough seeds. The default, 2000, is the size of a real sweep (course staff run
// thousands of seeds); at 600 seeds start-up still weighs, and the speedup measured 1.33–1.6.
//
// A speedup can only be as good as the cores that are free: the result also reports
// `cpu_speedup_2`, the same measurement for a loop of plain arithmetic in 1 and 2 processes. When
// that is well below 2, other work is using a core and seeds_per_sec_2 says nothing about simlab.
import { execFile } from "node:child_process";
import { loadPart } from "../labs/cli/catalog.ts";
import { jobsSeedBySeed, runInWorkers } from "../labs/cli/pool.ts";

const spinMs = 1000;

export default async function sweepBench(args: string[]): Promise<Record<string, unknown>> {
  const at = args.indexOf("--seeds");
  const seeds = at >= 0 ? Number(args[at + 1]) : 2000;
  const tests = await loadPart("2A");
  // In the order simlab sweep uses: seed by seed, every test of each.
  const jobs = jobsSeedBySeed(tests, 1, seeds);

  const seedsPerSec = async (workers: number): Promise<number> => {
    const started = performance.now();
    const runs = await runInWorkers(jobs, { workers });
    const seconds = (performance.now() - started) / 1000;
    const failed = runs.filter((run) => !run.passed).length;
    console.log(`${workers} worker${workers === 1 ? " " : "s"}: ${seeds} seeds × ${tests.length} tests in ${seconds.toFixed(2)} s (${failed} failed)`);
    return seeds / seconds;
  };
  const control = async (processes: number): Promise<number> => {
    const counts = await Promise.all(Array.from({ length: processes }, () => spin()));
    return counts.reduce((a, b) => a + b, 0);
  };
  const cpu1 = await control(1);
  const one = await seedsPerSec(1);
  const two = await seedsPerSec(2);
  const cpu2 = await control(2);
  const round = (x: number): number => Math.round(x * 100) / 100;
  console.log(`control: a plain loop does ${round(cpu2 / cpu1)}x the work in 2 processes as in 1`);
  return {
    bench: "sweep",
    seeds,
    seeds_per_sec_1: round(one),
    seeds_per_sec_2: round(two),
    speedup: round(two / one),
    cpu_speedup_2: round(cpu2 / cpu1),
  };
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
