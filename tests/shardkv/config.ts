// The ShardKV tester: a port of 6.824's shardkv/config.go (Spring 2022), in virtual time.
//
// One Config drives, on one labrpc-style Network:
//   - the shardmaster: 3 replicas named "ctrler0".."ctrler2", and the tester's own master clerk
//     (mck) that joins and removes groups;
//   - 3 replica groups, gids 100, 101 and 102, of n servers each, named "server-<gid>-<i>". All
//     are started at once, but no group is joined: a test joins the ones it wants.
// It shuts down and restarts single servers and whole groups, makes clerks, and checks the
// persisted sizes (checklogs).
//
// How the simulation maps onto config.go
//   - Each incarnation of a server is a node named like the server ("server-101-2",
//     "server-101-2#1", …). StartServer runs as that node, so every task the server, its Raft and
//     its master clerk start belong to it. ShutdownServer disables the server's ends to its group
//     and to the master, deletes its labrpc server (in-flight replies fail), copies its persister,
//     kills it and crashes its node: nothing of that incarnation ever runs again.
//   - Ends get fresh names for every (re)start, as config.go's random names: "server-100-0->
//     server-100-1#k" for Raft (k: the caller's incarnation), "server-100-0->ctrler2#k" to the
//     master, and make_end's "make_end-<n>:<who>-><server>" (n counts every end it made).
//   - make_end(name) returns a fresh end, already enabled, to the server with that name. The ends
//     a server made this way are not disabled when it shuts down (as in Go); its node is crashed,
//     so they are never used again.
//   - The master's servers are never shut down; their ends are enabled from the start.
//   - Times are virtual milliseconds; randomness comes from the seeded "workload" stream (Go's
//     global math/rand and crypto/rand), never Math.random.
//   - The 120 s limit per test is virtual and checked at cleanup, as in Go.
import {
  Network,
  Persister,
  Server,
  Service,
  describeError,
  log,
  now,
  type ClientEnd,
  type RandomStream,
  type SimNode,
  type Simulation,
} from "../../sim/index.ts";
import { Clerk as MasterClerk } from "../../shardmaster/client.ts";
import type { ShardMasterApi } from "../../shardmaster/common.ts";
import { startServer as startShardMaster } from "../../shardmaster/server.ts";
import { Clerk } from "../../shardkv/client.ts";
import type { ShardKvApi } from "../../shardkv/common.ts";
import { startServer as startShardKV } from "../../shardkv/server.ts";
import type { Peer } from "../../raft/types.ts";
import type { TestContext } from "../harness/define-test.ts";
import { fail, TestFailure } from "../harness/failure.ts";
import { observeRaftPeer } from "../harness/observe.ts";
import type { ShardMasterLike, StartShardMaster } from "../shardmaster/substitute.ts";
import type { ShardKVLike, StartShardKV } from "./substitute.ts";
import { watchFigure2 } from "../harness/monitors/figure2.ts";

/** checkTimeout: a test may take this long (virtual) from make_config to cleanup. */
const TEST_TIME_LIMIT_MS = 120_000;

/** One replica group: its servers and, per server, what survives a restart. */
interface Group {
  gid: number;
  servers: (ShardKVLike | null)[];
  nodes: (SimNode | null)[];
  /** saved[i]: server i's persister (a copy is handed to each new incarnation). */
  saved: (Persister | null)[];
  /** endnames[i][j]: server i's current end to server j of the group. */
  endnames: ClientEnd<object>[][];
  /** mendnames[i][j]: server i's current end to master server j. */
  mendnames: ClientEnd<object>[][];
}

/**
 * make_config(t, n, unreliable, maxraftstate): the shardmaster and 3 groups of n servers, all
 * started, none joined. The config is cleaned up when the test ends (Go: `defer cfg.cleanup()`).
 */
export function makeConfig(t: TestContext, n: number, unreliable: boolean, maxraftstate: number): Config {
  const { startShardKV: startKV = startShardKV, startShardMaster: startMaster = startShardMaster } = t.substitutes;
  const cfg = new Config(t.sim, n, unreliable, maxraftstate, startKV, startMaster);
  t.defer((passed) => cfg.cleanup(passed));
  return cfg;
}

