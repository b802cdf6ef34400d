// The Raft tester: a port of 6.824's raft/config.go (Spring 2022), in virtual time.
//
// One Config drives n Raft peers on one labrpc-style Network. It starts, crashes and restarts
// peers, connects and disconnects them, reads every peer's applyCh (checking that all peers apply
// the same command at each index, in order), and offers the checks the tests are written with:
// checkOneLeader, checkTerms, checkNoLeader, nCommitted, wait, one, logSize.
//
// How the simulation maps onto config.go
//   - Each incarnation of peer i is a node ("raft-i", "raft-i#1", …). make(), and every call the
//     tester makes into a Raft (start, getState, snapshot, kill), runs as that node, so the tasks
//     Raft starts belong to it. crash1(i) kills the Raft and then crashes its node: none of that
//     incarnation's tasks, timers, replies or channel waits ever run again.
//   - The applier of peer i is a task of peer i's node, so a crash stops it too, and the snapshot
//     applierSnap takes every 10th index calls rf.snapshot() as that node.
//   - Go's log.Fatalf("apply error: …") aborts the whole test binary. Here the applier throws a
//     TestFailure, which fails the run at once, naming the node and the virtual time.
//   - End names are "i->j#k" (from i to j, incarnation k of i): fresh for every (re)start, so an
//     old incarnation's ends can never reach anyone, as with config.go's random end names.
//   - Times are virtual milliseconds; randomness comes from the seeded "workload" stream.
import {
  Channel,
  Network,
  Persister,
  Server,
  Service,
  decodeFromBytes,
  encodeToBytes,
  go,
  log,
  now,
  sleep,
  type ClientEnd,
  type RandomStream,
  type SimNode,
  type Simulation,
} from "../../sim/index.ts";
import { make, type Raft } from "../../raft/raft.ts";
import type { ApplyMsg, RaftApi } from "../../raft/types.ts";
import type { TestContext } from "../harness/define-test.ts";
import { fail, TestFailure } from "../harness/failure.ts";
import { observeRaftPeer } from "../harness/observe.ts";
import type { MakeRaft } from "./substitute.ts";
import { watchFigure2, type Figure2Monitors } from "../harness/monitors/figure2.ts";
import type { RaftCluster } from "../harness/monitors/raft-wire.ts";
import { LogsOnTheWire, describeAgreementFailure, type ServerSeen } from "./agreement-report.ts";

/** The tester generously allows solutions to complete elections in one second. */
export const RaftElectionTimeout = 1000;
/** applierSnap snapshots after every SnapShotInterval-th command (at indices 9, 19, 29, …). */
export const SnapShotInterval = 10;
/** The 2D tests require every peer's persisted Raft state to stay below this many bytes. */
export const MAXLOGSIZE = 2000;
/** checkTimeout: a test may take this long (virtual) from makeConfig to end/cleanup. */
const TEST_TIME_LIMIT_MS = 120_000;

type Applier = "applier" | "applierSnap";

/**
 * make_config(t, n, unreliable, snapshot): n Raft peers, all started and connected. The config is
 * cleaned up when the test ends (Go: `defer cfg.cleanup()`).
 */
export function makeConfig(t: TestContext, n: number, unreliable: boolean, snapshot: boolean): Config {
  const cfg = new Config(t.sim, n, unreliable, snapshot, t.print, t.substitutes.makeRaft ?? make);
  t.defer((passed) => cfg.cleanup(passed));
  return cfg;
}

/** The snapshot the tester hands to rf.snapshot(): config.go's (lastIncludedIndex, xlog). */
interface TesterSnapshot {
  lastIncludedIndex: number;
  /** The command at every index 0..lastIncludedIndex (index 0 holds null). */
  log: unknown[];
}

export class Config {
  readonly net: Network;
  /** The Figure-2 monitors, watching every message between the peers. */
  readonly monitors: Figure2Monitors;
  private readonly cluster: RaftCluster;
  /** What the peers' messages showed of their logs, for one()'s failure report. */
  private readonly logsOnTheWire: LogsOnTheWire;
  /** The tester's random stream (Go's global math/rand). */
  readonly rand: RandomStream;
  private readonly finished = { value: false };
  private readonly rafts: (Raft | null)[];
  private readonly nodes: (SimNode | null)[];
  readonly connected: boolean[];
  private readonly saved: (Persister | null)[];
  /** ends[i][j]: i's client end to j, for i's current incarnation (null before the first start). */
  private readonly ends: (ClientEnd<RaftApi>[] | null)[];
  /** logs[i]: each command peer i has applied, by index. */
  private readonly logs: Map<number, unknown>[];
  private readonly lastApplied: number[];
  private readonly start: number;
  // begin()/end() statistics
  private t0 = 0;
  private rpcs0 = 0;
  private bytes0 = 0;
  private maxIndex = 0;
  private maxIndex0 = 0;

