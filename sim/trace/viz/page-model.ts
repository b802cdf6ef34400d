// The debugger page's data for one observed run (page-data.ts describes it): the journal's
// entries paired into calls, roles, crashes, partitions, client operations and the checker's
// verdicts, all computed here so that the page only draws. `historyPageData` does the same for a
// history file alone: client rows and verdicts, no nodes.
import { formatDetail, type JournalEntry } from "../../core/index.ts";
import { RpcKind } from "../../net/index.ts";
import { unknownOutput, type HistoryEvent, type KvInput, type KvOutput, type Operation as HistoryOperation } from "../../check/index.ts";
import { collectCalls, SLOW_MS, type Call } from "./calls.ts";
import { collectOperations, linkOperations, type Operation } from "./operations.ts";
import { EventKind, type PageData, type RunHeader } from "./page-data.ts";
import { PartitionTracker, partitionNoteKinds } from "./partitions.ts";
import { shortPayload } from "./payload-text.ts";
import { RoleTracker } from "./roles.ts";
import { layoutRows, type Rows } from "./rows.ts";
import { StringTable } from "./string-table.ts";
import { describeOperation, keyVerdicts } from "./verdicts.ts";

/** What the page says about the run in its header (the rest it reads off the journal). */
export interface RunFacts {
  test: string;
  seed: number | null;
  passed: boolean;
  failure: string | null;
  replay: string | null;
  viz: string | null;
  virtualMs: number;
  schedulerEvents: number;
  journalHash: string | null;
}

/** The page's event kind of each of the network's entry kinds (sim/net/rpc-entries.ts). */
const rpcEventKind: ReadonlyMap<string, EventKind> = new Map<string, EventKind>([
  [RpcKind.send, EventKind.send],
  [RpcKind.deliver, EventKind.deliver],
  [RpcKind.respond, EventKind.respond],
  [RpcKind.reply, EventKind.reply],
  [RpcKind.drop, EventKind.drop],
  [RpcKind.replyDrop, EventKind.replyDrop],
  [RpcKind.fail, EventKind.rpcFail],
  [RpcKind.hold, EventKind.hold],
]);

