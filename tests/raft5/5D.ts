// Lab 5D: lease reads under clock drift and process pauses (dissertation §6.4.1; test plan ids
// Q1–Q8). A leader's lease (raft-extensions/lease-read.ts) lets it answer reads with no message;
// these tests put the rules that make that safe to the reference, with the simulator's drift and
// pause knobs (Simulation.setClock, Simulation.pause: sim/core/node-clock.ts), and judge every KV
// history with the linearizability checker. Bounds are in election timeouts (ET = the tester's
// 1 s); the reference's vote lease and minimum election timeout are 400 ms, its lease 400 ms ×
// (1 − ρ)/(1 + ρ) of the leader's clock (ρ = maxClockDrift, 0.1 by default: 327 ms).
//
// Two levels:
//   - Raft level, scripted (lab 5's tester, cluster.ts): a lease read sends nothing (Q1), and a new
//     leader whose commit index may lag uses no lease before an entry of its term commits;
//   - KV level (lab 5's KV server reading by "lease", on lab 3's tester and clerk): a client that
//     reaches only the old leader reads while the majority elects a new one and overwrites x, at
//     the worst moment each rule guards — right after a lease renewal (Q2), right after a
//     CheckQuorum check passed (Q7), with acknowledgements delayed 0.9 ET (Q6), across a leadership
//     transfer whose TimeoutNow reply never comes back (Q5), across a TimeoutNow delivered 2 ET
//     late, after its transfer was given up (5B's L11: TestLateTimeoutNowAfterAbort5D, watched
//     by a monitor that no two servers hold a lease at once), across a 3 ET pause (Q8) — and
//     randomized runs with every server's clock at its own rate within the bound (Q4). The control
//     Q3 slows the old leader's clock to 0.5×, beyond the bound, and passes only if the checker
//     proves the history not linearizable.
// Every KV server's node is "kv-i" (tests/harness/replica-set.ts); the tester reads a server's
// status() as its node, so that the lease is judged on that server's clock.
import { currentNode, go, log, now, sleep, type SimNode, type WatchedCall } from "../../sim/index.ts";
import { checkOperations, kvModel } from "../../sim/check/index.ts";
import { startKVServer, type ReadingKVServer } from "../../raft-extensions/kv-server.ts";
import type { RaftOptions, RaftStatus, ReadIndexResult, TimeoutNowArgs } from "../../raft-extensions/types.ts";
import type { AppendEntriesArgs } from "../../raft/types.ts";
import type { Clerk } from "../../kvraft/client.ts";
import { defineTest, type TestContext } from "../harness/define-test.ts";
import { fail } from "../harness/failure.ts";
import { checkLinearizable, newOpLog } from "../harness/kv-linearizability.ts";
import { Config as KvConfig } from "../kvraft/config.ts";
import { Append, Get, Put } from "../kvraft/generic-test.ts";
import type { LabTest } from "../registry.ts";
import { Cluster, ET, droppableEnds, type Holds } from "./cluster.ts";
import { VoteLeaseNeedsALeader } from "./vote-lease-monitor.ts";

const LEASE: RaftOptions = { checkQuorum: true, leaseReads: true };
/** How often a test looks at the servers while it waits for something. */
const POLL_MS = 1;
/** The reference's minimum election timeout: its CheckQuorum period and its vote lease. */
const ELECTION_TIMEOUT_MIN_MS = 400;
/** How many times the control tries to make a stale read before it gives up. */
const ATTEMPTS = 10;
/** How long a client of the cut-off leader keeps reading, from the cut on. */
const READ_WINDOW_MS = 2 * ET;

function show(r: ReadIndexResult): string {
  return r.ok ? `index ${r.index}` : r.err;
}

