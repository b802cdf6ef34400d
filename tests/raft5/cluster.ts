// The lab-5 tester: lab 2's tester (tests/raft/config.ts) running extended Rafts, with what the 5A
// tests need beyond it — per-server options, links cut one pair at a time, each server's status(),
// and two watchers that read every Raft message on the wire (so they judge the run event by event,
// not by sampling):
//   - leaderChanges: each (term, leader) in the order its first AppendEntries or InstallSnapshot
//     left the leader, with the virtual time;
//   - termsOf(i, since): every term server i's messages carried from virtual time `since` on, so a
//     test can assert that a server's term never moved (a PreVote request carries the term it
//     would campaign in, currentTerm + 1: it counts as currentTerm);
//   - VoteLeaseNeedsALeader (vote-lease-monitor.ts), beside the Figure-2 monitors, which are told
//     that these Rafts have the vote lease.
//
// Servers are "0" … "n-1"; cut(a, b) cuts both directions of one link, cutOneWay(a, b) only a → b
// (sim/net's one-way cut: whatever a sends b is lost, its requests and its replies).
//
// For 5B: transfer(i, target) calls server i's transferLeadership() as its node; and every run
// checks, message by message, that a leader that sent TimeoutNow appends nothing more while its
// transfer is under way (an AppendEntries of its term reaching past the TimeoutNow's last entry,
// sent while its status() still names a transferee, fails the run at once; once the transfer has
// been given up, the leader accepts commands again).
//
// For 5C: readIndex(i) calls server i's readIndex() as its node; confirms lists the
// ConfirmLeadership requests the wire carried; and `drop`, when set, is asked about every call a
// Raft makes before it reaches the network: a call it drops fails as a lost one does (null, after
// DROPPED_CALL_MS), unseen by the wire. That is how a test holds back one kind of message (say, a
// new leader's AppendEntries with entries, while its heartbeats go through), the way
// tests/raft/peer-harness.ts plays peers: in the tester, not in the network. `delayReply`, when
// set, holds a call's reply that long once it has come back, before the Raft sees it (a reply
// "delayed in the network" that no partition can lose any more). deliverTimeoutNow(to, args)
// plays a leader's TimeoutNow to server `to`, as that server's node.
//
// For 5D: leaseRead(i) calls server i's leaseRead() as its node.
import { type SimNode, type WatchedCall } from "../../sim/index.ts";
import { make, type ExtendedRaft } from "../../raft-extensions/extended-raft.ts";
import type { RaftOptions, RaftStatus, ReadIndexResult, TimeoutNowArgs } from "../../raft-extensions/types.ts";
import type { Peer } from "../../raft/types.ts";
import type { TestContext } from "../harness/define-test.ts";
import { fail } from "../harness/failure.ts";
import { log, sleep } from "../../sim/index.ts";
import { Config } from "../raft/config.ts";
import "./substitute.ts";
import { VoteLeaseNeedsALeader } from "./vote-lease-monitor.ts";

/** Lab 2's tester allows a second for an election; 5A's bounds are stated in election timeouts of this length. */
export const ET = 1000;

/** How long a call the tester drops takes to fail (as if its request were lost and the RPC timed out). */
export const DROPPED_CALL_MS = 10;

/** Whether the tester drops a call server `from` makes to server `to`. */
export type DropRule = (from: number, to: number, method: string, args: unknown) => boolean;

/** How long the tester holds the reply to a call server `from` made to server `to` (0: not at all). */
export type DelayRule = (from: number, to: number, method: string) => number;

/** The rules droppable ends ask (either may be unset). */
export interface Holds {
  drop?: DropRule | undefined;
  delayReply?: DelayRule | undefined;
}

export interface LeaderChange {
  at: number;
  term: number;
  leader: number;
}