  constructor(
    readonly sim: Simulation,
    readonly n: number,
    unreliable: boolean,
    snapshot: boolean,
    private readonly print: (line: string) => void,
    private readonly makeRaft: MakeRaft = make,
  ) {
    this.rand = sim.stream("workload");
    this.net = new Network(sim);
    this.cluster = { name: "", servers: Array.from({ length: n }, (_, i) => String(i)) };
    this.monitors = watchFigure2(sim, this.net, [this.cluster]);
    this.logsOnTheWire = this.monitors.wire.add(new LogsOnTheWire(n));
    this.rafts = new Array<Raft | null>(n).fill(null);
    this.nodes = new Array<SimNode | null>(n).fill(null);
    this.connected = new Array<boolean>(n).fill(false);
    this.saved = new Array<Persister | null>(n).fill(null);
    this.ends = new Array<ClientEnd<RaftApi>[] | null>(n).fill(null);
    this.logs = Array.from({ length: n }, () => new Map<number, unknown>());
    this.lastApplied = new Array<number>(n).fill(0);
    this.start = now();

    this.setUnreliable(unreliable);
    // "to check the leader doesn't send RPCs synchronously": calls to an unreachable peer fail
    // only after 0–7 s.
    this.net.setLongDelays(true);

    const applier: Applier = snapshot ? "applierSnap" : "applier";
    // create a full set of Rafts.
    for (let i = 0; i < n; i++) this.start1(i, applier);
    // connect everyone
    for (let i = 0; i < n; i++) this.connect(i);
  }

  /**
   * Go's rand.Int(): a random non-negative integer, used as a command. 31 bits here (Go: 63), so
   * a command's encoded size stays close to gob's varint; collisions are as unlikely as they
   * need to be.
   */
  randInt(): number {
    return this.rand.int(2 ** 31);
  }

  // --- running code as a peer ------------------------------------------------------------------

  /** rafts[i], or null if peer i is crashed. */
  raft(i: number): Raft | null {
    return this.rafts[i] ?? null;
  }

  /** rf.getState() of live peer i, run as its node. */
  getState(i: number): { term: number; isLeader: boolean } {
    const [rf, node] = this.live(i, "getState");
    return this.sim.runAs(node, () => rf.getState());
  }

  /** The highest index peer i has applied (0: none yet), as its applyCh showed the tester. */
  appliedIndex(i: number): number {
    let highest = 0;
    for (const index of this.logs[i]!.keys()) if (index > highest) highest = index;
    return highest;
  }

  /** rf.start(command) on live peer i, run as its node (Go: cfg.rafts[i].Start(cmd)). */
  startOn(i: number, command: unknown): { index: number; term: number; isLeader: boolean } {
    const [rf, node] = this.live(i, "start");
    return this.sim.runAs(node, () => rf.start(command));
  }

  private live(i: number, what: string): [Raft, SimNode] {
    const rf = this.rafts[i];
    const node = this.nodes[i];
    // In Go this is a nil-pointer dereference that crashes the tester.
    if (rf == null || node == null) throw new TestFailure(`tester bug: ${what}() on server ${i}, which is crashed`);
    return [rf, node];
  }

  // --- start, crash, connect -------------------------------------------------------------------

  /** Shuts down a Raft server but saves its persistent state. */
  crash1(i: number): void {
    this.disconnect(i);
    this.net.deleteServer(String(i)); // disable client connections to the server.

    // a fresh persister, in case the old instance continues to update the Persister; but copy
    // the old persister's content so that we always pass make() the last persisted state.
    const saved = this.saved[i];
    if (saved != null) this.saved[i] = saved.copy();

    const rf = this.rafts[i];
    const node = this.nodes[i];
    if (rf != null && node != null) {
      this.sim.runAs(node, () => rf.kill());
      this.sim.crash(node);
      this.rafts[i] = null;
      this.nodes[i] = null;
    }

    const copy = this.saved[i];
    if (copy != null) this.saved[i] = copy.copy();
  }

