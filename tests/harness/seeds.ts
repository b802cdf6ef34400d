// Which seeds a test run uses: SEED (the first) and SEEDS (how many consecutive seeds, default 1).
//
// Without SEED, simlab's own repository starts at seed 1, so that its CI and every transcript in
// its docs are reproducible. A student repository (edition.ts) draws a fresh seed for every
// `npm test` instead, as madsim does: with one fixed seed a student meets one schedule per test,
// and may think a rare bug is gone when it only hides from that seed. vitest.config.ts draws the
// seed once per run, prints it, and hands it to every test file; each failure's replay command
// names it (SEED=…), so a fresh seed replays like any other.
import { randomInt } from "node:crypto";
import { parseSeed } from "../../sim/index.ts";
import { edition } from "./edition.ts";

/** A fresh seed for this run, in a student repository when SEED is not set; otherwise undefined. */
export function drawRunSeed(env: NodeJS.ProcessEnv = process.env): number | undefined {
  if (edition.kind !== "handout" || env.SEED !== undefined) return undefined;
  return randomInt(1, 1_000_000);
}

/** The seeds to run: SEED (or else the run's fresh seed `drawn`, or else 1) and the SEEDS after it. */
export function seedsFromEnv(env: NodeJS.ProcessEnv = process.env, drawn?: number): number[] {
  const first = env.SEED === undefined && drawn !== undefined ? drawn : parseSeed(env.SEED, "SEED");
  const countText = env.SEEDS ?? "1";
  const count = Number(countText);
  if (!/^\d+$/.test(countText.trim()) || count < 1) {
    throw new Error(`SEEDS "${countText}" must be a whole number ≥ 1 (how many consecutive seeds to run)`);
  }
  return Array.from({ length: count }, (_, i) => first + i);
}