export class Cluster {
  readonly cfg: Config;
  /** The options each server is (re)started with: change one, then restart the server. */
  readonly options: RaftOptions[];
  /** Every new (term, leader) the wire showed, in order. */
  readonly leaderChanges: LeaderChange[] = [];
  /** terms[i]: each term server i's messages carried, and when. */
  private readonly terms: { at: number; term: number }[][];
  /** nodes[i]: the node server i's current incarnation runs as. */
  private readonly nodes: (SimNode | null)[];
  /** frozen[i]: the term and last index of server i's latest TimeoutNow: its log must end there in that term. */
  private readonly frozen: ({ term: number; lastLogIndex: number } | null)[];
  /** The TimeoutNow requests the wire carried, and when. */
  readonly timeoutNows: { at: number; from: number; to: number; term: number }[] = [];
  /** The ConfirmLeadership requests the wire carried, and when. */
  readonly confirms: { at: number; from: number; to: number; term: number }[] = [];
  /** Calls the tester drops before they reach the network (see the top of this file); undefined: none. */
  drop: DropRule | undefined;
  /** Replies the tester holds before the Raft sees them (see the top of this file); undefined: none. */
  delayReply: DelayRule | undefined;
  /** The InstallSnapshot requests the wire carried, and when. */
  readonly installSnapshots: { at: number; from: number; to: number }[] = [];

  constructor(
    t: TestContext,
    readonly n: number,
    options: RaftOptions,
    unreliable = false,
    snapshot = false,
  ) {
    this.options = Array.from({ length: n }, () => ({ ...options }));
    this.terms = Array.from({ length: n }, () => []);
    this.nodes = new Array<SimNode | null>(n).fill(null);
    this.frozen = new Array<{ term: number; lastLogIndex: number } | null>(n).fill(null);
    const makeRaft = t.substitutes.makeExtendedRaft ?? make;
    this.cfg = new Config(t.sim, n, unreliable, snapshot, t.print, (peers, me, persister, applyCh) => {
      this.nodes[me] = t.sim.current; // the tester makes each Raft as its node
      return makeRaft(this.droppable(peers, me), me, persister, applyCh, this.options[me]);
    });
    t.defer((passed) => this.cfg.cleanup(passed));
    this.cfg.monitors.terms.voteLease = true;
    this.cfg.monitors.wire.add(new VoteLeaseNeedsALeader(this.cfg.monitors.wire, n));
    this.cfg.net.watch({
      request: (call, args) => this.sawRequest(call, args as { term: number; leaderId?: number }),
      reply: (call, reply) => this.sawReply(call, reply as { term: number; voteGranted?: boolean }),
    });
  }

  /** Server i's status(); it must be running. */
  status(i: number): RaftStatus {
    const rf = this.cfg.raft(i);
    if (rf === null) fail(`tester bug: status() of server ${i}, which is crashed`);
    return (rf as ExtendedRaft).status();
  }

  /** Server i's transferLeadership(target), run as its node; it must be running. */
  transfer(i: number, target: number): void {
    const rf = this.cfg.raft(i);
    const node = this.nodes[i];
    if (rf === null || node === null || node === undefined) fail(`tester bug: transferLeadership() on server ${i}, which is crashed`);
    log("tester", `asks ${i} to transfer leadership to ${target}`);
    this.cfg.sim.runAs(node, () => (rf as ExtendedRaft).transferLeadership(target));
  }

  /** Server i's readIndex(), run as its node; it must be running. */
  readIndex(i: number): Promise<ReadIndexResult> {
    const rf = this.cfg.raft(i);
    const node = this.nodes[i];
    if (rf === null || node === null || node === undefined) fail(`tester bug: readIndex() on server ${i}, which is crashed`);
    return this.cfg.sim.runAs(node, () => (rf as ExtendedRaft).readIndex());
  }

  /** Server i's leaseRead() (5D), run as its node; it must be running. */
  leaseRead(i: number): Promise<ReadIndexResult> {
    const rf = this.cfg.raft(i);
    const node = this.nodes[i];
    if (rf === null || node === null || node === undefined) fail(`tester bug: leaseRead() on server ${i}, which is crashed`);
    return this.cfg.sim.runAs(node, () => (rf as ExtendedRaft).leaseRead());
  }

