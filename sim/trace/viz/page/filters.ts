// What the reader chose to see: rows hidden, event kinds shown, log topics kept (dslogs'
// --just), RPC methods kept, and the key whose operations and verdict are in view. Pure; the
// views ask it about each event, message and operation they would draw.
import { EventKind, eventKindNames } from "../page-data.ts";
import type { Trace } from "./trace.ts";

/** The kinds the filter bar offers, each standing for some event kinds. */
export const kindGroups: Readonly<Record<string, readonly number[]>> = {
  log: [EventKind.log],
  messages: [EventKind.send, EventKind.deliver, EventKind.respond, EventKind.reply, EventKind.drop, EventKind.replyDrop, EventKind.rpcFail, EventKind.hold],
  roles: [EventKind.role],
  faults: [EventKind.crash, EventKind.restart, EventKind.partition, EventKind.faults],
  ops: [EventKind.opCall, EventKind.opReturn],
};

export class Filter {
  hidden = new Set<number>();
  /** Names of kindGroups shown. */
  kinds = new Set(Object.keys(kindGroups));
  /** Log topics (strings ids) shown; all when undefined. */
  topics: Set<number> | undefined;
  /** RPC methods (strings ids) shown; all when undefined. */
  methods: Set<number> | undefined;
  /** The key (strings id) whose operations alone are shown; all when undefined. */
  key: number | undefined;
  private shownKinds = new Uint8Array(eventKindNames.length);

  constructor(private readonly trace: Trace) {
    this.update();
  }

  /** Recomputes what depends on `kinds`; call after changing it. */
  update(): void {
    this.shownKinds.fill(0);
    for (const name of this.kinds) for (const kind of kindGroups[name] ?? []) this.shownKinds[kind] = 1;
  }

  showsKind(kind: number): boolean {
    return this.shownKinds[kind] === 1;
  }

  showsEvent(event: number): boolean {
    const { data } = this.trace;
    const row = this.trace.eventRow[event]!;
    const kind = this.trace.eventKind[event]!;
    if ((row >= 0 && this.hidden.has(row)) || this.shownKinds[kind] !== 1) return false;
    if (kind === EventKind.log) return this.topics === undefined || this.topics.has(data.events.topic[event]!);
    const message = data.events.message[event]!;
    if (message >= 0) return this.showsMessage(message);
    const op = data.events.op[event]!;
    if (op >= 0) return this.showsOp(op);
    return true;
  }

  showsMessage(message: number): boolean {
    const m = this.trace.data.messages;
    if (this.shownKinds[EventKind.send] !== 1) return false;
    if (this.hidden.has(m.fromRow[message]!) && (m.toRow[message]! < 0 || this.hidden.has(m.toRow[message]!))) return false;
    return this.methods === undefined || this.methods.has(m.method[message]!);
  }

  showsOp(op: number): boolean {
    const o = this.trace.data.ops;
    return !this.hidden.has(o.row[op]!) && (this.key === undefined || o.key[op] === this.key) && this.shownKinds[EventKind.opCall] === 1;
  }
}
