// The servers' milestone lines, indexed for following an operation through them (operations.ts):
// each column's "propose", "commit" and "apply" log lines that name a log index ("leader appends
// index 17 in term 2", "commits through index 17", "applies index 17"), kept per kind in journal
// order.
//
// The question asked of them, once per server for each operation, is "the first line after
// journal entry e that reaches index p". Within one incarnation of a server the indices a kind
// names never go down; a restart (or a leader's log cut back) can start them lower again. So each
// list is cut into runs that never go down, and the question is a binary search for e, then a
// binary search in each run from there on — usually the first — instead of a walk through every
// line the server logged in between.
import { formatDetail, type JournalEntry } from "../../core/index.ts";
import { columnOf } from "../filter.ts";

/** The index a milestone line names: "index 17", "through index 17". */
export function indexInLine(text: string): number | undefined {
  const match = /\bindex (\d+)/.exec(text);
  return match === null ? undefined : Number(match[1]);
}

/** One column's lines of one kind: their journal entries and the indices they name, in journal order. */
export class MilestoneList {
  readonly entries: Int32Array;
  readonly indices: Float64Array;
  /** For each position, where the run of indices that never go down through it ends (exclusive). */
  private readonly runEnd: Int32Array;

  constructor(entries: readonly number[], indices: readonly number[]) {
    this.entries = Int32Array.from(entries);
    this.indices = Float64Array.from(indices);
    const n = entries.length;
    this.runEnd = new Int32Array(n);
    for (let i = n - 1; i >= 0; i--) this.runEnd[i] = i + 1 < n && this.indices[i + 1]! >= this.indices[i]! ? this.runEnd[i + 1]! : i + 1;
  }

  /** The position of the first line after journal entry `entry`. */
  firstAfter(entry: number): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.entries[mid]! <= entry) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The journal entry of the first line after entry `entry` that names index `index` or more, or -1. */
  reaching(entry: number, index: number): number {
    const n = this.entries.length;
    for (let start = this.firstAfter(entry); start < n; start = this.runEnd[start]!) {
      const end = this.runEnd[start]!;
      if (this.indices[end - 1]! < index) continue;
      let lo = start;
      let hi = end - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.indices[mid]! >= index) hi = mid;
        else lo = mid + 1;
      }
      return this.entries[lo]!;
    }
    return -1;
  }
}

export interface ColumnMilestones {
  column: string;
  propose: MilestoneList;
  commit: MilestoneList;
  apply: MilestoneList;
}

const kinds = ["propose", "commit", "apply"] as const;

/** Every column's milestone lines, by column (in the order each column's first one appears). */
export function collectMilestones(entries: readonly JournalEntry[]): Map<string, ColumnMilestones> {
  const lines = new Map<string, { entries: number[][]; indices: number[][] }>();
  const columns = new Map<string, string>();
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (entry.kind !== "log") continue;
    const kind = entry.topic === "propose" ? 0 : entry.topic === "commit" ? 1 : entry.topic === "apply" ? 2 : -1;
    if (kind < 0) continue;
    const index = indexInLine(typeof entry.detail === "string" ? entry.detail : formatDetail(entry.detail));
    if (index === undefined) continue;
    let column = columns.get(entry.node);
    if (column === undefined) columns.set(entry.node, (column = columnOf(entry.node)));
    let of = lines.get(column);
    if (of === undefined) lines.set(column, (of = { entries: [[], [], []], indices: [[], [], []] }));
    of.entries[kind]!.push(i);
    of.indices[kind]!.push(index);
  }
  const out = new Map<string, ColumnMilestones>();
  for (const [column, of] of lines) {
    const [propose, commit, apply] = kinds.map((_, k) => new MilestoneList(of.entries[k]!, of.indices[k]!)) as [MilestoneList, MilestoneList, MilestoneList];
    out.set(column, { column, propose, commit, apply });
  }
  return out;
}
