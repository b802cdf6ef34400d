// sim/explore: search strategies over a run's choices (strategy.ts explains them) and the loop that
// drives them (explorer.ts).
export { strategyNames, type StrategyName, type Strategy, type ExplorationRun } from "./strategy.ts";
export { RandomStrategy, UniformChoices } from "./random.ts";
export { PctStrategy, PctChoices } from "./pct.ts";
export { DfsStrategy, PrefixChoices } from "./dfs.ts";
export { explore, type Exploration, type ExploredRun } from "./explorer.ts";
export { makeStrategy, DEFAULT_BOUND, DEFAULT_DEPTH, type StrategySettings } from "./make-strategy.ts";
