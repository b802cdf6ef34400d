// A replica set: n servers of one Raft-replicated service on one labrpc-style network, and the
// clerks that talk to them — what 6.824's kvraft/config.go and shardctrler/config.go share (the Go
// files are copies of each other). Each lab's tester extends it: tests/kvraft/config.ts adds
// maxraftstate, sizes and the begin/end statistics; tests/shardmaster/config.ts adds nothing but
// its Clerk.
//
// How the simulation maps onto config.go
//   - Each incarnation of server i is a node ("kv-i", "kv-i#1", …; the prefix is the lab's).
//     Starting server i runs the lab's start function as that node, so every task the server and
//     its Raft start belong to it. shutdownServer(i) disconnects i, deletes its labrpc server
//     (in-flight replies fail), copies its persister, kills the server and then crashes its node:
//     nothing of that incarnation ever runs again.
//   - Raft ends between servers are named "i->j#k" (from i to j, incarnation k of i), with
//     from = "i" for link faults: fresh for every (re)start, like config.go's random end names.
//   - Clerks are tester code. Their ends are "clerk-c->j" (clerk c to server j), made without a
//     `from`; a clerk's requests run in tester tasks and its replies resume those tasks.
//   - The network is reliable until connectAll() has run in the constructor, then
//     setReliable(!unreliable). No longDelays: calls to a dead or disabled server fail within
//     0–99 ms, as in config.go.
//   - Times are virtual milliseconds; randomness comes from the seeded "workload" stream (Go's
//     global math/rand), never Math.random.
//   - The 120 s limit per test is virtual and checked at cleanup() (and kvraft's end()), as in Go.
import {
  Network,
  Persister,
  Server,
  Service,
  describeError,
  now,
  type ClientEnd,
  type RandomStream,
  type SimNode,
  type Simulation,
} from "../../sim/index.ts";
import type { Raft } from "../../raft/raft.ts";
import type { Peer } from "../../raft/types.ts";
import { fail, TestFailure } from "./failure.ts";
import { watchFigure2, type Figure2Monitors } from "./monitors/figure2.ts";
import { observeRaftPeer } from "./observe.ts";

/** checkTimeout: a test may take this long (virtual) from make_config to end/cleanup. */
const TEST_TIME_LIMIT_MS = 120_000;

/** What the tester needs of every replica: its Raft peer, and a way to stop it. */
export interface Replica {
  readonly rf: Raft;
  kill(): void;
}

export interface ReplicaSetOptions<S extends Replica, C, Api extends object> {
  /** The prefix of the servers' node names: "kv" makes "kv-0", "kv-1", … */
  nodeName: string;
  /** The labrpc service name of the replicas' own RPCs ("KVServer", "ShardMaster"). */
  service: string;
  /** The 6.824 name of `start`, for failure messages ("StartKVServer"). */
  startName: string;
  /** Starts one replica (runs as its node): Go's StartKVServer, StartServer. */
  start: (peers: Peer[], me: number, persister: Persister) => S;
  /** Makes a clerk from its ends (Go's MakeClerk). */
  makeClerk: (ends: ClientEnd<Api>[]) => C;
}

export class ReplicaSet<S extends Replica, C extends object, Api extends object> {
  readonly net: Network;
  /** The Figure-2 monitors on the servers' Raft messages (lab 5 tells them of the vote lease). */
  readonly monitors: Figure2Monitors;
  /** The tester's random stream (Go's global math/rand). */
  readonly rand: RandomStream;
  /** servers[i]: server i's running incarnation (null while it is shut down). */
  protected readonly servers: (S | null)[];
  private readonly nodes: (SimNode | null)[];
  /** saved[i]: server i's persister (a copy is handed to each new incarnation). */
  protected readonly saved: (Persister | null)[];
  /** endnames[i][j]: server i's current end to server j (null before i's first start). */
  private readonly endnames: (ClientEnd<object>[] | null)[];
  /** Each clerk's ends, indexed by server (not in the clerk's shuffled order). */
  private readonly clerks = new Map<C, ClientEnd<Api>[]>();
  private clerkCount = 0;
  private readonly start: number;