/** A KV cluster of lab 5's servers reading by lease, on lab 3's tester, and each server's latest incarnation and node. */
interface LeaseKv {
  cfg: KvConfig;
  servers: (ReadingKVServer | undefined)[];
  nodes: (SimNode | undefined)[];
  /** Server i's status(), read as its node (on its clock). */
  status(i: number): RaftStatus;
  /** How long server i's lease still holds, in ms of its clock (0: it holds none). */
  leaseLeft(i: number): number;
  /** Runs `fn` as server i's node. */
  asServer<T>(i: number, fn: () => T): T;
}

function makeLeaseKv(t: TestContext, n: number, begin: string, holds: Holds = {}, raft: RaftOptions = {}, unreliable = false): LeaseKv {
  const makeRaft = t.substitutes.makeExtendedRaft;
  const start = t.substitutes.startReadingKVServer ?? startKVServer;
  const servers: (ReadingKVServer | undefined)[] = new Array(n).fill(undefined);
  const nodes: (SimNode | undefined)[] = new Array(n).fill(undefined);
  const cfg = new KvConfig(t.sim, n, unreliable, -1, t.print, (peers, me, persister, maxraftstate) => {
    nodes[me] = currentNode();
    const server = start(droppableEnds(peers, me, holds), me, persister, maxraftstate, { readMode: "lease", raft, ...(makeRaft === undefined ? {} : { makeRaft }) });
    servers[me] = server;
    return server;
  });
  t.defer((passed) => cfg.cleanup(passed));
  cfg.monitors.terms.voteLease = true;
  cfg.monitors.wire.add(new VoteLeaseNeedsALeader(cfg.monitors.wire, n));
  cfg.begin(`Test (5D): ${begin}`);
  const asServer = <T>(i: number, fn: () => T): T => {
    const node = nodes[i];
    if (node === undefined) fail(`tester bug: server ${i} never started`);
    return t.sim.runAs(node, fn);
  };
  const status = (i: number): RaftStatus => asServer(i, () => servers[i]!.rf.status());
  const leaseLeft = (i: number): number => asServer(i, () => {
    const until = servers[i]!.rf.status().leaseUntil;
    return until === null || until === undefined ? 0 : Math.max(0, until - now());
  });
  return { cfg, servers, nodes, status, leaseLeft, asServer };
}

/** Waits until one of `among` leads a term above `above`; returns it (fails after `within` ms). */
async function newLeaderAmong(kv: LeaseKv, among: number[], above: number, within: number): Promise<number> {
  const since = now();
  for (;;) {
    const leader = among.find((i) => {
      const s = kv.status(i);
      return s.role === "leader" && s.term > above;
    });
    if (leader !== undefined) return leader;
    if (now() - since > within) fail(`servers ${among.join(", ")} should elect a leader within ${within} ms once the old leader is cut off; none leads`);
    await sleep(POLL_MS);
  }
}

/** Waits until server i's lease was just renewed (its end moved later); within `within` ms. */
async function justRenewed(kv: LeaseKv, i: number, within: number): Promise<void> {
  const before = kv.status(i).leaseUntil ?? null;
  const since = now();
  for (;;) {
    await sleep(POLL_MS);
    const until = kv.status(i).leaseUntil ?? null;
    if (until !== null && (before === null || until > before)) return;
    if (now() - since > within) fail(`leader ${i} should renew its lease within ${within} ms (a heartbeat round every 100 ms); it did not`);
  }
}

/** A client that reaches only server `old` reads x every few ms for `windowMs`; what it read, with when. */
function keepReading(kv: LeaseKv, ck: Clerk, opLog: ReturnType<typeof newOpLog>, cli: number, windowMs: number): { got: { value: string; at: number }[] } {
  const reads = { got: [] as { value: string; at: number }[] };
  const until = now() + windowMs;
  go(async () => {
    while (now() < until) {
      const value = await Get(kv.cfg, ck, "x", opLog, cli);
      reads.got.push({ value, at: now() });
      await sleep(5);
    }
  });
  return reads;
}

/**
 * The shape of Q2, Q6 and Q7: x = 1; leader `old` is cut off with a client that reaches only it,
 * at the moment `cutAt` picks; that client keeps reading x while the majority elects a new leader
 * and a client of theirs writes x = 2. Every history must be linearizable; the old leader's reads
 * after the write completed must not say 1.
 */
