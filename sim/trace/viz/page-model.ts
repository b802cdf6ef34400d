// The debugger page's data for one observed run (page-data.ts describes it): the journal's
// entries paired into calls, roles, crashes, partitions, client operations and the checker's
// verdicts, all computed here so that the page only draws. `historyPageData` does the same for a
// history file alone: client rows and verdicts, no nodes.
import { formatDetail, type JournalEntry } from "../../core/index.ts";
import { RpcKind } from "../../net/index.ts";
import { unknownOutput, type HistoryEvent, type KvInput, type KvOutput, type Operation as HistoryOperation } from "../../check/index.ts";
import { collectCalls, SLOW_MS, type Call } from "./calls.ts";
import { collectOperations, linkOperations, type Operation } from "./operations.ts";
import { GrowingColumn } from "./growing-column.ts";
import { EventKind, type EventColumns, type MessageColumns, type OperationColumns, type PageData, type RunHeader } from "./page-data.ts";
import { PartitionTracker, partitionNoteKinds } from "./partitions.ts";
import { shortPayload } from "./payload-text.ts";
import { RoleTracker } from "./roles.ts";
import { layoutRows, type Rows } from "./rows.ts";
import { StringTable } from "./string-table.ts";
import { CHECK_NOTE, describeOperation, keyVerdicts, type CheckNote } from "./verdicts.ts";

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
  const events = new EventBuilder(entries.length);
  // The run's own linearizability checks, if it noted any (verdicts.ts).
  const runChecks: CheckNote[] = [];
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
      case CHECK_NOTE:
        runChecks.push(entry.detail as CheckNote);
        break;
    }
  }
  settlePartitions();
  roles.finish(facts.virtualMs);
  data.events = events.columns();

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
  data.messages = messageColumns(data, calls, callOp, entries, rows, ops, strings);
  const history = fillOperations(data, ops, rows, eventOfEntry, strings);
  data.verdicts = keyVerdicts(history, runChecks);
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
  const opColumns = new OperationBuilder(history.length);
  history.forEach((op) => {
    const { input, output } = describeOperation(op.input, op.output);
    opColumns.push({ row: rows.rowOfClient(op.clientId), clientId: op.clientId, call: op.call, ret: op.return, input: strings.id(input), output: strings.id(output), key: strings.id(op.input.key) });
  });
  data.ops = opColumns.columns();
  const e = new EventBuilder(events.length);
  for (const [position, event] of events.entries()) {
    e.time.push(position);
    e.row.push(rows.rowOfClient(event.clientId));
    e.kind.push(event.kind === "call" ? EventKind.opCall : EventKind.opReturn);
    e.text.push(-1);
    e.topic.push(-1);
    e.message.push(-1);
    e.op.push(indexOfId.get(event.id)!);
  }
  data.events = e.columns();
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
    events: new EventBuilder(0).columns(),
    messages: {
      rpc: new Int32Array(0), method: new Int32Array(0), fromRow: new Int32Array(0), toRow: new Int32Array(0),
      sendTime: new Float64Array(0), deliverTime: new Float64Array(0), respondTime: new Float64Array(0), replyTime: new Float64Array(0),
      failTime: new Float64Array(0), dropTime: new Float64Array(0), fate: new Int32Array(0), reason: new Int32Array(0),
      flags: new Int32Array(0), args: [], reply: [], op: new Int32Array(0),
    },
    roles: { row: [], start: [], end: [], term: [], role: [] },
    crashes: { row: [], start: [], end: [], restored: [] },
    partitions: { time: [], sides: [], text: [] },
    holds: { message: [], time: [] },
    ops: new OperationBuilder(0).columns(),
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

/** The message columns, one entry per call (and the holds table, for the calls a script held). */
function messageColumns(data: PageData, calls: readonly Call[], callOp: readonly number[], entries: readonly JournalEntry[], rows: Rows, ops: readonly Operation[], strings: StringTable): MessageColumns {
  const n = calls.length;
  const m: MessageColumns = {
    rpc: new Int32Array(n), method: new Int32Array(n), fromRow: new Int32Array(n), toRow: new Int32Array(n),
    sendTime: new Float64Array(n), deliverTime: new Float64Array(n), respondTime: new Float64Array(n), replyTime: new Float64Array(n),
    failTime: new Float64Array(n), dropTime: new Float64Array(n), fate: new Int32Array(n), reason: new Int32Array(n),
    flags: new Int32Array(n), args: new Array<unknown>(n), reply: new Array<unknown>(n), op: new Int32Array(n),
  };
  const time = (index: number): number => (index < 0 ? -1 : entries[index]!.time);
  calls.forEach((call, index) => {
    const op = callOp[index]!;
    m.rpc[index] = call.rpc;
    m.method[index] = strings.id(call.method);
    m.fromRow[index] = op >= 0 ? rows.rowOfClient(ops[op]!.clientId) : rows.rowOfNode(call.from);
    m.toRow[index] = rows.rowOfNode(call.to);
    m.sendTime[index] = time(call.send);
    m.deliverTime[index] = time(call.deliver);
    m.respondTime[index] = time(call.respond);
    m.replyTime[index] = time(call.reply);
    m.failTime[index] = time(call.fail);
    m.dropTime[index] = time(call.drop >= 0 ? call.drop : call.replyDrop);
    m.fate[index] = call.fate;
    m.reason[index] = call.reason === undefined ? -1 : strings.id(call.reason);
    m.flags[index] = call.flags;
    m.args[index] = call.args === undefined ? null : shortPayload(call.args);
    m.reply[index] = call.replyPayload === undefined ? null : shortPayload(call.replyPayload);
    m.op[index] = op;
    if (call.hold >= 0) {
      data.holds.message.push(index);
      data.holds.time.push(time(call.hold));
    }
  });
  return m;
}

