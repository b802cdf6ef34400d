// The log's entries, already encoded, kept side by side with the log.
//
// Raft saves its whole log to stable storage whenever the log changes. Encoding every entry again
// each time costs O(log length) of encoding work per AppendEntries — tens of seconds of a lab-3
// test whose log grows to thousands of entries. Instead each entry is encoded once, when it is
// appended, into one growing byte buffer; saving then copies bytes.
import { encodeToBytes } from "../sim/index.ts";
import type { LogEntry } from "./types.ts";

const COMMA = 0x2c;

export class EncodedEntries {
  /** Each entry's JSON followed by a comma, back to back. */
  private bytes = new Uint8Array(1024);
  private used = 0;
  /** ends[k]: where entry k's encoding (with its comma) ends in `bytes`. */
  private ends: number[] = [];

  get count(): number {
    return this.ends.length;
  }

  append(entry: LogEntry): void {
    const encoded = encodeToBytes(entry, "a log entry");
    const need = this.used + encoded.byteLength + 1;
    if (need > this.bytes.byteLength) {
      const grown = new Uint8Array(Math.max(need, this.bytes.byteLength * 2));
      grown.set(this.bytes.subarray(0, this.used));
      this.bytes = grown;
    }
    this.bytes.set(encoded, this.used);
    this.bytes[this.used + encoded.byteLength] = COMMA;
    this.used = need;
    this.ends.push(need);
  }

  /** Keeps the first `count` entries. */
  keepFirst(count: number): void {
    this.ends.length = count;
    this.used = count === 0 ? 0 : this.ends[count - 1]!;
  }

  /** Drops the first `count` entries. */
  dropFirst(count: number): void {
    if (count === 0) return;
    const cut = this.ends[count - 1]!;
    this.bytes.copyWithin(0, cut, this.used);
    this.used -= cut;
    this.ends = this.ends.slice(count).map((end) => end - cut);
  }

  /** The entries as the inside of a JSON array: `e1,e2,…,en` (no brackets). */
  jsonArrayBody(): Uint8Array {
    return this.bytes.subarray(0, Math.max(0, this.used - 1));
  }
}
