// An exploration strategy: instead of trying seed after seed, it makes the run's choices (the
// order of same-instant events, when each message arrives, whether it is lost: sim/core/choices.ts)
// to steer runs toward the schedules that break code. `simlab explore` asks a strategy for a run,
// runs the test with that run's choice source recorded, and tells the strategy what the run asked,
// until a run fails or the runs are used up. Strategies:
//   random   every choice uniform (random.ts);
//   pct      probabilistic concurrency testing with priority change points (pct.ts);
//   dfs      bounded depth-first search over the first choice points (dfs.ts).
// Every run a strategy makes is deterministic: its seed and its recorded choices replay it.
import type { ChoiceSource, RecordedChoice } from "../core/index.ts";

export const strategyNames = ["pct", "dfs", "random"] as const;
export type StrategyName = (typeof strategyNames)[number];

/** One run a strategy asks for: the seed of the nodes' own streams, and the choice source. */
export interface ExplorationRun {
  seed: number;
  choices: ChoiceSource;
}

export interface Strategy {
  readonly name: StrategyName;
  /** The next run, or undefined when the strategy has tried every run it can (bounded DFS). */
  next(): ExplorationRun | undefined;
  /** The choices the last run asked for, in order, with what it took. */
  finished(recorded: readonly RecordedChoice[]): void;
  /** The strategy's settings, for the choice file and reports ({ depth: 3 }). */
  readonly settings: Readonly<Record<string, number>>;
}
