// Raft's messages, read off the wire. The Figure-2 monitors (the other files of this folder) check
// what Raft peers say to each other as a run goes, without any help from the code under test:
// RaftWire watches the network (Network.watch), recognizes the calls of Figure 2's three RPCs
// between two peers of one cluster, and shows each monitor every one of them (or those it says it
// reads: RaftMonitor.reads) at three moments — when the request leaves its sender, when the reply
// leaves the server, and when the reply reaches the sender.
//
// Who sent a message is what the network says (the calling end belongs to that server), never what
// the message claims (candidateId, leaderId). A peer is its index in its cluster, the same across
// its restarts, since Figure 2's persistent state must survive them. A cluster is one Raft group:
// the lab 2 and lab 3 testers have one, lab 4's has the shardmaster's and one per replica group.
//
// A monitor that finds a rule broken calls violation(): the run fails at once with the rule, the
// messages that prove it (ids, times, nodes, terms), and the usual seed and replay command.
import type { RpcObserver, Simulation, WatchedCall } from "../../../sim/index.ts";
import { formatVirtualTime } from "../../../sim/index.ts";
import type { AppendEntriesArgs, LogEntry, RequestVoteArgs } from "../../../raft/types.ts";

/** One Raft group: its servers' names on the network, in peer order (server i is peer i). */
export interface RaftCluster {
  /** How messages name it: "" when the tester has only this one, else "group 101", "the shardmaster". */
  readonly name: string;
  readonly servers: readonly string[];
}

/** What every Raft message has: which call, between which peers, when. */
interface RaftCallBase {
  /** The network's id of the call (the journal's `#id`). */
  readonly id: number;
  readonly cluster: RaftCluster;
  /** The peer that sent the request, and the one it went to. */
  readonly from: number;
  readonly to: number;
  /** Their nodes, with incarnation ("raft-2#1"). */
  readonly fromNode: string;
  readonly toNode: string;
  readonly sentAt: number;
  /** When the reply left the server, and when it reached the sender (undefined: not yet, or never). */
  repliedAt?: number;
  answeredAt?: number;
}

export interface VoteCall extends RaftCallBase {
  readonly method: "RequestVote";
  readonly args: RequestVoteArgs;
  reply?: { term: number; voteGranted: boolean };
}

/** AppendEntries and InstallSnapshot: a leader's requests, each covering its log up to some entry. */
interface LeaderCallBase extends RaftCallBase {
  readonly term: number;
  /** The last entry of the leader's log this request covers: the last one sent, or prevLog, or the snapshot's last. */
  readonly covers: { readonly index: number; readonly term: number };
}

export interface AppendCall extends LeaderCallBase {
  readonly method: "AppendEntries";
  /** The request as sent (the entries array is the one the server got). */
  readonly args: AppendEntriesArgs;
  reply?: { term: number; success: boolean };
}

export interface SnapshotCall extends LeaderCallBase {
  readonly method: "InstallSnapshot";
  readonly args: { term: number; lastIncludedIndex: number; lastIncludedTerm: number };
  reply?: { term: number };
}

export type RaftCall = VoteCall | AppendCall | SnapshotCall;
export type LeaderCall = AppendCall | SnapshotCall;

/** A Figure-2 rule, checked on every message. Each method is optional. */
export interface RaftMonitor {
  /** A request left its sender. */
  request?(call: RaftCall): void;
  /** The server's reply left it (call.reply is set); the network may still lose it. */
  reply?(call: RaftCall): void;
  /** The reply reached the sender, which now acts on it. */
  answer?(call: RaftCall): void;
  /**
   * The RPCs each moment shows this monitor, if not all of Figure 2's three: the wire shows it no
   * others (a heartbeat's answer then reaches only the monitors that read AppendEntries' answers).
   */
  readonly reads?: MomentsRead;
}

/** Per moment, the RPCs a monitor reads at it; a moment left out shows it every RPC. */
export interface MomentsRead {
  readonly request?: readonly RaftCall["method"][];
  readonly reply?: readonly RaftCall["method"][];
  readonly answer?: readonly RaftCall["method"][];
}

/** A peer as messages name it: "server 2" or "server 2 of group 101", with its node. */
export function peerName(cluster: RaftCluster, peer: number, node?: string): string {
  const name = cluster.name === "" ? `server ${peer}` : `server ${peer} of ${cluster.name}`;
  return node === undefined ? name : `${name} (${node})`;
}

