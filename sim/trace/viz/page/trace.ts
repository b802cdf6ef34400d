// The run as the page holds it: the page data (../page-data.ts), with the
// indexes drawing and stepping need — each row's events in time order, messages by send time,
// each row's role spans, the log index named by commit and apply lines. Built once at load, in
// linear time; nothing here touches the DOM.
import { EventKind, type PageData } from "../page-data.ts";
import { holdSlots } from "./hold-lanes.ts";

export class Trace {
  readonly data: PageData;
  readonly strings: readonly string[];
  readonly eventTime: Float64Array;
  readonly eventRow: Int32Array;
  readonly eventKind: Uint8Array;
  readonly eventCount: number;
  /** For each row, its events (indices) in time order. */
  readonly eventsOfRow: Int32Array[];
  /** Events on no row (partitions, fault settings). */
  readonly globalEvents: Int32Array;
  /** Messages (indices) in send-time order, and their send times. */
  readonly messagesBySend: Int32Array;
  readonly messageSendTimes: Float64Array;
  /** When each message's last leg ended: its reply, failure or drop; the run's end for one a script never let go of. */
  readonly messageEnds: Float64Array;
  /** The longest time any message was in flight: how far back a window must look for arrows. */
  readonly longestFlight: number;
  /**
   * When a script held each message (-1 if it never did), until when (its delivery or drop, or
   * the run's end), and its bar's slot among those held at once on its link (hold-lanes.ts).
   */
  readonly heldAt: Float64Array;
  readonly heldUntil: Float64Array;
  readonly holdSlot: Int8Array;
  /** For each row, its role spans (indices into data.roles) in time order. */
  readonly rolesOfRow: Int32Array[];
  /** For each row, its operations (indices) in call order. */
  readonly opsOfRow: Int32Array[];
  /** The log index a commit or apply line names, per event (-1 otherwise). */
  readonly milestoneIndex: Int32Array;
  /** The time span of the run. */
  readonly start: number;
  readonly end: number;
  /** Message payloads as JSON, written when first shown (payloadText). */
  private readonly argsText: (string | undefined)[] = [];
  private readonly replyText: (string | undefined)[] = [];

  constructor(data: PageData) {
    this.data = data;
    this.strings = data.strings;
    const e = data.events;
    const n = e.time.length;
    this.eventCount = n;
    this.eventTime = e.time;
    this.eventRow = e.row;
    this.eventKind = e.kind;
    const rowCount = data.rows.length;
    this.eventsOfRow = groupBy(n, rowCount, (i) => e.row[i]!);
    const global: number[] = [];
    for (let i = 0; i < n; i++) if (e.row[i]! < 0) global.push(i);
    this.globalEvents = Int32Array.from(global);

    const m = data.messages;
    const order = Array.from({ length: m.rpc.length }, (_, i) => i).sort((a, b) => m.sendTime[a]! - m.sendTime[b]! || a - b);
    this.messagesBySend = Int32Array.from(order);
    this.messageSendTimes = Float64Array.from(order.map((i) => m.sendTime[i]!));

    const lastOp = data.ops.ret.reduce((max, ret, i) => Math.max(max, ret, data.ops.call[i]!), 0);
    this.start = 0;
    this.end = Math.max(data.header.virtualMs, n > 0 ? this.eventTime[n - 1]! : 0, lastOp, 1);

    const messageCount = m.rpc.length;
    this.heldAt = new Float64Array(messageCount).fill(-1);
    this.heldUntil = new Float64Array(messageCount).fill(-1);
    const holds = data.holds;
    for (let k = 0; k < holds.message.length; k++) {
      const message = holds.message[k]!;
      this.heldAt[message] = holds.time[k]!;
      const released = m.deliverTime[message]! >= 0 ? m.deliverTime[message]! : m.dropTime[message]! >= 0 ? m.dropTime[message]! : m.failTime[message]!;
      this.heldUntil[message] = released >= 0 ? released : this.end;
    }
    const slots = holdSlots(holds.message.map((message, k) => ({ fromRow: m.fromRow[message]!, toRow: m.toRow[message]!, start: holds.time[k]!, end: this.heldUntil[message]! })));
    this.holdSlot = new Int8Array(messageCount);
    holds.message.forEach((message, k) => (this.holdSlot[message] = slots[k]!));
    this.messageEnds = new Float64Array(messageCount);
    let longest = 0;
    for (let i = 0; i < messageCount; i++) {
      const end = Math.max(m.sendTime[i]!, m.deliverTime[i]!, m.respondTime[i]!, m.replyTime[i]!, m.failTime[i]!, m.dropTime[i]!, this.heldUntil[i]!);
      this.messageEnds[i] = end;
      longest = Math.max(longest, end - m.sendTime[i]!);
    }
    this.longestFlight = longest;

    this.rolesOfRow = groupBy(data.roles.row.length, rowCount, (i) => data.roles.row[i]!);
    this.opsOfRow = groupBy(data.ops.row.length, rowCount, (i) => data.ops.row[i]!);

    this.milestoneIndex = new Int32Array(n).fill(-1);
    const commit = this.strings.indexOf("commit");
    const apply = this.strings.indexOf("apply");
    for (let i = 0; i < n; i++) {
      if (e.kind[i] !== EventKind.log || (e.topic[i] !== commit && e.topic[i] !== apply)) continue;
      const match = /\bindex (\d+)/.exec(this.strings[e.text[i]!] ?? "");
      if (match !== null) this.milestoneIndex[i] = Number(match[1]);
    }
  }

  /**
   * A message's arguments or reply as JSON, or undefined when not observed. Written when first
   * asked for (the inspector, the search) and kept: most are never shown.
   */
  payloadText(message: number, which: "args" | "reply"): string | undefined {
    const cache = which === "args" ? this.argsText : this.replyText;
    let text = cache[message];
    if (text === undefined) {
      const value = this.data.messages[which][message];
      if (value === null || value === undefined) return undefined;
      cache[message] = text = JSON.stringify(value) ?? "null";
    }
    return text;
  }


  /** The string with number `id`, or "" for -1. */
  text(id: number): string {
    return id < 0 ? "" : (this.strings[id] ?? "");
  }

  /** The first position in `times` (sorted) whose time is ≥ t. */
  static lowerBound(times: ArrayLike<number>, t: number, lo = 0, hi = times.length): number {
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (times[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The first position in `indices` (sorted by time) whose event time is ≥ t. */
  lowerBoundEvents(indices: Int32Array, t: number): number {
    let lo = 0;
    let hi = indices.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.eventTime[indices[mid]!]! < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Indices 0…n-1 grouped by `key` (0…groups-1; negative keys are left out), each group in index order. */
function groupBy(n: number, groups: number, key: (i: number) => number): Int32Array[] {
  const counts = new Int32Array(groups);
  for (let i = 0; i < n; i++) {
    const k = key(i);
    if (k >= 0 && k < groups) counts[k]!++;
  }
  const out = Array.from(counts, (count) => new Int32Array(count));
  const fill = new Int32Array(groups);
  for (let i = 0; i < n; i++) {
    const k = key(i);
    if (k >= 0 && k < groups) out[k]![fill[k]!++] = i;
  }
  return out;
}
