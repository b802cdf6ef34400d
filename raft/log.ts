// The Raft log, with the index arithmetic that snapshots (2D) bring.
//
// Indexes are the paper's: the first entry has index 1. After a snapshot, the entries up to and
// including `snapshotIndex` are gone; the log remembers only that last discarded entry's index and
// term (the paper's lastIncludedIndex and lastIncludedTerm), which AppendEntries' consistency check
// still needs. Every translation between a Raft index and a position in `entries` lives here.
import type { LogEntry } from "./types.ts";
import { EncodedEntries } from "./encoded-entries.ts";

export class RaftLog {
  // SOLUTION BEGIN
  // TODO(2B): store the entries. TODO(2D): remember the index and term of the last entry that a
  //   snapshot replaced, and translate Raft indexes to array positions everywhere below.
  /** Index of the last entry the snapshot covers (0: no snapshot yet). */
  snapshotIndex: number;
  /** Term of that entry. */
  snapshotTerm: number;
  /** entries[k] has Raft index snapshotIndex + 1 + k. */
  private entries: LogEntry[];
  /** The same entries, encoded for saving (see encoded-entries.ts). */
  readonly encoded = new EncodedEntries();

  constructor(snapshotIndex = 0, snapshotTerm = 0, entries: LogEntry[] = []) {
    this.snapshotIndex = snapshotIndex;
    this.snapshotTerm = snapshotTerm;
    this.entries = entries;
    for (const e of entries) this.encoded.append(e);
  }

  /** Index of the last entry (the snapshot's last index if the log is otherwise empty). */
  lastIndex(): number {
    return this.snapshotIndex + this.entries.length;
  }

  lastTerm(): number {
    return this.term(this.lastIndex());
  }

  /** Term of the entry at `index`; valid from snapshotIndex to lastIndex(). */
  term(index: number): number {
    if (index === this.snapshotIndex) return this.snapshotTerm;
    return this.entry(index).term;
  }

  entry(index: number): LogEntry {
    const e = this.entries[index - this.snapshotIndex - 1];
    if (e === undefined || index <= this.snapshotIndex) {
      throw new RangeError(`log entry ${index} is outside the log (${this.snapshotIndex + 1}..${this.lastIndex()})`);
    }
    return e;
  }

  /** The entries after `index`, to send to a follower whose log matches ours up to `index`. */
  entriesAfter(index: number): LogEntry[] {
    return this.entries.slice(index - this.snapshotIndex);
  }

  /** The first index whose entry has `term`, searching back from `index` (fast backup, §5.3). */
  firstIndexOfTerm(term: number, index: number): number {
    let i = index;
    while (i - 1 > this.snapshotIndex && this.term(i - 1) === term) i--;
    return i;
  }

  /** The last index whose entry has `term`, or -1 if no entry has it. */
  lastIndexOfTerm(term: number): number {
    for (let i = this.lastIndex(); i > this.snapshotIndex; i--) {
      const t = this.term(i);
      if (t === term) return i;
      if (t < term) break; // terms only grow along the log
    }
    return -1;
  }

  append(...entries: LogEntry[]): void {
    for (const e of entries) {
      this.entries.push(e);
      this.encoded.append(e);
    }
  }

  /** Drops every entry after `index` (a conflict: the leader's log wins, §5.3). */
  truncateAfter(index: number): void {
    this.entries.length = Math.max(0, index - this.snapshotIndex);
    this.encoded.keepFirst(this.entries.length);
  }

  /** Discards the entries up to and including `index`, which a snapshot now covers (§7). */
  compactThrough(index: number, term: number): void {
    const drop = Math.min(index - this.snapshotIndex, this.entries.length);
    this.entries = this.entries.slice(drop);
    this.encoded.dropFirst(drop);
    this.snapshotIndex = index;
    this.snapshotTerm = term;
  }
  // SOLUTION END
}
