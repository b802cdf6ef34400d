// Events, messages and operations in words, as the event list and the inspector show them:
// the same shapes `simlab replay` prints ("send Raft.appendEntries #12 → kv-2").
import { EventKind, eventKindNames, Fate } from "../page-data.ts";
import { formatTime } from "./time-text.ts";
import type { Trace } from "./trace.ts";

export function rowName(trace: Trace, row: number): string {
  return row < 0 ? "—" : (trace.data.rows[row]?.name ?? "?");
}

/** "Raft.appendEntries #12". */
export function messageName(trace: Trace, message: number): string {
  const m = trace.data.messages;
  return `${trace.text(m.method[message]!)} #${m.rpc[message]}`;
}

export function operationText(trace: Trace, op: number): string {
  const o = trace.data.ops;
  const output = trace.text(o.output[op]!);
  return `${trace.text(o.input[op]!)}${output === "ok" ? "" : ` → ${output}`}`;
}

/** What the event list says about an event, after its time and row. */
export function eventText(trace: Trace, event: number): string {
  const { data } = trace;
  const kind = trace.eventKind[event]!;
  const message = data.events.message[event]!;
  if (message >= 0) {
    const m = data.messages;
    const outgoing = kind === EventKind.send || kind === EventKind.drop || kind === EventKind.hold;
    const replying = kind === EventKind.respond || kind === EventKind.replyDrop;
    const peer = outgoing ? rowName(trace, m.toRow[message]!) : replying ? rowName(trace, m.fromRow[message]!) : rowName(trace, kind === EventKind.deliver ? m.fromRow[message]! : m.toRow[message]!);
    const arrow = outgoing || replying ? "→" : "←";
    const reason = (kind === EventKind.drop || kind === EventKind.replyDrop || kind === EventKind.rpcFail) && m.reason[message]! >= 0 ? ` (${trace.text(m.reason[message]!)})` : "";
    return `${eventKindNames[kind]} ${messageName(trace, message)} ${arrow} ${peer}${reason}`;
  }
  const op = data.events.op[event]!;
  if (op >= 0) return kind === EventKind.opCall ? `call ${trace.text(data.ops.input[op]!)}` : `return ${operationText(trace, op)}`;
  if (kind === EventKind.log) return `${trace.text(data.events.topic[event]!)} ${trace.text(data.events.text[event]!)}`;
  return `${eventKindNames[kind]} ${trace.text(data.events.text[event]!)}`;
}

export const fateWords = ["answered", "request dropped", "reply dropped", "never answered"] as const;

/** The facts of a message, one line each, for the inspector. */
export function messageFacts(trace: Trace, message: number): [string, string][] {
  const m = trace.data.messages;
  const unit = trace.data.header.timeUnit;
  const at = (t: number): string => (t < 0 ? "—" : formatTime(t, unit));
  const facts: [string, string][] = [
    ["call", messageName(trace, message)],
    ["from → to", `${rowName(trace, m.fromRow[message]!)} → ${rowName(trace, m.toRow[message]!)}`],
    ["sent", at(m.sendTime[message]!)],
    ["delivered", at(m.deliverTime[message]!)],
    ["responded", at(m.respondTime[message]!)],
    ["reply back", at(m.replyTime[message]!)],
    ["fate", fateWords[m.fate[message]! as Fate] ?? "?"],
  ];
  const held = heldText(trace, message);
  if (held !== undefined) facts.push(["held", held]);
  if (m.deliverTime[message]! >= 0) facts.push(["latency", `${(m.deliverTime[message]! - m.sendTime[message]!).toFixed(0)} ms there${held === undefined ? "" : ` (held ${(trace.heldUntil[message]! - trace.heldAt[message]!).toFixed(0)} ms of it)`}${m.replyTime[message]! >= 0 ? `, ${(m.replyTime[message]! - m.respondTime[message]!).toFixed(0)} ms back` : ""}`]);
  if (m.reason[message]! >= 0) facts.push(["why", trace.text(m.reason[message]!)]);
  const flags = m.flags[message]!;
  const marks = [flags & 1 && "slow", flags & 16 && "slow reply", flags & 2 && "reordered", flags & 4 && "duplicated", flags & 8 && "to a crashed node"].filter(Boolean);
  if (marks.length > 0) facts.push(["marks", marks.join(", ")]);
  const args = trace.payloadText(message, "args");
  const reply = trace.payloadText(message, "reply");
  if (args !== undefined) facts.push(["arguments", args]);
  if (reply !== undefined) facts.push(["reply", reply]);
  return facts;
}

/** How long a script held a request and how it let go of it, or undefined if it never held it. */
export function heldText(trace: Trace, message: number): string | undefined {
  const since = trace.heldAt[message]!;
  if (since < 0) return undefined;
  const m = trace.data.messages;
  const unit = trace.data.header.timeUnit;
  const from = `by the script from ${formatTime(since, unit)}`;
  if (m.deliverTime[message]! >= 0) return `${from}; delivered at ${formatTime(m.deliverTime[message]!, unit)}`;
  const dropped = m.dropTime[message]! >= 0 ? m.dropTime[message]! : m.failTime[message]!;
  if (dropped >= 0) return `${from}; dropped at ${formatTime(dropped, unit)}${m.reason[message]! >= 0 ? ` (${trace.text(m.reason[message]!)})` : ""}`;
  return `${from} to the end of the run: never released`;
}
