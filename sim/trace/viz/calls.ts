// The network's journal entries paired up into calls: one record per RPC id, from its send to its
// reply or failure (sim/net/rpc-entries.ts lists the steps), with what became of it and the marks
// the page draws — slow, reordered, duplicated, addressed to a crashed node, held by a script.
import type { JournalEntry } from "../../core/index.ts";
import { DropReason, RpcKind } from "../../net/index.ts";
import { rpcOf } from "../record.ts";
import { Fate, MessageFlag } from "./page-data.ts";

export interface Call {
  rpc: number;
  method: string;
  /** The caller and the server as the journal names them ("kv-1#2"; "server 3" if never reached). */
  from: string;
  to: string;
  /** Journal indices of the call's steps, or -1. */
  send: number;
  deliver: number;
  respond: number;
  reply: number;
  fail: number;
  /** When a script held the request (Network.holdRequests), or -1. */
  hold: number;
  drop: number;
  replyDrop: number;
  deliveries: number;
  reason: string | undefined;
  args: unknown;
  replyPayload: unknown;
  fate: Fate;
  flags: number;
}

/** Requests or replies slower than this (ms) are marked slow: more than any reliable or unreliable delay, short of long reordering. */
export const SLOW_MS = 35;

/** A request that never left the caller names its server "server <name>" (sim/net/network.ts). */
const unreachedServer = /^server (.+)$/;

/**
 * Every call in `entries`, in the order of their sends. `nodeOfServer` turns the server name of
 * a request that never reached a server into a node that server was, when known.
 */
export function collectCalls(entries: readonly JournalEntry[], nodeOfServer: (server: string) => string | undefined): Call[] {
  const calls: Call[] = [];
  const byId = new Map<number, Call>();
  entries.forEach((entry, index) => {
    const note = rpcOf(entry);
    if (note === undefined) return;
    let call = byId.get(note.rpc);
    if (call === undefined) {
      if (entry.kind !== RpcKind.send) return; // a journal that starts mid-call
      const unreached = unreachedServer.exec(note.to);
      const to = unreached === null ? note.to : (nodeOfServer(unreached[1]!) ?? note.to);
      call = {
        rpc: note.rpc, method: note.method, from: note.from, to,
        send: -1, deliver: -1, respond: -1, reply: -1, fail: -1, hold: -1, drop: -1, replyDrop: -1, deliveries: 0,
        reason: undefined, args: undefined, replyPayload: undefined, fate: Fate.unanswered, flags: 0,
      };
      calls.push(call);
      byId.set(note.rpc, call);
    }
    const payload = (entry.detail as { payload?: unknown }).payload;
    switch (entry.kind) {
      case RpcKind.send:
        call.send = index;
        call.args = payload;
        break;
      case RpcKind.deliver:
        if (call.deliver < 0) call.deliver = index;
        call.deliveries++;
        break;
      case RpcKind.respond:
        call.respond = index;
        break;
      case RpcKind.reply:
        call.reply = index;
        call.replyPayload = payload;
        break;
      case RpcKind.hold:
        call.hold = index;
        break;
      case RpcKind.drop:
        call.drop = index;
        break;
      case RpcKind.replyDrop:
        call.replyDrop = index;
        call.replyPayload = payload;
        break;
      case RpcKind.fail:
        call.fail = index;
        break;
    }
    if (note.reason !== undefined) call.reason = note.reason;
  });
  for (const call of calls) settle(call, entries);
  markReordered(calls, entries);
  return calls;
}

/** Fate and the marks that one call's own steps decide. */
function settle(call: Call, entries: readonly JournalEntry[]): void {
  if (call.deliver < 0) {
    call.fate = call.drop >= 0 || call.fail >= 0 ? Fate.requestDropped : Fate.unanswered;
  } else if (call.reply >= 0) {
    call.fate = Fate.answered;
  } else {
    call.fate = call.replyDrop >= 0 || (call.respond >= 0 && call.fail >= 0) ? Fate.replyDropped : Fate.unanswered;
  }
  // A held request is not slow: the script chose when it arrives.
  if (call.deliver >= 0 && call.hold < 0 && entries[call.deliver]!.time - entries[call.send]!.time > SLOW_MS) call.flags |= MessageFlag.slow;
  if (call.reply >= 0 && call.respond >= 0 && entries[call.reply]!.time - entries[call.respond]!.time > SLOW_MS) call.flags |= MessageFlag.slowReply;
  if (call.deliveries > 1) call.flags |= MessageFlag.duplicated;
  if (call.reason === DropReason.crashed) call.flags |= MessageFlag.toCrashed;
}

/**
 * A request is reordered when it is delivered after a request sent later on the same link, and
 * a reply when it arrives after a reply sent later on it. The tester's calls (the clerks') are
 * left out: every clerk has ends of its own, so two of them share no link.
 */
function markReordered(calls: readonly Call[], entries: readonly JournalEntry[]): void {
  const mark = (leg: (call: Call) => [number, number] | undefined, key: (call: Call) => string): void => {
    const links = new Map<string, { sent: number; arrived: number; call: Call }[]>();
    for (const call of calls) {
      const times = leg(call);
      if (times === undefined || call.from === "tester") continue;
      const link = key(call);
      let list = links.get(link);
      if (list === undefined) links.set(link, (list = []));
      list.push({ sent: times[0], arrived: times[1], call });
    }
    for (const list of links.values()) {
      list.sort((a, b) => a.sent - b.sent);
      // Walk back over groups sent at one instant (they have no order among themselves).
      let earliestLater = Infinity;
      for (let end = list.length; end > 0; ) {
        let start = end - 1;
        while (start > 0 && list[start - 1]!.sent === list[end - 1]!.sent) start--;
        let earliestHere = Infinity;
        for (let i = start; i < end; i++) {
          if (earliestLater < list[i]!.arrived) list[i]!.call.flags |= MessageFlag.reordered;
          earliestHere = Math.min(earliestHere, list[i]!.arrived);
        }
        earliestLater = Math.min(earliestLater, earliestHere);
        end = start;
      }
    }
  };
  const time = (index: number): number => entries[index]!.time;
  mark((call) => (call.deliver >= 0 ? [time(call.send), time(call.deliver)] : undefined), (call) => `${call.from}→${call.to}`);
  mark((call) => (call.reply >= 0 && call.respond >= 0 ? [time(call.respond), time(call.reply)] : undefined), (call) => `${call.to}→${call.from}`);
}
