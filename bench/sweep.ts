// `npm run bench -- sweep [--seeds N]`: how many seeds of part 2A (every 2A test, one seed) a sweep
// runs per second of wall time with 1 worker process and with 2, start-up included. Target: a
// speedup of at least 1.7 on 2 cores, i.e. a worker's start-up (~0.3 s) is amortized over enough
// seeds (default 150).
import { loadPart } from "../labs/cli/catalog.ts";
import { runInWorkers, type Job } from "../labs/cli/pool.ts";

export default async function sweepBench(args: string[]): Promise<Record<string, unknown>> {
  const at = args.indexOf("--seeds");
  const seeds = at >= 0 ? Number(args[at + 1]) : 150;
  const tests = await loadPart("2A");
  const jobs: Job[] = tests.flatMap((test) => Array.from({ length: seeds }, (_, i) => ({ part: "2A", test: test.name, seed: 1 + i })));

  const seedsPerSec = async (workers: number): Promise<number> => {
    const started = performance.now();
    const runs = await runInWorkers(jobs, { workers });
    const seconds = (performance.now() - started) / 1000;
    const failed = runs.filter((run) => !run.passed).length;
    console.log(`${workers} worker${workers === 1 ? " " : "s"}: ${seeds} seeds × ${tests.length} tests in ${seconds.toFixed(2)} s (${failed} failed)`);
    return seeds / seconds;
  };
  const one = await seedsPerSec(1);
  const two = await seedsPerSec(2);
  const round = (x: number): number => Math.round(x * 100) / 100;
  return { bench: "sweep", seeds: seeds, seeds_per_sec_1: round(one), seeds_per_sec_2: round(two), speedup: round(two / one) };
}