export class Config {
  readonly net: Network;
  /** The tester's random stream (Go's global math/rand). */
  readonly rand: RandomStream;
  readonly nctrlers = 3;
  readonly ngroups = 3;
  readonly groups: Group[] = [];
  /** The tester's master clerk, for join/leave and for tests that query the configuration. */
  readonly mck: MasterClerk;
  private readonly ctrlerservers: ShardMasterLike[] = [];
  private readonly ctrlerNodes: SimNode[] = [];
  private readonly start: number;
  private clerkCount = 0;
  private endCount = 0;

  constructor(
    readonly sim: Simulation,
    /** Servers per group. */
    readonly n: number,
    unreliable: boolean,
    readonly maxraftstate: number,
    private readonly startKV: StartShardKV = startShardKV,
    private readonly startMaster: StartShardMaster = startShardMaster,
  ) {
    this.rand = sim.stream("workload");
    this.net = new Network(sim);
    this.start = now();
    watchFigure2(sim, this.net, [
      { name: "the shardmaster", servers: Array.from({ length: this.nctrlers }, (_, i) => this.ctrlerName(i)) },
      ...Array.from({ length: this.ngroups }, (_, gi) => ({ name: `group ${100 + gi}`, servers: this.all().map((i) => this.serverName(100 + gi, i)) })),
    ]);

    // controller
    for (let i = 0; i < this.nctrlers; i++) this.startCtrlerServer(i);
    this.mck = this.shardclerk("tester");

    for (let gi = 0; gi < this.ngroups; gi++) {
      const gg: Group = {
        gid: 100 + gi,
        servers: new Array<ShardKVLike | null>(n).fill(null),
        nodes: new Array<SimNode | null>(n).fill(null),
        saved: new Array<Persister | null>(n).fill(null),
        endnames: [],
        mendnames: [],
      };
      this.groups.push(gg);
      for (let i = 0; i < n; i++) this.start1(gi, i);
    }

    this.net.setReliable(!unreliable);
  }

  /** [0, 1, …, n-1]: the servers of a group. */
  all(): number[] {
    return Array.from({ length: this.n }, (_, i) => i);
  }

  ctrlerName(i: number): string {
    return `ctrler${i}`;
  }

  serverName(gid: number, i: number): string {
    return `server-${gid}-${i}`;
  }

  // --- the shardmaster -----------------------------------------------------------------------

  private startCtrlerServer(i: number): void {
    const name = this.ctrlerName(i);
    const node = this.sim.createNode(name);
    // ClientEnds to talk to other controller replicas.
    const ends: Peer[] = [];
    for (let j = 0; j < this.nctrlers; j++) ends.push(this.enabledEnd(`${name}->${this.ctrlerName(j)}`, this.ctrlerName(j), name));
    const p = new Persister();
    const sm = this.sim.runAs(node, () => this.startMaster(ends, i, p));
    this.ctrlerservers[i] = sm;
    this.ctrlerNodes[i] = node;
    observeRaftPeer(this.sim, node, sm.rf, p);
    this.net.addServer(name, new Server(node, [new Service("ShardMaster", sm), new Service("Raft", sm.rf)]));
  }

  /** A master clerk with its own ends to every master server (Go's shardclerk). */
  private shardclerk(who: string): MasterClerk {
    return new MasterClerk(this.masterEnds(who));
  }

  private masterEnds(who: string, from?: string): ClientEnd<ShardMasterApi>[] {
    const ends: ClientEnd<ShardMasterApi>[] = [];
    for (let j = 0; j < this.nctrlers; j++) ends.push(this.enabledEnd(`${who}->${this.ctrlerName(j)}`, this.ctrlerName(j), from));
    return ends;
  }

  /** An end to server `to`, connected and enabled; `from` names the server it belongs to, if any. */
  private enabledEnd<Api extends object>(name: string, to: string, from?: string): ClientEnd<Api> {
    const end = this.net.makeEnd<Api>(name, from);
    this.net.connect(end, to);
    this.net.enable(end, true);
    return end;
  }

  /** make_end for `who`: a fresh enabled end to the named server each time it is called. */
  private makeEndFor(who: string, from?: string): (server: string) => ClientEnd<ShardKvApi> {
    return (server) => this.enabledEnd(`make_end-${this.endCount++}:${who}->${server}`, server, from);
  }

