// The 6.824 key/value model: get, put and append on string values. Keys never interact, so the
// model partitions by key and its state is the value of one key ("" when absent).
//
// The value is kept together with how it was built: the value it appended to and what it
// appended, plus a polynomial hash extended one appended character at a time. A 6.824 history
// appends to a key thousands of times, so its value grows to kilobytes; this way an append costs
// the length of the appended string, not of the whole value (V8 joins the strings lazily).
import { unknownOutput } from "../history.ts";
import type { Model } from "../model.ts";

export type KvInput =
  | { op: "get"; key: string }
  | { op: "put"; key: string; value: string }
  | { op: "append"; key: string; value: string };

/** What a get returned. Put and append return nothing; record "" for them. */
export type KvOutput = string;

export interface KvValue {
  readonly text: string;
  /** Polynomial hash of `text`: h = h·31 + c over its UTF-16 code units, modulo 2³². */
  readonly hash: number;
  /** The value this one appended to, or null after a put (and initially). */
  readonly base: KvValue | null;
  /** What was appended to `base` (or put). */
  readonly appended: string;
}

function extend(base: KvValue | null, appended: string): KvValue {
  let hash = base === null ? 0 : base.hash;
  for (let i = 0; i < appended.length; i++) hash = (Math.imul(hash, 31) + appended.charCodeAt(i)) | 0;
  return { text: base === null ? appended : base.text + appended, hash, base, appended };
}

/**
 * Whether `value` is `text`. Values that differ usually differ in their last appends, so those are
 * compared first, piece by piece, without building the joined string (V8 would then keep a flat
 * copy of kilobytes for every state it compared). Only a value that passes is compared whole.
 */
function spells(value: KvValue, text: string): boolean {
  if (value.text.length !== text.length) return false;
  let end = text.length;
  let piece: KvValue | null = value;
  for (let checked = 0; piece !== null && checked < 4; checked++, piece = piece.base) {
    end -= piece.appended.length;
    if (!text.startsWith(piece.appended, end)) return false;
  }
  return piece === null || value.text === text;
}

const empty = extend(null, "");

export const kvModel: Model<KvValue, KvInput, KvOutput> = {
  name: "kv",
  init: () => empty,
  step(state, input, output) {
    switch (input.op) {
      case "get":
        return output === unknownOutput || spells(state, output) ? state : undefined;
      case "put":
        return extend(null, input.value);
      case "append":
        return extend(state, input.value);
    }
  },
  equal: (a, b) =>
    a === b ||
    (a.hash === b.hash &&
      a.text.length === b.text.length &&
      // The same append to the same value (common: the search reaches states many ways) needs no
      // comparison of the whole text.
      ((a.base === b.base && a.appended === b.appended) || a.text === b.text)),
  hash: (state) => state.hash,
  partition: (input) => input.key,
  describeOperation(input, output) {
    const result = output === unknownOutput ? " -> ?" : "";
    switch (input.op) {
      case "get":
        return `get(${JSON.stringify(input.key)}) -> ${output === unknownOutput ? "?" : JSON.stringify(output)}`;
      case "put":
        return `put(${JSON.stringify(input.key)}, ${JSON.stringify(input.value)})${result}`;
      case "append":
        return `append(${JSON.stringify(input.key)}, ${JSON.stringify(input.value)})${result}`;
    }
  },
  describeState: (state) => JSON.stringify(state.text),
};
