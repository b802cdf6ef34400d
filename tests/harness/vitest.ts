// Glue between the registry and vitest: one describe per part, one it() per test, run for every
// seed in SEED/SEEDS (or from the run's fresh seed, which vitest.config.ts provides in a student
// repository: seeds.ts). A failure throws the runner's full report.
import { describe, inject, it } from "vitest";
import type { LabTest } from "../registry.ts";
import { seedsFromEnv } from "./seeds.ts";

declare module "vitest" {
  interface ProvidedContext {
    /** The seed vitest.config.ts drew for this run, or null (SEED is set, or this is simlab's own repository). */
    drawnSeed: number | null;
  }
}

/** Real-time allowance per seed; simulations are fast, this only catches a runaway run. */
const REAL_MS_PER_SEED = 120_000;

export function registerWithVitest(part: string, tests: LabTest[]): void {
  const seeds = seedsFromEnv(process.env, inject("drawnSeed") ?? undefined);
  describe(part, () => {
    for (const test of tests) {
      it(
        test.name,
        async () => {
          for (const seed of seeds) {
            const report = await test.run(seed, { print: (line) => console.log(line) });
            if (!report.passed) throw new Error(report.failure);
          }
        },
        REAL_MS_PER_SEED * seeds.length,
      );
    }
  });
}
