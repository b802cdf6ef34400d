// A model is the sequential specification the checker replays operations against. It is plain
// data, a record of functions, so a new model is a few lines and the checker never changes.
import type { Observed } from "./history.ts";

export interface Model<State, Input, Output> {
  /** Shown in reports. */
  name: string;
  /** The state before any operation. */
  init(): State;
  /**
   * Applies one operation with the output it was observed to return. Returns the next state, or
   * `undefined` if the model cannot produce that output from `state`. Must be pure: never mutate
   * `state`, and give the same answer for the same arguments (the checker remembers answers).
   * `output` may be `unknownOutput`: the operation may or may not have taken effect.
   */
  step(state: State, input: Input, output: Observed<Output>): State | undefined;
  /** Whether two states are the same state. */
  equal(a: State, b: State): boolean;
  /**
   * A 32-bit integer hash that agrees with `equal` (equal states hash equally). Optional, but
   * without it every new state is compared with every state seen so far.
   */
  hash?(state: State): number;
  /**
   * Which independent part of the history an operation belongs to (P-compositionality: the
   * history is linearizable iff every part is). Optional; without it the history is one part.
   */
  partition?(input: Input): string;
  describeOperation(input: Input, output: Observed<Output>): string;
  describeState(state: State): string;
}