/** Fills the operation columns; returns the history as the checker takes it. */
function fillOperations(data: PageData, ops: readonly Operation[], rows: Rows, eventOfEntry: Int32Array, strings: StringTable): HistoryOperation<KvInput, KvOutput>[] {
  const columns = new OperationBuilder(ops.length);
  const history = ops.map((op): HistoryOperation<KvInput, KvOutput> => {
    const input = op.input as KvInput;
    const output = op.ret === Infinity ? unknownOutput : (op.output as KvOutput);
    const text = describeOperation(input, output);
    columns.push({
      row: rows.rowOfClient(op.clientId), clientId: op.clientId, call: op.call, ret: op.ret,
      input: strings.id(text.input), output: strings.id(text.output), key: strings.id(input.key),
      messages: op.calls, path: op.path.map((entry) => eventOfEntry[entry]!).filter((event) => event >= 0), index: op.index,
    });
    return { clientId: op.clientId, input, call: op.call, output, return: op.ret };
  });
  data.ops = columns.columns();
  return history;
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

/** The event columns, filled one event at a time. */
class EventBuilder {
  readonly time: GrowingColumn<Float64Array>;
  readonly row: GrowingColumn<Int32Array>;
  readonly kind: GrowingColumn<Uint8Array>;
  readonly topic: GrowingColumn<Int32Array>;
  readonly text: GrowingColumn<Int32Array>;
  readonly message: GrowingColumn<Int32Array>;
  readonly op: GrowingColumn<Int32Array>;

  constructor(capacity: number) {
    const ints = (): GrowingColumn<Int32Array> => new GrowingColumn((n) => new Int32Array(n), capacity);
    this.time = new GrowingColumn((n) => new Float64Array(n), capacity);
    this.row = ints();
    this.kind = new GrowingColumn((n) => new Uint8Array(n), capacity);
    this.topic = ints();
    this.text = ints();
    this.message = ints();
    this.op = ints();
  }

  columns(): EventColumns {
    return {
      time: this.time.values(), row: this.row.values(), kind: this.kind.values(), topic: this.topic.values(),
      text: this.text.values(), message: this.message.values(), op: this.op.values(),
    };
  }
}

/** The operation columns, filled one operation at a time. */
class OperationBuilder {
  private readonly row: GrowingColumn<Int32Array>;
  private readonly clientId: GrowingColumn<Int32Array>;
  private readonly call: GrowingColumn<Float64Array>;
  private readonly ret: GrowingColumn<Float64Array>;
  private readonly input: GrowingColumn<Int32Array>;
  private readonly output: GrowingColumn<Int32Array>;
  private readonly key: GrowingColumn<Int32Array>;
  private readonly index: GrowingColumn<Int32Array>;
  private readonly messages: number[][] = [];
  private readonly path: number[][] = [];

  constructor(capacity: number) {
    const ints = (): GrowingColumn<Int32Array> => new GrowingColumn((n) => new Int32Array(n), capacity);
    const times = (): GrowingColumn<Float64Array> => new GrowingColumn((n) => new Float64Array(n), capacity);
    this.row = ints();
    this.clientId = ints();
    this.call = times();
    this.ret = times();
    this.input = ints();
    this.output = ints();
    this.key = ints();
    this.index = ints();
  }

  push(op: OperationFields): void {
    this.row.push(op.row);
    this.clientId.push(op.clientId);
    this.call.push(op.call);
    this.ret.push(op.ret === Infinity ? -1 : op.ret);
    this.input.push(op.input);
    this.output.push(op.output);
    this.key.push(op.key);
    this.messages.push(op.messages ?? []);
    this.path.push(op.path ?? []);
    this.index.push(op.index ?? -1);
  }

  columns(): OperationColumns {
    return {
      row: this.row.values(), clientId: this.clientId.values(), call: this.call.values(), ret: this.ret.values(),
      input: this.input.values(), output: this.output.values(), key: this.key.values(),
      messages: this.messages, path: this.path, index: this.index.values(),
    };
  }
}