  constructor(
    readonly sim: Simulation,
    readonly n: number,
    unreliable: boolean,
    private readonly options: ReplicaSetOptions<S, C, Api>,
  ) {
    this.rand = sim.stream("workload");
    this.net = new Network(sim);
    this.monitors = watchFigure2(sim, this.net, [{ name: "", servers: this.all().map(String) }]);
    this.servers = new Array<S | null>(n).fill(null);
    this.nodes = new Array<SimNode | null>(n).fill(null);
    this.saved = new Array<Persister | null>(n).fill(null);
    this.endnames = new Array<ClientEnd<object>[] | null>(n).fill(null);
    this.start = now();

    // create a full set of servers.
    for (let i = 0; i < n; i++) this.startServer(i);

    this.connectAll();

    this.net.setReliable(!unreliable);
  }

  /** [0, 1, …, n-1]. */
  all(): number[] {
    return Array.from({ length: this.n }, (_, i) => i);
  }

  // --- connectivity ----------------------------------------------------------------------------

  /** Attaches server i to the servers listed in `to` (both directions). */
  private connectUnlocked(i: number, to: number[]): void {
    // outgoing socket files
    for (const j of to) {
      const end = this.endnames[i]?.[j];
      if (end !== undefined) this.net.enable(end, true);
    }
    // incoming socket files
    for (const j of to) {
      const end = this.endnames[j]?.[i];
      if (end !== undefined) this.net.enable(end, true);
    }
  }

  /** Detaches server i from the servers listed in `from` (both directions). */
  private disconnectUnlocked(i: number, from: number[]): void {
    // outgoing socket files
    for (const j of from) {
      const end = this.endnames[i]?.[j];
      if (end !== undefined) this.net.enable(end, false);
    }
    // incoming socket files
    for (const j of from) {
      const end = this.endnames[j]?.[i];
      if (end !== undefined) this.net.enable(end, false);
    }
  }

  connectAll(): void {
    for (let i = 0; i < this.n; i++) this.connectUnlocked(i, this.all());
  }

  /**
   * Sets up two partitions with connectivity between servers in each partition. Clerk ends are not
   * affected: clerks can still reach servers on either side.
   */
  partition(p1: number[], p2: number[]): void {
    for (const i of p1) {
      this.disconnectUnlocked(i, p2);
      this.connectUnlocked(i, p1);
    }
    for (const i of p2) {
      this.disconnectUnlocked(i, p1);
      this.connectUnlocked(i, p2);
    }
  }

  // --- clerks ----------------------------------------------------------------------------------

  /**
   * Creates a clerk with its own fresh ends to every server, handed to it in a random order
   * (random_handles), and enables only the ends to servers in `to`.
   */
  makeClient(to: number[]): C {
    const c = this.clerkCount++;
    // a fresh set of ClientEnds.
    const ends: ClientEnd<Api>[] = [];
    for (let j = 0; j < this.n; j++) {
      const end = this.net.makeEnd<Api>(`clerk-${c}->${j}`);
      this.net.connect(end, String(j));
      ends.push(end);
    }
    const ck = this.options.makeClerk(this.randomHandles(ends));
    this.clerks.set(ck, ends);
    this.connectClient(ck, to);
    return ck;
  }

  deleteClient(ck: C): void {
    this.clerks.delete(ck);
  }

  /** Enables the clerk's ends to the servers in `to`. */
  connectClient(ck: C, to: number[]): void {
    const ends = this.clerkEnds(ck);
    for (const j of to) this.net.enable(ends[j]!, true);
  }

  /** Disables the clerk's ends to the servers in `from`. */
  disconnectClient(ck: C, from: number[]): void {
    const ends = this.clerkEnds(ck);
    for (const j of from) this.net.enable(ends[j]!, false);
  }

  private clerkEnds(ck: C): ClientEnd<Api>[] {
    const ends = this.clerks.get(ck);
    if (ends === undefined) throw new TestFailure("tester bug: a clerk this config did not make (or deleted)");
    return ends;
  }

  /** A shuffled copy (Go's random_handles). */
  private randomHandles<T>(kvh: T[]): T[] {
    const sa = kvh.slice();
    for (let i = 0; i < sa.length; i++) {
      const j = this.rand.int(i + 1);
      [sa[i], sa[j]] = [sa[j]!, sa[i]!];
    }
    return sa;
  }

  // --- servers ---------------------------------------------------------------------------------

