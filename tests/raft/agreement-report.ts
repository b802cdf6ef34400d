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
import type { AppendCall, MomentsRead, RaftCall, RaftMonitor } from "../harness/monitors/raft-wire.ts";

export class LogsOnTheWire implements RaftMonitor {
  /**
   * held[server]: the AppendEntries seen to put entries in the server's log — sent by the server as
   * leader, or acknowledged by it — oldest first; the last one whose entries cover an index is what
   * the server was last seen holding there. A call is dropped once a later one covers all its
   * entries (most do: a leader resends from where the follower's log matches), so this stores a
   * reference per message, never one per entry: it runs for every AppendEntries of every test.
   */
  private readonly held: AppendCall[][];
  /**
   * The last message that showed where each server's log ends: its RequestVote (exactly), or an
   * AppendEntries it sent or acknowledged (at least).
   */
  private readonly ends: (RaftCall | undefined)[];

  readonly reads: MomentsRead = { request: ["RequestVote", "AppendEntries"], answer: ["AppendEntries"] };

  constructor(n: number) {
    this.held = Array.from({ length: n }, () => []);
    this.ends = new Array<RaftCall | undefined>(n).fill(undefined);
  }

  request(call: RaftCall): void {
    if (call.method === "RequestVote") this.ends[call.from] = call;
    else if (call.method === "AppendEntries") this.hold(call.from, call);
  }

  answer(call: RaftCall): void {
    if (call.method === "AppendEntries" && call.reply!.success && call.reply!.term === call.args.term) this.hold(call.to, call);
  }

  private hold(server: number, call: AppendCall): void {
    this.ends[server] = call;
    const { prevLogIndex, entries } = call.args;
    if (entries.length === 0) return;
    const held = this.held[server]!;
    const last = prevLogIndex + entries.length;
    while (held.length > 0) {
      const top = held[held.length - 1]!.args;
      if (top.prevLogIndex < prevLogIndex || top.prevLogIndex + top.entries.length > last) break;
      held.pop();
    }
    held.push(call);
  }

  /** What server `i` was last seen holding at `index`, in words, or undefined. */
  heldAt(i: number, index: number, show: (command: unknown) => string): string | undefined {
    const held = this.held[i]!;
    let call: AppendCall | undefined;
    for (let k = held.length - 1; k >= 0 && call === undefined; k--) {
      const c = held[k]!;
      if (c.args.prevLogIndex < index && index <= c.args.prevLogIndex + c.args.entries.length) call = c;
    }
    if (call === undefined) return undefined;
    const entry = call.args.entries[index - call.args.prevLogIndex - 1]!;
    const sent = call.from === i;
    const when = formatVirtualTime(sent ? call.sentAt : call.answeredAt!);
    return `${show(entry.command)} (term ${entry.term}), ${sent ? "sent" : "acknowledged"} in AppendEntries #${call.id} at ${when}`;
  }

  /** Where server `i`'s log was last seen to end, in words. */
  logEnd(i: number): string {
    const call = this.ends[i];
    if (call === undefined) return "never seen";
    if (call.method === "RequestVote") {
      return `= ${call.args.lastLogIndex} (term ${call.args.lastLogTerm}), asking for votes at ${formatVirtualTime(call.sentAt)}`;
    }
    if (call.method !== "AppendEntries") return "never seen";
    const sent = call.from === i;
    const verb = sent ? "sending as leader" : "acknowledging";
    const at = sent ? call.sentAt : call.answeredAt!;
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