/** One line per message: what was sent, by whom, when, and what came back. */
export function describeCall(call: RaftCall): string {
  const head = `${call.method} #${call.id} ${call.fromNode} → ${call.toNode}, sent at ${formatVirtualTime(call.sentAt)}`;
  return `${head}: ${describeArgs(call)}${describeReply(call)}`;
}

function describeArgs(call: RaftCall): string {
  switch (call.method) {
    case "RequestVote": {
      const a = call.args;
      return `term ${a.term}, last log entry ${a.lastLogIndex} of term ${a.lastLogTerm}`;
    }
    case "AppendEntries": {
      const a = call.args;
      const n = a.entries.length;
      const entries = n === 0 ? "no entries" : `entries ${a.prevLogIndex + 1}..${a.prevLogIndex + n} (last of term ${call.covers.term})`;
      return `term ${a.term}, prevLog ${a.prevLogIndex} of term ${a.prevLogTerm}, ${entries}, leaderCommit ${a.leaderCommit}`;
    }
    case "InstallSnapshot":
      return `term ${call.args.term}, snapshot through ${call.args.lastIncludedIndex} of term ${call.args.lastIncludedTerm}`;
  }
}

function describeReply(call: RaftCall): string {
  if (call.reply === undefined || call.repliedAt === undefined) return "; no reply seen";
  const when = call.answeredAt === undefined ? `replied at ${formatVirtualTime(call.repliedAt)} (not received)` : `reply received at ${formatVirtualTime(call.answeredAt)}`;
  let what = `term ${call.reply.term}`;
  if (call.method === "RequestVote") what += call.reply!.voteGranted ? ", vote granted" : ", vote refused";
  if (call.method === "AppendEntries") what += call.reply!.success ? ", success" : ", rejected";
  return `; ${when}: ${what}`;
}

/** Figure 2's RPCs, in the order the wire keeps a list of monitors for each. */
const METHODS: readonly RaftCall["method"][] = ["RequestVote", "AppendEntries", "InstallSnapshot"];

/** The method names of Figure 2's RPCs on the wire ("Raft.appendEntries"), to their place in METHODS. */
const raftMethods: ReadonlyMap<string, number> = new Map([
  ["Raft.requestVote", 0],
  ["Raft.appendEntries", 1],
  ["Raft.installSnapshot", 2],
]);

/** A moment's monitors, one list per method of METHODS. */
type MonitorsByMethod = readonly [RaftMonitor[], RaftMonitor[], RaftMonitor[]];

export class RaftWire implements RpcObserver {
  private readonly peers = new Map<string, { cluster: RaftCluster; index: number }>();
  /** Calls whose end at the sender has not come yet, by id. */
  private readonly pending = new Map<number, RaftCall>();
  /** The monitors that take each of the three moments, per method (most read only some of them). */
  private readonly onRequest: MonitorsByMethod = [[], [], []];
  private readonly onReply: MonitorsByMethod = [[], [], []];
  private readonly onAnswer: MonitorsByMethod = [[], [], []];

  constructor(
    private readonly sim: Simulation,
    clusters: readonly RaftCluster[],
  ) {
    for (const cluster of clusters) cluster.servers.forEach((name, index) => this.peers.set(name, { cluster, index }));
  }

  /** Shows `monitor` every Raft message from now on. */
  add<M extends RaftMonitor>(monitor: M): M {
    const reads = monitor.reads;
    METHODS.forEach((method, m) => {
      if (monitor.request !== undefined && (reads?.request?.includes(method) ?? true)) this.onRequest[m].push(monitor);
      if (monitor.reply !== undefined && (reads?.reply?.includes(method) ?? true)) this.onReply[m].push(monitor);
      if (monitor.answer !== undefined && (reads?.answer?.includes(method) ?? true)) this.onAnswer[m].push(monitor);
    });
    return monitor;
  }

  /**
   * Fails the run: `rule` broken, `what` happened, and the messages that prove it. The rule is a
   * Figure-2 rule; the message says why a correct Raft keeps it, so that it leads to the bug.
   */
  violation(rule: string, what: string, evidence: readonly RaftCall[], why: string): void {
    const lines = [`Figure 2 monitor: ${rule} — ${what}`, ...evidence.map((c) => `    ${describeCall(c)}`), `  ${why}`];
    this.sim.fail(lines.join("\n"));
  }

