// The model states one partition's search reaches, numbered 0, 1, 2, … in order of discovery.
// The search works on these integer ids: comparing two states is comparing two numbers, and the
// configuration cache stores a number instead of a state.
//
// It also remembers every transition it has computed: the search tries the same operation from
// the same state on many paths, and the model is pure, so each (state, operation) pair is
// stepped once.
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
  private readonly states: State[] = [];
  /** State hash -> the first state id with that hash; later ones are chained. */
  private readonly firstWithHash = new Map<number, number>();
  private readonly nextWithSameHash: number[] = [];

  // Transition memo: an open-addressing table keyed by (from, op), linear probing.
  private memoFrom: Int32Array;
  private memoOp: Int32Array;
  private memoTo: Int32Array;
  private memoCount = 0;

  constructor(
    private readonly model: Model<State, Input, Output>,
    private readonly inputs: readonly Input[],
    private readonly outputs: readonly Observed<Output>[],
  ) {
    this.memoFrom = new Int32Array(1024).fill(-1);
    this.memoOp = new Int32Array(1024);
    this.memoTo = new Int32Array(1024);
    this.intern(model.init());
  }

  /** The id of the initial state. */
  get initial(): number {
    return 0;
  }

  state(id: number): State {
    return this.states[id]!;
  }

  /** The state id after operation `op` from state `from`, or `rejected`. */
  after(from: number, op: number): number {
    const mask = this.memoFrom.length - 1;
    let slot = transitionHash(from, op) & mask;
    for (;;) {
      const storedFrom = this.memoFrom[slot]!;
      if (storedFrom === -1) break;
      if (storedFrom === from && this.memoOp[slot] === op) return this.memoTo[slot]!;
      slot = (slot + 1) & mask;
    }
    const next = this.model.step(this.states[from]!, this.inputs[op]!, this.outputs[op]!);
    const to = next === undefined ? rejected : this.intern(next);
    this.memoFrom[slot] = from;
    this.memoOp[slot] = op;
    this.memoTo[slot] = to;
    if (++this.memoCount * 2 > this.memoFrom.length) this.growMemo();
    return to;
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

  private growMemo(): void {
    const oldFrom = this.memoFrom;
    const oldOp = this.memoOp;
    const oldTo = this.memoTo;
    const capacity = oldFrom.length * 2;
    const mask = capacity - 1;
    this.memoFrom = new Int32Array(capacity).fill(-1);
    this.memoOp = new Int32Array(capacity);
    this.memoTo = new Int32Array(capacity);
    for (let i = 0; i < oldFrom.length; i++) {
      const from = oldFrom[i]!;
      if (from === -1) continue;
      let slot = transitionHash(from, oldOp[i]!) & mask;
      while (this.memoFrom[slot] !== -1) slot = (slot + 1) & mask;
      this.memoFrom[slot] = from;
      this.memoOp[slot] = oldOp[i]!;
      this.memoTo[slot] = oldTo[i]!;
    }
  }
}

function transitionHash(from: number, op: number): number {
  return finalMix(Math.imul(from, 0x9e3779b1) ^ op);
}

/** MurmurHash3's 32-bit finalizer: spreads every input bit over the whole word. */
export function finalMix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