async function cutOffLeaderKeepsReading(t: TestContext, kv: LeaseKv, cutAt: (old: number) => Promise<void>): Promise<void> {
  const { cfg } = kv;
  const opLog = newOpLog(t);
  const all = cfg.all();
  await Put(cfg, cfg.makeClient(all), "x", "1", opLog, 0);
  const [ok, old] = cfg.leader();
  if (!ok) fail("tester bug: no leader after the first Put");
  const term = kv.status(old).term;
  const others = all.filter((i) => i !== old);
  const lonely = cfg.makeClient([old]);
  await Get(cfg, lonely, "x", opLog, 1); // it learns where the leader is
  const other = cfg.makeClient(others);
  await sleep(ET);
  await cutAt(old);
  log("tester", `cut leader ${old} off, with a client that reaches only it and keeps reading x`);
  cfg.partition([old], others);
  const reads = keepReading(kv, lonely, opLog, 1, READ_WINDOW_MS);
  const leader = await newLeaderAmong(kv, others, term, 3 * ET);
  await Put(cfg, other, "x", "2", opLog, 2);
  const written = now();
  log("tester", `${leader} leads; x is 2 on the majority at ${written} ms`);
  await sleep(READ_WINDOW_MS + ET);
  const stale = reads.got.find((r) => r.value === "1" && r.at > written + 50);
  checkLinearizable(t, opLog.operations());
  if (stale !== undefined) fail(`leader ${old} was cut off and the majority wrote x = 2 by ${written} ms, yet ${old}'s client read x = 1 at ${stale.at} ms`);
  cfg.connectAll();
  await Get(cfg, cfg.makeClient(all), "x", opLog, 3);
  cfg.end();
}

