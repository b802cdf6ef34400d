// The search for one partition: Wing & Gong's depth-first search over the orders real time allows,
// with Lowe's cache of configurations already explored.
//
// The history is a doubly linked list of entries, one call and one return per operation, in
// real-time order. The operations that may be linearized next are exactly the calls before the
// first return in the list: each of them was invoked before any unplaced operation returned.
// Walking from the head:
//  - at a call, try to place ("lift") its operation now: the model must accept it from the current
//    state and the resulting configuration must be new. If so, unlink its call and return, push it
//    on the stack and start again from the head; otherwise try the next entry.
//  - at a return, no candidate before it worked: undo ("unlift") the last placed operation and try
//    the entry after its call. With nothing left to undo, no order exists: illegal.
//  - an empty list means every operation is placed: the stack is a linearization.
//
// The search is resumable: `run` does a bounded number of steps and returns, so the checker can
// interleave partitions and stop all of them when one is refuted.
import { ConfigurationCache } from "./configuration-cache.ts";
import { finalMix, rejected, type Transitions } from "./state-space.ts";

export type SearchStatus = "ok" | "illegal" | "running";

/** The cache packs word counts into 16 bits (configuration-cache.ts), which bounds a partition. */
const maxOperations = 1 << 20;

export class PartitionSearch {
  /** Steps taken so far: one per candidate tried and one per backtrack. */
  steps = 0;
  private status: SearchStatus = "running";

  // The entry list. Entry 0 is the head sentinel and entry `tail` the tail sentinel; entries
  // 1…2n are the calls and returns in real-time order.
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly tail: number;
  /** For each entry, its operation. */
  private readonly entryOp: Int32Array;
  /** For each entry, its operation's bit: operations are numbered in call order for the bitset. */
  private readonly entryBit: Int32Array;
  /** For a call entry, its return entry; -1 for a return entry. */
  private readonly returnOf: Int32Array;

  // The configuration: which operations are placed (a bitset with an incrementally kept
  // Zobrist hash: each operation has a fixed pseudo-random word, the hash is the XOR of the placed
  // ones, so placing or removing one is a single XOR) and the model state reached.
  private readonly placed: Int32Array;
  private readonly bitKey: Int32Array;
  private placedHash = 0;
  private stateId: number;
  private readonly cache: ConfigurationCache;

  // The stack of placed operations: their call entries and the states before them.
  private readonly stackEntry: Int32Array;
  private readonly stackState: Int32Array;
  private depth = 0;
  private cursor: number;

  /** The longest prefix of placed operations seen at a backtrack, for the failure report. */
  private readonly longest: Int32Array;
  private longestLength = 0;

  /**
   * `order` lists the entries in real-time order, each as 2·op for a call and 2·op+1 for a
   * return; operations are numbered 0…n-1 and every one has both entries.
   */
  constructor(
    private readonly space: Transitions,
    order: Int32Array,
  ) {
    const entries = order.length;
    const operations = entries / 2;
    if (operations > maxOperations) {
      throw new RangeError(`A partition has ${operations} operations; the checker handles at most ${maxOperations} per partition. Split the history (partition the model more finely) or check a shorter run.`);
    }
    this.tail = entries + 1;
    this.next = new Int32Array(entries + 2);
    this.prev = new Int32Array(entries + 2);
    this.entryOp = new Int32Array(entries + 2);
    this.entryBit = new Int32Array(entries + 2);
    this.returnOf = new Int32Array(entries + 2).fill(-1);
    const callEntry = new Int32Array(operations);
    let calls = 0;
    for (let i = 0; i <= entries; i++) {
      this.next[i] = i + 1;
      this.prev[i + 1] = i;
    }
    for (let i = 0; i < entries; i++) {
      const entry = i + 1;
      const op = order[i]! >> 1;
      this.entryOp[entry] = op;
      if ((order[i]! & 1) === 0) {
        callEntry[op] = entry;
        this.entryBit[entry] = calls++;
      } else {
        this.returnOf[callEntry[op]!] = entry;
      }
    }
    const words = (operations + 31) >>> 5;
    this.placed = new Int32Array(words);
    this.bitKey = new Int32Array(operations);
    for (let bit = 0; bit < operations; bit++) this.bitKey[bit] = finalMix(Math.imul(bit + 1, 0x9e3779b1));
    this.cache = new ConfigurationCache();
    this.stateId = space.initial;
    this.stackEntry = new Int32Array(operations);
    this.stackState = new Int32Array(operations);
    this.longest = new Int32Array(operations);
    this.cursor = this.next[0]!;
    if (operations === 0) this.status = "ok";
  }

  /** Searches for at most `maxSteps` more steps. */
  run(maxSteps: number): SearchStatus {
    if (this.status !== "running") return this.status;
    const { next, prev, tail, entryOp, entryBit, returnOf, placed, bitKey, cache, space, stackEntry, stackState } = this;
    let { cursor, depth, stateId, placedHash, steps } = this;
    const stopAt = steps + maxSteps;
    let status: SearchStatus = "running";
    while (steps < stopAt) {
      steps++;
      const ret = returnOf[cursor]!;
      if (ret !== -1) {
        // A call: try to place its operation now.
        const nextState = space.after(stateId, entryOp[cursor]!);
        if (nextState !== rejected) {
          const bit = entryBit[cursor]!;
          const word = bit >>> 5;
          const mask = 1 << (bit & 31);
          placed[word]! |= mask;
          if (cache.add(placed, placedHash ^ bitKey[bit]!, nextState)) {
            placedHash ^= bitKey[bit]!;
            stackEntry[depth] = cursor;
            stackState[depth] = stateId;
            depth++;
            stateId = nextState;
            // Lift: unlink the call and its return.
            next[prev[cursor]!] = next[cursor]!;
            prev[next[cursor]!] = prev[cursor]!;
            next[prev[ret]!] = next[ret]!;
            prev[next[ret]!] = prev[ret]!;
            cursor = next[0]!;
            if (cursor === tail) {
              status = "ok";
              break;
            }
            continue;
          }
          placed[word]! &= ~mask;
        }
        cursor = next[cursor]!;
      } else {
        // A return: no remaining candidate works here. Backtrack.
        if (depth === 0) {
          status = "illegal";
          break;
        }
        if (depth > this.longestLength) {
          this.longest.set(stackEntry.subarray(0, depth));
          this.longestLength = depth;
        }
        depth--;
        const call = stackEntry[depth]!;
        const bit = entryBit[call]!;
        stateId = stackState[depth]!;
        placed[bit >>> 5]! &= ~(1 << (bit & 31));
        placedHash ^= bitKey[bit]!;
        // Unlift: relink the return, then the call (the reverse of unlinking).
        const callReturn = returnOf[call]!;
        next[prev[callReturn]!] = callReturn;
        prev[next[callReturn]!] = callReturn;
        next[prev[call]!] = call;
        prev[next[call]!] = call;
        cursor = next[call]!;
      }
    }
    this.cursor = cursor;
    this.depth = depth;
    this.stateId = stateId;
    this.placedHash = placedHash;
    this.steps = steps;
    this.status = status;
    return status;
  }

  /** The longest partial linearization found, as operation numbers in order. */
  longestPartialLinearization(): number[] {
    return Array.from(this.longest.subarray(0, this.longestLength), (entry) => this.entryOp[entry]!);
  }
}