/** The page's data for an observed run's journal. */
export function runPageData(entries: readonly JournalEntry[], facts: RunFacts): PageData {
  const strings = new StringTable();
  const nodeOfServer = new Map<string, string>();
  const nodes = new Set<string>();
  const clientIds = new Set<number>();
  for (const entry of entries) {
    if (entry.kind === "server") {
      const d = entry.detail as { server: string; node: string | null };
      if (d.node !== null && !nodeOfServer.has(d.server)) nodeOfServer.set(d.server, d.node);
    } else if (entry.kind === "op-call") {
      clientIds.add((entry.detail as { client: number }).client);
    }
    nodes.add(entry.node);
  }
  const rows = layoutRows(nodes, clientIds);
  const calls = collectCalls(entries, (server) => nodeOfServer.get(server));
  const ops = collectOperations(entries);
  const callOp = calls.map(() => -1);
  linkOperations(ops, calls, callOp, entries, (node) => rows.rows[rows.rowOfNode(node)]?.group ?? -1);

  // The call of each RPC id (-1 for none): ids are numbered from 1 by the network.
  const callOfRpc = new Int32Array(calls.reduce((max, call) => Math.max(max, call.rpc), 0) + 1).fill(-1);
  calls.forEach((call, index) => (callOfRpc[call.rpc] = index));
  const roles = new RoleTracker(rows.rowOfNode, (rpc) => {
    const term = (calls[callOfRpc[rpc] ?? -1]?.args as { term?: unknown } | undefined)?.term;
    return typeof term === "number" ? term : undefined;
  });
  const partitions = new PartitionTracker(rows.rows.length, rows.rowOfNode, (row) => rows.rows[row]!.group, (row) => rows.rows[row]!.name);

  const data = emptyPageData(header(facts, entries), rows);
  const { events } = data;
  // The event each journal entry became (-1 for none), for the operations' paths.
  const eventOfEntry = new Int32Array(entries.length).fill(-1);
  let current = 0;
  // (Positional arguments, -1 for none: this runs for nearly every journal entry.)
  const push = (time: number, row: number, kind: EventKind, text: number, topic = -1, message = -1, op = -1): void => {
    eventOfEntry[current] = events.time.length;
    events.time.push(time);
    events.row.push(row);
    events.kind.push(kind);
    events.text.push(text);
    events.topic.push(topic);
    events.message.push(message);
    events.op.push(op);
  };
  // The operation each op-call and op-return entry notes (-1 for none).
  const opOfEntry = new Int32Array(entries.length).fill(-1);
  ops.forEach((op, index) => {
    opOfEntry[op.callEntry] = index;
    if (op.returnEntry >= 0) opOfEntry[op.returnEntry] = index;
  });
  const rowOfCall = (index: number, node: string): number => {
    const op = callOp[index]!;
    return op >= 0 && node === calls[index]!.from ? rows.rowOfClient(ops[op]!.clientId) : rows.rowOfNode(node);
  };

  // Links change many at a time (a partition is dozens of ends): the sides are settled once the
  // clock moves past the instant of the last change.
  let unsettled: number | undefined;
  const settlePartitions = (): void => {
    if (unsettled === undefined) return;
    const before = partitions.changes.length;
    partitions.settle(unsettled, entries[unsettled]!.time);
    if (partitions.changes.length > before) push(entries[unsettled]!.time, -1, EventKind.partition, strings.id(partitions.changes.at(-1)!.text));
    unsettled = undefined;
  };
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index]!;
    if (unsettled !== undefined && entries[unsettled]!.time !== entry.time) settlePartitions();
    current = index;
    const change = roles.see(entry, index);
    if (change !== undefined) push(entry.time, change.row, change.text.startsWith("restarts") ? EventKind.restart : EventKind.role, strings.id(change.text));
    if (partitionNoteKinds.has(entry.kind)) {
      partitions.see(entry);
      unsettled = index;
      continue;
    }
    const rpcKind = rpcEventKind.get(entry.kind);
    if (rpcKind !== undefined) {
      const call = callOfRpc[(entry.detail as { rpc: number }).rpc] ?? -1;
      if (call >= 0) push(entry.time, rowOfCall(call, entry.node), rpcKind, -1, -1, call);
      continue;
    }
    const row = rows.rowOfNode(entry.node);
    switch (entry.kind) {
      case "log":
        push(entry.time, row, EventKind.log, strings.id(formatDetail(entry.detail)), strings.id(entry.topic));
        break;
      case "crash":
        push(entry.time, row, EventKind.crash, strings.id(`${entry.node} crashes`));
        break;
      case "op-call":
      case "op-return": {
        const op = opOfEntry[index]!;
        if (op >= 0) push(entry.time, rows.rowOfClient(ops[op]!.clientId), entry.kind === "op-call" ? EventKind.opCall : EventKind.opReturn, -1, -1, -1, op);
        break;
      }
      case "faults":
        push(entry.time, -1, EventKind.faults, strings.id(describeFaults(entry.detail as FaultSettings)));
        break;
    }
  }
  settlePartitions();
  roles.finish(facts.virtualMs);

  for (const span of roles.roles) {
    data.roles.row.push(span.row);
    data.roles.start.push(span.start);
    data.roles.end.push(span.end);
    data.roles.term.push(span.term);
    data.roles.role.push(span.role);
  }
  for (const crash of roles.crashes) {
    data.crashes.row.push(crash.row);
    data.crashes.start.push(crash.start);
    data.crashes.end.push(crash.end);
    data.crashes.restored.push(crash.restored === undefined ? -1 : strings.id(crash.restored));
  }
  for (const change of partitions.changes) {
    data.partitions.time.push(change.time);
    data.partitions.sides.push(change.sides);
    data.partitions.text.push(strings.id(change.text));
  }
  fillMessages(data, calls, callOp, entries, rows, ops, strings);
  const history = fillOperations(data, ops, rows, eventOfEntry, strings);
  data.verdicts = keyVerdicts(history);
  data.strings = strings.strings;
  return data;
}

/** The page's data for a history file alone: its operations at their positions in the file. */
export function historyPageData(events: readonly HistoryEvent<KvInput, KvOutput>[], source: string): PageData {
  const strings = new StringTable();
  const history: HistoryOperation<KvInput, KvOutput>[] = [];
  const indexOfId = new Map<number, number>();
  for (const [position, event] of events.entries()) {
    if (event.kind === "call") {
      indexOfId.set(event.id, history.length);
      history.push({ clientId: event.clientId, input: event.input, call: position, output: unknownOutput, return: Infinity });
    } else {
      const op = history[indexOfId.get(event.id)!]!;
      op.output = event.output;
      op.return = position;
    }
  }
  const rows = layoutRows([], history.map((op) => op.clientId));
  const facts: RunFacts = {
    test: source, seed: null, passed: true, failure: null, replay: `npx simlab check ${source}`, viz: `npx simlab viz --history ${source}`,
    virtualMs: events.length, schedulerEvents: 0, journalHash: null,
  };
  const data = emptyPageData({ ...header(facts, []), timeUnit: "position in the file" }, rows);
  history.forEach((op) => {
    const { input, output } = describeOperation(op.input, op.output);
    pushOperation(data, { row: rows.rowOfClient(op.clientId), clientId: op.clientId, call: op.call, ret: op.return, input: strings.id(input), output: strings.id(output), key: strings.id(op.input.key) });
  });
  for (const [position, event] of events.entries()) {
    const e = data.events;
    e.time.push(position);
    e.row.push(rows.rowOfClient(event.clientId));
    e.kind.push(event.kind === "call" ? EventKind.opCall : EventKind.opReturn);
    e.text.push(-1);
    e.topic.push(-1);
    e.message.push(-1);
    e.op.push(indexOfId.get(event.id)!);
  }
  data.verdicts = keyVerdicts(history);
  data.header.passed = data.verdicts.every((v) => v.verdict === "ok");
  data.strings = strings.strings;
  return data;
}