export const tests: LabTest[] = [
  // Q1
  defineTest("5D", "TestLeaseReadsSendNothing5D", async (t) => {
    const c = new Cluster(t, 3, LEASE);
    c.cfg.begin("Test (5D): a leader answers lease reads at once, with no message and no log entry");
    const leader = await c.cfg.checkOneLeader();
    let last = await c.cfg.one(101, 3, true);
    await sleep(300); // heartbeats renew the lease
    const since = now();
    for (let k = 0; k < 50; k++) {
      const asked = now();
      const r = await c.leaseRead(leader);
      if (!r.ok || r.index < last) fail(`lease read ${k} at leader ${leader}, after the write at index ${last} committed: leaseRead() should give an index ≥ ${last}; it gave ${show(r)}`);
      if (now() !== asked) fail(`lease read ${k} at leader ${leader}, whose lease holds, should be answered at once; it took ${now() - asked} ms`);
      if (k % 10 === 9) {
        const next = await c.cfg.one(110 + k, 3, true);
        if (next !== last + 1) fail(`lease reads must not append to the log: the write after the write at ${last} should be at ${last + 1}; it is at ${next}`);
        last = next;
      }
      await sleep(10);
    }
    const confirms = c.confirms.filter((m) => m.at >= since).length;
    if (confirms > 0) fail(`reads answered from a lease need no ConfirmLeadership round; the leader sent ${confirms} ConfirmLeadership requests during 50 lease reads`);
    c.cfg.end();
  }),

  // Q1, a new leader (etcd-io/etcd#7331 for leases; braft's NOT_READY)
  defineTest("5D", "TestNoLeaseBeforeItsTermsCommit5D", async (t) => {
    const c = new Cluster(t, 3, LEASE);
    c.cfg.begin("Test (5D): a new leader whose commit index lags uses no lease before an entry of its term commits");
    const old = await c.cfg.checkOneLeader();
    await c.cfg.one(301, 3, true);
    let told = Number.POSITIVE_INFINITY;
    c.drop = (from, _to, method, args) => from === old && method === "Raft.appendEntries" && (args as AppendEntriesArgs).leaderCommit >= told;
    const { index } = c.cfg.startOn(old, 302);
    told = index;
    while (c.cfg.nCommitted(index)[0] === 0) await sleep(POLL_MS);
    log("tester", `entry ${index} committed at ${old}, which now crashes; no follower knows it committed`);
    c.cfg.crash1(old);
    const rest = [0, 1, 2].filter((i) => i !== old);
    let leader: number | undefined;
    while (leader === undefined) {
      await sleep(POLL_MS);
      leader = rest.find((i) => c.status(i).role === "leader");
    }
    log("tester", `${leader} leads; its AppendEntries with entries are held back, its heartbeats go through (and renew a lease)`);
    const newLeader = leader;
    c.drop = (from, _to, method, args) => from === newLeader && method === "Raft.appendEntries" && (args as AppendEntriesArgs).entries.length > 0;
    await sleep(200);
    const r = await c.leaseRead(newLeader);
    if (r.ok && r.index < index) {
      fail(`entry ${index} was committed before the read began, yet new leader ${newLeader} gave lease read index ${r.index}: ` +
        "a leader must not answer from its lease before an entry of its own term has committed (its commit index may lag)");
    }
    c.drop = undefined;
    let after: ReadIndexResult = { ok: false, err: "ErrTimeout" };
    let reader = newLeader;
    for (let k = 0; k < 10 && !after.ok; k++) {
      reader = await c.cfg.checkOneLeader();
      after = await c.leaseRead(reader);
    }
    if (!after.ok || after.index < index) fail(`once its no-op can commit, leader ${reader} should serve lease reads at an index ≥ ${index}; it gave ${show(after)}`);
    c.cfg.start1(old, "applier");
    c.cfg.connect(old);
    await c.cfg.one(303, 3, true);
    c.cfg.end();
  }),

  // Q2
  defineTest("5D", "TestLeaseExpiresBeforeANewLeaderCommits5D", async (t) => {
    const kv = makeLeaseKv(t, 5, "a leader cut off right after renewing its lease serves no read the new leader's write makes stale");
    await cutOffLeaderKeepsReading(t, kv, (old) => justRenewed(kv, old, ET));
  }),

  // Q3, the control
  defineTest("5D", "TestLeaseBeyondDriftBoundIsCaught5D", async (t) => {
    const kv = makeLeaseKv(t, 5, "a leader whose clock runs at 0.5×, beyond the drift bound, serves stale lease reads, and the checker says so (a control)");
    const { cfg } = kv;
    const opLog = newOpLog(t);
    const all = cfg.all();
    const writer = cfg.makeClient(all);
    await Put(cfg, writer, "x", "0", opLog, 0);
    // A try needs the new leader's write to complete while the slow leader's lease still holds by
    // its clock: usually the first election does it; a split vote can take longer, and then the
    // test tries again.
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const [ok, old] = cfg.leader();
      if (!ok) fail("tester bug: no leader after a completed Put");
      const term = kv.status(old).term;
      const others = all.filter((i) => i !== old);
      const lonely = cfg.makeClient([old]);
      const other = cfg.makeClient(others);
      await Put(cfg, writer, "x", `old-${attempt}`, opLog, 0);
      await Get(cfg, lonely, "x", opLog, 1); // it learns where the leader is
      log("tester", `attempt ${attempt}: leader ${old}'s clock slows to 0.5×; once it renews its lease, cut it off with a client that reaches only it`);
      t.sim.setClock(`kv-${old}`, { rate: 0.5 });
      await sleep(300);
      await justRenewed(kv, old, ET);
      cfg.partition([old], others);
      await newLeaderAmong(kv, others, term, 5 * ET);
      await Put(cfg, other, "x", `new-${attempt}`, opLog, 2);
      if (kv.leaseLeft(old) >= 10) {
        let got: string | undefined;
        go(async () => {
          got = await Get(cfg, lonely, "x", opLog, 1);
        });
        await sleep(100);
        if (got !== `old-${attempt}`) fail(`leader ${old}'s lease still held by its slow clock after the majority wrote x = new-${attempt}; its lease read should return the overwritten old-${attempt}; it returned ${got === undefined ? "nothing" : JSON.stringify(got)}`);
        const verdict = checkOperations(kvModel, opLog.operations()).verdict;
        if (verdict !== "illegal") fail(`the linearizability checker must find the stale lease read: the history's verdict should be "illegal"; it is "${verdict}"`);
        cfg.connectAll();
        cfg.end();
        return;
      }
      log("tester", `attempt ${attempt}: ${old}'s lease (nearly) ran out before the new leader's write completed; heal and try again`);
      t.sim.setClock(`kv-${old}`, { rate: 1 });
      cfg.connectAll();
      await Put(cfg, writer, "x", `healed-${attempt}`, opLog, 0);
    }
    fail(`in ${ATTEMPTS} tries, the slow leader's lease never outlived the new leader's first write: the control could not make a stale read`);
  }),

  // Q4, the worst case
  defineTest("5D", "TestLeaseUnderWorstCaseDrift5D", async (t) => {
    const kv = makeLeaseKv(t, 5, `the leader's clock ${WIDE_RHO * 100}% slow, every other ${WIDE_RHO * 100}% fast, cut off right after a renewal: the lease, sized for it, ends in time`, {}, { maxClockDrift: WIDE_RHO });
    await cutOffLeaderKeepsReading(t, kv, async (old) => {
      log("tester", `leader ${old}'s clock runs at ${1 - WIDE_RHO}, every other server's at ${1 + WIDE_RHO}`);
      for (const i of kv.cfg.all()) t.sim.setClock(`kv-${i}`, { rate: i === old ? 1 - WIDE_RHO : 1 + WIDE_RHO });
      await sleep(ET);
      await justRenewed(kv, old, ET);
    });
  }),

  // Q4
  defineTest("5D", "TestLeaseReadsUnderBoundedDrift5D", async (t) => {
    await driftingWorkload(t, false);
  }),

  // Q4, unreliable
  defineTest("5D", "TestLeaseReadsUnderBoundedDriftUnreliable5D", async (t) => {
    await driftingWorkload(t, true);
  }),

  // Q5 (with L11's late TimeoutNow)
  defineTest("5D", "TestLeaseDroppedForTransfer5D", async (t) => {
    const holds: Holds = {};
    const kv = makeLeaseKv(t, 5, "a leader handing its leadership over reads nothing from its lease, even if it never hears that the target took over", holds);
    const { cfg } = kv;
    const opLog = newOpLog(t);
    const all = cfg.all();
    await Put(cfg, cfg.makeClient(all), "x", "1", opLog, 0);
    const [ok, old] = cfg.leader();
    if (!ok) fail("tester bug: no leader after the first Put");
    const term = kv.status(old).term;
    const target = (old + 1) % 5;
    const others = all.filter((i) => i !== old);
    const lonely = cfg.makeClient([old]);
    await Get(cfg, lonely, "x", opLog, 1); // it learns where the leader is
    const other = cfg.makeClient(others);
    await sleep(ET);
    let cut = false;
    holds.drop = (from, to, method) => {
      if (from === old && method === "Raft.timeoutNow") {
        cut = true;
        return false; // the TimeoutNow itself goes through; nothing else from or to the old leader does
      }
      return cut && (from === old || to === old);
    };
    holds.delayReply = (from, _to, method) => (from === old && method === "Raft.timeoutNow" ? 20 * ET : 0);
    log("tester", `leader ${old} hands its leadership to ${target}; once its TimeoutNow is out it hears nothing more from anyone`);
    kv.asServer(old, () => kv.servers[old]!.rf.transferLeadership(target));
    const leader = await newLeaderAmong(kv, others, term, 2 * ET);
    await Put(cfg, other, "x", "2", opLog, 2);
    const written = now();
    log("tester", `${leader} leads; x is 2 at ${written} ms; now ${old}'s client reads x`);
    const reads = keepReading(kv, lonely, opLog, 1, ET);
    await sleep(2 * ET);
    const stale = reads.got.find((r) => r.value === "1");
    checkLinearizable(t, opLog.operations());
    if (stale !== undefined) fail(`leader ${old} had sent TimeoutNow to ${target}, which took over and wrote x = 2 by ${written} ms, yet ${old}'s client read x = 1 at ${stale.at} ms`);
    holds.drop = undefined;
    holds.delayReply = undefined;
    await Get(cfg, cfg.makeClient(all), "x", opLog, 3);
    cfg.end();
  }),

  // L11 (5B's late TimeoutNow, under lease reads; tikv/raft-rs#234)
  defineTest("5D", "TestLateTimeoutNowAfterAbort5D", async (t) => {
    const holds: Holds = {};
    const kv = makeLeaseKv(t, 5, "a TimeoutNow delivered 2 ET late, after its transfer was given up: no stale read, never two leases at once", holds);
    const { cfg } = kv;
    const opLog = newOpLog(t);
    const all = cfg.all();
    await Put(cfg, cfg.makeClient(all), "x", "1", opLog, 0);
    const [ok, old] = cfg.leader();
    if (!ok) fail("tester bug: no leader after the first Put");
    const term = kv.status(old).term;
    const target = (old + 1) % 5;
    const others = all.filter((i) => i !== old);
    const lonely = cfg.makeClient([old]);
    await Get(cfg, lonely, "x", opLog, 1); // it learns where the leader is
    const other = cfg.makeClient(others);
    await sleep(ET);
    const monitor = watchLeaseHolders(kv);
    let held: { args: TimeoutNowArgs; at: number } | undefined;
    let cut = false;
    holds.drop = (from, to, method, args) => {
      if (from === old && method === "Raft.timeoutNow" && held === undefined) {
        held = { args: args as TimeoutNowArgs, at: now() };
        return true; // the tester delivers it itself, 2 ET late
      }
      return cut && (from === old || to === old);
    };
    log("tester", `leader ${old} hands its leadership to ${target}; the tester holds its TimeoutNow for ${2 * ET} ms`);
    kv.asServer(old, () => kv.servers[old]!.rf.transferLeadership(target));
    while (held === undefined) {
      if (now() - monitor.since > ET) fail(`leader ${old} should send TimeoutNow to ${target}, whose log is up to date, within ${ET} ms of the transfer request`);
      await sleep(POLL_MS);
    }
    const heldAt = held.at;
    await sleep(heldAt + ET - now());
    const s = kv.status(old);
    if (s.role !== "leader" || s.term !== term || s.leadTransferee !== null) fail(`leader ${old} should have given its transfer up within ${ET} ms, and still lead term ${term}; it is ${s.role} of term ${s.term}, transferring to ${s.leadTransferee ?? "none"}`);
    await sleep(heldAt + 2 * ET - 100 - now());
    log("tester", `cut leader ${old} off, with a client that reaches only it and keeps reading x; in 100 ms ${target} gets the late TimeoutNow`);
    cut = true;
    const reads = keepReading(kv, lonely, opLog, 1, READ_WINDOW_MS);
    await sleep(heldAt + 2 * ET - now());
    const late = held.args;
    kv.asServer(target, () => kv.servers[target]!.rf.timeoutNow(late));
    const leader = await newLeaderAmong(kv, others, term, 3 * ET);
    await Put(cfg, other, "x", "2", opLog, 2);
    const written = now();
    log("tester", `${leader} leads; x is 2 on the majority at ${written} ms`);
    await sleep(READ_WINDOW_MS + ET);
    monitor.stop();
    const stale = reads.got.find((r) => r.value === "1" && r.at > written + 50);
    checkLinearizable(t, opLog.operations());
    if (stale !== undefined) fail(`leader ${old} was cut off and the majority wrote x = 2 by ${written} ms, yet ${old}'s client read x = 1 at ${stale.at} ms`);
    holds.drop = undefined;
    await Get(cfg, cfg.makeClient(all), "x", opLog, 3);
    cfg.end();
  }),

  // Q6
  defineTest("5D", "TestLeaseStartsAtSendTime5D", async (t) => {
    const holds: Holds = {};
    const kv = makeLeaseKv(t, 5, "a lease starts when the acknowledged heartbeat was sent, not when its slow acknowledgement arrived", holds);
    await cutOffLeaderKeepsReading(t, kv, async (old) => {
      log("tester", `the answers to leader ${old}'s AppendEntries take 0.9 election timeouts to come back`);
      holds.delayReply = (from, _to, method) => (from === old && method === "Raft.appendEntries" ? 0.9 * ELECTION_TIMEOUT_MIN_MS : 0);
      await sleep(ET);
    });
  }),

  // Q7 (etcd-io/raft#166)
  defineTest("5D", "TestLeaseNotFromCheckQuorum5D", async (t) => {
    const kv = makeLeaseKv(t, 5, "a leader cut off right after its CheckQuorum passed keeps leading for a while, but its lease ends on time");
    const firstSent = new Map<string, number>();
    kv.cfg.net.watch({
      request: (call: WatchedCall, args) => {
        if (call.method !== "Raft.appendEntries") return;
        const key = `${(args as AppendEntriesArgs).term}/${call.from}`;
        if (!firstSent.has(key)) firstSent.set(key, t.sim.now);
      },
    });
    await cutOffLeaderKeepsReading(t, kv, async (old) => {
      const began = firstSent.get(`${kv.status(old).term}/${old}`);
      if (began === undefined) fail(`tester bug: leader ${old} sent no AppendEntries in its term`);
      const nextCheck = began + Math.ceil((now() - began) / ELECTION_TIMEOUT_MIN_MS) * ELECTION_TIMEOUT_MIN_MS;
      log("tester", `leader ${old} leads since ${began} ms: it checks its quorum at ${nextCheck} ms; cut it off just after`);
      await sleep(nextCheck - now() + 20);
    });
  }),

  // Q8 (etcd-io/etcd#6005)
  defineTest("5D", "TestLeaseReadAfterPause5D", async (t) => {
    const kv = makeLeaseKv(t, 5, "a leader paused for 3 election timeouts judges its lease by its clock when it wakes");
    const { cfg } = kv;
    const opLog = newOpLog(t);
    const all = cfg.all();
    await Put(cfg, cfg.makeClient(all), "x", "1", opLog, 0);
    const [ok, old] = cfg.leader();
    if (!ok) fail("tester bug: no leader after the first Put");
    const term = kv.status(old).term;
    const others = all.filter((i) => i !== old);
    const lonely = cfg.makeClient([old]);
    const other = cfg.makeClient(others);
    await sleep(ET);
    await Get(cfg, lonely, "x", opLog, 1); // a lease read, before the pause
    await justRenewed(kv, old, ET);
    const pause = 3 * ET;
    log("tester", `leader ${old} pauses for ${pause} ms (a GC, a SIGSTOP); meanwhile it is cut off, the majority moves on, and its client asks it to read x`);
    t.sim.pause(`kv-${old}`, pause);
    const resumes = now() + pause;
    cfg.partition([old], others);
    const leader = await newLeaderAmong(kv, others, term, 2 * ET);
    await Put(cfg, other, "x", "2", opLog, 2);
    const written = now();
    if (written >= resumes) fail(`tester bug: the majority's write should complete within the pause; it completed at ${written} ms, the pause ends at ${resumes} ms`);
    log("tester", `${leader} leads; x is 2 at ${written} ms; ${old}'s client reads x, which ${old} takes when it wakes at ${resumes} ms`);
    let got: string | undefined;
    go(async () => {
      got = await Get(cfg, lonely, "x", opLog, 1);
    });
    await sleep(resumes - now() + 2 * ET);
    checkLinearizable(t, opLog.operations());
    if (got === "1") fail(`leader ${old} woke at ${resumes} ms from a ${pause} ms pause, long after the majority wrote x = 2 (${written} ms), yet answered its client x = 1 from its lease`);
    cfg.connectAll();
    await Get(cfg, cfg.makeClient(all), "x", opLog, 3);
    cfg.end();
  }),
];


