// sim/core: the kernel. See simulation.ts for how virtual time and ownership work.
export { Simulation, activeSimulation, activeRuntime, installRuntime, describeError, type SimulationOptions } from "./simulation.ts";
export type { Runtime, ScheduledWakeUp } from "./runtime.ts";
export { SimNode } from "./node.ts";
export { RandomStream } from "./random.ts";
export {
  SeededChoices,
  RecordingChoices,
  ReplayChoices,
  ChoiceReplayError,
  choiceKinds,
  type ChoiceKind,
  type ChoiceSource,
  type RecordedChoice,
  type NetworkDraws,
} from "./choices.ts";
export { parseSeed, SeedError, DEFAULT_SEED } from "./seed.ts";
export { Journal, formatEntry, formatDetail, type JournalEntry } from "./journal.ts";
export { SimulationError, UsageError, formatVirtualTime, describeFailure } from "./errors.ts";
export { Channel, TIMEOUT } from "./channel.ts";
export { Cond } from "./cond.ts";
export { now, clockOfThisNode, sleep, go, random, randomInt, randomBetween, randomId, currentNode, log } from "./simulated-api.ts";
export { VIRTUAL_EPOCH_MS } from "./determinism-guard.ts";
export { invariant, InvariantError } from "./invariant.ts";
export { notImplemented, NotImplementedError } from "./not-implemented.ts";