function emptyPageData(header: RunHeader, rows: Rows): PageData {
  return {
    header,
    strings: [],
    rows: rows.rows,
    groups: rows.groups,
    events: { time: [], row: [], kind: [], topic: [], text: [], message: [], op: [] },
    messages: {
      rpc: [], method: [], fromRow: [], toRow: [], sendTime: [], deliverTime: [], respondTime: [], replyTime: [],
      failTime: [], dropTime: [], fate: [], reason: [], flags: [], args: [], reply: [], op: [],
    },
    roles: { row: [], start: [], end: [], term: [], role: [] },
    crashes: { row: [], start: [], end: [], restored: [] },
    partitions: { time: [], sides: [], text: [] },
    holds: { message: [], time: [] },
    ops: { row: [], clientId: [], call: [], ret: [], input: [], output: [], key: [], messages: [], path: [], index: [] },
    verdicts: [],
  };
}

interface FaultSettings {
  reliable: boolean;
  longReordering: boolean;
  longDelays: boolean;
}

function describeFaults(f: FaultSettings): string {
  const words = [f.reliable ? "reliable" : "unreliable"];
  if (f.longReordering) words.push("long reordering");
  if (f.longDelays) words.push("long delays");
  return `network: ${words.join(", ")}`;
}

function header(facts: RunFacts, entries: readonly JournalEntry[]): RunHeader {
  const seen = new Set<string>();
  for (const entry of entries) {
    if (entry.kind !== "faults") continue;
    const f = entry.detail as FaultSettings;
    if (!f.reliable) seen.add("unreliable");
    if (f.longReordering) seen.add("long reordering");
    if (f.longDelays) seen.add("long delays");
  }
  return { ...facts, faults: seen.size === 0 ? "reliable" : [...seen].join(", "), slowMs: SLOW_MS, timeUnit: "virtual ms" };
}

function fillMessages(data: PageData, calls: readonly Call[], callOp: readonly number[], entries: readonly JournalEntry[], rows: Rows, ops: readonly Operation[], strings: StringTable): void {
  const m = data.messages;
  const time = (index: number): number => (index < 0 ? -1 : entries[index]!.time);
  calls.forEach((call, index) => {
    const op = callOp[index]!;
    m.rpc.push(call.rpc);
    m.method.push(strings.id(call.method));
    m.fromRow.push(op >= 0 ? rows.rowOfClient(ops[op]!.clientId) : rows.rowOfNode(call.from));
    m.toRow.push(rows.rowOfNode(call.to));
    m.sendTime.push(time(call.send));
    m.deliverTime.push(time(call.deliver));
    m.respondTime.push(time(call.respond));
    m.replyTime.push(time(call.reply));
    m.failTime.push(time(call.fail));
    m.dropTime.push(time(call.drop >= 0 ? call.drop : call.replyDrop));
    m.fate.push(call.fate);
    m.reason.push(call.reason === undefined ? -1 : strings.id(call.reason));
    m.flags.push(call.flags);
    m.args.push(call.args === undefined ? null : shortPayload(call.args));
    m.reply.push(call.replyPayload === undefined ? null : shortPayload(call.replyPayload));
    m.op.push(op);
    if (call.hold >= 0) {
      data.holds.message.push(index);
      data.holds.time.push(time(call.hold));
    }
  });
}

/** Fills the operation columns; returns the history as the checker takes it. */
function fillOperations(data: PageData, ops: readonly Operation[], rows: Rows, eventOfEntry: Int32Array, strings: StringTable): HistoryOperation<KvInput, KvOutput>[] {
  return ops.map((op) => {
    const input = op.input as KvInput;
    const output = op.ret === Infinity ? unknownOutput : (op.output as KvOutput);
    const text = describeOperation(input, output);
    pushOperation(data, {
      row: rows.rowOfClient(op.clientId), clientId: op.clientId, call: op.call, ret: op.ret,
      input: strings.id(text.input), output: strings.id(text.output), key: strings.id(input.key),
      messages: op.calls, path: op.path.map((entry) => eventOfEntry[entry]!).filter((event) => event >= 0), index: op.index,
    });
    return { clientId: op.clientId, input, call: op.call, output, return: op.ret };
  });
}

interface OperationFields {
  row: number;
  clientId: number;
  call: number;
  ret: number;
  input: number;
  output: number;
  key: number;
  messages?: number[];
  path?: number[];
  index?: number;
}

function pushOperation(data: PageData, op: OperationFields): void {
  const o = data.ops;
  o.row.push(op.row);
  o.clientId.push(op.clientId);
  o.call.push(op.call);
  o.ret.push(op.ret === Infinity ? -1 : op.ret);
  o.input.push(op.input);
  o.output.push(op.output);
  o.key.push(op.key);
  o.messages.push(op.messages ?? []);
  o.path.push(op.path ?? []);
  o.index.push(op.index ?? -1);
}