  /**
   * Starts or restarts a Raft. If one already exists, crash1() it first. The new incarnation gets
   * fresh outgoing client ends and a copy of the persister, isolating the previous incarnation.
   */
  start1(i: number, applier: Applier): void {
    this.crash1(i);

    const node = this.sim.createNode(`raft-${i}`);
    // a fresh set of outgoing ClientEnds, so that the old crashed instance's ends can't send.
    const ends: ClientEnd<RaftApi>[] = [];
    for (let j = 0; j < this.n; j++) {
      const end = this.net.makeEnd<RaftApi>(`${i}->${j}#${node.incarnation}`, String(i));
      this.net.connect(end, String(j));
      ends.push(end);
    }
    this.ends[i] = ends;

    this.lastApplied[i] = 0;

    // a fresh persister, so the old instance doesn't overwrite the new instance's persisted state.
    const old = this.saved[i];
    let persister: Persister;
    if (old != null) {
      persister = old.copy();
      const snapshot = persister.readSnapshot();
      if (snapshot.length > 0) {
        // mimic the KV server and process the snapshot now.
        // ideally Raft should send it up on applyCh...
        const err = this.ingestSnap(i, snapshot, -1);
        if (err !== "") fail(err);
      }
    } else {
      persister = new Persister();
    }
    this.saved[i] = persister;

    const applyCh = new Channel<ApplyMsg>(0, `applyCh of raft-${i}`);
    const rf = this.sim.runAs(node, () => this.makeRaft(ends, i, persister, applyCh));
    this.rafts[i] = rf;
    this.nodes[i] = node;
    observeRaftPeer(this.sim, node, rf, persister);

    this.sim.runAs(node, () =>
      go(() => (applier === "applierSnap" ? this.applierSnap(i, rf, applyCh) : this.applier(i, applyCh))),
    );

    this.net.addServer(String(i), new Server(node, [new Service("Raft", rf)]));
  }

  /** Attaches server i to the net. */
  connect(i: number): void {
    this.connected[i] = true;
    // outgoing ClientEnds
    for (let j = 0; j < this.n; j++) {
      const end = this.ends[i]?.[j];
      if (this.connected[j] && end !== undefined) this.net.enable(end, true);
    }
    // incoming ClientEnds
    for (let j = 0; j < this.n; j++) {
      const end = this.ends[j]?.[i];
      if (this.connected[j] && end !== undefined) this.net.enable(end, true);
    }
  }

  /** Detaches server i from the net. */
  disconnect(i: number): void {
    this.connected[i] = false;
    // outgoing ClientEnds
    for (let j = 0; j < this.n; j++) {
      const end = this.ends[i]?.[j];
      if (end !== undefined) this.net.enable(end, false);
    }
    // incoming ClientEnds
    for (let j = 0; j < this.n; j++) {
      const end = this.ends[j]?.[i];
      if (end !== undefined) this.net.enable(end, false);
    }
  }

  // --- network knobs and counters --------------------------------------------------------------

  /** RPCs that reached server i's current incarnation. */
  rpcCount(server: number): number {
    return this.net.rpcCount(String(server));
  }

  rpcTotal(): number {
    return this.net.totalCount;
  }

  bytesTotal(): number {
    return this.net.totalBytes;
  }

  setUnreliable(unreliable: boolean): void {
    this.net.setReliable(!unreliable);
  }

  setLongReordering(longReordering: boolean): void {
    this.net.setLongReordering(longReordering);
  }

  /** The largest persisted Raft state, in bytes, over all servers. */
  logSize(): number {
    let logSize = 0;
    for (let i = 0; i < this.n; i++) {
      const size = this.saved[i]?.raftStateSize() ?? 0;
      if (size > logSize) logSize = size;
    }
    return logSize;
  }

  // --- appliers --------------------------------------------------------------------------------

