// Lowe's memoisation: the configurations (set of linearized operations, model state) the search
// has already entered. Reaching one again by another path means repeating a subtree that is
// already known to fail, so the search skips it.
//
// The set is a bitset of `words` 32-bit words; the state is an interned id (see state-space.ts).
// Entries live in flat typed arrays and are found through an open-addressing table, so the cache
// allocates nothing per entry. It only grows during one partition's search.
import { finalMix } from "./state-space.ts";

export class ConfigurationCache {
  private slots: Int32Array; // entry index + 1, or 0 when empty
  private entryBits: Int32Array;
  private entryState: Int32Array;
  private entryKey: Int32Array;
  private count = 0;

  constructor(private readonly words: number) {
    this.slots = new Int32Array(1024);
    this.entryBits = new Int32Array(512 * words);
    this.entryState = new Int32Array(512);
    this.entryKey = new Int32Array(512);
  }

  get size(): number {
    return this.count;
  }

  /**
   * Adds the configuration unless it is already present; returns whether it was new.
   * `bitsHash` is a hash of `bits` the caller maintains incrementally.
   */
  add(bits: Int32Array, bitsHash: number, stateId: number): boolean {
    const key = finalMix(bitsHash ^ Math.imul(stateId + 1, 0x9e3779b1));
    const words = this.words;
    const mask = this.slots.length - 1;
    let slot = key & mask;
    for (;;) {
      const stored = this.slots[slot]!;
      if (stored === 0) break;
      const entry = stored - 1;
      if (this.entryKey[entry] === key && this.entryState[entry] === stateId) {
        const base = entry * words;
        let same = true;
        for (let w = 0; w < words; w++) {
          if (this.entryBits[base + w] !== bits[w]) {
            same = false;
            break;
          }
        }
        if (same) return false;
      }
      slot = (slot + 1) & mask;
    }
    const entry = this.count++;
    if (entry === this.entryState.length) this.growEntries();
    this.entryBits.set(bits, entry * words);
    this.entryState[entry] = stateId;
    this.entryKey[entry] = key;
    this.slots[slot] = entry + 1;
    if (this.count * 2 > this.slots.length) this.growSlots();
    return true;
  }

  private growEntries(): void {
    const capacity = this.entryState.length * 2;
    const bits = new Int32Array(capacity * this.words);
    bits.set(this.entryBits);
    this.entryBits = bits;
    const states = new Int32Array(capacity);
    states.set(this.entryState);
    this.entryState = states;
    const keys = new Int32Array(capacity);
    keys.set(this.entryKey);
    this.entryKey = keys;
  }

  private growSlots(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let entry = 0; entry < this.count; entry++) {
      let slot = this.entryKey[entry]! & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = entry + 1;
    }
    this.slots = slots;
  }
}
