// The linearizability checker's verdict for each key, computed in Node when the page is written.
//
// The KV model splits a history by key and the checker stops at the first key it refutes; the
// page wants every key's verdict, so each key is checked on its own here. For an illegal key the
// page draws what Porcupine draws: the longest order of the key's operations the model accepts
// (its "partial linearization", with the state after each) and the operations that could come
// next but do not work — the "illegal next" ones, each either rejected by the model outright or
// accepted with no order of the rest able to follow.
import { checkOperations, kvModel, unknownOutput, type KvInput, type KvOutput, type Operation } from "../../check/index.ts";
import type { KeyVerdict } from "./page-data.ts";

/** A state is shown with its ends when longer than this. */
const STATE_LIMIT = 120;

/** One verdict per key, keys in the order their first operation was called. `ops` are the history, in call order. */
export function keyVerdicts(ops: readonly Operation<KvInput, KvOutput>[]): KeyVerdict[] {
  const byKey = new Map<string, number[]>();
  ops.forEach((op, index) => {
    const list = byKey.get(op.input.key) ?? [];
    byKey.set(op.input.key, list);
    list.push(index);
  });
  return [...byKey].map(([key, indices]) => {
    const result = checkOperations(kvModel, indices.map((index) => ops[index]!));
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
