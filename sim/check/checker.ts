// A linearizability checker in the manner of Porcupine (github.com/anishathalye/porcupine).
//
// Sources of the algorithm:
//  - J. M. Wing and C. Gong, "Testing and verifying concurrent objects" (1993): depth-first
//    search over the orders that real time allows.
//  - G. Lowe, "Testing for linearizability" (2017): the doubly linked entry list with lift and
//    unlift, and the cache of configurations (linearized set, state) already explored.
//  - A. Horn and D. Kroening, "Faster linearizability checking via P-compositionality" (2015):
//    when a model splits operations into independent parts (the KV model, by key), the history is
//    linearizable iff every part is, so each part is searched alone.
//
// The search for one part lives in search.ts. This file splits the history into parts, runs them,
// and reports. Parts take turns, a slice of steps each, and the first illegal part ends the check:
// some parts are cheap to refute and others are not (kv/c50-bad in the test corpus), so going
// through the keys in order could spend the whole budget on one key that never finishes.
//
// Verdicts are "ok", "illegal" or "unknown" (the work budget ran out first). The budget counts
// search steps, not time, so a history gets the same verdict on every machine. A wall-clock limit
// can be added on top; only it makes verdicts depend on the machine.
import type { HistoryEvent, Operation } from "./history.ts";
import type { Model } from "./model.ts";
import { orderEvents, orderOperations, type CheckedOperation, type OrderedHistory } from "./ordered-history.ts";
import { PartitionSearch } from "./search.ts";
import { rejected, StateSpace } from "./state-space.ts";

export type Verdict = "ok" | "illegal" | "unknown";

/**
 * The default work budget, in search steps over all parts: 10 million. A step is one candidate
 * tried or one backtrack. Measured on our 2-core VM: the hardest Porcupine corpus file
 * (jepsen/etcd_002) needs 1.36 million steps; a 6.824-style KV history of 30,000 operations over
 * 15 keys needs 42 thousand steps with 5 clients and 280 thousand with 15. The search runs at
 * 1–10 million steps a second and keeps up to ~150 bytes per step for long KV partitions, so the
 * default bounds a check at seconds and about a gigabyte, never a crash.
 */
export const defaultBudget = 10_000_000;

/** Steps one part searches before the next part gets its turn. */
const sliceSteps = 10_000;

export interface CheckOptions {
  /** The work budget in search steps; `defaultBudget` when absent. */
  budget?: number;
  /** A wall-clock limit in milliseconds, on top of the budget. Makes verdicts machine-dependent. */
  timeLimitMs?: number;
}

export interface CheckResult<Input, Output> {
  verdict: Verdict;
  /** Search steps taken over all parts. */
  steps: number;
  /** How many independent parts the model split the history into. */
  partitions: number;
  /** Why the history is not linearizable; present exactly when the verdict is "illegal". */
  failure?: Failure<Input, Output>;
}

export interface Failure<Input, Output> {
  /** The part that cannot be linearized (the key, for the KV model); undefined if unpartitioned. */
  partition: string | undefined;
  initialState: string;
  /** The longest order of this part's operations the model accepts, with the state after each. */
  longestPartialLinearization: { operation: CheckedOperation<Input, Output>; stateAfter: string }[];
  /**
   * The operations that could come next after it. Each is either rejected by the model in that
   * state, or accepted but no order of the remaining operations can follow it.
   */
  stuck: { operation: CheckedOperation<Input, Output>; rejectedByModel: boolean }[];
}

export function checkOperations<State, Input, Output>(
  model: Model<State, Input, Output>,
  history: readonly Operation<Input, Output>[],
  options: CheckOptions = {},
): CheckResult<Input, Output> {
  return checkOrdered(model, orderOperations(history), options);
}

export function checkEvents<State, Input, Output>(
  model: Model<State, Input, Output>,
  events: readonly HistoryEvent<Input, Output>[],
  options: CheckOptions = {},
): CheckResult<Input, Output> {
  return checkOrdered(model, orderEvents(events), options);
}