  /** Runs `fn` as server i's node (5E: its proposeConfChange()); it must be running. */
  runAs<T>(i: number, fn: () => T): T {
    const node = this.nodes[i];
    if (this.cfg.raft(i) === null || node === null || node === undefined) fail(`tester bug: running code as server ${i}, which is crashed`);
    return this.cfg.sim.runAs(node, fn);
  }

  /** Server `me`'s ends, each asking `drop` first. */
  private droppable(peers: Peer[], me: number): Peer[] {
    return droppableEnds(peers, me, this);
  }

  /** Plays a leader's TimeoutNow to server `to`, run as its node; it must be running. */
  deliverTimeoutNow(to: number, args: TimeoutNowArgs): void {
    const rf = this.cfg.raft(to);
    const node = this.nodes[to];
    if (rf === null || node === null || node === undefined) fail(`tester bug: TimeoutNow to server ${to}, which is crashed`);
    log("tester", `plays leader ${args.leaderId}'s TimeoutNow of term ${args.term} to ${to}`);
    this.cfg.sim.runAs(node, () => (rf as ExtendedRaft).timeoutNow(args));
  }

  /** Every term server i's messages carried from virtual time `since` on, in increasing order, each once. */
  termsOf(i: number, since: number): number[] {
    return [...new Set(this.terms[i]!.filter((s) => s.at >= since).map((s) => s.term))].sort((a, b) => a - b);
  }

  /** Leader changes from virtual time `since` on. */
  leaderChangesSince(since: number): LeaderChange[] {
    return this.leaderChanges.filter((c) => c.at >= since);
  }

  cutOneWay(from: number, to: number, cut = true): void {
    this.cfg.net.setOneWayCut(from, to, cut);
  }

  cut(a: number, b: number, cut = true): void {
    this.cutOneWay(a, b, cut);
    this.cutOneWay(b, a, cut);
  }

  /** Cuts every link of server i (its node keeps running: a partition, not a crash). */
  isolate(i: number, cut = true): void {
    for (let j = 0; j < this.n; j++) if (j !== i) this.cut(i, j, cut);
  }

  /** Exactly these links work, both ways; every other pair is cut. */
  topology(links: readonly [number, number][]): void {
    for (let a = 0; a < this.n; a++) {
      for (let b = a + 1; b < this.n; b++) this.cut(a, b, !links.some(([x, y]) => (x === a && y === b) || (x === b && y === a)));
    }
  }

  healAll(): void {
    this.topology(allPairs(this.n));
  }

  /** The highest term any running server holds. */
  maxTerm(): number {
    let max = 0;
    for (let i = 0; i < this.n; i++) if (this.cfg.raft(i) !== null) max = Math.max(max, this.status(i).term);
    return max;
  }

  private sawRequest(call: WatchedCall, args: { term: number; leaderId?: number }): void {
    const from = serverIndex(call.from);
    if (from === undefined) return;
    if (call.method === "Raft.forwardTransfer") return; // it carries no term
    if (call.method === "Raft.timeoutNow") this.sawTimeoutNow(call, from, args as { term: number; lastLogIndex: number });
    if (call.method === "Raft.confirmLeadership") this.confirms.push({ at: this.cfg.sim.now, from, to: serverIndex(call.to) ?? -1, term: args.term });
    if (call.method === "Raft.leaderReadIndex") return; // it carries no term
    if (call.method === "Raft.installSnapshot") this.installSnapshots.push({ at: this.cfg.sim.now, from, to: serverIndex(call.to) ?? -1 });
    if (call.method === "Raft.appendEntries") this.checkFrozen(from, args as { term: number; prevLogIndex: number; entries: unknown[] });
    if (call.method === "Raft.preVote") {
      this.saw(from, args.term - 1);
      return;
    }
    this.saw(from, args.term);
    if (call.method === "Raft.appendEntries" || call.method === "Raft.installSnapshot") {
      const last = this.leaderChanges[this.leaderChanges.length - 1];
      const seen = this.leaderChanges.some((c) => c.term === args.term && c.leader === from);
      if (!seen && (last === undefined || last.term !== args.term || last.leader !== from)) {
        this.leaderChanges.push({ at: this.cfg.sim.now, term: args.term, leader: from });
      }
    }
  }

