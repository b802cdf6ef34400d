// Lab 5C: ReadIndex and follower reads (dissertation §6.4; test plan ids R1–R5, R7 and R8;
// R6 and R9 need learners and membership changes, and come with 5F and 5E: R6 is 5F's
// TestLearnerReadIndex5F — a learner's read index is never below a write that completed before
// the read, the Raft-level condition for a linearizable read; no KV history at a learner is
// checked — and R9 is 5E's TestRemovalReleasesPendingRead5E). Bounds are in
// election timeouts (ET = the tester's 1 s); the reference gives a ConfirmLeadership round, and a
// new leader's no-op, 400 ms each before it fails the reads waiting on them.
//
// Two levels, two styles:
//   - Raft level, scripted (lab 5's tester, cluster.ts): what readIndex() may return and when —
//     never an index below what was committed before the read began, never while a leader cannot
//     reach a majority, at most two ConfirmLeadership rounds for 100 reads — with calls held back
//     precisely in the tester (cluster.ts's `drop`);
//   - KV level (lab 5's KV server, raft-extensions/kv-server.ts, on lab 3's tester and clerk): a
//     deposed leader's client (R2) and randomized runs with partitions and restarts under load
//     (lab 3's GenericTest), every history judged by the linearizability checker. The control
//     TestStaleReadsAreCaught5C serves the same deposed-leader read from local state and passes
//     only if the checker proves the history not linearizable.
import { go, log, now, sleep } from "../../sim/index.ts";
import { checkOperations, kvModel } from "../../sim/check/index.ts";
import { startKVServer, type ReadMode } from "../../raft-extensions/kv-server.ts";
import type { RaftOptions, ReadIndexResult } from "../../raft-extensions/types.ts";
import type { AppendEntriesArgs } from "../../raft/types.ts";
import { defineTest, type TestContext } from "../harness/define-test.ts";
import { fail } from "../harness/failure.ts";
import { checkLinearizable, newOpLog } from "../harness/kv-linearizability.ts";
import { Config as KvConfig } from "../kvraft/config.ts";
import { Get, Put, genericTest } from "../kvraft/generic-test.ts";
import type { LabTest } from "../registry.ts";
import { Cluster, ET, droppableEnds, type Holds } from "./cluster.ts";

const NONE: RaftOptions = {};
/** How often a test looks at the servers while it waits for something. */
const POLL_MS = 10;

function makeCluster(t: TestContext, n: number, options: RaftOptions, begin: string): Cluster {
  const c = new Cluster(t, n, options);
  c.cfg.begin(`Test (5C): ${begin}`);
  return c;
}

/** A KV cluster of lab 5's servers reading by `readMode`, on lab 3's tester; their Rafts' calls pass `holds.drop` first (cluster.ts). */
function makeKv(t: TestContext, n: number, readMode: ReadMode, begin: string, holds: Holds = {}): KvConfig {
  const makeRaft = t.substitutes.makeExtendedRaft;
  const start = t.substitutes.startReadingKVServer ?? startKVServer;
  const cfg = new KvConfig(t.sim, n, false, -1, t.print, (peers, me, persister, maxraftstate) =>
    start(droppableEnds(peers, me, holds), me, persister, maxraftstate, { readMode, ...(makeRaft === undefined ? {} : { makeRaft }) }),
  );
  t.defer((passed) => cfg.cleanup(passed));
  cfg.begin(`Test (5C): ${begin}`);
  return cfg;
}

/** t, with lab 5's KV server (reading by `readMode`) standing in for lab 3's, for lab 3's GenericTest. */
function withReadingServers(t: TestContext, readMode: ReadMode): TestContext {
  const makeRaft = t.substitutes.makeExtendedRaft;
  const start = t.substitutes.startReadingKVServer ?? startKVServer;
  return {
    ...t,
    substitutes: {
      ...t.substitutes,
      startKVServer: (peers, me, persister, maxraftstate) =>
        start(peers, me, persister, maxraftstate, { readMode, ...(makeRaft === undefined ? {} : { makeRaft }) }),
    },
  };
}

