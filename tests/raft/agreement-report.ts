// What one() says when a command fails to reach agreement. Go's tester says only "one(cmd) failed
// to reach agreement"; this says what the tester saw, per server: its role and term (getState()),
// how far it has applied (applyCh), how long its log was when it last showed it on the wire, and
// what it holds at the command's index — applied, or sent or acknowledged in an AppendEntries —
// and when the last leader change was. That is usually enough to see which of election,
// replication or commitment went wrong.
//
// LogsOnTheWire is the Raft tester's own monitor (it checks nothing): it remembers, per server,
// the last entry seen at each index and the last message that showed where its log ends.
import { formatVirtualTime } from "../../sim/index.ts";
import type { LogEntry } from "../../raft/types.ts";
import type { AppendCall, RaftCall, RaftMonitor } from "../harness/monitors/raft-wire.ts";

/** An entry a server was seen holding: in which message, sent by it as leader or acknowledged by it. */
interface HeldEntry {
  entry: LogEntry;
  call: AppendCall;
  how: "sent" | "acknowledged";
}

/** The last message that showed where a server's log ends: its RequestVote (exactly), or an AppendEntries it sent or acknowledged (at least). */
interface LogEnd {
  call: RaftCall;
  how: "asked for votes" | HeldEntry["how"];
}

export class LogsOnTheWire implements RaftMonitor {
  /** held[server][index]: the last entry seen at that index of its log. */
  private readonly held: HeldEntry[][];
  private readonly ends: (LogEnd | undefined)[];

  constructor(n: number) {
    this.held = Array.from({ length: n }, () => []);
    this.ends = new Array<LogEnd | undefined>(n).fill(undefined);
  }

  request(call: RaftCall): void {
    if (call.method === "RequestVote") this.ends[call.from] = { call, how: "asked for votes" };
    else if (call.method === "AppendEntries") this.hold(call.from, call, "sent");
  }

  answer(call: RaftCall): void {
    if (call.method === "AppendEntries" && call.reply!.success && call.reply!.term === call.args.term) this.hold(call.to, call, "acknowledged");
  }

  private hold(server: number, call: AppendCall, how: HeldEntry["how"]): void {
    const { prevLogIndex, entries } = call.args;
    const held = this.held[server]!;
    for (let k = 0; k < entries.length; k++) held[prevLogIndex + 1 + k] = { entry: entries[k]!, call, how };
    this.ends[server] = { call, how };
  }

  /** What server `i` was last seen holding at `index`, in words, or undefined. */
  heldAt(i: number, index: number, show: (command: unknown) => string): string | undefined {
    const h = this.held[i]![index];
    if (h === undefined) return undefined;
    const when = formatVirtualTime(h.how === "sent" ? h.call.sentAt : h.call.answeredAt!);
    return `${show(h.entry.command)} (term ${h.entry.term}), ${h.how} in AppendEntries #${h.call.id} at ${when}`;
  }

  /** Where server `i`'s log was last seen to end, in words. */
  logEnd(i: number): string {
    const end = this.ends[i];
    if (end === undefined) return "never seen";
    const { call, how } = end;
    if (call.method === "RequestVote") {
      return `= ${call.args.lastLogIndex} (term ${call.args.lastLogTerm}), asking for votes at ${formatVirtualTime(call.sentAt)}`;
    }
    if (call.method !== "AppendEntries") return "never seen";
    const verb = how === "sent" ? "sending as leader" : "acknowledging";
    const at = how === "sent" ? call.sentAt : call.answeredAt!;
    return `≥ ${call.covers.index} (term ${call.covers.term}), ${verb} AppendEntries #${call.id} at ${formatVirtualTime(at)}`;
  }
}

/** One server as the tester saw it, for the report. */
export interface ServerSeen {
  /** "leader" / "follower or candidate" (getState()), or "crashed". */
  role: string;
  term: number | undefined;
  connected: boolean;
  /** The highest index it applied. */
  applied: number;
  /** The command it applied at the index in question, if any. */
  appliedAtIndex: unknown;
}

/** The report's text: a headline, then one line per server, then the last leader change. */
export function describeAgreementFailure(
  headline: string,
  index: number,
  servers: ServerSeen[],
  wire: LogsOnTheWire,
  lastLeaderChange: string | undefined,
  show: (command: unknown) => string,
): string {
  const lines = [headline];
  lines.push(index === -1 ? "  No server accepted it as leader on the last try. What the tester saw:" : `  It was last started at index ${index}. What the tester saw:`);
  servers.forEach((s, i) => {
    const state = s.role === "crashed" ? "crashed" : `${s.role}, term ${s.term}${s.connected ? "" : ", disconnected"}`;
    lines.push(`    server ${i}: ${state}; applied through ${s.applied}; log ${wire.logEnd(i)}`);
    if (index === -1) return;
    const at =
      s.appliedAtIndex !== undefined
        ? `applied ${show(s.appliedAtIndex)}`
        : (wire.heldAt(i, index, show) ?? "nothing seen");
    lines.push(`      at index ${index}: ${at}`);
  });
  lines.push(`  Last leader change: ${lastLeaderChange ?? "no server has acted as leader yet"}.`);
  return lines.join("\n");
}
