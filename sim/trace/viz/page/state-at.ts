// The state table at the cursor: for each node, its role and term, whether it is down, which
// side of a partition it is on, the last commit and apply it logged, and how many of its messages
// are in flight — with the fields the last step changed marked, as DSLabs' debugger does. Pure.
import { Role } from "../page-data.ts";
import { Trace } from "./trace.ts";

export interface NodeState {
  row: number;
  name: string;
  role: string;
  term: number | null;
  down: boolean;
  side: number;
  committed: number | null;
  applied: number | null;
  inFlight: number;
}

const roleWords = ["follower", "candidate", "leader"];

/** The last position in `indices` (time order, per `times`) at or before `time`, or -1. */
function lastAtOrBefore(trace: Trace, indices: Int32Array, time: number): number {
  return trace.lowerBoundEvents(indices, time + 1e-9) - 1;
}

export function stateAt(trace: Trace, time: number): NodeState[] {
  const { data } = trace;
  const partition = Trace.lowerBound(data.partitions.time, time + 1e-9) - 1;
  const sides = partition >= 0 ? data.partitions.sides[partition]! : [];
  const inFlight = messagesInFlight(trace, time);
  const flights = new Map<number, number>();
  for (const m of inFlight) {
    const row = data.messages.fromRow[m]!;
    flights.set(row, (flights.get(row) ?? 0) + 1);
  }
  const out: NodeState[] = [];
  data.rows.forEach((info, row) => {
    if (info.kind !== "node") return;
    const roles = trace.rolesOfRow[row]!;
    let role = "";
    let term: number | null = null;
    // The last span started at or before the cursor (spans of a row are in start order).
    let lo = 0;
    let hi = roles.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (data.roles.start[roles[mid]!]! <= time) lo = mid + 1;
      else hi = mid;
    }
    const span = roles[lo - 1];
    if (span !== undefined && time <= data.roles.end[span]!) {
      role = roleWords[data.roles.role[span]! as Role] ?? "";
      term = data.roles.term[span]!;
    }
    let down = false;
    for (let c = 0; c < data.crashes.row.length; c++) {
      if (data.crashes.row[c] === row && data.crashes.start[c]! <= time && time < data.crashes.end[c]!) down = true;
    }
    let committed: number | null = null;
    let applied: number | null = null;
    const events = trace.eventsOfRow[row]!;
    const commitTopic = trace.strings.indexOf("commit");
    for (let i = lastAtOrBefore(trace, events, time); i >= 0 && (committed === null || applied === null); i--) {
      const e = events[i]!;
      const index = trace.milestoneIndex[e]!;
      if (index < 0) continue;
      if (data.events.topic[e] === commitTopic) committed ??= index;
      else applied ??= index;
    }
    out.push({ row, name: info.name, role: down ? "down" : role, term, down, side: sides[row] ?? -1, committed, applied, inFlight: flights.get(row) ?? 0 });
  });
  return out;
}

/** Messages in flight at `time`: sent, and neither answered, failed nor dropped yet. */
export function messagesInFlight(trace: Trace, time: number): number[] {
  const first = Trace.lowerBound(trace.messageSendTimes, time - trace.longestFlight);
  const last = Trace.lowerBound(trace.messageSendTimes, time + 1e-9);
  const out: number[] = [];
  for (let k = first; k < last; k++) {
    const m = trace.messagesBySend[k]!;
    if (trace.messageEnds[m]! > time) out.push(m);
  }
  return out;
}

/** The names of the fields that differ between two states of one node. */
export function changedFields(before: NodeState | undefined, after: NodeState): Set<keyof NodeState> {
  const changed = new Set<keyof NodeState>();
  if (before === undefined) return changed;
  for (const field of ["role", "term", "down", "side", "committed", "applied", "inFlight"] as const) {
    if (before[field] !== after[field]) changed.add(field);
  }
  return changed;
}