  request(call: WatchedCall, args: unknown): void {
    const method = raftMethods.get(call.method);
    if (method === undefined || call.from === undefined) return;
    const from = this.peers.get(call.from);
    const to = this.peers.get(call.to);
    if (from === undefined || to === undefined || from.cluster !== to.cluster) return;
    const m = readRequest(METHODS[method]!, args, call.id, from.cluster, from.index, to.index, call.callerName, call.serverName, this.sim.now);
    this.pending.set(call.id, m);
    for (const monitor of this.onRequest[method]) monitor.request!(m);
  }

  reply(call: WatchedCall, reply: unknown): void {
    const m = this.pending.get(call.id);
    if (m === undefined) return;
    const r = reply as { term: number; voteGranted?: boolean; success?: boolean };
    // Copied: the sender may change its reply object once it has it.
    if (m.method === "RequestVote") m.reply = { term: r.term, voteGranted: r.voteGranted === true };
    else if (m.method === "AppendEntries") m.reply = { term: r.term, success: r.success === true };
    else m.reply = { term: r.term };
    m.repliedAt = this.sim.now;
    for (const monitor of this.onReply[methodIndex(m)]) monitor.reply!(m);
  }

  answer(call: WatchedCall, reply: unknown): void {
    const m = this.pending.get(call.id);
    if (m === undefined) return;
    this.pending.delete(call.id);
    if (reply === null || m.reply === undefined) return;
    m.answeredAt = this.sim.now;
    for (const monitor of this.onAnswer[methodIndex(m)]) monitor.answer!(m);
  }
}

/** The call's method's place in METHODS. */
function methodIndex(call: RaftCall): 0 | 1 | 2 {
  return call.method === "RequestVote" ? 0 : call.method === "AppendEntries" ? 1 : 2;
}

/**
 * The request's fields the monitors read, copied now: the server's handler may change its arguments.
 * Every field a call will have is there from the start (reply and times undefined), so that calls
 * of one method share one shape: this runs for every Raft message of every test.
 */
function readRequest(
  method: RaftCall["method"],
  args: unknown,
  id: number,
  cluster: RaftCluster,
  from: number,
  to: number,
  fromNode: string,
  toNode: string,
  sentAt: number,
): RaftCall {
  switch (method) {
    case "RequestVote": {
      const a = args as RequestVoteArgs;
      const copy = { term: a.term, candidateId: a.candidateId, lastLogIndex: a.lastLogIndex, lastLogTerm: a.lastLogTerm };
      return { id, cluster, from, to, fromNode, toNode, sentAt, repliedAt: undefined, answeredAt: undefined, method, args: copy, reply: undefined };
    }
    case "AppendEntries": {
      const a = args as AppendEntriesArgs;
      const entries: LogEntry[] = Array.isArray(a.entries) ? a.entries : [];
      const n = entries.length;
      // (Not entries[n - 1] for a heartbeat: index -1 is a property name, looked up the slow way.)
      const covers = { index: a.prevLogIndex + n, term: n === 0 ? a.prevLogTerm : entries[n - 1]!.term };
      const copy = { term: a.term, leaderId: a.leaderId, prevLogIndex: a.prevLogIndex, prevLogTerm: a.prevLogTerm, entries, leaderCommit: a.leaderCommit };
      return { id, cluster, from, to, fromNode, toNode, sentAt, repliedAt: undefined, answeredAt: undefined, method, term: a.term, covers, args: copy, reply: undefined };
    }
    case "InstallSnapshot": {
      const a = args as { term: number; lastIncludedIndex: number; lastIncludedTerm: number };
      const copy = { term: a.term, lastIncludedIndex: a.lastIncludedIndex, lastIncludedTerm: a.lastIncludedTerm };
      const covers = { index: a.lastIncludedIndex, term: a.lastIncludedTerm };
      return { id, cluster, from, to, fromNode, toNode, sentAt, repliedAt: undefined, answeredAt: undefined, method, term: a.term, covers, args: copy, reply: undefined };
    }
  }
}
