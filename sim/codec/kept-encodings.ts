// Immutable values, and the encodings the codec keeps for long arrays of them.
//
// immutable(value) deep-freezes a plain object or array: neither it nor anything inside it can
// change again (an attempt throws a TypeError), so once encoded, its encoding can never go stale.
// (Any value frozen all the way down counts, however it was frozen.)
//
// That is what makes saving a long log cheap. When encodeToBytes() meets a long array of
// immutable values (a Raft log, saved in full on every change), it keeps the UTF-8 bytes of its
// elements, back to back. The next time it compares the array's elements with the kept ones by
// identity, keeps the bytes of the common prefix, and encodes only what follows it: an array that
// grew by one entry costs one entry's encoding and a copy of bytes, not an encoding of every
// entry. Comparing by identity is what makes it safe: the array itself may change in any way
// (push, splice, a new element at some index), and whatever no longer matches is encoded afresh.
//
// The table is weak: an array nobody holds any more takes its kept bytes with it.

/** Arrays shorter than this are encoded afresh each time: keeping them would cost more. */
export const MIN_KEPT_ARRAY_LENGTH = 32;

const COMMA = 0x2c;
const utf8 = new TextEncoder();

/** Long arrays of immutable values that were encoded to bytes, with their elements' bytes. */
const arrays = new WeakMap<readonly unknown[], KeptArray>();

/**
 * Deep-freezes a plain object or array and returns it: from now on neither it nor anything inside
 * it can change. A long array of such values is then cheap to encode again and again (see above).
 * A value holding a Uint8Array is frozen everywhere but in the bytes (typed arrays cannot be
 * frozen), and is encoded afresh each time, as usual.
 */
export function immutable<T>(value: T): T {
  if (typeof value === "object" && value !== null) freezeDeep(value, 0);
  return value;
}

/** Whether the codec would keep the bytes of `array`: it is long, and its elements immutable. */
export function mayKeep(array: readonly unknown[]): boolean {
  return array.length >= MIN_KEPT_ARRAY_LENGTH && (arrays.has(array) || isImmutable(array[0], 0));
}

/** Which encoding is under way: a prefix found while checking a value is reused while writing it. */
let encodingNumber = 0;

/** The codec calls this as each encoding starts. */
export function startEncoding(): void {
  encodingNumber++;
}

/** How many leading elements of `array` are still those whose bytes are kept (already checked). */
export function keptPrefixLength(array: readonly unknown[]): number {
  return arrays.get(array)?.matchingPrefix(array) ?? 0;
}

/**
 * The bytes of `array`'s elements, comma-separated (the inside of its JSON), brought up to date;
 * undefined if the array is short or holds a value that is not immutable.
 */
export function keptElementBytes(array: readonly unknown[]): Uint8Array | undefined {
  if (!mayKeep(array)) return undefined;
  let kept = arrays.get(array);
  if (kept === undefined) {
    kept = new KeptArray();
    arrays.set(array, kept);
  }
  const bytes = kept.update(array);
  if (bytes === undefined) arrays.delete(array);
  return bytes;
}

/** One array's elements as they were last encoded: which values, and their bytes back to back. */
class KeptArray {
  private readonly items: unknown[] = [];
  /** ends[i]: where element i's bytes, with the comma after them, end in `bytes`. */
  private readonly ends: number[] = [];
  private bytes = new Uint8Array(4096);
  private used = 0;
  /** The prefix matchingPrefix() found, and in which encoding (an array cannot change within one). */
  private prefix = { encoding: -1, length: 0 };

  matchingPrefix(array: readonly unknown[]): number {
    if (this.prefix.encoding === encodingNumber) return this.prefix.length;
    const n = Math.min(array.length, this.items.length);
    let k = 0;
    while (k < n && array[k] === this.items[k]) k++;
    this.prefix = { encoding: encodingNumber, length: k };
    return k;
  }

  update(array: readonly unknown[]): Uint8Array | undefined {
    const k = this.matchingPrefix(array);
    this.prefix.encoding = -1; // the kept elements change below
    this.items.length = k;
    this.ends.length = k;
    this.used = k === 0 ? 0 : this.ends[k - 1]!;
    for (let i = k; i < array.length; i++) {
      const element = array[i];
      if (!isImmutable(element, 0)) return undefined;
      this.append(element, JSON.stringify(element));
    }
    return this.bytes.subarray(0, Math.max(0, this.used - 1)); // without the last comma
  }

  private append(element: unknown, text: string): void {
    const room = this.used + 3 * text.length + 1; // UTF-8 takes at most 3 bytes per UTF-16 unit
    if (room > this.bytes.byteLength) {
      const grown = new Uint8Array(Math.max(room, 2 * this.bytes.byteLength));
      grown.set(this.bytes.subarray(0, this.used));
      this.bytes = grown;
    }
    this.used += utf8.encodeInto(text, this.bytes.subarray(this.used)).written;
    this.bytes[this.used++] = COMMA;
    this.items.push(element);
    this.ends.push(this.used);
  }
}

/** Freezes `v` and everything inside it, but bytes (typed arrays cannot be frozen). */
function freezeDeep(v: object, depth: number): void {
  if (v instanceof Uint8Array || depth > 200) return;
  for (const key in v) {
    const child = (v as Record<string, unknown>)[key];
    if (typeof child === "object" && child !== null) freezeDeep(child, depth + 1);
  }
  Object.freeze(v);
}

/** Whether `v` is an object frozen all the way down, with no bytes inside: its encoding can be kept. */
function isImmutable(v: unknown, depth: number): boolean {
  if (typeof v !== "object" || v === null || v instanceof Uint8Array || depth > 200 || !Object.isFrozen(v)) return false;
  for (const key in v) {
    const child = (v as Record<string, unknown>)[key];
    if (typeof child === "object" && child !== null && !isImmutable(child, depth + 1)) return false;
  }
  return true;
}
