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
  private slots: Int32Array = new Int32Array(1024); // entry index + 1, or 0 when empty
  private entryKey: Int32Array = new Int32Array(512);
  private entryState: Int32Array = new Int32Array(512);
  /** Leading words of the bitset that are all ones. */
  private entryFullWords: Int32Array = new Int32Array(512);
  /** Where the entry's stored words start in `words`, and how many there are. */
  private entryStart: Int32Array = new Int32Array(512);
  private entryLength: Int32Array = new Int32Array(512);
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
    const key = finalMix(bitsHash ^ Math.imul(stateId + 1, 0x9e3779b1));
    const mask = this.slots.length - 1;
    let slot = key & mask;
    for (;;) {
      const stored = this.slots[slot]!;
      if (stored === 0) break;
      const entry = stored - 1;
      if (
        this.entryKey[entry] === key &&
        this.entryState[entry] === stateId &&
        this.entryFullWords[entry] === fullWords &&
        this.entryLength[entry] === length
      ) {
        const start = this.entryStart[entry]!;
        let same = true;
        for (let w = 0; w < length; w++) {
          if (this.words[start + w] !== bits[fullWords + w]) {
            same = false;
            break;
          }
        }
        if (same) return false;
      }
      slot = (slot + 1) & mask;
    }
    const entry = this.count++;
    if (entry === this.entryKey.length) this.growEntries();
    if (this.wordsUsed + length > this.words.length) this.words = grown(this.words, this.wordsUsed + length);
    this.words.set(bits.subarray(fullWords, end), this.wordsUsed);
    this.entryKey[entry] = key;
    this.entryState[entry] = stateId;
    this.entryFullWords[entry] = fullWords;
    this.entryStart[entry] = this.wordsUsed;
    this.entryLength[entry] = length;
    this.wordsUsed += length;
    this.slots[slot] = entry + 1;
    if (this.count * 2 > this.slots.length) this.growSlots();
    return true;
  }

  private growEntries(): void {
    const capacity = this.entryKey.length * 2;
    this.entryKey = grown(this.entryKey, capacity);
    this.entryState = grown(this.entryState, capacity);
    this.entryFullWords = grown(this.entryFullWords, capacity);
    this.entryStart = grown(this.entryStart, capacity);
    this.entryLength = grown(this.entryLength, capacity);
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

/** A copy of `array` with room for at least `needed` elements (doubling). */
function grown(array: Int32Array, needed: number): Int32Array {
  let capacity = array.length * 2;
  while (capacity < needed) capacity *= 2;
  const copy = new Int32Array(capacity);
  copy.set(array);
  return copy;
}
