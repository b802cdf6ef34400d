// A single compare-and-set register, as in Jepsen's etcd test. The state is the register's
// integer value, or null while it has never been written ("absent").
//
//   operation  output    legal when            next state
//   read       V / null  state is V / absent   unchanged
//   write(V)   "ok"      always                V
//   cas(A,B)   true      state is A            B
//   cas(A,B)   false     state is not A        unchanged
//   any        unknown   always                as if it succeeded (cas: B only if state is A)
import { unknownOutput } from "../history.ts";
import type { Model } from "../model.ts";

export type RegisterState = number | null;

export type RegisterInput = { op: "read" } | { op: "write"; value: number } | { op: "cas"; from: number; to: number };

/** A read returns the value (null when absent), a write "ok", a cas whether it applied. */
export type RegisterOutput = number | null | "ok" | boolean;

export const registerModel: Model<RegisterState, RegisterInput, RegisterOutput> = {
  name: "register",
  init: () => null,
  step(state, input, output) {
    switch (input.op) {
      case "read":
        return output === unknownOutput || output === state ? state : undefined;
      case "write":
        return input.value;
      case "cas":
        if (output === unknownOutput) return state === input.from ? input.to : state;
        if (output === true) return state === input.from ? input.to : undefined;
        return state === input.from ? undefined : state;
    }
  },
  equal: (a, b) => a === b,
  // Absent gets a hash no small integer has.
  hash: (state) => (state === null ? 0x7fffffff : state | 0),
  describeOperation(input, output) {
    const shown = output === unknownOutput ? "?" : String(output);
    switch (input.op) {
      case "read":
        return `read() -> ${output === null ? "absent" : shown}`;
      case "write":
        return `write(${input.value}) -> ${shown}`;
      case "cas":
        return `cas(${input.from}, ${input.to}) -> ${shown}`;
    }
  },
  describeState: (state) => (state === null ? "absent" : String(state)),
};
