// The conformance harness: one Raft server under test, and the harness playing every other peer.
//
// etcd tests its Raft by handing one node crafted messages and checking its answers; this does the
// same for any Raft that follows the lab's API, through the normal network. Server 0 is the
// student's Raft (make(), as the tester makes it). Peers 1..n-1 are the harness: it sends server 0
// whatever RequestVote, AppendEntries and InstallSnapshot a test writes, as the leader or a
// candidate, and answers what server 0 sends them as the test decides (by default: refuse, in the
// sender's term). What server 0 applies is collected from its applyCh, and its persisted state can
// be copied at the instant it sends a reply or a request — restarting from that copy is a crash
// right after that message, the way to check that what it promised was saved before it spoke.
//
// Nothing here knows the reference's internals: a test sees the server under test only through
// its replies, the requests it sends, getState(), start(), applyCh and its persister. The
// network is reliable, with labrpc's usual 2–8 ms latency, so a request is never lost.
import {
  Channel,
  Network,
  Persister,
  Server,
  Service,
  go,
  now,
  sleep,
  type ClientEnd,
  type SimNode,
  type Simulation,
} from "../../sim/index.ts";
import { make, type Raft } from "../../raft/raft.ts";
import type {
  AppendEntriesArgs,
  AppendEntriesReply,
  ApplyMsg,
  InstallSnapshotArgs,
  InstallSnapshotReply,
  LogEntry,
  RaftApi,
  RequestVoteArgs,
  RequestVoteReply,
} from "../../raft/types.ts";
import type { TestContext } from "../harness/define-test.ts";
import { fail } from "../harness/failure.ts";
import type { MakeRaft } from "./substitute.ts";

/** The 6.824 tester's bound: a new leader (so a new election) within 5 s of losing the old one. */
export const ELECTION_WITHIN_MS = 5000;
/** How often the harness checks whether what it waits for has happened. */
const POLL_MS = 5;
/** How often the harness, leading, sends its heartbeats (the lab allows 10 a second; this is twice that). */
const HEARTBEAT_MS = 50;

/** A request server 0 sent to one of the harness's peers. */
export type Incoming =
  | { method: "RequestVote"; to: number; at: number; args: RequestVoteArgs }
  | { method: "AppendEntries"; to: number; at: number; args: AppendEntriesArgs }
  | { method: "InstallSnapshot"; to: number; at: number; args: InstallSnapshotArgs };

/** How the harness's peers answer server 0: a reply for each request, at once or later. */
export type Answer = (request: Incoming) => unknown;

/** The default answer: refuse, in the sender's own term (a peer that voted for someone else, or lacks the entries). */
export const refuse: Answer = (request) => {
  switch (request.method) {
    case "RequestVote":
      return { term: request.args.term, voteGranted: false } satisfies RequestVoteReply;
    case "AppendEntries":
      return { term: request.args.term, success: false, conflictTerm: -1, conflictIndex: 1 } satisfies AppendEntriesReply;
    case "InstallSnapshot":
      return { term: request.args.term } satisfies InstallSnapshotReply;
  }
};

/** Grants every vote and acknowledges every AppendEntries and InstallSnapshot, in the sender's term. */
export const agree: Answer = (request) => {
  switch (request.method) {
    case "RequestVote":
      return { term: request.args.term, voteGranted: true } satisfies RequestVoteReply;
    case "AppendEntries":
      return { term: request.args.term, success: true, conflictTerm: -1, conflictIndex: 0 } satisfies AppendEntriesReply;
    case "InstallSnapshot":
      return { term: request.args.term } satisfies InstallSnapshotReply;
  }
};

/** An n-server cluster whose server 0 is under test; cleaned up when the test ends. */
export function makePeerHarness(t: TestContext, n = 3): PeerHarness {
  const harness = new PeerHarness(t.sim, n, t.substitutes.makeRaft ?? make);
  t.defer(() => harness.cleanup());
  return harness;
}

export class PeerHarness {
  readonly net: Network;
  /** How the harness's peers answer server 0; a test may change it at any time. */
  answer: Answer = refuse;
  /** Every request server 0 has sent the harness, in order. */
  readonly requests: Incoming[] = [];
  /** Every message server 0 has sent on applyCh, in order (all incarnations). */
  readonly applied: ApplyMsg[] = [];
  private raft!: Raft;
  private node!: SimNode;
  /** Server 0's ends to each peer (this incarnation's), and which peers it is connected to. */
  private ends: ClientEnd<RaftApi>[] = [];
  private readonly linked: boolean[];
  private persister = new Persister();
  /** Ends from each harness peer to server 0. */
  private readonly toServer: ClientEnd<RaftApi>[] = [];
  private leading: { term: number; heartbeat: AppendEntriesArgs } | undefined;
  /** When set, a copy of server 0's persister is taken at the next matching message it sends. */
  private keep: { step: "request" | "reply"; method: string; copy?: Persister } | undefined;

