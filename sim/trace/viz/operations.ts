// Client operations, from the op-call and op-return notes of an observed run, tied to the calls
// their clerk made and to the servers' work for them.
//
// Which calls belong to an operation: the tester notes the call of an operation just before the
// clerk starts it, so the clerk's first request is the tester's next send at that instant. Every
// retry carries the same arguments (that is how a server recognizes a retry), so the operation's
// calls are the tester's sends between its call and its return with the first one's method and
// arguments. Nothing here knows the lab's argument types.
//
// The path through the servers ("follow this operation"), for the call that was answered: its
// delivery; the leader's append right after it in the same event, a log line under topic
// "propose" that names the index ("leader appends index 17 in term 2", as the reference Raft
// logs); then, on every server of that group, the first "commit" line that reaches the index and
// the "apply" line of the index (or of a snapshot through it); the respond and the reply. A Raft
// that logs these topics the same way is followed the same way; one that does not gets the calls
// and the delivery only.
import type { JournalEntry } from "../../core/index.ts";
import { RpcKind } from "../../net/index.ts";
import { columnOf } from "../filter.ts";
import type { Call } from "./calls.ts";
import { collectMilestones, type ColumnMilestones } from "./milestones.ts";
import { Fate } from "./page-data.ts";

export interface Operation {
  /** The history's handle of the operation (its index in the history). */
  handle: number;
  clientId: number;
  input: unknown;
  output: unknown;
  /** Virtual ms of the call and return (the history's timestamps); return Infinity if it never returned. */
  call: number;
  ret: number;
  callEntry: number;
  returnEntry: number;
  /** Indices into the calls. */
  calls: number[];
  /** Journal indices of its path through the servers. */
  path: number[];
  index: number;
}

/** The operations noted in `entries`, in the order they were called. */
export function collectOperations(entries: readonly JournalEntry[]): Operation[] {
  const byHandle = new Map<number, Operation>();
  const ops: Operation[] = [];
  entries.forEach((entry, index) => {
    if (entry.kind === "op-call") {
      const d = entry.detail as { op: number; client: number; input: unknown; at: number };
      const op: Operation = {
        handle: d.op, clientId: d.client, input: d.input, output: undefined, call: d.at, ret: Infinity,
        callEntry: index, returnEntry: -1, calls: [], path: [], index: -1,
      };
      byHandle.set(d.op, op);
      ops.push(op);
    } else if (entry.kind === "op-return") {
      const d = entry.detail as { op: number; output: unknown; at: number };
      const op = byHandle.get(d.op);
      if (op === undefined) return;
      op.output = d.output;
      op.ret = d.at;
      op.returnEntry = index;
    }
  });
  return ops;
}

/** Ties each operation to its calls (Call.op is set too) and finds its path through the servers. */
export function linkOperations(
  ops: readonly Operation[],
  calls: Call[],
  callOp: number[],
  entries: readonly JournalEntry[],
  groupOfNode: (node: string) => number,
): void {
  // The call each journal entry sent (-1 for none).
  const callOfSend = new Int32Array(entries.length).fill(-1);
  calls.forEach((call, index) => {
    if (call.send >= 0) callOfSend[call.send] = index;
  });
  // The calls of each caller and method, in send order: an operation's retries are among them.
  const alike = new Map<string, number[]>();
  const alikeOf: number[][] = [];
  const positionInAlike: number[] = [];
  calls.forEach((call, index) => {
    const key = `${call.from} ${call.method}`;
    let list = alike.get(key);
    if (list === undefined) alike.set(key, (list = []));
    alikeOf.push(list);
    positionInAlike.push(list.length);
    list.push(index);
  });
  // Each group's servers' milestone lines.
  const milestonesOfGroup = new Map<number, ColumnMilestones[]>();
  for (const milestones of collectMilestones(entries).values()) {
    const group = groupOfNode(milestones.column);
    let list = milestonesOfGroup.get(group);
    if (list === undefined) milestonesOfGroup.set(group, (list = []));
    list.push(milestones);
  }
  const milestonesOfColumn = new Map<string, ColumnMilestones>();
  for (const list of milestonesOfGroup.values()) for (const milestones of list) milestonesOfColumn.set(milestones.column, milestones);
  ops.forEach((op, opIndex) => {
    const callEntry = entries[op.callEntry]!;
    let first = -1;
    for (let i = op.callEntry + 1; i < entries.length; i++) {
      const entry = entries[i]!;
      if (entry.time !== callEntry.time || entry.node !== callEntry.node) break;
      if (entry.kind === RpcKind.send) {
        first = callOfSend[i]!;
        break;
      }
    }
    if (first < 0) return;
    const firstCall = calls[first]!;
    const lastEntry = op.returnEntry < 0 ? entries.length - 1 : op.returnEntry;
    const candidates = alikeOf[first]!;
    for (let k = positionInAlike[first]!; k < candidates.length; k++) {
      const index = candidates[k]!;
      const call = calls[index]!;
      if (call.send > lastEntry) break;
      if (callOp[index]! >= 0) continue;
      if (index !== first && !sameValue(call.args, firstCall.args)) continue;
      op.calls.push(index);
      callOp[index] = opIndex;
    }
    for (let k = op.calls.length - 1; k >= 0; k--) {
      const call = calls[op.calls[k]!]!;
      if (call.fate !== Fate.answered) continue;
      followPath(op, call, entries, milestonesOfColumn, milestonesOfGroup, groupOfNode);
      break;
    }
  });
}

/**
 * Whether two payloads are the same data (plain values, arrays and objects, as the wire copies
 * them). It runs for every call a clerk made while an operation ran, most of them another
 * clerk's: so it walks the fields in place, without listing them first.
 */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array && b instanceof Uint8Array) || a.length !== b.length) return false;
    return a.every((byte, i) => byte === b[i]);
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let fields = 0;
  for (const key in x) {
    if (!Object.hasOwn(x, key)) continue;
    if (!sameValue(x[key], y[key])) return false;
    fields++;
  }
  for (const key in y) if (Object.hasOwn(y, key) && --fields < 0) return false;
  return fields === 0;
}

function followPath(
  op: Operation,
  call: Call,
  entries: readonly JournalEntry[],
  milestonesOfColumn: ReadonlyMap<string, ColumnMilestones>,
  milestonesOfGroup: ReadonlyMap<number, readonly ColumnMilestones[]>,
  groupOfNode: (node: string) => number,
): void {
  const path = [call.send, call.deliver];
  const server = entries[call.deliver]!.node;
  // The leader's append: a propose line of the server, in the event that delivered the request.
  const proposals = milestonesOfColumn.get(columnOf(server))?.propose;
  const at = proposals === undefined ? 0 : proposals.firstAfter(call.deliver);
  if (proposals !== undefined && at < proposals.entries.length && entries[proposals.entries[at]!]!.time === entries[call.deliver]!.time) {
    const proposal = proposals.entries[at]!;
    const index = proposals.indices[at]!;
    op.index = index;
    path.push(proposal);
    // On every server of the group: the first commit line, and the first apply line, that reach the index.
    for (const milestones of milestonesOfGroup.get(groupOfNode(server)) ?? []) {
      path.push(milestones.commit.reaching(proposal, index), milestones.apply.reaching(proposal, index));
    }
  }
  path.push(call.respond, call.reply);
  op.path = path.filter((entry) => entry >= 0).sort((a, b) => a - b);
}