  /** Tell the shardctrler that a group is joining. */
  async join(gi: number): Promise<void> {
    await this.joinm([gi]);
  }

  async joinm(gis: number[]): Promise<void> {
    const m: Record<number, string[]> = {};
    for (const g of gis) {
      const gid = this.groups[g]!.gid;
      const servernames: string[] = [];
      for (let i = 0; i < this.n; i++) servernames.push(this.serverName(gid, i));
      m[gid] = servernames;
    }
    await this.mck.join(m);
    log("tester", `joined ${gis.map((g) => this.groups[g]!.gid).join(", ")}`);
  }

  /** Tell the shardctrler that a group is leaving. */
  async leave(gi: number): Promise<void> {
    await this.leavem([gi]);
  }

  async leavem(gis: number[]): Promise<void> {
    const gids = gis.map((g) => this.groups[g]!.gid);
    await this.mck.leave(gids);
    log("tester", `left ${gids.join(", ")}`);
  }

  // --- clerks --------------------------------------------------------------------------------

  /** A clerk with its own ends to the master, and a make_end for the groups' servers. */
  makeClient(): Clerk {
    const who = `clerk-${this.clerkCount++}`;
    return new Clerk(this.masterEnds(who), this.makeEndFor(who));
  }

  // --- servers -------------------------------------------------------------------------------

  /** Shuts down a server by isolating it; its persister keeps what it saved. */
  shutdownServer(gi: number, i: number): void {
    log("tester", `shuts down ${this.serverName(this.groups[gi]!.gid, i)}`);
    this.shutdown(gi, i);
  }

  shutdownGroup(gi: number): void {
    log("tester", `shuts down group ${this.groups[gi]!.gid}`);
    for (let i = 0; i < this.n; i++) this.shutdown(gi, i);
  }

  private shutdown(gi: number, i: number): void {
    const gg = this.groups[gi]!;

    // prevent this server from sending
    for (const end of gg.endnames[i] ?? []) this.net.enable(end, false);
    for (const end of gg.mendnames[i] ?? []) this.net.enable(end, false);

    // disable client connections to the server. it's important to do this before creating the
    // new Persister in saved[i], to avoid the possibility of the server returning a positive
    // reply to an Append but persisting the result in the superseded Persister.
    this.net.deleteServer(this.serverName(gg.gid, i));

    // a fresh persister, in case the old instance continues to update the Persister. but copy
    // the old persister's content so that we always pass Make() the last persisted state.
    const saved = gg.saved[i];
    if (saved != null) gg.saved[i] = saved.copy();

    const kv = gg.servers[i];
    const node = gg.nodes[i];
    if (kv != null && node != null) {
      this.sim.runAs(node, () => kv.kill());
      this.sim.crash(node);
      gg.servers[i] = null;
      gg.nodes[i] = null;
    }
  }

  /** Starts server i of group gi: fresh ends to its group and to the master, a copy of its persister. */
  startServer(gi: number, i: number): void {
    log("tester", `starts ${this.serverName(this.groups[gi]!.gid, i)}`);
    this.start1(gi, i);
  }

  startGroup(gi: number): void {
    log("tester", `starts group ${this.groups[gi]!.gid}`);
    for (let i = 0; i < this.n; i++) this.start1(gi, i);
  }