  /** Records that server i applied m; returns an error message ("" if none) and whether i had applied index-1. */
  private checkLogs(i: number, index: number, command: unknown): [string, boolean] {
    let errMsg = "";
    for (let j = 0; j < this.logs.length; j++) {
      const logJ = this.logs[j]!;
      if (logJ.has(index)) {
        const old = logJ.get(index);
        if (!sameCommand(old, command)) {
          // some server has already committed a different value for this entry!
          log("tester", `${i}: log ${showLog(this.logs[i]!)}; server ${showLog(logJ)}`);
          errMsg = `commit index=${index} server=${i} ${show(command)} != server=${j} ${show(old)}`;
        }
      }
    }
    const prevOk = this.logs[i]!.has(index - 1);
    this.logs[i]!.set(index, command);
    if (index > this.maxIndex) this.maxIndex = index;
    return [errMsg, prevOk];
  }

  /** Reads messages from applyCh and checks that they match the log contents (2A–2C). */
  private async applier(i: number, applyCh: Channel<ApplyMsg>): Promise<void> {
    for (;;) {
      const m = await applyCh.recv();
      if (m === undefined) return;
      if (m.commandValid !== true) continue; // ignore other types of ApplyMsg
      let [errMsg, prevOk] = this.checkLogs(i, m.commandIndex, m.command);
      if (m.commandIndex > 1 && !prevOk) errMsg = `server ${i} apply out of order ${m.commandIndex}`;
      if (errMsg !== "") applyError(errMsg);
    }
  }

  /** Decodes a tester snapshot into logs[i]; returns "" or an error message. */
  private ingestSnap(i: number, snapshot: Uint8Array, index: number): string {
    let decoded: TesterSnapshot;
    try {
      decoded = decodeFromBytes<TesterSnapshot>(snapshot, `server ${i}'s snapshot`);
    } catch (err) {
      applyError(`snapshot decode error: ${(err as Error).message}`);
    }
    if (
      typeof decoded !== "object" ||
      decoded === null ||
      !Number.isInteger(decoded.lastIncludedIndex) ||
      !Array.isArray(decoded.log)
    ) {
      applyError("snapshot decode error: not a tester snapshot {lastIncludedIndex, log}");
    }
    if (index !== -1 && index !== decoded.lastIncludedIndex) {
      return `server ${i} snapshot doesn't match m.SnapshotIndex`;
    }
    const logI = new Map<number, unknown>();
    for (let j = 0; j < decoded.log.length; j++) logI.set(j, decoded.log[j]);
    this.logs[i] = logI;
    this.lastApplied[i] = decoded.lastIncludedIndex;
    return "";
  }

  /** Like applier, but requires consecutive indices and snapshots every SnapShotInterval commands (2D). */
  private async applierSnap(i: number, rf: Raft, applyCh: Channel<ApplyMsg>): Promise<void> {
    for (;;) {
      const m = await applyCh.recv();
      if (m === undefined) return;
      let errMsg = "";
      if (m.snapshotValid === true) {
        // 2022: CondInstallSnapshot is gone (it just returned true); always ingest.
        errMsg = this.ingestSnap(i, m.snapshot, m.snapshotIndex);
      } else if (m.commandValid === true) {
        if (m.commandIndex !== this.lastApplied[i]! + 1) {
          errMsg = `server ${i} apply out of order, expected index ${this.lastApplied[i]! + 1}, got ${m.commandIndex}`;
        }
        if (errMsg === "") {
          let prevOk: boolean;
          [errMsg, prevOk] = this.checkLogs(i, m.commandIndex, m.command);
          if (m.commandIndex > 1 && !prevOk) errMsg = `server ${i} apply out of order ${m.commandIndex}`;
        }
        if (errMsg !== "") applyError(errMsg);
        this.lastApplied[i] = m.commandIndex;

        if ((m.commandIndex + 1) % SnapShotInterval === 0) {
          const xlog: unknown[] = [];
          for (let j = 0; j <= m.commandIndex; j++) xlog.push(this.logs[i]!.get(j) ?? null);
          const snapshot: TesterSnapshot = { lastIncludedIndex: m.commandIndex, log: xlog };
          // Synchronously, from the applier task (peer i's node), as in Go.
          rf.snapshot(m.commandIndex, encodeToBytes(snapshot, "the tester's snapshot"));
        }
      }
      // Ignore other types of ApplyMsg.
      if (errMsg !== "") applyError(errMsg);
    }
  }

  // --- checks ----------------------------------------------------------------------------------