function show(r: ReadIndexResult): string {
  return r.ok ? `index ${r.index}` : r.err;
}

/** R2 at the KV level: client 1 talks only to leader L1, which is cut off; the majority elects and x becomes "2". Returns what client 1's Get did within 3 ET. */
async function deposedLeaderRead(t: TestContext, readMode: ReadMode, begin: string) {
  const cfg = makeKv(t, 5, readMode, begin);
  const opLog = newOpLog(t);
  const all = cfg.all();
  const ck = cfg.makeClient(all);
  await Put(cfg, ck, "x", "1", opLog, 0);
  const [ok, old] = cfg.leader();
  if (!ok) fail("tester bug: no leader after the first Put");
  const others = all.filter((i) => i !== old);
  const lonely = cfg.makeClient([old]);
  log("tester", `cut leader ${old} off, with a client that reaches only it`);
  cfg.partition([old], others);
  const other = cfg.makeClient(others);
  await Put(cfg, other, "x", "2", opLog, 1);
  log("tester", `x is 2 on the majority; now the cut-off client reads x from ${old}`);
  let got: string | undefined;
  go(async () => {
    got = await Get(cfg, lonely, "x", opLog, 2);
  });
  await sleep(3 * ET);
  return { cfg, opLog, old, got };
}

export const tests: LabTest[] = [
  // R1, with follower reads
  defineTest("5C", "TestReadIndexAppendsNothing5C", async (t) => {
    const c = makeCluster(t, 3, NONE, "reads by ReadIndex append nothing, and never return an index below a committed write");
    const leader = await c.cfg.checkOneLeader();
    let last = await c.cfg.one(101, 3, true);
    for (let k = 0; k < 20; k++) {
      const r = await c.readIndex(leader);
      if (!r.ok || r.index < last) fail(`read ${k} at leader ${leader}, after the write at index ${last} committed: readIndex() should give an index ≥ ${last}; it gave ${show(r)}`);
      const follower = (leader + 1 + (k % 2)) % 3;
      const f = await c.readIndex(follower);
      if (!f.ok || f.index < last) fail(`read ${k} at follower ${follower}, after the write at index ${last} committed: readIndex() should give an index ≥ ${last}; it gave ${show(f)}`);
      const next = await c.cfg.one(110 + k, 3, true);
      if (next !== last + 1) fail(`reads must not append to the log: the write after the write at ${last} should be at ${last + 1}; it is at ${next}`);
      last = next;
    }
    c.cfg.end();
  }),

  // R7
  defineTest("5C", "TestReadIndexBatchesRounds5C", async (t) => {
    const c = makeCluster(t, 5, NONE, "100 concurrent reads take at most two ConfirmLeadership rounds");
    const leader = await c.cfg.checkOneLeader();
    const last = await c.cfg.one(201, 5, true);
    await sleep(300);
    const since = now();
    const reads = Array.from({ length: 100 }, () => c.readIndex(leader));
    const results = await Promise.all(reads);
    const bad = results.findIndex((r) => !r.ok || r.index < last);
    if (bad !== -1) fail(`read ${bad} of 100 should give an index ≥ ${last}; it gave ${show(results[bad]!)}`);
    const sent = c.confirms.filter((m) => m.at >= since && m.from === leader).length;
    if (sent > 2 * 4) fail(`100 concurrent reads should take at most 2 ConfirmLeadership rounds (8 requests to 4 peers); the leader sent ${sent}`);
    c.cfg.end();
  }),

  // R3 (etcd-io/etcd#7331)
  defineTest("5C", "TestReadIndexWaitsForItsTermsCommit5C", async (t) => {
    const c = makeCluster(t, 3, NONE, "a new leader whose commit index lags serves no read before an entry of its term commits");
    const old = await c.cfg.checkOneLeader();
    await c.cfg.one(301, 3, true);
    // The followers must not learn that the next entry committed: drop the old leader's AppendEntries that would tell them.
    let told = Number.POSITIVE_INFINITY;
    c.drop = (from, _to, method, args) => from === old && method === "Raft.appendEntries" && (args as AppendEntriesArgs).leaderCommit >= told;
    const { index } = c.cfg.startOn(old, 302);
    told = index;
    while (c.cfg.nCommitted(index)[0] === 0) await sleep(POLL_MS); // the old leader applied it: a client would have its answer
    log("tester", `entry ${index} committed at ${old}, which now crashes; no follower knows it committed`);
    c.cfg.crash1(old);
    const rest = [0, 1, 2].filter((i) => i !== old);
    let leader: number | undefined;
    while (leader === undefined) {
      await sleep(POLL_MS);
      leader = rest.find((i) => c.status(i).role === "leader");
    }
    log("tester", `${leader} leads; its AppendEntries with entries are held back, so nothing of its term can commit`);
    const newLeader = leader;
    c.drop = (from, _to, method, args) => from === newLeader && method === "Raft.appendEntries" && (args as AppendEntriesArgs).entries.length > 0;
    const r = await c.readIndex(newLeader);
    if (r.ok && r.index < index) {
      fail(`entry ${index} was committed before the read began, yet new leader ${newLeader} gave read index ${r.index}: ` +
        "a leader must not serve a read before an entry of its own term has committed (its commit index may lag)");
    }
    c.drop = undefined;
    // (Its follower, which heard no AppendEntries while they were held, may have started an election meanwhile.)
    let after: ReadIndexResult = { ok: false, err: "ErrTimeout" };
    let reader = newLeader;
    for (let k = 0; k < 10 && !after.ok; k++) {
      reader = await c.cfg.checkOneLeader();
      after = await c.readIndex(reader);
    }
    if (!after.ok || after.index < index) fail(`once its no-op can commit, leader ${reader} should serve reads at an index ≥ ${index}; it gave ${show(after)}`);
    c.cfg.start1(old, "applier");
    c.cfg.connect(old);
    await c.cfg.one(303, 3, true);
    c.cfg.end();
  }),

  // R2, at the Raft level
  defineTest("5C", "TestDeposedLeaderConfirmsNoRead5C", async (t) => {
    const c = makeCluster(t, 5, NONE, "a leader cut off from the majority confirms no read, while the majority moves on");
    const old = await c.cfg.checkOneLeader();
    await c.cfg.one(401, 5, true);
    log("tester", `isolate leader ${old}`);
    c.isolate(old);
    const confirmed: string[] = [];
    let answered = 0;
    const since = now();
    while (now() - since < 3 * ET) {
      void c.readIndex(old).then((r) => {
        answered++;
        if (r.ok) confirmed.push(`index ${r.index} at ${now()} ms`);
      });
      await sleep(100);
    }
    await c.cfg.one(402, 4, true);
    if (confirmed.length > 0) fail(`leader ${old}, cut off from every peer, must confirm no read (no majority answers it); it confirmed ${confirmed.slice(0, 3).join(", ")}`);
    if (answered < 20) fail(`the reads at cut-off leader ${old} should fail within ${ET} ms each, so that clients try elsewhere; only ${answered} of 30 had an answer`);
    c.isolate(old, false);
    await c.cfg.one(403, 5, true);
    c.cfg.end();
  }),

  // R4 (etcd-io/etcd#20418)
  defineTest("5C", "TestReadIndexIgnoresEarlierRounds5C", async (t) => {
    const c = makeCluster(t, 5, NONE, "a read waits for a round sent after it: late answers to an earlier round confirm nothing");
    const old = await c.cfg.checkOneLeader();
    const index = await c.cfg.one(451, 5, true);
    const term = c.status(old).term;
    const rival = (old + 1) % 5;
    let held = 0;
    c.delayReply = (from, _to, method) => {
      if (from !== old || method !== "Raft.confirmLeadership") return 0;
      held++;
      return 200;
    };
    log("tester", `read A at ${old}: its round's answers come back, and the tester holds them 200 ms`);
    void c.readIndex(old);
    while (held < 4) await sleep(1);
    log("tester", `every answer is back and held; cut ${old} off, and ${rival} takes over at once`);
    c.isolate(old);
    c.deliverTimeoutNow(rival, { term, leaderId: old, lastLogIndex: index, lastLogTerm: term });
    while (c.status(rival).role !== "leader") await sleep(1);
    const { index: newer } = c.cfg.startOn(rival, 452);
    while (c.cfg.nCommitted(newer)[0] === 0) await sleep(1);
    log("tester", `the majority committed entry ${newer}; now read B at the cut-off ${old}, while A's answers are still held`);
    c.delayReply = undefined;
    const b = await c.readIndex(old);
    if (b.ok) fail(`read B at ${old} began after the majority had moved on to ${rival}'s term and committed entry ${newer}; ` +
      `only a round sent after B began may confirm it, and none can reach a majority, yet B was confirmed with index ${b.index}`);
    c.isolate(old, false);
    await c.cfg.one(453, 5, true);
    c.cfg.end();
  }),

  // R5
  defineTest("5C", "TestFollowerReadIndex5C", async (t) => {
    const c = makeCluster(t, 3, NONE, "a follower gets its read index from the leader; a cut-off follower gets none");
    const leader = await c.cfg.checkOneLeader();
    const follower = (leader + 1) % 3;
    for (let k = 0; k < 10; k++) {
      const { index } = c.cfg.startOn(leader, 500 + k);
      while (c.cfg.nCommitted(index)[0] === 0) await sleep(1);
      const r = await c.readIndex(follower);
      if (!r.ok || r.index < index) fail(`follower ${follower}, asked to read after entry ${index} committed, should get a read index ≥ ${index} from its leader; it got ${show(r)}`);
    }
    log("tester", `isolate follower ${follower}`);
    c.isolate(follower);
    await sleep(50);
    const since = now();
    const r = await c.readIndex(follower);
    if (r.ok) fail(`follower ${follower} is cut off from its leader: readIndex() must fail, not give ${show(r)}`);
    if (now() - since > ET) fail(`a cut-off follower's readIndex() should fail within ${ET} ms; it took ${now() - since} ms`);
    c.isolate(follower, false);
    await c.cfg.one(599, 3, true);
    c.cfg.end();
  }),

  // R8
  defineTest("5C", "TestPendingReadsFailOnLeaderChange5C", async (t) => {
    const c = makeCluster(t, 3, NONE, "reads pending at a leader that loses its leadership fail at once");
    let leader = await c.cfg.checkOneLeader();
    await c.cfg.one(601, 3, true);
    for (let round = 0; round < 3; round++) {
      const holding = leader;
      c.drop = (from, _to, method) => from === holding && method === "Raft.confirmLeadership";
      const started = now();
      let answer: { r: ReadIndexResult; at: number } | undefined;
      void c.readIndex(holding).then((r) => (answer = { r, at: now() }));
      await sleep(20);
      const target = (holding + 1) % 3;
      c.transfer(holding, target);
      while (c.status(holding).role === "leader" && now() - started < ET) await sleep(1);
      const steppedDown = now();
      while (answer === undefined && now() - steppedDown < ET) await sleep(1);
      if (answer === undefined) fail(`round ${round}: the read pending at ${holding} should fail when it stops leading; it is still pending after ${ET} ms`);
      if (answer.r.ok) fail(`round ${round}: a read at ${holding}, whose ConfirmLeadership round never got through, must not succeed; it gave ${show(answer.r)}`);
      if (answer.at - steppedDown > 50) fail(`round ${round}: ${holding} stopped leading at ${steppedDown} ms, and its pending read should fail then, so that the client retries at once; it failed at ${answer.at} ms`);
      c.drop = undefined;
      leader = await c.cfg.checkOneLeader();
      await c.cfg.one(610 + round, 3, true);
    }
    c.cfg.end();
  }),

  // R2, at the KV level
  defineTest("5C", "TestDeposedLeaderServesNoStaleRead5C", async (t) => {
    const { cfg, opLog, old, got } = await deposedLeaderRead(t, "readIndex", "a client of a cut-off leader never reads the value the majority overwrote (ReadIndex)");
    if (got === "1") fail(`the majority wrote x = 2 while leader ${old} was cut off; ${old}'s client must not read x = 1`);
    checkLinearizable(t, opLog.operations());
    cfg.connectAll();
    cfg.end();
  }),

  // R2, the control
  defineTest("5C", "TestStaleReadsAreCaught5C", async (t) => {
    const { cfg, opLog, old, got } = await deposedLeaderRead(t, "stale", "reads from local state at a cut-off leader are stale, and the checker says so (a control)");
    if (got !== "1") fail(`a stale read at cut-off leader ${old} should return x = 1, the overwritten value; it returned ${got === undefined ? "nothing" : JSON.stringify(got)}`);
    const verdict = checkOperations(kvModel, opLog.operations()).verdict;
    if (verdict !== "illegal") fail(`the linearizability checker must find the stale read: the history's verdict should be "illegal"; it is "${verdict}"`);
    cfg.connectAll();
    cfg.end();
  }),

  // R5, at the KV level
  defineTest("5C", "TestFollowerReadWaitsForApply5C", async (t) => {
    const holds: Holds = {};
    const cfg = makeKv(t, 3, "follower", "a follower read waits until the follower has applied the read index", holds);
    const opLog = newOpLog(t);
    const ck = cfg.makeClient(cfg.all());
    await Put(cfg, ck, "x", "0", opLog, 0);
    const [ok, leader] = cfg.leader();
    if (!ok) fail("tester bug: no leader after the first Put");
    const follower = (leader + 1) % 3;
    log("tester", `hold back every AppendEntries with entries from ${leader} to ${follower}: it stays a follower, but lags`);
    holds.drop = (from, to, method, args) => from === leader && to === follower && method === "Raft.appendEntries" && (args as AppendEntriesArgs).entries.length > 0;
    for (let k = 1; k <= 3; k++) await Put(cfg, ck, "x", String(k), opLog, 0);
    const reader = cfg.makeClient([follower]);
    let got: string | undefined;
    go(async () => {
      got = await Get(cfg, reader, "x", opLog, 1);
    });
    await sleep(ET);
    if (got !== undefined && got !== "3") fail(`x was 3 when the read began; follower ${follower}, which lags, must wait until it has applied the read index, not answer ${JSON.stringify(got)}`);
    log("tester", "release the held entries");
    holds.drop = undefined;
    for (let waited = 0; got === undefined && waited < 5 * ET; waited += POLL_MS) await sleep(POLL_MS);
    if (got !== "3") fail(`once it caught up, follower ${follower} should read x = 3; it read ${got === undefined ? "nothing" : JSON.stringify(got)} within 5 ET`);
    checkLinearizable(t, opLog.operations());
    cfg.end();
  }),

  // Randomized, ReadIndex at the leader
  defineTest("5C", "TestReadIndexPartitions5C", async (t) => {
    await genericTest(withReadingServers(t, "readIndex"), "5C", 3, 5, false, false, true, -1, false);
  }),

  // Randomized, follower reads
  defineTest("5C", "TestFollowerReadsUnreliablePartitions5C", async (t) => {
    await genericTest(withReadingServers(t, "follower"), "5C", 5, 5, true, false, true, -1, false);
  }),
];
