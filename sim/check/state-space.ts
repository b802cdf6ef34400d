// The model states one partition's search reaches, numbered 0, 1, 2, … in order of discovery.
// The search works on these integer ids: comparing two states is comparing two numbers, and the
// configuration cache stores a number instead of a state.
import type { Observed } from "./history.ts";
import type { Model } from "./model.ts";

/** Returned by `after` when the model rejects the operation. */
export const rejected = -1;

/** What the search needs from a state space: numbered states and the transitions between them. */
export interface Transitions {
  readonly initial: number;
  /** The state id after operation `op` from state `from`, or `rejected`. */
  after(from: number, op: number): number;
}

export class StateSpace<State, Input, Output> implements Transitions {
  readonly initial = 0;
  private readonly states: State[] = [];
  /** State hash -> the first state id with that hash; later ones are chained. */
  private readonly firstWithHash = new Map<number, number>();
  private readonly nextWithSameHash: number[] = [];

  constructor(
    private readonly model: Model<State, Input, Output>,
    private readonly inputs: readonly Input[],
    private readonly outputs: readonly Observed<Output>[],
  ) {
    this.intern(model.init());
  }

  state(id: number): State {
    return this.states[id]!;
  }

  after(from: number, op: number): number {
    const state = this.states[from]!;
    const next = this.model.step(state, this.inputs[op]!, this.outputs[op]!);
    if (next === undefined) return rejected;
    // A step that returns its state unchanged (a read) needs no lookup.
    return next === state ? from : this.intern(next);
  }

  private intern(state: State): number {
    const hash = this.model.hash ? this.model.hash(state) : 0;
    const first = this.firstWithHash.get(hash);
    if (first === undefined) {
      this.firstWithHash.set(hash, this.states.length);
    } else {
      let id = first;
      for (;;) {
        if (this.model.equal(this.states[id]!, state)) return id;
        const next = this.nextWithSameHash[id]!;
        if (next === -1) break;
        id = next;
      }
      this.nextWithSameHash[id] = this.states.length;
    }
    this.states.push(state);
    this.nextWithSameHash.push(-1);
    return this.states.length - 1;
  }
}

/** MurmurHash3's 32-bit finalizer: spreads every input bit over the whole word. */
export function finalMix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
