// Lowe's memoisation: the configurations (set of linearized operations, model state) the search
// has already entered. Reaching one again by another path means repeating a subtree that is
// already explored, so the search skips it.
//
// The set is a bitset over the operations numbered in call order, and the state is an interned id
// (see state-space.ts). Since operations are mostly linearized in about the order they were
// called, the set is nearly always a run of full words, a few mixed words, then zeros; an entry
// stores only the count of full words and the mixed words. A partition of thousands of operations
// then costs a few words per entry instead of hundreds.
//
// Entries live in flat typed arrays, found through an open-addressing table, so the cache
// allocates nothing per entry. It only grows during one partition's search.
import { finalMix } from "./state-space.ts";

export class ConfigurationCache {
  /** Open addressing, two ints per slot: the entry's key, and the entry's index + 1 (0: empty). */
  private slots: Int32Array = new Int32Array(2048);
  /** Per entry, three ints: state id, full words << 16 | stored words, start in `words`. */
  private entries: Int32Array = new Int32Array(3 * 512);
  private words: Int32Array = new Int32Array(1024);
  private wordsUsed = 0;
  private count = 0;

  /**
   * Adds the configuration unless it is already present; returns whether it was new.
   * `bitsHash` is a hash of `bits` the caller maintains incrementally.
   */
  add(bits: Int32Array, bitsHash: number, stateId: number): boolean {
    let fullWords = 0;
    while (fullWords < bits.length && bits[fullWords] === -1) fullWords++;
    let end = bits.length;
    while (end > fullWords && bits[end - 1] === 0) end--;
    const length = end - fullWords;
    const shape = (fullWords << 16) | length;
    const key = finalMix(bitsHash ^ Math.imul(stateId + 1, 0x9e3779b1));
    const { slots, entries, words } = this;
    const mask = (slots.length >> 1) - 1;
    let slot = key & mask;
    for (;;) {
      const stored = slots[2 * slot + 1]!;
      if (stored === 0) break;
      if (slots[2 * slot] === key) {
        const record = 3 * (stored - 1);
        if (entries[record] === stateId && entries[record + 1] === shape) {
          const start = entries[record + 2]!;
          let same = true;
          for (let w = 0; w < length; w++) {
            if (words[start + w] !== bits[fullWords + w]) {
              same = false;
              break;
            }
          }
          if (same) return false;
        }
      }
      slot = (slot + 1) & mask;
    }
    const entry = this.count++;
    if (3 * entry === this.entries.length) this.entries = grown(this.entries, 3 * entry + 3);
    if (this.wordsUsed + length > this.words.length) this.words = grown(this.words, this.wordsUsed + length);
    this.words.set(bits.subarray(fullWords, end), this.wordsUsed);
    this.entries[3 * entry] = stateId;
    this.entries[3 * entry + 1] = shape;
    this.entries[3 * entry + 2] = this.wordsUsed;
    this.wordsUsed += length;
    slots[2 * slot] = key;
    slots[2 * slot + 1] = entry + 1;
    if (this.count * 2 > slots.length >> 1) this.growSlots();
    return true;
  }

  private growSlots(): void {
    const old = this.slots;
    const slots = new Int32Array(old.length * 2);
    const mask = (slots.length >> 1) - 1;
    for (let i = 0; i < old.length; i += 2) {
      if (old[i + 1] === 0) continue;
      let slot = old[i]! & mask;
      while (slots[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
      slots[2 * slot] = old[i]!;
      slots[2 * slot + 1] = old[i + 1]!;
    }
    this.slots = slots;
  }
}

/** A copy of `array` with room for at least `needed` elements (doubling). */
function grown(array: Int32Array, needed: number): Int32Array {
  let capacity = array.length * 2;
  while (capacity < needed) capacity *= 2;
  const copy = new Int32Array(capacity);
  copy.set(array);
  return copy;
}