  /** Shuts down a server, but saves its persistent state. */
  shutdownServer(i: number): void {
    this.disconnectUnlocked(i, this.all());

    // disable client connections to the server. it's important to do this before creating the
    // new Persister in saved[i], to avoid the possibility of the server returning a positive
    // reply to an Append but persisting the result in the superseded Persister.
    this.net.deleteServer(String(i));

    // a fresh persister, in case the old instance continues to update the Persister. but copy
    // the old persister's content so that we always pass Make() the last persisted state.
    const saved = this.saved[i];
    if (saved != null) this.saved[i] = saved.copy();

    const server = this.servers[i];
    const node = this.nodes[i];
    if (server != null && node != null) {
      this.sim.runAs(node, () => server.kill());
      this.sim.crash(node);
      this.servers[i] = null;
      this.nodes[i] = null;
    }
  }

  /**
   * Starts a server. If restart, servers should already be shut down. The new incarnation gets
   * fresh outgoing ends (enabled only by connectAll/partition) and a copy of the persister.
   */
  startServer(i: number): void {
    if (this.servers[i] != null) {
      throw new TestFailure(`tester bug: startServer(${i}) while server ${i} is running; shut it down first`);
    }
    const node = this.sim.createNode(`${this.options.nodeName}-${i}`);

    // a fresh set of outgoing ClientEnds.
    const ends: Peer[] = [];
    for (let j = 0; j < this.n; j++) {
      const end = this.net.makeEnd(`${i}->${j}#${node.incarnation}`, String(i)) as unknown as Peer;
      this.net.connect(end, String(j));
      ends.push(end);
    }
    this.endnames[i] = ends as unknown as ClientEnd<object>[];

    // a fresh persister, so the old instance doesn't overwrite the new instance's persisted
    // state. give it a copy of the old persister's state, so that we pass the server the last
    // persisted state.
    const saved = this.saved[i];
    const persister = saved != null ? saved.copy() : new Persister();
    this.saved[i] = persister;

    let server: S;
    try {
      server = this.sim.runAs(node, () => this.options.start(ends, i, persister));
    } catch (err) {
      const restored =
        persister.snapshotSize() > 0 ? ` (restoring a ${persister.snapshotSize()}-byte snapshot)` : "";
      fail(`${this.options.startName} for server ${i} (node ${node}) threw${restored}: ${describeError(err)}`);
    }
    this.servers[i] = server;
    this.nodes[i] = node;
    observeRaftPeer(this.sim, node, server.rf, persister);

    this.net.addServer(String(i), new Server(node, [new Service(this.options.service, server), new Service("Raft", server.rf)]));
  }

  /**
   * Whether some running server thinks it is the leader, and the first such server. Shut-down
   * servers are skipped (shardctrler's Leader(); kvraft's dereferences them, but no kvraft test
   * asks while a server is down).
   */
  leader(): [boolean, number] {
    for (let i = 0; i < this.n; i++) {
      const server = this.servers[i];
      const node = this.nodes[i];
      if (server == null || node == null) continue;
      const { isLeader } = this.sim.runAs(node, () => server.rf.getState());
      if (isLeader) return [true, i];
    }
    return [false, 0];
  }

  /** Partitions the servers into a majority of n/2+1 non-leaders and a minority ending with the leader. */
  makePartition(): [number[], number[]] {
    const [, l] = this.leader();
    const p1 = new Array<number>(Math.floor(this.n / 2) + 1).fill(0);
    const p2 = new Array<number>(Math.floor(this.n / 2)).fill(0);
    let j = 0;
    for (let i = 0; i < this.n; i++) {
      if (i !== l) {
        if (j < p1.length) p1[j] = i;
        else p2[j - p1.length] = i;
        j++;
      }
    }
    p2[p2.length - 1] = l;
    return [p1, p2];
  }

  /** The persister server i's current (or next) incarnation uses; for tests that corrupt it. */
  persister(i: number): Persister | null {
    return this.saved[i] ?? null;
  }

  // --- cleanup ---------------------------------------------------------------------------------

  /** Kills every server (Go: defer cfg.cleanup()); checks the time limit if the test passed. */
  cleanup(passed: boolean): void {
    for (let i = 0; i < this.n; i++) {
      const server = this.servers[i];
      const node = this.nodes[i];
      if (server != null && node != null && node.alive) this.sim.runAs(node, () => server.kill());
    }
    if (passed) this.checkTimeout();
  }

  protected checkTimeout(): void {
    // enforce a two minute (virtual) time limit on each test
    if (now() - this.start > TEST_TIME_LIMIT_MS) fail("test took longer than 120 seconds");
  }
}
