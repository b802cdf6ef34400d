// Which journal entries a reader wants to see: some nodes, some topics or kinds, a window of
// virtual time. Used by the per-node printer; the exports always hold every entry.
import type { JournalEntry } from "../core/index.ts";
import type { TraceRecord } from "./record.ts";

export interface TraceFilter {
  /** Column names (node names without the incarnation) to keep; all when absent. */
  nodes?: ReadonlySet<string>;
  /** Log topics or entry kinds to keep; all when absent. */
  topics?: ReadonlySet<string>;
  /** Keep entries at or after this virtual ms. */
  fromMs?: number;
  /** Keep entries at or before this virtual ms. */
  toMs?: number;
}

/** The column of a node: its name without the incarnation ("raft-1#2" → "raft-1"). */
export function columnOf(node: string): string {
  const hash = node.lastIndexOf("#");
  return hash > 0 && /^\d+$/.test(node.slice(hash + 1)) ? node.slice(0, hash) : node;
}

/** What an entry is about: the topic of a log line, the kind of anything else. */
export function labelOf(entry: JournalEntry | TraceRecord): string {
  return entry.kind === "log" ? entry.topic : entry.kind;
}

export function matches(entry: JournalEntry | TraceRecord, filter: TraceFilter): boolean {
  if (filter.fromMs !== undefined && entry.time < filter.fromMs) return false;
  if (filter.toMs !== undefined && entry.time > filter.toMs) return false;
  if (filter.nodes !== undefined && !filter.nodes.has(columnOf(entry.node))) return false;
  if (filter.topics !== undefined && !filter.topics.has(labelOf(entry)) && !filter.topics.has(entry.kind)) return false;
  return true;
}

/** Every column name in the entries, in display order: by name, numbers numerically, "tester" last. */
export function columnsIn(entries: readonly (JournalEntry | TraceRecord)[]): string[] {
  const names = new Set<string>();
  for (const entry of entries) names.add(columnOf(entry.node));
  return [...names].sort(compareColumns);
}

function compareColumns(a: string, b: string): number {
  if (a === "tester" || b === "tester") return a === b ? 0 : a === "tester" ? 1 : -1;
  return a.localeCompare(b, "en", { numeric: true });
}

/**
 * Resolves `--nodes` selectors against the columns of a run: a name ("raft-2") or a number, which
 * picks every column whose name ends in that number ("2" → raft-2). Returns the selectors that
 * pick nothing, for the caller to report.
 */
export function selectColumns(selectors: readonly string[], columns: readonly string[]): { selected: Set<string>; unmatched: string[] } {
  const selected = new Set<string>();
  const unmatched: string[] = [];
  for (const selector of selectors) {
    const picked = /^\d+$/.test(selector)
      ? columns.filter((column) => new RegExp(`(^|\\D)0*${Number(selector)}$`).test(column))
      : columns.filter((column) => column === selector);
    if (picked.length === 0) unmatched.push(selector);
    for (const column of picked) selected.add(column);
  }
  return { selected, unmatched };
}