/**
 * A monitor of 5D's lease rule, beside the run: every POLL_MS of virtual time, at most one server
 * holds a lease, each judged on its own clock (status().leaseUntil, read as its node). Two at once
 * means two leaders could each answer a read from their own state, and one of them is stale.
 * (These tests run without drift, so the servers' clocks agree with the global one.)
 */
function watchLeaseHolders(kv: LeaseKv): { since: number; stop(): void } {
  let stopped = false;
  const since = now();
  go(async () => {
    while (!stopped) {
      const holders = kv.cfg.all().filter((i) => kv.servers[i] !== undefined && !kv.servers[i]!.killed() && kv.leaseLeft(i) > 0);
      if (holders.length > 1) {
        const shown = holders.map((i) => `${i} (term ${kv.status(i).term}, ${kv.leaseLeft(i).toFixed(1)} ms left)`).join(" and ");
        kv.cfg.sim.fail(`lab-5D monitor: at most one server holds a read lease at any moment; at ${now()} ms servers ${shown} both do`);
      }
      await sleep(POLL_MS);
    }
  });
  return { since, stop: () => (stopped = true) };
}
/** The drift bound Q4's clocks keep to, and its servers' leases are sized for. */
const RHO = 0.1;
/** The drift bound of Q4's worst case: wide, so that a lease not sized for it shows. */
const WIDE_RHO = 0.3;
/** Q4's keys: few, so that reads and writes meet. */
const KEYS = 3;

