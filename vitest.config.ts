import { defineConfig } from "vitest/config";
import { drawRunSeed } from "./tests/harness/seeds.ts";

// In a student repository each run draws a fresh seed (tests/harness/seeds.ts): drawn here, once,
// and provided to every test file.
const drawnSeed = drawRunSeed() ?? null;
if (drawnSeed !== null) console.log(`seed ${drawnSeed}, fresh for this run: SEED=${drawnSeed} npm test … runs it again`);

// One test file per lab part, so both cores stay busy (the file is vitest's unit of parallelism).
export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    pool: "forks",
    maxWorkers: 2,
    // Simulations run in virtual time; this real-time limit only catches a runaway run.
    testTimeout: 120_000,
    hookTimeout: 30_000,
    provide: { drawnSeed },
  },
});
