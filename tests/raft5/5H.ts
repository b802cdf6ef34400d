// Lab 5H: client sessions with deterministic eviction (dissertation §6.3; Dragonboat's sessions;
// test plan ids S1–S8), on lab 5's session KV server (raft-extensions/session-kv-server.ts) and
// session clerk, in the tester of session-config.ts. Every test runs under its replica monitor
// (session-monitor.ts): at every log index, every replica's session table must be the same.
//
// Two styles:
//   - scripted: a reply lost at the moment the leader crashes (S1), old requests replayed after a
//     leader change (S2), a retry answered from a snapshot's table after a restart of every
//     server (S3), eviction by log order with a lagging follower (S4), an evicted client's retry
//     (S5), five pipelined writes delivered out of order (S6), a RegisterClient replayed after
//     its session was evicted (S7, tigerbeetle/tigerbeetle#2153), and expiry by the leader's
//     timestamps while a follower applies late (S8);
//   - randomized: clients under partitions, crashes, an unreliable network with duplicated
//     requests and snapshots, with room for every session, and with too little room (evictions
//     under load). Each history is judged by the linearizability checker, and every append by
//     the exactly-once check: each write that returned is in the final value once, in its
//     client's order; a write whose session expired is there at most once.
import { go, log, now, sleep } from "../../sim/index.ts";
import { SessionExpiredError, type SessionClerk } from "../../raft-extensions/session-clerk.ts";
import type { RegisterArgs, SessionPutAppendArgs, SessionPutAppendReply, SessionView } from "../../raft-extensions/session-types.ts";
import type { AppendEntriesArgs } from "../../raft/types.ts";
import type { KvInput, KvOutput, HistoryRecorder } from "../../sim/check/index.ts";
import { defineTest, type TestContext } from "../harness/define-test.ts";
import { fail } from "../harness/failure.ts";
import { checkLinearizable, newOpLog } from "../harness/kv-linearizability.ts";
import type { LabTest } from "../registry.ts";
import { ET } from "./cluster.ts";
import { SessionConfig, appendsOnce, type SessionConfigOptions } from "./session-config.ts";

type OpLog = HistoryRecorder<KvInput, KvOutput>;

/** How often a test looks at the servers while it waits for something. */
const POLL_MS = 10;

function makeConfig(t: TestContext, n: number, options: SessionConfigOptions, begin: string): SessionConfig {
  const cfg = new SessionConfig(t, n, options);
  cfg.begin(`Test (5H): ${begin}`);
  return cfg;
}

/** An append recorded in the history: resolves to the index it was applied at, or to the SessionExpiredError (left open in the history). */
async function append(ck: SessionClerk, key: string, value: string, opLog: OpLog, cli: number): Promise<number | SessionExpiredError> {
  const handle = opLog.begin(cli, { op: "append", key, value });
  try {
    const index = await ck.append(key, value);
    opLog.end(handle, "");
    return index;
  } catch (err) {
    if (err instanceof SessionExpiredError) return err; // it may or may not have been applied: the operation stays open
    throw err;
  }
}

async function get(ck: SessionClerk, key: string, opLog: OpLog, cli: number): Promise<string> {
  const handle = opLog.begin(cli, { op: "get", key });
  const value = await ck.get(key);
  opLog.end(handle, value);
  return value;
}

/** An append that must succeed. */
async function appendOk(ck: SessionClerk, key: string, value: string, opLog: OpLog, cli: number): Promise<number> {
  const r = await append(ck, key, value, opLog, cli);
  if (r instanceof SessionExpiredError) fail(`append ${JSON.stringify(value)} of client ${cli} to ${key}: its session should be live, yet it failed: ${r.message}`);
  return r;
}

/** Waits until `done()` or `ms` of virtual time passed; whether it is done. */
async function within(ms: number, done: () => boolean): Promise<boolean> {
  const since = now();
  while (!done() && now() - since < ms) await sleep(POLL_MS);
  return done();
}

