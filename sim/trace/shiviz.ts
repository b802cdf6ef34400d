// A journal as a ShiViz log (https://bestchai.bitbucket.io/shiviz/): each entry becomes an event
// line followed by its host and vector clock:
//
//     1234ms vote granted vote to 2 in term 3
//     raft-1 {"raft-1":17,"raft-0":9}
//
// The file starts as ShiViz expects an uploaded log to: line 1 is the parser regular expression
// (the same one ShiViz uses when the field is left empty), line 2 the delimiter between
// executions (empty for one run), then the log:
//
//     (?<event>.*)\n(?<host>\S*) (?<clock>{.*})
//
// Vector clocks are derived from the network's RPC notes, matched by call id: a request leaves at
// its "send" and arrives at its "deliver"; the reply leaves when the handler returned (its
// "respond") and arrives at the caller's "reply". Every entry ticks its own host by one. A host
// is the node's name without its incarnation, so a restarted peer stays on its own line, after
// its "start".
import type { JournalEntry } from "../core/index.ts";
import { RpcKind } from "../net/index.ts";
import { columnOf, labelOf } from "./filter.ts";
import { rpcOf, type TraceRecord } from "./record.ts";
import { describe } from "./columns.ts";

/** The parser regular expression, as it is pasted into ShiViz (line 1 of the file). */
export const shivizRegex = String.raw`(?<event>.*)\n(?<host>\S*) (?<clock>{.*})`;
/** Line 2 when a file holds several runs: each run starts with `=== <name> ===`. */
export const shivizDelimiter = String.raw`=== (?<trace>.*) ===`;

export interface ShivizRun {
  /** Shown as the execution's name when a file holds several runs. */
  name: string;
  entries: readonly (JournalEntry | TraceRecord)[];
}

/** The whole file for one or more runs. */
export function toShiviz(runs: readonly ShivizRun[]): string {
  const out = [shivizRegex, runs.length > 1 ? shivizDelimiter : ""];
  for (const run of runs) {
    if (runs.length > 1) out.push(`=== ${run.name} ===`);
    out.push(...shivizEvents(run.entries));
  }
  return `${out.join("\n")}\n`;
}

/** The event lines of one run: two lines per entry (event, then host and clock). */
export function shivizEvents(entries: readonly (JournalEntry | TraceRecord)[]): string[] {
  const clocks = new Map<string, Map<string, number>>();
  const requestClock = new Map<number, Map<string, number>>();
  const replyClock = new Map<number, Map<string, number>>();
  const clockOf = (host: string): Map<string, number> => {
    let clock = clocks.get(host);
    if (clock === undefined) clocks.set(host, (clock = new Map()));
    return clock;
  };
  const merge = (into: Map<string, number>, from: Map<string, number> | undefined): void => {
    if (from === undefined) return;
    for (const [host, n] of from) if ((into.get(host) ?? 0) < n) into.set(host, n);
  };

  const lines: string[] = [];
  for (const entry of entries) {
    const host = hostName(entry.node);
    const clock = clockOf(host);
    clock.set(host, (clock.get(host) ?? 0) + 1);
    const rpc = rpcOf(entry);
    if (rpc !== undefined) {
      if (entry.kind === RpcKind.send) requestClock.set(rpc.rpc, new Map(clock));
      if (entry.kind === RpcKind.deliver) merge(clock, requestClock.get(rpc.rpc));
      if (entry.kind === RpcKind.respond) replyClock.set(rpc.rpc, new Map(clock));
      if (entry.kind === RpcKind.reply) merge(clock, replyClock.get(rpc.rpc));
    }
    const text = `${entry.time}ms ${labelOf(entry)} ${describe(entry)}`.trimEnd().replace(/[\r\n]+/g, " ");
    lines.push(text, `${host} ${JSON.stringify(Object.fromEntries(clock))}`);
  }
  return lines;
}

/** ShiViz hosts are one word. */
function hostName(node: string): string {
  return columnOf(node).replace(/\s+/g, "_") || "_";
}
