// The linearizability checker's verdict for each key, computed in Node when the page is written.
//
// The KV model splits a history by key and the checker stops at the first key it refutes; the
// page wants every key's verdict, so each key is checked on its own here. For an illegal key the
// page draws what Porcupine draws: the longest order of the key's operations the model accepts
// (its "partial linearization", with the state after each) and the operations that could come
// next but do not work — the "illegal next" ones, each either rejected by the model outright or
// accepted with no order of the rest able to follow.
//
// A KV test checks its history itself, and in an observed run it notes the verdict (CHECK_NOTE).
// When the run's one check covered every operation the page shows and found them linearizable,
// every key is (the model's keys are checked apart, and a history is linearizable when each key's
// is), so no key is checked again. Any other run — one that failed its check, checked more than
// one history, or has no check at all (a history file) — gets every key checked here.
import { checkOperations, kvModel, unknownOutput, type KvInput, type KvOutput, type Operation } from "../../check/index.ts";
import type { KeyVerdict } from "./page-data.ts";

/** A state is shown with its ends when longer than this. */
const STATE_LIMIT = 120;

/** The journal note of a KV test's own linearizability check (tests/harness/kv-linearizability.ts). */
export const CHECK_NOTE = "check";

export interface CheckNote {
  verdict: "ok" | "illegal" | "unknown";
  /** How many operations it checked. */
  operations: number;
}

/**
 * One verdict per key, keys in the order their first operation was called. `ops` are the history,
 * in call order; `runChecks` the run's own checks of it (CheckNote), if any.
 */
export function keyVerdicts(ops: readonly Operation<KvInput, KvOutput>[], runChecks: readonly CheckNote[] = []): KeyVerdict[] {
  const byKey = new Map<string, number[]>();
  ops.forEach((op, index) => {
    const list = byKey.get(op.input.key) ?? [];
    byKey.set(op.input.key, list);
    list.push(index);
  });
  const linearizable = runChecks.length === 1 && runChecks[0]!.verdict === "ok" && runChecks[0]!.operations === ops.length;
  return [...byKey].map(([key, indices]) => {
    const result = linearizable ? { verdict: "ok" as const, failure: undefined } : checkOperations(kvModel, indices.map((index) => ops[index]!));
    const verdict: KeyVerdict = { key, verdict: result.verdict, ops: indices, linearization: [], states: [], initialState: "", illegalNext: [] };
    const failure = result.failure;
    if (failure !== undefined) {
      verdict.initialState = shortState(failure.initialState);
      for (const step of failure.longestPartialLinearization) {
        verdict.linearization.push(indices[step.operation.id]!);
        verdict.states.push(shortState(step.stateAfter));
      }
      verdict.illegalNext = failure.stuck.map((s) => ({ op: indices[s.operation.id]!, rejected: s.rejectedByModel }));
    }
    return verdict;
  });
}

/** What an operation did, as the page labels it: `append("4", "x 2 13 y")`, `get("4") → "x 2 13 y"`. */
export function describeOperation(input: KvInput, output: KvOutput | typeof unknownOutput): { input: string; output: string } {
  const quote = (text: string): string => JSON.stringify(shortState(text));
  const call = input.op === "get" ? `get(${quote(input.key)})` : `${input.op}(${quote(input.key)}, ${quote(input.value)})`;
  if (output === unknownOutput) return { input: call, output: "unknown (never returned)" };
  return { input: call, output: input.op === "get" ? quote(output) : "ok" };
}

function shortState(state: string): string {
  return state.length > STATE_LIMIT ? `${state.slice(0, 30)}…(${state.length} chars)…${state.slice(-70)}` : state;
}