function isWrite(method: string, args: unknown): args is SessionPutAppendArgs {
  return method === "KVServer.putAppend" && typeof args === "object" && args !== null;
}

function checkOnce(key: string, value: string, acked: readonly string[], uncertain: readonly string[] = []): void {
  const problem = appendsOnce(value, acked, uncertain);
  if (problem !== null) fail(`exactly once, on key ${key}: ${problem} (its value: ${JSON.stringify(value)})`);
}

/** Loses the reply of `seq` of session `clientId` the first time it comes back OK, then runs `then` (at that moment). */
function loseReplyOnce(cfg: SessionConfig, clientId: number, seq: number, then: (reply: SessionPutAppendReply) => void): void {
  let lost = false;
  cfg.clientHolds.loseReply = (method, args, reply) => {
    if (lost || !isWrite(method, args) || args.clientId !== clientId || args.seq !== seq || (reply as SessionPutAppendReply).err !== "OK") return false;
    lost = true;
    log("tester", `loses the OK reply to seq ${seq} of session ${clientId} (applied at ${(reply as SessionPutAppendReply).appliedAt})`);
    then(reply as SessionPutAppendReply);
    return true;
  };
}

/** Session `clientId` as server i shows it, or undefined. */
function sessionAt(cfg: SessionConfig, i: number, clientId: number): SessionView | undefined {
  return cfg.server(i).sessions().find((s) => s.clientId === clientId);
}

/** S5 and S7's start: client A writes seq 2, its reply is lost and A is cut off; `others` clerks register and write, evicting A. */
async function evictAfterLostReply(cfg: SessionConfig, opLog: OpLog, others: number) {
  const all = cfg.all();
  const a = cfg.makeClient(all);
  const id = await a.register();
  await appendOk(a, "x", "a0 ", opLog, 0);
  let firstAppliedAt = 0;
  loseReplyOnce(cfg, id, 2, (reply) => {
    firstAppliedAt = reply.appliedAt;
    cfg.disconnectClient(a, all);
  });
  const retried = append(a, "x", "a1 ", opLog, 0);
  if (!(await within(3 * ET, () => firstAppliedAt > 0))) fail("A's second append (seq 2) should be applied within 3 ET; no server answered it OK");
  cfg.clientHolds.loseReply = undefined;
  log("tester", `A (session ${id}) is cut off; ${others} other clients register and write`);
  for (let c = 1; c <= others; c++) {
    const ck = cfg.makeClient(all);
    await ck.register();
    await appendOk(ck, "y", `c${c} `, opLog, c);
  }
  return { a, id, retried, firstAppliedAt };
}

