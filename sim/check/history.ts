// Histories: what clients did, as the checker sees it.
//
// A history can be given in two shapes, as in Porcupine:
//  - Operations, each with a call time and a return time. Intervals are closed: an operation that
//    returns at t and one that is called at t are concurrent (a call orders before a return at an
//    equal timestamp).
//  - Events, an ordered list of calls and returns paired by id. Only the order matters.
//
// An operation whose result nobody saw (the client crashed, or timed out) has the output
// `unknownOutput`. It may or may not have taken effect, at any moment after its call: the checker
// treats it as returning after everything else in the history.

/** The output of an operation whose result nobody saw. */
export const unknownOutput: unique symbol = Symbol("unknown output");
export type UnknownOutput = typeof unknownOutput;

/** An output as observed: the value the operation returned, or unknown. */
export type Observed<Output> = Output | UnknownOutput;

export interface Operation<Input, Output> {
  clientId: number;
  input: Input;
  /** When the client invoked the operation. */
  call: number;
  /** What the operation returned, or `unknownOutput` if it never returned. */
  output: Observed<Output>;
  /** When the operation returned; `Infinity` if it never did. */
  return: number;
}

export type HistoryEvent<Input, Output> =
  | { kind: "call"; id: number; clientId: number; input: Input }
  | { kind: "return"; id: number; clientId: number; output: Observed<Output> };

/** A history that cannot be checked, with the place where it went wrong. */
export class MalformedHistoryError extends Error {
  override name = "MalformedHistoryError";
}
