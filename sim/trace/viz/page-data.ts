// What `simlab viz` hands the debugger page: one run, digested in Node so that the page only
// draws. It is inlined in the HTML file (packed-data.ts: JSON, and the typed columns as bytes);
// the page reads it once at load.
//
// Everything big is column-wise: `events.time[i]`, `events.row[i]`, … describe event i, and
// strings (log lines, methods, topics, payloads) are numbers into `strings`. The three big tables
// — events, messages, operations — keep their numbers in typed arrays (times in Float64Array,
// the rest in Int32Array, event kinds in Uint8Array), which go to the page as their bytes, not
// as JSON numbers; the small tables (roles, crashes, partitions, holds) are plain arrays.
//
// Rows are the page's horizontal lanes: first every node (grouped: the shardmaster's replicas,
// then each replica group, then the tester), then one row per client of the history. Times are
// virtual milliseconds; a history opened without a run (simlab viz --history) uses each
// operation's position in the file instead, and says so in the header.

/** The kinds of events, by number (events.kind). */
export const EventKind = {
  log: 0,
  send: 1,
  deliver: 2,
  respond: 3,
  reply: 4,
  drop: 5,
  replyDrop: 6,
  rpcFail: 7,
  crash: 8,
  restart: 9,
  role: 10,
  partition: 11,
  opCall: 12,
  opReturn: 13,
  faults: 14,
  /** A script held a request (Network.holdRequests): it waits until the script delivers or drops it. */
  hold: 15,
} as const;
export type EventKind = (typeof EventKind)[keyof typeof EventKind];

/** Names of the kinds, as the filters and the event list show them (index = EventKind). */
export const eventKindNames: readonly string[] = [
  "log", "send", "deliver", "respond", "reply", "drop", "reply-drop", "rpc-fail",
  "crash", "restart", "role", "partition", "op-call", "op-return", "faults", "hold",
];

/** A Raft role, by number (roles.role). */
export const Role = { follower: 0, candidate: 1, leader: 2 } as const;
export type Role = (typeof Role)[keyof typeof Role];

/** What became of a message (messages.fate). */
export const Fate = {
  /** The request arrived and the reply came back. */
  answered: 0,
  /** The request never arrived: lost, cut, or the end disabled. */
  requestDropped: 1,
  /** The request arrived, but the reply was lost or suppressed. */
  replyDropped: 2,
  /** The request arrived and its handler never answered before the run ended or the call failed. */
  unanswered: 3,
} as const;
export type Fate = (typeof Fate)[keyof typeof Fate];

/** Bits of messages.flags. */
export const MessageFlag = {
  /** The request took longer than the slow threshold (header.slowMs). */
  slow: 1,
  /** Delivered after a message sent later on the same link. */
  reordered: 2,
  /** Delivered twice (duplication). */
  duplicated: 4,
  /** Addressed to a node that was down when it was sent. */
  toCrashed: 8,
  /** The reply took longer than the slow threshold. */
  slowReply: 16,
} as const;

export interface RunHeader {
  test: string;
  seed: number | null;
  passed: boolean;
  /** The failure report, when the run failed. */
  failure: string | null;
  /** Commands that replay it: under vitest, and this page again. */
  replay: string | null;
  viz: string | null;
  virtualMs: number;
  /** Scheduler events dispatched, and the journal's hash (as the test report gives them). */
  schedulerEvents: number;
  journalHash: string | null;
  /** The network's fault settings over the run, in words ("unreliable, long reordering"). */
  faults: string;
  /** A request (or reply) slower than this is drawn as slow. */
  slowMs: number;
  /** "virtual ms", or "position in the file" for a history without a run. */
  timeUnit: string;
}

export interface RowInfo {
  name: string;
  /** "node" for a node's lane, "client" for a client's row. */
  kind: "node" | "client";
  /** Index into groups (node rows), or -1. */
  group: number;
}

export interface GroupInfo {
  /** "shardmaster", "group 101", "kv", "tester", "clients". */
  label: string;
}