  /**
   * Checks that one of the connected servers thinks it is the leader, and that no two connected
   * servers lead in the same term. Tries 10 times, 450–549 ms apart, in case re-elections are
   * needed. Returns the leader of the highest term.
   */
  async checkOneLeader(): Promise<number> {
    for (let iters = 0; iters < 10; iters++) {
      const ms = 450 + this.rand.int(100);
      await sleep(ms);

      const leaders = new Map<number, number[]>();
      for (let i = 0; i < this.n; i++) {
        if (this.connected[i]) {
          const { term, isLeader } = this.getState(i);
          if (isLeader) leaders.set(term, [...(leaders.get(term) ?? []), i]);
        }
      }

      let lastTermWithLeader = -1;
      for (const [term, termLeaders] of leaders) {
        if (termLeaders.length > 1) fail(`term ${term} has ${termLeaders.length} (>1) leaders`);
        if (term > lastTermWithLeader) lastTermWithLeader = term;
      }

      if (leaders.size !== 0) return leaders.get(lastTermWithLeader)![0]!;
    }
    fail("expected one leader, got none");
  }

  /** Checks that every connected server agrees on the term; returns it. */
  checkTerms(): number {
    let term = -1;
    for (let i = 0; i < this.n; i++) {
      if (this.connected[i]) {
        const xterm = this.getState(i).term;
        if (term === -1) term = xterm;
        else if (term !== xterm) fail("servers disagree on term");
      }
    }
    return term;
  }

  /** Checks that none of the connected servers thinks it is the leader. */
  checkNoLeader(): void {
    for (let i = 0; i < this.n; i++) {
      if (this.connected[i] && this.getState(i).isLeader) {
        fail(`expected no leader among connected servers, but ${i} claims to be leader`);
      }
    }
  }

  /** How many servers think a log entry is committed, and the command (all must agree). */
  nCommitted(index: number): [number, unknown] {
    // (Go first fails on any recorded applyErr; here an apply error has already failed the run.)
    let count = 0;
    let cmd: unknown = undefined;
    for (let i = 0; i < this.rafts.length; i++) {
      const logI = this.logs[i]!;
      if (logI.has(index)) {
        const cmd1 = logI.get(index);
        if (count > 0 && !sameCommand(cmd, cmd1)) {
          fail(`committed values do not match: index ${index}, ${show(cmd)}, ${show(cmd1)}`);
        }
        count += 1;
        cmd = cmd1;
      }
    }
    return [count, cmd];
  }

  /**
   * Waits for at least n servers to commit index, but not forever: 30 polls, 10 ms apart at first,
   * doubling up to 1.28 s. Returns -1 if startTerm > -1 and some server moved past startTerm.
   */
  async wait(index: number, n: number, startTerm: number): Promise<unknown> {
    let to = 10;
    for (let iters = 0; iters < 30; iters++) {
      const [nd] = this.nCommitted(index);
      if (nd >= n) break;
      await sleep(to);
      if (to < 1000) to *= 2;
      if (startTerm > -1) {
        for (let i = 0; i < this.n; i++) {
          // (Go calls GetState on every rafts[i] and would crash on a nil one; no test passes a
          // startTerm while a server is crashed.)
          if (this.rafts[i] == null) continue;
          if (this.getState(i).term > startTerm) {
            // someone has moved on; can no longer guarantee that we'll "win"
            return -1;
          }
        }
      }
    }
    const [nd, cmd] = this.nCommitted(index);
    if (nd < n) fail(`only ${nd} decided for index ${index}; wanted ${n}`);
    return cmd;
  }

  /**
   * Does a complete agreement: submits cmd to a leader and waits until expectedServers servers
   * have committed it. It might choose the wrong leader initially, and have to re-submit after
   * giving up (2 s per try); it entirely gives up after about 10 s. If retry is false, cmd is
   * submitted only once. Returns the index.
   */
  async one(cmd: unknown, expectedServers: number, retry: boolean): Promise<number> {
    const t0 = now();
    let starts = 0;
    /** The index of the last try, for the failure report (-1: no server took the command as leader). */
    let lastIndex = -1;
    while (now() - t0 < 10_000 && !this.finished.value) {
      // try all the servers, maybe one is the leader.
      let index = -1;
      for (let si = 0; si < this.n; si++) {
        starts = (starts + 1) % this.n;
        if (this.connected[starts] && this.rafts[starts] != null) {
          const { index: index1, isLeader } = this.startOn(starts, cmd);
          if (isLeader) {
            index = index1;
            break;
          }
        }
      }

      if (index !== -1) {
        // somebody claimed to be the leader and to have submitted our command; wait a while for
        // agreement.
        const t1 = now();
        while (now() - t1 < 2_000) {
          const [nd, cmd1] = this.nCommitted(index);
          if (nd > 0 && nd >= expectedServers) {
            // committed, and it was the command we submitted.
            if (sameCommand(cmd1, cmd)) return index;
          }
          await sleep(20);
        }
        if (!retry) this.failAgreement(cmd, index, expectedServers, t0);
      } else {
        await sleep(50);
      }
      lastIndex = index;
    }
    if (!this.finished.value) this.failAgreement(cmd, lastIndex, expectedServers, t0);
    return -1;
  }

