// The inspect panel: everything known about the selection — a message's times, fate, reason and
// payloads; an operation's call, return, verdict, place in the linearization and path through the
// servers; an event's text and, for a crash, what the restart restored. Links in it (data-event,
// data-message attributes) move the cursor or the selection; main.ts handles them.
import { EventKind } from "../page-data.ts";
import { escapeHtml } from "./event-list.ts";
import { eventText, messageFacts, messageName, operationText, rowName } from "./describe.ts";
import { formatTime } from "./time-text.ts";
import type { Trace } from "./trace.ts";

export type Selected = { kind: "op"; id: number } | { kind: "message"; id: number } | { kind: "event"; id: number } | { kind: "none" };

export function inspectorHtml(trace: Trace, selected: Selected): string {
  switch (selected.kind) {
    case "message":
      return `<h3>message</h3>${table(messageFacts(trace, selected.id))}`;
    case "op":
      return operationHtml(trace, selected.id);
    case "event":
      return eventHtml(trace, selected.id);
    default:
      return `<p class="hint">Click an operation, an arrow or an event to inspect it.</p>`;
  }
}

function table(rows: [string, string][]): string {
  return `<table class="facts">${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join("")}</table>`;
}

function eventLink(trace: Trace, event: number): string {
  const unit = trace.data.header.timeUnit;
  return `<a href="#" data-event="${event}">${escapeHtml(formatTime(trace.eventTime[event]!, unit))} ${escapeHtml(rowName(trace, trace.eventRow[event]!))}: ${escapeHtml(eventText(trace, event))}</a>`;
}

function operationHtml(trace: Trace, op: number): string {
  const { data } = trace;
  const o = data.ops;
  const unit = data.header.timeUnit;
  const key = trace.text(o.key[op]!);
  const verdict = data.verdicts.find((v) => v.key === key);
  const facts: [string, string][] = [
    ["operation", operationText(trace, op)],
    ["client", String(o.clientId[op])],
    ["called", formatTime(o.call[op]!, unit)],
    ["returned", o.ret[op]! < 0 ? "never" : formatTime(o.ret[op]!, unit)],
    ["key", `${key}: ${verdict?.verdict ?? "not checked"}`],
  ];
  if (o.index[op]! >= 0) facts.push(["log index", String(o.index[op])]);
  if (verdict !== undefined && verdict.verdict !== "ok") {
    const at = verdict.linearization.indexOf(op);
    if (at >= 0) {
      facts.push(["linearized", `step ${at + 1} of the longest order the model accepts (${verdict.linearization.length} of ${verdict.ops.length} operations)`]);
      facts.push(["state before", at === 0 ? verdict.initialState : verdict.states[at - 1]!]);
      facts.push(["state after", verdict.states[at]!]);
    }
    const next = verdict.illegalNext.find((n) => n.op === op);
    if (next !== undefined) {
      facts.push(["illegal next", next.rejected ? "the model rejects it after the longest order" : "accepted there, but no order of the rest can follow it"]);
      facts.push(["state it meets", verdict.states.at(-1) ?? verdict.initialState]);
    }
  }
  const calls = o.messages[op]!.map((m) => `<li><a href="#" data-message="${m}">${escapeHtml(messageName(trace, m))} → ${escapeHtml(rowName(trace, data.messages.toRow[m]!))}</a></li>`).join("");
  const path = o.path[op]!.map((e) => `<li>${eventLink(trace, e)}</li>`).join("");
  return (
    `<h3>operation</h3>${table(facts)}` +
    `<h4>its calls (${o.messages[op]!.length})</h4><ul class="links">${calls || "<li>none found</li>"}</ul>` +
    `<h4>followed through the servers</h4><ul class="links path">${path || "<li>no path: the answered call's server logged no \"propose\" line for it</li>"}</ul>`
  );
}

function eventHtml(trace: Trace, event: number): string {
  const { data } = trace;
  const facts: [string, string][] = [
    ["time", formatTime(trace.eventTime[event]!, data.header.timeUnit)],
    ["node", rowName(trace, trace.eventRow[event]!)],
    ["event", eventText(trace, event)],
  ];
  const kind = trace.eventKind[event]!;
  if (kind === EventKind.crash) {
    const c = data.crashes;
    for (let k = 0; k < c.row.length; k++) {
      if (c.row[k] === trace.eventRow[event] && c.start[k] === trace.eventTime[event]) {
        facts.push(["down until", formatTime(c.end[k]!, data.header.timeUnit)]);
        if (c.restored[k]! >= 0) facts.push(["restart restored", trace.text(c.restored[k]!)]);
      }
    }
  }
  const message = data.events.message[event]!;
  const more = message >= 0 ? `<h4>its message</h4>${table(messageFacts(trace, message))}` : "";
  // The log lines printed in the same handler: this node's lines at this instant.
  const same: string[] = [];
  const events = trace.eventsOfRow[trace.eventRow[event]!] ?? new Int32Array(0);
  for (let i = trace.lowerBoundEvents(events, trace.eventTime[event]!); i < events.length && trace.eventTime[events[i]!] === trace.eventTime[event]; i++) {
    if (events[i] !== event && trace.eventKind[events[i]!] === EventKind.log) same.push(`<li>${eventLink(trace, events[i]!)}</li>`);
  }
  return `<h3>event</h3>${table(facts)}${more}${same.length > 0 ? `<h4>the node's other lines at this instant</h4><ul class="links">${same.join("")}</ul>` : ""}`;
}