  private start1(gi: number, i: number): void {
    const gg = this.groups[gi]!;
    if (gg.servers[i] != null) {
      throw new TestFailure(`tester bug: startServer(${gi}, ${i}) while the server is running; shut it down first`);
    }
    const name = this.serverName(gg.gid, i);
    const node = this.sim.createNode(name);
    const incarnation = node.incarnation;

    // a fresh set of outgoing ClientEnds to talk to the other servers in this group.
    const ends: Peer[] = [];
    for (let j = 0; j < this.n; j++) {
      const peer = this.serverName(gg.gid, j);
      ends.push(this.enabledEnd(`${name}->${peer}#${incarnation}`, peer, name));
    }
    gg.endnames[i] = ends as unknown as ClientEnd<object>[];

    // ends to talk to the shardctrler service
    const mends = this.masterEnds(`${name}#${incarnation}`, name);
    gg.mendnames[i] = mends as unknown as ClientEnd<object>[];

    // a fresh persister, so the old instance doesn't overwrite the new instance's persisted
    // state. give it a copy of the old persister's state, so that we pass StartServer() the last
    // persisted state.
    const saved = gg.saved[i];
    const persister = saved != null ? saved.copy() : new Persister();
    gg.saved[i] = persister;

    let kv: ShardKVLike;
    try {
      kv = this.sim.runAs(node, () =>
        this.startKV(ends, i, persister, this.maxraftstate, gg.gid, mends, this.makeEndFor(`${name}#${incarnation}`, name)),
      );
    } catch (err) {
      const restored = persister.snapshotSize() > 0 ? ` (restoring a ${persister.snapshotSize()}-byte snapshot)` : "";
      fail(`StartServer for server ${i} of group ${gg.gid} (node ${node}) threw${restored}: ${describeError(err)}`);
    }
    gg.servers[i] = kv;
    gg.nodes[i] = node;
    observeRaftPeer(this.sim, node, kv.rf, persister);

    this.net.addServer(name, new Server(node, [new Service("ShardKV", kv), new Service("Raft", kv.rf)]));
  }

  // --- beyond config.go: partitions inside one group (for our own tests) ---------------------

  /**
   * Splits group gi's servers into p1 and p2: Raft links between the two sides are disabled, links
   * inside each side enabled. Links to the master, to other groups and from clerks are untouched.
   */
  partitionGroup(gi: number, p1: number[], p2: number[]): void {
    const gg = this.groups[gi]!;
    log("tester", p2.length === 0 ? `heals group ${gg.gid}` : `partitions group ${gg.gid}: ${p1.join(",")} | ${p2.join(",")}`);
    const side = (i: number): number[] => (p1.includes(i) ? p1 : p2);
    for (const i of [...p1, ...p2]) {
      for (let j = 0; j < this.n; j++) {
        const end = gg.endnames[i]?.[j];
        if (end !== undefined) this.net.enable(end, side(i).includes(j));
      }
    }
  }

  /** The first server of group gi that thinks it is the leader, or -1. */
  leaderOf(gi: number): number {
    const gg = this.groups[gi]!;
    for (let i = 0; i < this.n; i++) {
      const kv = gg.servers[i];
      const node = gg.nodes[i];
      if (kv != null && node != null && this.sim.runAs(node, () => kv.rf.getState()).isLeader) return i;
    }
    return -1;
  }

  // --- checks and cleanup --------------------------------------------------------------------

  /** Every server's persisted Raft state is within 8·maxraftstate; with -1, no snapshot at all. */
  checklogs(): void {
    for (const gg of this.groups) {
      for (let i = 0; i < this.n; i++) {
        const raft = gg.saved[i]?.raftStateSize() ?? 0;
        const snap = gg.saved[i]?.snapshotSize() ?? 0;
        if (this.maxraftstate >= 0 && raft > 8 * this.maxraftstate) {
          fail(`persister.RaftStateSize() ${raft}, but maxraftstate ${this.maxraftstate}`);
        }
        if (this.maxraftstate < 0 && snap > 0) fail("maxraftstate is -1, but snapshot is non-empty!");
      }
    }
  }

  /** Bytes of persisted Raft state plus snapshot, summed over every server of every group. */
  totalPersistedBytes(): number {
    let total = 0;
    for (const gg of this.groups) {
      for (let i = 0; i < this.n; i++) total += (gg.saved[i]?.raftStateSize() ?? 0) + (gg.saved[i]?.snapshotSize() ?? 0);
    }
    return total;
  }

  /** Shuts down every group and kills the master (Go: defer cfg.cleanup()); checks the time limit if the test passed. */
  cleanup(passed: boolean): void {
    for (let gi = 0; gi < this.ngroups; gi++) for (let i = 0; i < this.n; i++) this.shutdown(gi, i);
    for (let i = 0; i < this.nctrlers; i++) {
      const sm = this.ctrlerservers[i]!;
      this.sim.runAs(this.ctrlerNodes[i]!, () => sm.kill());
    }
    if (passed) this.checkTimeout();
  }

  private checkTimeout(): void {
    // enforce a two minute (virtual) time limit on each test
    if (now() - this.start > TEST_TIME_LIMIT_MS) fail("test took longer than 120 seconds");
  }
}