/** One entry per event, in journal order (which is time order). */
export interface EventColumns {
  time: Float64Array;
  row: Int32Array;
  kind: Uint8Array;
  /** Log topic (strings index) or -1. */
  topic: Int32Array;
  /** Text of a log line, a crash or restart, a role change (strings index), or -1. */
  text: Int32Array;
  /** The message (messages index) of a network event, or -1. */
  message: Int32Array;
  /** The operation (ops index) of an op-call or op-return, or -1. */
  op: Int32Array;
}

/** One entry per RPC call (by the network's call id). */
export interface MessageColumns {
  rpc: Int32Array;
  method: Int32Array;
  fromRow: Int32Array;
  /** The receiver's row, or -1 when the request never reached a known node. */
  toRow: Int32Array;
  sendTime: Float64Array;
  /** -1 where it did not happen. */
  deliverTime: Float64Array;
  respondTime: Float64Array;
  replyTime: Float64Array;
  /** When the call failed (rpc-fail), or -1. */
  failTime: Float64Array;
  /** When the request or reply was dropped, or -1. */
  dropTime: Float64Array;
  fate: Int32Array;
  /** Why it was dropped or failed (strings index), or -1. */
  reason: Int32Array;
  flags: Int32Array;
  /** The arguments and reply as data, cut down when large (payload-text.ts), or null (not observed). */
  args: unknown[];
  reply: unknown[];
  /** The client operation this call was made for, or -1. */
  op: Int32Array;
}

/** A Raft peer's role over a span of time. */
export interface RoleColumns {
  row: number[];
  start: number[];
  end: number[];
  term: number[];
  role: number[];
}

/** A node down from `start` to `end` (its restart, or the end of the run). */
export interface CrashColumns {
  row: number[];
  start: number[];
  end: number[];
  /** What the restart restored (strings index), or -1. */
  restored: number[];
}

/** From `time` on, node row r is on partition side `sides[k][r]` (0: with the most servers; -1: not a server). */
export interface PartitionColumns {
  time: number[];
  sides: number[][];
  /** What changed, in words (strings index). */
  text: number[];
}

/**
 * The requests a script held (Network.holdRequests), one entry each, in the order they were held:
 * the message, and when it was held. It waits from then until the script released it — as its
 * delivery (messages.deliverTime) or its drop (messages.dropTime) — or to the end of the run.
 * Few runs hold anything, so this is a table of its own rather than a column of every message.
 */
export interface HoldColumns {
  message: number[];
  time: number[];
}

/** One entry per client operation. */
export interface OperationColumns {
  row: Int32Array;
  clientId: Int32Array;
  call: Float64Array;
  /** -1 when it never returned. */
  ret: Float64Array;
  /** "get(\"4\")", "append(\"4\", \"x 2 13 y\")" (strings index). */
  input: Int32Array;
  /** What it returned ("\"x 0 1 y\"", "ok"), or "unknown" (strings index). */
  output: Int32Array;
  key: Int32Array;
  /** The calls made for it (messages indices). */
  messages: number[][];
  /**
   * The path through the servers of the call that succeeded (events indices): its deliver, the
   * leader's append, every server's commit and apply of that index, its respond and reply.
   */
  path: number[][];
  /** The log index the leader gave it, or -1. */
  index: Int32Array;
}

export interface KeyVerdict {
  key: string;
  verdict: "ok" | "illegal" | "unknown";
  /** The key's operations (ops indices), in call order. */
  ops: number[];
  /** The longest partial linearization (ops indices), with the model's state after each. */
  linearization: number[];
  states: string[];
  initialState: string;
  /** Porcupine's "illegal next": operations that could come next, and whether the model rejects each outright. */
  illegalNext: { op: number; rejected: boolean }[];
}

export interface PageData {
  header: RunHeader;
  strings: string[];
  rows: RowInfo[];
  groups: GroupInfo[];
  events: EventColumns;
  messages: MessageColumns;
  roles: RoleColumns;
  crashes: CrashColumns;
  partitions: PartitionColumns;
  holds: HoldColumns;
  ops: OperationColumns;
  verdicts: KeyVerdict[];
}