/**
 * Q4: five servers reading by lease, each clock at its own rate drawn from [1 − ρ, 1 + ρ]; five
 * clients Append, Put and Get on three keys for 3 × 5 s while the network is repartitioned at random
 * every 1–1.2 s (as lab 3's GenericTest does), healed between rounds; the history must be
 * linearizable.
 */
async function driftingWorkload(t: TestContext, unreliable: boolean): Promise<void> {
  const kv = makeLeaseKv(t, 5, `clocks drifting within ±${RHO * 100}%, random partitions${unreliable ? ", unreliable net" : ""}, lease reads under load`, {}, { maxClockDrift: RHO }, unreliable);
  const { cfg } = kv;
  const rates = t.sim.stream("5D/clock-rates");
  const shown: string[] = [];
  for (const i of cfg.all()) {
    const rate = 1 - RHO + 2 * RHO * rates.float();
    t.sim.setClock(`kv-${i}`, { rate });
    shown.push(`${i}: ${rate.toFixed(3)}`);
  }
  log("tester", `clock rates ${shown.join(", ")}`);
  const opLog = newOpLog(t);
  const rand = cfg.rand;
  for (let round = 0; round < 3; round++) {
    let done = false;
    let running = 0;
    for (let cli = 0; cli < 5; cli++) {
      const ck = cfg.makeClient(cfg.all());
      running++;
      go(async () => {
        for (let j = 0; !done; j++) {
          const key = String(rand.int(KEYS));
          const dice = rand.int(100);
          if (dice < 40) await Append(cfg, ck, key, `x ${cli} ${round}.${j} y`, opLog, cli);
          else if (dice < 50) await Put(cfg, ck, key, `${cli} ${round}.${j}`, opLog, cli);
          else await Get(cfg, ck, key, opLog, cli);
        }
        running--;
      });
    }
    await sleep(1000);
    const until = now() + 4000;
    while (now() < until) {
      const sides: [number[], number[]] = [[], []];
      for (const i of cfg.all()) sides[rand.int(2)]!.push(i);
      cfg.partition(sides[0], sides[1]);
      await sleep(1000 + rand.int(200));
    }
    cfg.connectAll();
    done = true;
    while (running > 0) await sleep(10);
  }
  checkLinearizable(t, opLog.operations());
  cfg.end();
}
