// Which seeds a test run uses: SEED (default 1) and SEEDS (how many consecutive seeds, default 1).
import { parseSeed } from "../../sim/index.ts";

export function seedsFromEnv(env: NodeJS.ProcessEnv = process.env): number[] {
  const first = parseSeed(env.SEED, "SEED");
  const countText = env.SEEDS ?? "1";
  const count = Number(countText);
  if (!/^\d+$/.test(countText.trim()) || count < 1) {
    throw new Error(`SEEDS "${countText}" must be a whole number ≥ 1 (how many consecutive seeds to run)`);
  }
  return Array.from({ length: count }, (_, i) => first + i);
}