  private sawTimeoutNow(call: WatchedCall, from: number, args: { term: number; lastLogIndex: number }): void {
    this.frozen[from] = { term: args.term, lastLogIndex: args.lastLogIndex };
    this.timeoutNows.push({ at: this.cfg.sim.now, from, to: serverIndex(call.to) ?? -1, term: args.term });
  }

  /** A leader that sent TimeoutNow appends nothing more while its transfer is under way (test plan id L6). */
  private checkFrozen(from: number, args: { term: number; prevLogIndex: number; entries: unknown[] }): void {
    const frozen = this.frozen[from];
    if (frozen === null || frozen === undefined || frozen.term !== args.term) return;
    const last = args.prevLogIndex + args.entries.length;
    if (last <= frozen.lastLogIndex) return;
    const rf = this.cfg.raft(from) as ExtendedRaft | null;
    if (rf !== null && rf.status().leadTransferee === null) {
      this.frozen[from] = null; // the transfer was given up: commands are welcome again
      return;
    }
    this.cfg.sim.fail(
      `lab-5 monitor: a leader that sent TimeoutNow appends nothing more while its transfer is under way — server ${from} sent TimeoutNow in term ${args.term} ` +
        `with its log ending at ${frozen.lastLogIndex}, then, still transferring, an AppendEntries of term ${args.term} reaching index ${last}. ` +
        "A leader that is handing its leadership over must refuse new commands from the moment the transfer begins.",
    );
  }

  private sawReply(call: WatchedCall, reply: { term: number; voteGranted?: boolean }): void {
    const server = serverIndex(call.to);
    if (server === undefined || call.method === "Raft.forwardTransfer" || call.method === "Raft.leaderReadIndex") return;
    if (call.method === "Raft.preVote" && reply.voteGranted === true) return; // a grant echoes the asker's term
    this.saw(server, reply.term);
  }

  private saw(server: number, term: number): void {
    this.terms[server]!.push({ at: this.cfg.sim.now, term });
  }
}

/** Server `me`'s ends, each asking `holds` (as it is at the call) whether to drop a call, or hold its reply (see the top of this file). */
export function droppableEnds(peers: Peer[], me: number, holds: Holds): Peer[] {
  return peers.map((end, to) => {
    const filtered = Object.create(end) as Peer;
    const call = end.call.bind(end) as (method: string, args: unknown) => Promise<unknown>;
    (filtered as { call: unknown }).call = async (method: string, args: unknown) => {
      if (holds.drop?.(me, to, method, args) === true) {
        await sleep(DROPPED_CALL_MS);
        return null;
      }
      const reply = await call(method, args);
      const delay = holds.delayReply?.(me, to, method) ?? 0;
      if (delay > 0) await sleep(delay);
      return reply;
    };
    return filtered;
  });
}

function serverIndex(name: string | undefined): number | undefined {
  if (name === undefined || !/^\d+$/.test(name)) return undefined;
  return Number(name);
}

export function allPairs(n: number): [number, number][] {
  const pairs: [number, number][] = [];
  for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) pairs.push([a, b]);
  return pairs;
}

/** How leader changes read in a failure message: "term 3: 1 at 1204 ms, term 4: 2 at 2310 ms". */
export function showChanges(changes: readonly LeaderChange[]): string {
  return changes.length === 0 ? "none" : changes.map((c) => `term ${c.term}: ${c.leader} at ${c.at} ms`).join(", ");
}
