// The first place two journals of the same seed part ways: what check-determinism reports.
import type { JournalEntry } from "../core/index.ts";
import { describe } from "./columns.ts";
import { labelOf } from "./filter.ts";
import { toTraceRecord, type TraceRecord } from "./record.ts";

export interface JournalDifference {
  /** Index of the first differing entry (0-based). */
  index: number;
  /** The entry in each run at that index; undefined where that run had already ended. */
  first: TraceRecord | undefined;
  second: TraceRecord | undefined;
}

/** Compares entry by entry (time, node, kind, topic and detail); undefined when they agree. */
export function firstDifference(
  first: readonly (JournalEntry | TraceRecord)[],
  second: readonly (JournalEntry | TraceRecord)[],
): JournalDifference | undefined {
  const length = Math.max(first.length, second.length);
  for (let index = 0; index < length; index++) {
    const a = first[index] === undefined ? undefined : toTraceRecord(first[index] as JournalEntry);
    const b = second[index] === undefined ? undefined : toTraceRecord(second[index] as JournalEntry);
    if (a === undefined || b === undefined || JSON.stringify(a) !== JSON.stringify(b)) return { index, first: a, second: b };
  }
  return undefined;
}

/** One line for an entry in a difference report, or a note that the run had ended. */
export function describeSide(entry: TraceRecord | undefined, length: number): string {
  return entry === undefined
    ? `(the run ended after ${length} events)`
    : `${entry.time}ms ${entry.node} ${labelOf(entry)} ${describe(entry)}`.trimEnd();
}
