// The 6.824 key/value model: get, put and append on string values. Keys never interact, so the
// model partitions by key and its state is the value of one key ("" when absent).
import { unknownOutput } from "../history.ts";
import type { Model } from "../model.ts";

export type KvInput =
  | { op: "get"; key: string }
  | { op: "put"; key: string; value: string }
  | { op: "append"; key: string; value: string };

/** What a get returned. Put and append return nothing; record "" for them. */
export type KvOutput = string;

export const kvModel: Model<string, KvInput, KvOutput> = {
  name: "kv",
  init: () => "",
  step(state, input, output) {
    switch (input.op) {
      case "get":
        return output === unknownOutput || output === state ? state : undefined;
      case "put":
        return input.value;
      case "append":
        return state + input.value;
    }
  },
  equal: (a, b) => a === b,
  hash(state) {
    // FNV-1a over the UTF-16 code units.
    let h = 0x811c9dc5;
    for (let i = 0; i < state.length; i++) h = Math.imul(h ^ state.charCodeAt(i), 0x01000193);
    return h;
  },
  partition: (input) => input.key,
  describeOperation(input, output) {
    const shown = output === unknownOutput ? "?" : JSON.stringify(output);
    switch (input.op) {
      case "get":
        return `get(${JSON.stringify(input.key)}) -> ${shown}`;
      case "put":
        return `put(${JSON.stringify(input.key)}, ${JSON.stringify(input.value)})${output === unknownOutput ? " -> ?" : ""}`;
      case "append":
        return `append(${JSON.stringify(input.key)}, ${JSON.stringify(input.value)})${output === unknownOutput ? " -> ?" : ""}`;
    }
  },
  describeState: (state) => JSON.stringify(state),
};