export const tests: LabTest[] = [
  // S1
  defineTest("5H", "TestCommitThenCrashAppliesOnce5H", async (t) => {
    const cfg = makeConfig(t, 3, { maxSessions: 8 }, "a write committed by a leader that crashes before replying is applied once");
    const opLog = newOpLog(t);
    const ck = cfg.makeClient(cfg.all());
    const id = await ck.register();
    await appendOk(ck, "x", "a0 ", opLog, 0);
    let crashed = -1;
    let firstAppliedAt = 0;
    loseReplyOnce(cfg, id, 2, (reply) => {
      const [ok, leader] = cfg.leader();
      if (!ok) fail("a server just answered seq 2, yet no server says it leads");
      crashed = leader;
      firstAppliedAt = reply.appliedAt;
      log("tester", `crashes leader ${leader} before its reply reaches the client`);
      cfg.shutdownServer(leader);
    });
    const at = await appendOk(ck, "x", "a1 ", opLog, 0);
    if (crashed < 0) fail("tester bug: the reply to be lost never came");
    if (at !== firstAppliedAt) fail(`the retry of seq 2 at the new leader should be answered from the session's cache (applied at index ${firstAppliedAt}); its reply says index ${at}`);
    cfg.startServer(crashed);
    cfg.connectAll();
    const value = await get(ck, "x", opLog, 0);
    checkOnce("x", value, ["a0 ", "a1 "]);
    checkLinearizable(t, opLog.operations());
    cfg.end();
  }),

  // S2
  defineTest("5H", "TestDuplicatedRequestsAcrossLeaderChanges5H", async (t) => {
    const cfg = makeConfig(t, 3, { maxSessions: 8 }, "requests duplicated by the network, and replayed after leader changes, are applied once");
    cfg.net.setDuplication(0.3);
    const opLog = newOpLog(t);
    const sent: SessionPutAppendArgs[] = [];
    cfg.clientHolds.delayRequest = (method, args) => {
      if (isWrite(method, args)) sent.push({ ...args });
      return 0;
    };
    const acked: string[][] = [[], []];
    let finished = 0;
    for (const c of [0, 1]) {
      go(async () => {
        const ck = cfg.makeClient(cfg.all());
        for (let j = 0; j < 15; j++) {
          const value = `x ${c} ${j} y `;
          await appendOk(ck, "k", value, opLog, c);
          acked[c]!.push(value);
          await get(ck, "k", opLog, c); // reads keep the history cheap to check (appends alone can be ordered too many ways)
        }
        finished++;
      });
    }
    const done = () => finished === 2;
    for (let round = 0; round < 3 && !done(); round++) {
      await sleep(300);
      const [ok, leader] = cfg.leader();
      if (!ok) continue;
      const others = cfg.all().filter((i) => i !== leader);
      log("tester", `cuts leader ${leader} off, for a new leader`);
      cfg.partition(others, [leader]);
      await sleep(ET);
      cfg.connectAll();
      const copies = sent.splice(0);
      log("tester", `replays ${copies.length} earlier write requests to every server`);
      for (const copy of copies) for (const i of cfg.all()) void cfg.replay(i, "KVServer.putAppend", copy);
    }
    if (!(await within(20 * ET, done))) fail("the two clients should finish their 15 appends each within 20 ET");
    await sleep(ET); // the last replays land
    const ck = cfg.makeClient(cfg.all());
    const value = await get(ck, "k", opLog, 2);
    checkOnce("k", value, acked[0]!);
    checkOnce("k", value, acked[1]!);
    checkLinearizable(t, opLog.operations());
    cfg.end();
  }),

  // S3
  defineTest("5H", "TestSnapshotKeepsSessions5H", async (t) => {
    const cfg = makeConfig(t, 3, { maxSessions: 8, maxraftstate: 1000 }, "a retry after every server restarted from its snapshot is answered from the snapshot's session table");
    const opLog = newOpLog(t);
    const all = cfg.all();
    const a = cfg.makeClient(all);
    const id = await a.register();
    await appendOk(a, "x", "a0 ", opLog, 0);
    let firstAppliedAt = 0;
    loseReplyOnce(cfg, id, 2, (reply) => {
      firstAppliedAt = reply.appliedAt;
      cfg.disconnectClient(a, all);
    });
    const retried = append(a, "x", "a1 ", opLog, 0);
    if (!(await within(3 * ET, () => firstAppliedAt > 0))) fail("A's second append (seq 2) should be applied within 3 ET; no server answered it OK");
    cfg.clientHolds.loseReply = undefined;
    const b = cfg.makeClient(all);
    for (let j = 0; j < 30; j++) await appendOk(b, "y", `b${j} ${"-".repeat(60)} `, opLog, 1);
    for (const i of all) {
      if ((cfg.persister(i)?.snapshotSize() ?? 0) === 0) fail(`server ${i} should have taken a snapshot (maxraftstate 1000) after 30 appends of 70 bytes`);
    }
    log("tester", "restarts every server; A's seq 2 is in their snapshots");
    for (const i of all) cfg.shutdownServer(i);
    for (const i of all) cfg.startServer(i);
    cfg.connectAll();
    cfg.connectClient(a, all);
    const r = await retried;
    if (r instanceof SessionExpiredError) fail(`after the restart, A's retry of seq 2 should be answered from the session table the snapshot restored; it got: ${r.message}`);
    if (r !== firstAppliedAt) fail(`A's retry of seq 2 should be answered from the cache (applied at index ${firstAppliedAt}); its reply says index ${r}`);
    const value = await get(b, "x", opLog, 1);
    checkOnce("x", value, ["a0 ", "a1 "]);
    checkLinearizable(t, opLog.operations());
    cfg.end();
  }),

  // S4
  defineTest("5H", "TestEvictionIsDeterministic5H", async (t) => {
    const cfg = makeConfig(t, 5, { maxSessions: 4 }, "with room for 4 sessions, 6 clients: every replica evicts the least recently used, at the same index");
    const opLog = newOpLog(t);
    const all = cfg.all();
    const first = cfg.makeClient(all);
    await appendOk(first, "k", "c0 ", opLog, 0);
    const [ok, leader] = cfg.leader();
    if (!ok) fail("a server just answered the first append, yet no server says it leads");
    const lagging = (leader + 1) % 5;
    log("tester", `cuts follower ${lagging} off while the clients register`);
    cfg.partition(all.filter((i) => i !== lagging), [lagging]);
    const clerks = [first];
    for (let c = 1; c < 6; c++) {
      const ck = cfg.makeClient(all);
      await appendOk(ck, "k", `c${c} `, opLog, c);
      clerks.push(ck);
    }
    cfg.connectAll();
    for (let c = 2; c < 6; c++) await appendOk(clerks[c]!, "k", `again${c} `, opLog, c);
    for (const c of [0, 1]) {
      const r = await append(clerks[c]!, "k", `late${c} `, opLog, c);
      if (!(r instanceof SessionExpiredError)) fail(`clients 0 and 1 used their sessions least recently when clients 4 and 5 registered: client ${c}'s session should be evicted, yet its append was applied at index ${r}`);
    }
    const settled = await within(5 * ET, () => {
      const tables = all.map((i) => JSON.stringify(cfg.server(i).sessions()));
      return tables.every((table) => table === tables[0]);
    });
    if (!settled) fail(`every replica, the lagging ${lagging} too, should hold the same sessions once caught up; they hold ${all.map((i) => JSON.stringify(cfg.server(i).sessions().map((s) => s.clientId))).join(", ")}`);
    const held = cfg.server(leader).sessions().length;
    if (held !== 4) fail(`with maxSessions 4 and 6 clients, every replica should hold 4 sessions; it holds ${held}`);
    checkLinearizable(t, opLog.operations());
    cfg.end();
  }),

  // S5
  defineTest("5H", "TestEvictedRetryIsRejected5H", async (t) => {
    const cfg = makeConfig(t, 3, { maxSessions: 4 }, "an evicted client's retry is rejected with SessionExpired and never applied twice");
    const opLog = newOpLog(t);
    const { a, id, retried } = await evictAfterLostReply(cfg, opLog, 4);
    log("tester", `reconnects A; its session ${id} was evicted`);
    cfg.connectClient(a, cfg.all());
    let r: number | SessionExpiredError | undefined;
    void retried.then((x) => (r = x));
    if (!(await within(5 * ET, () => r !== undefined))) fail(`A's retry of seq 2, after its session ${id} was evicted, should fail with SessionExpired within 5 ET; it is still pending`);
    if (!(r instanceof SessionExpiredError)) fail(`A's session ${id} was evicted: its retry of seq 2 must be rejected with SessionExpired, not applied (at index ${String(r)})`);
    await appendOk(a, "x", "a2 ", opLog, 0);
    const value = await get(a, "x", opLog, 0);
    checkOnce("x", value, ["a0 ", "a2 "], ["a1 "]);
    if (!value.includes("a1 ")) fail(`A's seq 2 ("a1 ") was applied before its reply was lost, so x must hold it once; x is ${JSON.stringify(value)}`);
    checkLinearizable(t, opLog.operations());
    cfg.end();
  }),

  // S6
  defineTest("5H", "TestPipelinedClient5H", async (t) => {
    const cfg = makeConfig(t, 3, { maxSessions: 8 }, "five writes in flight, delivered out of order, are applied once each; the cache keeps only what is not yet answered");
    const opLog = newOpLog(t);
    const ck = cfg.makeClient(cfg.all());
    const id = await ck.register();
    const firstTry = new Map<number, SessionPutAppendArgs>();
    cfg.clientHolds.delayRequest = (method, args) => {
      if (!isWrite(method, args) || firstTry.has(args.seq)) return 0;
      firstTry.set(args.seq, { ...args });
      return (6 - args.seq) * 30; // seq 5 leaves first, seq 1 last
    };
    loseReplyOnce(cfg, id, 3, () => {});
    const values = [1, 2, 3, 4, 5].map((s) => `p${s} `);
    await Promise.all(values.map((v) => appendOk(ck, "p", v, opLog, 0)));
    cfg.clientHolds.delayRequest = undefined;
    let value = await get(ck, "p", opLog, 0);
    for (const v of values) checkOnce("p", value, [v]);
    await appendOk(ck, "p", "p6 ", opLog, 0);
    const [ok, leader] = cfg.leader();
    if (!ok) fail("a server just answered the sixth append, yet no server says it leads");
    await within(ET, () => cfg.all().every((i) => sessionAt(cfg, i, id)?.respondedUpTo === 6)); // every replica applies the sixth
    for (const i of cfg.all()) {
      const s = sessionAt(cfg, i, id);
      if (s === undefined) fail(`server ${i} should hold session ${id}`);
      if (s.respondedUpTo !== 6 || s.cachedSeqs.join(",") !== "6") {
        fail(`the sixth write said every seq below 6 has its answer: server ${i} should cache seq 6 alone with respondedUpTo 6; it has respondedUpTo ${s.respondedUpTo} and caches seqs [${s.cachedSeqs.join(", ")}]`);
      }
    }
    log("tester", `replays the first copy of seq 2 to leader ${leader}`);
    await cfg.replay(leader, "KVServer.putAppend", firstTry.get(2)!);
    value = await get(ck, "p", opLog, 0);
    checkOnce("p", value, ["p6 "]);
    for (const v of values) checkOnce("p", value, [v]);
    checkLinearizable(t, opLog.operations());
    cfg.end();
  }),

  // S7 (tigerbeetle/tigerbeetle#2153)
  defineTest("5H", "TestRegisterReplayAfterEviction5H", async (t) => {
    const cfg = makeConfig(t, 3, { maxSessions: 4 }, "a RegisterClient replayed after its session was evicted leaves the client a clear error and a way back");
    const opLog = newOpLog(t);
    let registerArgs: RegisterArgs | undefined;
    cfg.clientHolds.delayRequest = (method, args) => {
      if (method === "KVServer.register" && registerArgs === undefined) registerArgs = { ...(args as RegisterArgs) };
      return 0;
    };
    const { a, id, retried } = await evictAfterLostReply(cfg, opLog, 4);
    cfg.clientHolds.delayRequest = undefined;
    const [ok, leader] = cfg.leader();
    if (registerArgs === undefined) fail("tester bug: A's register request was not seen");
    if (!ok) fail("a server just answered the other clients' writes, yet no server says it leads");
    log("tester", `replays A's RegisterClient to leader ${leader}, after A's session ${id} was evicted`);
    await cfg.replay(leader, "KVServer.register", registerArgs);
    cfg.connectClient(a, cfg.all());
    let r: number | SessionExpiredError | undefined;
    void retried.then((x) => (r = x));
    if (!(await within(5 * ET, () => r !== undefined))) fail(`A's retry of seq 2 should fail with SessionExpired within 5 ET; it is still pending`);
    if (!(r instanceof SessionExpiredError)) fail(`A's session ${id} was evicted before its RegisterClient was replayed: its retry of seq 2 must be rejected with SessionExpired, not applied (at index ${String(r)})`);
    let again: number | SessionExpiredError | undefined;
    void append(a, "x", "a2 ", opLog, 0).then((x) => (again = x));
    if (!(await within(5 * ET, () => again !== undefined))) fail("after SessionExpired, A's next append should register anew and be applied within 5 ET; it is stuck");
    if (again instanceof SessionExpiredError) fail(`after SessionExpired, A's next append should register anew and be applied; it failed again: ${again.message}`);
    const value = await get(a, "x", opLog, 0);
    checkOnce("x", value, ["a0 ", "a2 "], ["a1 "]);
    checkLinearizable(t, opLog.operations());
    cfg.end();
  }),

  // S8
  defineTest("5H", "TestExpiryFollowsTheLog5H", async (t) => {
    const cfg = makeConfig(t, 3, { maxSessions: 8, sessionTtlMs: 1500 }, "sessions expire by the leader's timestamps in the log: a follower that applies late expires the same ones");
    const opLog = newOpLog(t);
    const all = cfg.all();
    const a = cfg.makeClient(all);
    await appendOk(a, "x", "a0 ", opLog, 0);
    const b = cfg.makeClient(all);
    await appendOk(b, "y", "b0 ", opLog, 1);
    const [ok, leader] = cfg.leader();
    if (!ok) fail("a server just answered the first appends, yet no server says it leads");
    const lagging = (leader + 1) % 3;
    log("tester", `holds back every AppendEntries with entries to ${lagging}: it lags (it may time out and call elections it cannot win), and will apply late`);
    cfg.raftHolds.drop = (_from, to, method, args) => to === lagging && method === "Raft.appendEntries" && (args as AppendEntriesArgs).entries.length > 0;
    for (let j = 1; j <= 10; j++) {
      await appendOk(b, "y", `b${j} `, opLog, 1);
      await sleep(300);
    }
    log("tester", "releases the held entries");
    cfg.raftHolds.drop = undefined;
    const r = await append(a, "x", "a1 ", opLog, 0);
    if (!(r instanceof SessionExpiredError)) fail(`A was idle for over 3 s of log time, with a TTL of 1.5 s: its session should have expired, yet its append was applied at index ${r}`);
    await appendOk(b, "y", "b11 ", opLog, 1);
    const table = (i: number) => JSON.stringify(cfg.server(i).sessions());
    const others = all.filter((i) => i !== lagging);
    if (!(await within(5 * ET, () => table(lagging) === table(others[0]!) && table(lagging) === table(others[1]!)))) {
      fail(`once released, server ${lagging} should catch up within 5 ET and hold the others' sessions ${table(others[0]!)}; it holds ${table(lagging)}`);
    }
    checkLinearizable(t, opLog.operations());
    cfg.end();
  }),

  // Randomized, room for every session
  defineTest("5H", "TestSessionsUnreliablePartitions5H", async (t) => {
    await randomized(t, { clients: 3, maxSessions: 16 }, "clients under partitions, crashes, lost and duplicated messages and snapshots: exactly once, linearizable");
  }),

  // Randomized, too little room
  defineTest("5H", "TestSessionEvictionUnderLoad5H", async (t) => {
    await randomized(t, { clients: 5, maxSessions: 3 }, "5 clients, room for 3 sessions, under partitions and crashes: evicted writes fail clearly and are never applied twice");
  }),
];