  /** one()'s failure, with what the tester saw of every server (agreement-report.ts). */
  private failAgreement(cmd: unknown, index: number, expectedServers: number, t0: number): never {
    const servers: ServerSeen[] = [];
    for (let i = 0; i < this.n; i++) {
      const logI = this.logs[i]!;
      const applied = Math.max(this.lastApplied[i]!, ...logI.keys());
      const live = this.rafts[i] != null;
      const state = live ? this.getState(i) : undefined;
      const role = state === undefined ? "crashed" : state.isLeader ? "leader" : "not leader";
      servers.push({ role, term: state?.term, connected: this.connected[i]!, applied, appliedAtIndex: logI.get(index) });
    }
    const [nd] = index === -1 ? [0] : this.nCommitted(index);
    const headline =
      `one(${show(cmd)}) failed to reach agreement: after ${((now() - t0) / 1000).toFixed(1)} s, ` +
      `${nd} server${nd === 1 ? "" : "s"} applied it, ${expectedServers} needed.`;
    fail(describeAgreementFailure(headline, index, servers, this.logsOnTheWire, this.monitors.leaders.lastLeaderChange(this.cluster), show));
  }

  // --- begin, end, cleanup ---------------------------------------------------------------------

  /** Starts a test: prints its description and records the statistics' baselines. */
  begin(description: string): void {
    this.print(`${description} ...`);
    this.t0 = now();
    this.rpcs0 = this.rpcTotal();
    this.bytes0 = this.bytesTotal();
    this.maxIndex0 = this.maxIndex;
  }

  /** Ends a test (reaching it means no failure): prints the Passed line with its statistics. */
  end(): void {
    this.checkTimeout();
    const t = (now() - this.t0) / 1000; // virtual seconds
    const npeers = this.n;
    const nrpc = this.rpcTotal() - this.rpcs0;
    const nbytes = this.bytesTotal() - this.bytes0;
    const ncmds = this.maxIndex - this.maxIndex0;
    this.print(
      `  ... Passed --  ${t.toFixed(1).padStart(4)}  ${npeers} ${String(nrpc).padStart(4)} ` +
        `${String(nbytes).padStart(7)} ${String(ncmds).padStart(4)}`,
    );
  }

  /** Prints a line the Go test prints with fmt.Printf (a warning). */
  warn(line: string): void {
    this.print(line);
  }

  /** Kills every Raft (Go: defer cfg.cleanup()); checks the time limit if the test passed. */
  cleanup(passed: boolean): void {
    this.finished.value = true;
    for (let i = 0; i < this.n; i++) {
      const rf = this.rafts[i];
      const node = this.nodes[i];
      if (rf != null && node != null) this.sim.runAs(node, () => rf.kill());
    }
    if (passed) this.checkTimeout();
  }

  private checkTimeout(): void {
    // enforce a two minute (virtual) time limit on each test
    if (now() - this.start > TEST_TIME_LIMIT_MS) fail("test took longer than 120 seconds");
  }
}

/** Go's log.Fatalf("apply error: …"): fails the whole run at once. */
function applyError(message: string): never {
  throw new TestFailure(`apply error: ${message}`);
}

/** Go's == on interface values: same type and value (commands are numbers and strings here). */
export function sameCommand(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A command as a message shows it: long strings (TestRPCBytes2B's 5000 characters) are cut. */
function show(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…(${text.length} chars)` : text;
}

function showLog(logI: Map<number, unknown>): string {
  const entries = [...logI.entries()].sort((a, b) => a[0] - b[0]);
  return `map[${entries.map(([k, v]) => `${k}:${show(v)}`).join(" ")}]`;
}