  constructor(
    readonly sim: Simulation,
    readonly n: number,
    private readonly makeRaft: MakeRaft,
  ) {
    this.net = new Network(sim);
    this.linked = new Array<boolean>(n).fill(true);
    for (let j = 1; j < n; j++) {
      const node = sim.createNode(`peer-${j}`);
      const receive = (method: Incoming["method"]) => (args: never) => this.receive({ method, to: j, at: now(), args } as Incoming);
      const peer = { requestVote: receive("RequestVote"), appendEntries: receive("AppendEntries"), installSnapshot: receive("InstallSnapshot") };
      this.net.addServer(String(j), new Server(node, [new Service("Raft", peer)]));
      const end = this.net.makeEnd<RaftApi>(`${j}->0`, String(j));
      this.net.connect(end, "0");
      this.net.enable(end, true);
      this.toServer[j] = end;
    }
    this.net.watch({
      request: (call) => this.keepIf("request", call.from === "0" ? call.method : undefined),
      reply: (call) => this.keepIf("reply", call.to === "0" ? call.method : undefined),
    });
    this.startServer(this.persister);
    go(() => this.heartbeats());
  }

  // --- talking to server 0 ---------------------------------------------------------------------

  /** Server 0's getState(). */
  state(): { term: number; isLeader: boolean } {
    return this.sim.runAs(this.node, () => this.raft.getState());
  }

  /** Server 0's start(command). */
  start(command: unknown): { index: number; term: number; isLeader: boolean } {
    return this.sim.runAs(this.node, () => this.raft.start(command));
  }

  /** Server 0's snapshot(index, data), as its service would call it. */
  snapshot(index: number, data: Uint8Array): void {
    this.sim.runAs(this.node, () => this.raft.snapshot(index, data));
  }

  requestVote(from: number, args: RequestVoteArgs): Promise<RequestVoteReply> {
    return this.call(from, "Raft.requestVote", args);
  }

  appendEntries(from: number, args: AppendEntriesArgs): Promise<AppendEntriesReply> {
    return this.call(from, "Raft.appendEntries", args);
  }

  installSnapshot(from: number, args: InstallSnapshotArgs): Promise<InstallSnapshotReply> {
    return this.call(from, "Raft.installSnapshot", args);
  }

  /**
   * Does the server's log hold an entry of `term` at `index`? Asked the only way the API allows:
   * an AppendEntries in the server's own term, from the peer leading (peer 1 if none), with that
   * entry as prevLog and nothing to append — which Figure 2 answers with success exactly when it
   * does, changing nothing (except that a candidate becomes a follower). Not while server 0 leads.
   */
  async holds(index: number, term: number): Promise<boolean> {
    const from = this.leading?.heartbeat.leaderId ?? 1;
    const args = { term: this.state().term, leaderId: from, prevLogIndex: index, prevLogTerm: term, entries: [], leaderCommit: 0 };
    return (await this.appendEntries(from, args)).success;
  }

  private async call<R>(from: number, method: string, args: unknown): Promise<R> {
    const reply = (await this.toServer[from]!.call(method as never, args as never)) as R | null;
    // The network is reliable: only a dead or missing server leaves a call unanswered.
    if (reply === null) fail(`the server under test did not answer ${method} from server ${from} (it is crashed, or its handler threw)`);
    return reply;
  }

  // --- playing the leader ----------------------------------------------------------------------

  /**
   * Peer `from` acts as leader of `term`: the appendEntries given are sent now, and an empty
   * AppendEntries with the same prevLog and leaderCommit every 50 ms from then on, until lead() is
   * called again or stopLeading(). Resolves to the reply to the first one.
   */
  async lead(term: number, first: Omit<AppendEntriesArgs, "term" | "leaderId">, from = 1): Promise<AppendEntriesReply> {
    const args: AppendEntriesArgs = { term, leaderId: from, ...first };
    this.leading = { term, heartbeat: { ...args, prevLogIndex: args.prevLogIndex + args.entries.length, prevLogTerm: lastTerm(args), entries: [] } };
    return this.appendEntries(from, args);
  }

  stopLeading(): void {
    this.leading = undefined;
  }

  private async heartbeats(): Promise<void> {
    for (;;) {
      await sleep(HEARTBEAT_MS);
      const leading = this.leading;
      if (leading !== undefined) void this.toServer[leading.heartbeat.leaderId]!.call("Raft.appendEntries", leading.heartbeat);
    }
  }