interface Part<State, Input, Output> {
  key: string | undefined;
  history: OrderedHistory<Input, Output>;
  space: StateSpace<State, Input, Output>;
  search: PartitionSearch;
}

function checkOrdered<State, Input, Output>(
  model: Model<State, Input, Output>,
  whole: OrderedHistory<Input, Output>,
  options: CheckOptions,
): CheckResult<Input, Output> {
  const budget = options.budget ?? defaultBudget;
  const deadline = options.timeLimitMs === undefined ? Infinity : performance.now() + options.timeLimitMs;
  const parts = splitIntoParts(model, whole).map(({ key, history }): Part<State, Input, Output> => {
    const space = new StateSpace(
      model,
      history.operations.map((op) => op.input),
      history.operations.map((op) => op.output),
    );
    return { key, history, space, search: new PartitionSearch(space, history.order) };
  });
  let steps = 0;
  let running = parts;
  while (running.length > 0) {
    const stillRunning: typeof parts = [];
    for (const part of running) {
      if (steps >= budget || (deadline !== Infinity && performance.now() > deadline)) {
        return { verdict: "unknown", steps, partitions: parts.length };
      }
      const before = part.search.steps;
      const status = part.search.run(Math.min(sliceSteps, budget - steps));
      steps += part.search.steps - before;
      if (status === "illegal") {
        return { verdict: "illegal", steps, partitions: parts.length, failure: describeFailure(model, part) };
      }
      if (status === "running") stillRunning.push(part);
    }
    running = stillRunning;
  }
  return { verdict: "ok", steps, partitions: parts.length };
}

/** P-compositionality: one ordered history per part, operations renumbered within each. */
function splitIntoParts<State, Input, Output>(
  model: Model<State, Input, Output>,
  whole: OrderedHistory<Input, Output>,
): { key: string | undefined; history: OrderedHistory<Input, Output> }[] {
  const partitionOf = model.partition;
  if (partitionOf === undefined) return [{ key: undefined, history: whole }];
  const partOf = new Map<string, { key: string; operations: CheckedOperation<Input, Output>[]; order: number[] }>();
  const partOfOp: { operations: CheckedOperation<Input, Output>[]; order: number[] }[] = [];
  const localOp = new Int32Array(whole.operations.length);
  whole.operations.forEach((op, index) => {
    const key = partitionOf(op.input);
    let part = partOf.get(key);
    if (part === undefined) {
      part = { key, operations: [], order: [] };
      partOf.set(key, part);
    }
    localOp[index] = part.operations.length;
    part.operations.push(op);
    partOfOp.push(part);
  });
  for (const entry of whole.order) {
    const op = entry >> 1;
    partOfOp[op]!.order.push(2 * localOp[op]! + (entry & 1));
  }
  return [...partOf.values()].map(({ key, operations, order }) => ({
    key,
    history: { operations, order: Int32Array.from(order) },
  }));
}

function describeFailure<State, Input, Output>(
  model: Model<State, Input, Output>,
  { key, history, space, search }: Part<State, Input, Output>,
): Failure<Input, Output> {
  const { operations, order } = history;
  let state = space.initial;
  const placed = new Set<number>();
  const longestPartialLinearization = search.longestPartialLinearization().map((op) => {
    state = space.after(state, op);
    placed.add(op);
    return { operation: operations[op]!, stateAfter: model.describeState(space.state(state)) };
  });
  // The candidates: unplaced calls before the first unplaced return.
  const stuck: Failure<Input, Output>["stuck"] = [];
  for (const entry of order) {
    const op = entry >> 1;
    if (placed.has(op)) continue;
    if (entry & 1) break;
    stuck.push({ operation: operations[op]!, rejectedByModel: space.after(state, op) === rejected });
  }
  return {
    partition: key,
    initialState: model.describeState(space.state(space.initial)),
    longestPartialLinearization,
    stuck,
  };
}
