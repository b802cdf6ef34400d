import { defineConfig } from "vitest/config";

// One test file per lab part, so both cores stay busy (the file is vitest's unit of parallelism).
export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    pool: "forks",
    maxWorkers: 2,
    // Simulations run in virtual time; this real-time limit only catches a runaway run.
    testTimeout: 120_000,
    hookTimeout: 30_000,
  },
});