  /** Cuts server 0 off from harness peer j, both ways (its calls to j fail, as j's to it), or joins them again. */
  disconnect(j: number, cut = true): void {
    this.linked[j] = !cut;
    this.net.enable(this.toServer[j]!, !cut);
    this.net.enable(this.ends[j]!, !cut);
  }

  // --- what server 0 sends ---------------------------------------------------------------------

  private receive(request: Incoming): unknown {
    this.requests.push(request);
    return this.answer(request);
  }

  /** Waits (in virtual time) until `until()` holds; fails with `what` (said then) after `withinMs`. */
  async waitFor<T>(until: () => T | undefined | false, withinMs: number, what: string | (() => string)): Promise<T> {
    const deadline = now() + withinMs;
    for (;;) {
      const value = until();
      if (value !== undefined && value !== false) return value;
      if (now() >= deadline) {
        // A skeleton never starts an election: say what is missing rather than what did not happen.
        const silent = this.requests.length === 0 ? "; server 0 has sent no request at all: are its election timeout and RequestVote sender implemented?" : "";
        fail(`${typeof what === "string" ? what : what()} (waited ${withinMs / 1000} s of virtual time)${silent}`);
      }
      await sleep(POLL_MS);
    }
  }

  /** The next request of `method` server 0 sends after this moment (to any peer), within `withinMs`. */
  async nextRequest<M extends Incoming["method"]>(method: M, withinMs: number, what: string): Promise<Incoming & { method: M }> {
    const from = this.requests.length;
    return this.waitFor(() => this.requests.slice(from).find((r): r is Incoming & { method: M } => r.method === method), withinMs, what);
  }

  /** Whether server 0 sends a request of `method` in the next `ms`; the first such request, or undefined. */
  async sendsWithin<M extends Incoming["method"]>(method: M, ms: number): Promise<(Incoming & { method: M }) | undefined> {
    const from = this.requests.length;
    await sleep(ms);
    return this.requests.slice(from).find((r): r is Incoming & { method: M } => r.method === method);
  }

  // --- crashes ---------------------------------------------------------------------------------

  /**
   * A copy of server 0's persister taken when it next sends a `step` (a request, or a reply) of
   * `method` ("Raft.requestVote"): what it had saved by then. Call before that message is sent.
   */
  keepStateAt(step: "request" | "reply", method: string): () => Persister {
    const keep: NonNullable<PeerHarness["keep"]> = { step, method };
    this.keep = keep;
    return () => keep.copy ?? fail(`tester bug: server 0 has sent no ${method} ${step} since keepStateAt()`);
  }

  private keepIf(step: "request" | "reply", method: string | undefined): void {
    const keep = this.keep;
    if (keep === undefined || keep.step !== step || keep.method !== method) return;
    keep.copy = this.persister.copy();
    this.keep = undefined;
  }

  /** Crashes server 0 and starts it again on `saved` (default: everything it saved). */
  restart(saved: Persister = this.persister): void {
    this.crash();
    this.startServer(saved.copy());
  }

  private crash(): void {
    this.net.deleteServer("0");
    this.sim.runAs(this.node, () => this.raft.kill());
    this.sim.crash(this.node);
  }

  private startServer(persister: Persister): void {
    this.persister = persister;
    this.node = this.sim.createNode("raft-0");
    const ends: ClientEnd<RaftApi>[] = [];
    for (let j = 0; j < this.n; j++) {
      const end = this.net.makeEnd<RaftApi>(`0->${j}#${this.node.incarnation}`, "0");
      this.net.connect(end, String(j));
      this.net.enable(end, j !== 0 && this.linked[j]!);
      ends.push(end);
    }
    this.ends = ends;
    const applyCh = new Channel<ApplyMsg>(0, "applyCh of raft-0");
    this.raft = this.sim.runAs(this.node, () => this.makeRaft(ends, 0, persister, applyCh));
    this.sim.runAs(this.node, () =>
      go(async () => {
        for await (const msg of applyCh) this.applied.push(msg);
      }),
    );
    this.net.addServer("0", new Server(this.node, [new Service("Raft", this.raft)]));
  }

  /** The persister server 0 uses now. */
  saved(): Persister {
    return this.persister;
  }

  cleanup(): void {
    if (this.node.alive) this.sim.runAs(this.node, () => this.raft.kill());
  }
}

/** The term of the last entry an AppendEntries covers: its last entry's, or prevLogTerm. */
function lastTerm(args: AppendEntriesArgs): number {
  const last: LogEntry | undefined = args.entries[args.entries.length - 1];
  return last === undefined ? args.prevLogTerm : last.term;
}

/** Log entries of one term with the given commands, for a test's AppendEntries. */
export function entries(term: number, ...commands: unknown[]): LogEntry[] {
  return commands.map((command) => ({ term, command }));
}