/**
 * The randomized tests: `clients` clerks append to and read three keys for 6 s, while a nemesis
 * heals the network, then partitions the servers or crashes one, again and again (a phase each
 * 0.3–1 s), on an unreliable network that also
 * duplicates requests, with snapshots; then everything heals and every key is read. With fewer
 * sessions than clients, writes whose session was evicted fail (at least one must).
 */
async function randomized(t: TestContext, shape: { clients: number; maxSessions: number }, begin: string): Promise<void> {
  const cfg = makeConfig(t, 5, { maxSessions: shape.maxSessions, unreliable: true, maxraftstate: 2000 }, begin);
  cfg.net.setDuplication(0.1);
  const opLog = newOpLog(t);
  const rand = cfg.rand;
  const keys = ["k0", "k1", "k2"];
  /** acked[key][client]: the appends that returned, in order; uncertain[key]: those whose session expired. */
  const acked = new Map(keys.map((k) => [k, Array.from({ length: shape.clients }, () => [] as string[])]));
  const uncertain = new Map(keys.map((k) => [k, [] as string[]]));
  const expiredWrites: ExpiredWrite[] = [];
  let done = false;
  let finished = 0;
  for (let c = 0; c < shape.clients; c++) {
    go(async () => {
      const ck = cfg.makeClient(cfg.all());
      for (let j = 0; !done; j++) {
        const key = keys[rand.int(keys.length)]!;
        if (rand.int(3) === 0) {
          await get(ck, key, opLog, c);
          continue;
        }
        const value = `x ${c} ${j} y `;
        const handle = opLog.begin(c, { op: "append", key, value });
        try {
          await ck.append(key, value);
          opLog.end(handle, "");
          acked.get(key)![c]!.push(value);
        } catch (err) {
          if (!(err instanceof SessionExpiredError)) throw err;
          opLog.end(handle, ""); // applied within its interval, or never (see closedExpiredWrites)
          expiredWrites.push({ handle, key, value });
          uncertain.get(key)!.push(value);
        }
      }
      finished++;
    });
  }
  const since = now();
  while (now() - since < 6000) {
    cfg.connectAll();
    await sleep(300 + rand.int(500));
    if (rand.int(3) === 0) {
      const victim = rand.int(cfg.n);
      log("tester", `crashes server ${victim}`);
      cfg.shutdownServer(victim);
      await sleep(300 + rand.int(700));
      cfg.startServer(victim);
    } else {
      const side = cfg.all().filter(() => rand.int(2) === 0);
      if (side.length > 0 && side.length < cfg.n) cfg.partition(side, cfg.all().filter((i) => !side.includes(i)));
      await sleep(300 + rand.int(700));
    }
  }
  cfg.connectAll();
  cfg.net.setReliable(true);
  done = true;
  if (!(await within(20 * ET, () => finished === shape.clients))) fail(`every client should finish its last operation within 20 ET of the network healing; ${shape.clients - finished} did not`);
  const reader = cfg.makeClient(cfg.all());
  const finals = new Map<string, string>();
  for (const key of keys) {
    const value = await get(reader, key, opLog, shape.clients);
    finals.set(key, value);
    for (const mine of acked.get(key)!) checkOnce(key, value, mine, uncertain.get(key)!);
  }
  if (shape.maxSessions < shape.clients && expiredWrites.length === 0) fail(`${shape.clients} clients shared ${shape.maxSessions} sessions for 6 s, yet no write ever found its session evicted: the table is not bounded`);
  log("tester", `${expiredWrites.length} writes found their session expired`);
  checkLinearizable(t, closedExpiredWrites(opLog, expiredWrites, finals));
  cfg.end();
}

/** A write that ended in SessionExpiredError: which operation of the history, and what it appended where. */
interface ExpiredWrite {
  handle: number;
  key: string;
  value: string;
}

/**
 * The history, with every write that ended in SessionExpired either kept (closed at the moment
 * of the error) or, if the final value does not hold it, removed. Both are what the session rules
 * promise: such a write was applied while its session lived — before the eviction, so before
 * the rejection — or never (a copy committed after the eviction is rejected too). Left open, as
 * a write nobody saw the end of, each could be ordered anywhere after its call, and a few dozen
 * of them exhaust the checker. An implementation that applies a rejected write later breaks
 * the stronger history, and the checker says so.
 */
function closedExpiredWrites(opLog: OpLog, expired: readonly ExpiredWrite[], finals: ReadonlyMap<string, string>) {
  const never = new Set(expired.filter((w) => !(finals.get(w.key) ?? "").includes(w.value)).map((w) => w.handle));
  return opLog.operations().filter((_, handle) => !never.has(handle));
}
