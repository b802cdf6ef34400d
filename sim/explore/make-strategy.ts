// A strategy by name, with its settings (what `simlab explore --strategy` and the explore bench
// take): pct uses the depth, dfs the bound, random neither.
import { DfsStrategy } from "./dfs.ts";
import { PctStrategy } from "./pct.ts";
import { RandomStrategy } from "./random.ts";
import type { Strategy, StrategyName } from "./strategy.ts";

export interface StrategySettings {
  /** pct and random: run i uses seed + i - 1; dfs: every run uses it. */
  seed: number;
  /** pct: the bug depth d, so d-1 priority change points a run. */
  depth: number;
  /** dfs: how many of a run's first choices it searches. */
  bound: number;
}

export const DEFAULT_DEPTH = 3;
export const DEFAULT_BOUND = 12;

export function makeStrategy(name: StrategyName, settings: StrategySettings): Strategy {
  switch (name) {
    case "pct":
      return new PctStrategy(settings.seed, settings.depth);
    case "dfs":
      return new DfsStrategy(settings.seed, settings.bound);
    case "random":
      return new RandomStrategy(settings.seed);
  }
}
