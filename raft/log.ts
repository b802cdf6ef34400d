// The Raft log, with the index arithmetic that snapshots (2D) bring.
//
// Indexes are the paper's: the first entry has index 1. After a snapshot, the entries up to and
// including `snapshotIndex` are gone; the log remembers only that last discarded entry's index and
// term (the paper's lastIncludedIndex and lastIncludedTerm), which AppendEntries' consistency check
// still needs. Every translation between a Raft index and a position in `entries` lives here.
//
// An entry never changes once it is in the log: append() makes it immutable (sim's immutable()
// deep-freezes it, and the codec then encodes it only once however often the log is saved).
import { immutable, invariant } from "../sim/index.ts";
import type { LogEntry } from "./types.ts";

export class RaftLog {
  // SOLUTION BEGIN
  // TODO(2B): store the entries. TODO(2D): remember the index and term of the last entry that a
  //   snapshot replaced, and translate Raft indexes to array positions everywhere below.
  /** Index of the last entry the snapshot covers (0: no snapshot yet). */
  snapshotIndex: number;
  /** Term of that entry. */
  snapshotTerm: number;
  /** entries[k] has Raft index snapshotIndex + 1 + k. */
  private entries: LogEntry[] = [];

  constructor(snapshotIndex = 0, snapshotTerm = 0, entries: readonly LogEntry[] = []) {
    this.snapshotIndex = snapshotIndex;
    this.snapshotTerm = snapshotTerm;
    this.append(...entries);
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
    this.checkInLog(index, index > this.snapshotIndex, "entry");
    return this.entries[index - this.snapshotIndex - 1]!;
  }

  /** Every entry after the snapshot, in order: the log itself, read-only (what persist() saves). */
  get entriesSinceSnapshot(): readonly LogEntry[] {
    return this.entries;
  }

  /** The entries after `index`, to send to a follower whose log matches ours up to `index`. */
  entriesAfter(index: number): LogEntry[] {
    this.checkInLog(index, index >= this.snapshotIndex, "entriesAfter");
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
      invariant(e.term >= this.lastTerm(), "terms never decrease along the log", () => `entry of term ${e.term} after term ${this.lastTerm()}`);
      this.entries.push(immutable(e));
    }
  }

  /** Drops every entry after `index` (a conflict: the leader's log wins, §5.3). */
  truncateAfter(index: number): void {
    this.checkInLog(index, index >= this.snapshotIndex, "truncateAfter");
    this.entries.length = index - this.snapshotIndex;
  }

  /** Discards the entries up to and including `index`, which a snapshot now covers (§7). */
  compactThrough(index: number, term: number): void {
    invariant(index >= this.snapshotIndex, "a snapshot never goes back", () => `compactThrough(${index}) below snapshotIndex ${this.snapshotIndex}`);
    // `index` may lie past the end: a follower that installs a leader's snapshot keeps nothing.
    this.entries = this.entries.slice(Math.min(index - this.snapshotIndex, this.entries.length));
    this.snapshotIndex = index;
    this.snapshotTerm = term;
  }

  private checkInLog(index: number, aboveSnapshot: boolean, helper: string): void {
    invariant(
      aboveSnapshot && index <= this.lastIndex(),
      `${helper}() is only asked about indexes the log holds`,
      () => `index ${index}, log holds ${this.snapshotIndex}..${this.lastIndex()} (${this.snapshotIndex} being the snapshot's last)`,
    );
  }
  // SOLUTION END
}
