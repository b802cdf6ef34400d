// Lab 5A: PreVote and CheckQuorum (dissertation §9.6 and §6.2; test plan ids P1–P11). Each test states
// its bound in election timeouts (ET = the tester's 1 s; the reference's minimum election timeout
// is 400 ms, which is also its CheckQuorum period and its vote lease). P5 is also played at the
// KV level (TestIsolatedLeaderTurnsClientsAway5A: lab 5's KV server, Gets through the log, on lab
// 3's tester): the cut-off leader's own client is answered ErrWrongLeader, never kept waiting
// past the step-down bound. P10's removed server is a
// server the leader cannot reach (a one-way cut), since membership changes come with 5E; P12 (a
// leadership transfer is exempt from the lease) is 5B's TestTransferWithVoteLease5B.
//
// Two styles, as the spec asks:
//   - scripted scenarios that cut links precisely (one-way cuts, bridges, partial meshes) and
//     assert, message by message on the wire, that a term never moved or that no leader changed;
//   - a randomized nemesis under load (TestNemesisUnderLoad5A), judged event by event by the
//     Figure-2 monitors and the tester's apply checks, and at the end by one more agreement.
// The "…WithoutPreVote" tests run with the extensions off and assert the churn they prevent: they
// document the problem, and fail if it ever stops showing.
import { go, log, now, sleep } from "../../sim/index.ts";
import type { RaftOptions } from "../../raft-extensions/types.ts";
import { startKVServer } from "../../raft-extensions/kv-server.ts";
import type { KvApi } from "../../kvraft/common.ts";
import { Config as KvConfig } from "../kvraft/config.ts";
import { defineTest, type TestContext } from "../harness/define-test.ts";
import { fail } from "../harness/failure.ts";
import { WaitGroup } from "../harness/waitgroup.ts";
import type { LabTest } from "../registry.ts";
import { Cluster, ET, allPairs, showChanges } from "./cluster.ts";

const BOTH: RaftOptions = { preVote: true, checkQuorum: true };
const NONE: RaftOptions = {};
/** How long a CheckQuorum leader cut off from its majority may go on leading: two checks of 400 ms, and the last reply's flight. */
const STEP_DOWN_WITHIN_MS = 2 * 400 + 100;
/** How often a test looks at the servers while it waits for something. */
const POLL_MS = 10;
/** How often lab 5's KV server looks whether its Raft still leads while a request waits (raft-extensions/kv-server.ts). */
const KV_LEADERSHIP_CHECK_MS = 100;
/** The time a request and its answer spend on the wire, and the handler's own steps. */
const ANSWER_SLACK_MS = 60;

/** A KV cluster of lab 5's servers with PreVote and CheckQuorum, on lab 3's tester; Gets go through the log (5A needs no 5C). */
function makeKv(t: TestContext, n: number, begin: string): KvConfig {
  const makeRaft = t.substitutes.makeExtendedRaft;
  const start = t.substitutes.startReadingKVServer ?? startKVServer;
  const cfg = new KvConfig(t.sim, n, false, -1, t.print, (peers, me, persister, maxraftstate) =>
    start(peers, me, persister, maxraftstate, { readMode: "log", raft: BOTH, ...(makeRaft === undefined ? {} : { makeRaft }) }),
  );
  t.defer((passed) => cfg.cleanup(passed));
  cfg.monitors.terms.voteLease = true;
  cfg.begin(`Test (5A): ${begin}`);
  return cfg;
}

function makeCluster(t: TestContext, n: number, options: RaftOptions, begin: string): Cluster {
  const c = new Cluster(t, n, options);
  c.cfg.begin(`Test (5A): ${begin}`);
  return c;
}

/** Waits up to `withinMs` for a server of `among` to lead a term ≥ minTerm (the newest term wins); returns it. */
async function leaderAmong(c: Cluster, among: readonly number[], withinMs: number, what: string, minTerm = 0): Promise<number> {
  const deadline = now() + withinMs;
  for (;;) {
    let best: { server: number; term: number } | undefined;
    for (const i of among) {
      const s = c.status(i);
      if (s.role === "leader" && s.term >= minTerm && (best === undefined || s.term > best.term)) best = { server: i, term: s.term };
    }
    if (best !== undefined) return best.server;
    if (now() >= deadline) fail(`${what}: no leader${minTerm > 0 ? ` of a term ≥ ${minTerm}` : ""} among servers ${among.join(", ")} within ${withinMs} ms\n  ${describeAll(c)}`);
    await sleep(POLL_MS);
  }
}

function describeAll(c: Cluster): string {
  const parts: string[] = [];
  for (let i = 0; i < c.n; i++) {
    if (c.cfg.raft(i) === null) continue;
    const s = c.status(i);
    parts.push(`${i}: ${s.role} of term ${s.term}, leader ${s.leader ?? "none"}`);
  }
  return `servers: ${parts.join("; ")}`;
}

function others(n: number, ...except: number[]): number[] {
  return Array.from({ length: n }, (_, i) => i).filter((i) => !except.includes(i));
}

/** P1 and P2: a follower cut off for 10 ET comes back. Returns the cluster, its first leader and term, and when the follower came back. */
async function isolateAndRejoin(t: TestContext, options: RaftOptions, begin: string) {
  const c = makeCluster(t, 3, options, begin);
  const leader = await c.cfg.checkOneLeader();
  await c.cfg.one(101, 3, true);
  const term = c.status(leader).term;
  const away = (leader + 1) % 3;
  log("tester", `cut follower ${away} off for ${10 * ET} ms`);
  c.isolate(away);
  const cutAt = now();
  await sleep(10 * ET);
  const since = now();
  log("tester", `reconnect ${away}`);
  c.isolate(away, false);
  await sleep(3 * ET);
  await c.cfg.one(102, 3, true);
  return { c, leader, term, away, cutAt, since };
}

export const tests: LabTest[] = [
  // P1
  defineTest("5A", "TestPreVoteRejoin5A", async (t) => {
    const { c, leader, term, away, cutAt, since } = await isolateAndRejoin(t, BOTH, "a follower rejoins after 10 ET without disturbing the leader (PreVote)");
    const terms = c.termsOf(away, cutAt);
    if (terms.some((x) => x !== term)) {
      fail(`server ${away}, cut off for 10 ET, should have kept term ${term} in every message it sent (PreVote changes no term); it sent terms ${terms.join(", ")}`);
    }
    const changes = c.leaderChangesSince(since);
    if (changes.length > 0 || c.cfg.raft(leader) === null || c.status(leader).role !== "leader" || c.status(leader).term !== term) {
      fail(`server ${leader} should still lead term ${term} after ${away} rejoined; leader changes since: ${showChanges(changes)}\n  ${describeAll(c)}`);
    }
    c.cfg.end();
  }),

  // P2
  defineTest("5A", "TestRejoinWithoutPreVoteDeposes5A", async (t) => {
    const { c, term, away, since } = await isolateAndRejoin(t, NONE, "without PreVote, a rejoining follower deposes the leader (the problem 5A solves)");
    const changes = c.leaderChangesSince(since);
    if (changes.length === 0 || c.maxTerm() <= term + 1) {
      fail(`without PreVote, server ${away} should come back from 10 ET alone with a higher term and depose the leader of term ${term}; ` +
        `leader changes after it came back: ${showChanges(changes)}; highest term now ${c.maxTerm()}`);
    }
    c.cfg.end();
  }),

  // P3
  defineTest("5A", "TestPreVoteNeedsAnUpToDateLog5A", async (t) => {
    // PreVote alone, so that only the log rule can refuse (no vote lease).
    const c = makeCluster(t, 3, { preVote: true }, "a pre-candidate whose log is behind gets no pre-votes, and no term moves");
    const leader = await c.cfg.checkOneLeader();
    const behind = (leader + 1) % 3;
    const peer = (leader + 2) % 3;
    c.isolate(behind);
    await c.cfg.one(201, 2, true); // behind misses this entry
    const term = c.status(leader).term;
    log("tester", `${behind} hears only ${peer}, whose log is longer`);
    c.cut(behind, peer, false);
    const since = now();
    await sleep(10 * ET);
    for (let i = 0; i < 3; i++) {
      const moved = c.termsOf(i, since).filter((x) => x !== term);
      if (moved.length > 0) fail(`no term should move: server ${behind}'s log lacks an entry ${peer} has, so ${peer} refuses its pre-votes; server ${i} sent terms ${moved.join(", ")} (all was term ${term})`);
    }
    const changes = c.leaderChangesSince(since);
    if (changes.length > 0) fail(`no leader should change; changes: ${showChanges(changes)}`);
    c.cfg.end();
  }),

  // P4
  defineTest("5A", "TestVoteLeaseRefusesWhileLeaderAlive5A", async (t) => {
    const c = makeCluster(t, 3, BOTH, "a follower that hears its leader refuses pre-votes; once the leader is gone it grants them");
    const leader = await c.cfg.checkOneLeader();
    const deaf = (leader + 1) % 3;
    const loyal = (leader + 2) % 3;
    const term = c.status(leader).term;
    log("tester", `${deaf} no longer hears leader ${leader}`);
    c.cutOneWay(leader, deaf);
    const since = now();
    let preCandidate = false;
    while (now() - since < 5 * ET) {
      const s = c.status(deaf);
      if (s.role === "pre-candidate" && s.leader !== null) {
        fail(`server ${deaf} is a pre-candidate and still says it follows leader ${s.leader}: a pre-candidate forgets its leader (etcd-io/etcd#8334)`);
      }
      preCandidate ||= s.role === "pre-candidate";
      await sleep(POLL_MS);
    }
    if (!preCandidate) fail(`server ${deaf}, which no longer hears its leader, should campaign as a pre-candidate (status().role "pre-candidate"); it never did in 5 ET`);
    const changes = c.leaderChangesSince(since);
    if (changes.length > 0 || c.maxTerm() !== term) {
      fail(`server ${loyal} hears leader ${leader} and should refuse ${deaf}'s pre-votes (vote lease): no term or leader should change; ` +
        `leader changes: ${showChanges(changes)}; highest term ${c.maxTerm()} (was ${term})`);
    }
    log("tester", `cut leader ${leader} off entirely`);
    c.isolate(leader);
    await leaderAmong(c, [deaf, loyal], 3 * ET, `once leader ${leader} is gone, ${loyal}'s lease lapses and it grants pre-votes`);
    c.cfg.end();
  }),

  // P5
  defineTest("5A", "TestIsolatedLeaderStepsDown5A", async (t) => {
    const c = makeCluster(t, 5, BOTH, "a leader cut off from its majority steps down (CheckQuorum)");
    for (let round = 0; round < 3; round++) {
      const leader = await c.cfg.checkOneLeader();
      await c.cfg.one(300 + round, 5, true);
      log("tester", `isolate leader ${leader}`);
      c.isolate(leader);
      const cutAt = now();
      while (c.status(leader).role === "leader") {
        if (now() - cutAt > STEP_DOWN_WITHIN_MS) {
          fail(`leader ${leader}, cut off from every peer, should step down within ${STEP_DOWN_WITHIN_MS} ms (two CheckQuorum periods); it still leads term ${c.status(leader).term}`);
        }
        await sleep(POLL_MS);
      }
      const start = c.cfg.startOn(leader, 399);
      if (start.isLeader) fail(`server ${leader} stepped down, so start() must answer isLeader false (a client then tries another server); it answered true`);
      await leaderAmong(c, others(5, leader), 3 * ET, "the majority elects a leader");
      c.isolate(leader, false);
      await c.cfg.one(310 + round, 5, true);
    }
    c.cfg.end();
  }),

  // P5, at the KV level: the cut-off leader's own clients are turned away, none waits on it
  defineTest("5A", "TestIsolatedLeaderTurnsClientsAway5A", async (t) => {
    const cfg = makeKv(t, 5, "a cut-off leader's clients get ErrWrongLeader once it steps down, and none of them hangs");
    const all = cfg.all();
    await cfg.makeClient(all).put("x", "1");
    const [ok, old] = cfg.leader();
    if (!ok) fail("tester bug: no leader after the first Put");
    const others = all.filter((i) => i !== old);
    const end = cfg.net.makeEnd<KvApi>(`p5-client->${old}`);
    cfg.net.connect(end, String(old));
    cfg.net.enable(end, true);
    log("tester", `cut leader ${old} off; a client that reaches only it keeps sending Puts and Gets`);
    cfg.partition([old], others);
    const cutAt = now();
    const answers: { op: string; sent: number; at: number; err: string }[] = [];
    const pending = new Set<string>();
    for (let k = 0; now() - cutAt < 3 * ET; k++) {
      const sent = now();
      const put = `Put ${k} sent at ${sent} ms`;
      const get = `Get ${k} sent at ${sent} ms`;
      pending.add(put).add(get);
      go(async () => {
        const reply = await end.call("KVServer.putAppend", { key: "x", value: `lonely ${k}`, op: "Put", clientId: 5005, seq: k + 1 });
        pending.delete(put);
        answers.push({ op: put, sent, at: now(), err: reply === null ? "no reply" : reply.err });
      });
      go(async () => {
        const reply = await end.call("KVServer.get", { key: "x", clientId: 5005, seq: 0 });
        pending.delete(get);
        answers.push({ op: get, sent, at: now(), err: reply === null ? "no reply" : reply.err });
      });
      await sleep(100);
    }
    await sleep(ET);
    if (pending.size > 0) fail(`leader ${old} was cut off at ${cutAt} ms; every request of its client must be answered, yet ${[...pending].slice(0, 3).join(", ")} never was`);
    for (const a of answers) {
      if (a.err !== "ErrWrongLeader") fail(`leader ${old}, cut off from the majority at ${cutAt} ms, can commit nothing: its client's ${a.op} must be answered ErrWrongLeader, not ${a.err}`);
      // A request waits at most until the step-down (and the server's next look at its Raft); after it, none waits at all.
      const latest = Math.max(a.sent, cutAt + STEP_DOWN_WITHIN_MS + KV_LEADERSHIP_CHECK_MS) + ANSWER_SLACK_MS;
      if (a.at > latest) {
        fail(`leader ${old} was cut off at ${cutAt} ms and must step down within ${STEP_DOWN_WITHIN_MS} ms; its client's ${a.op} was answered only at ${a.at} ms ` +
          `(by ${latest} ms at the latest: a deposed leader turns clients away at once, so that they try another server)`);
      }
    }
    cfg.connectAll();
    await cfg.makeClient(all).put("x", "2");
    cfg.end();
  }),

  // P6
  defineTest("5A", "TestPartialMeshIsStable5A", async (t) => {
    const c = makeCluster(t, 5, BOTH, "partial connectivity (0–1–2 mesh, 3↔1, 4↔2) keeps one stable leader");
    const changes = await partialMesh(c);
    if (changes.length > 1) fail(`with PreVote and CheckQuorum, at most 1 leader change in 30 ET of partial connectivity; there were ${changes.length}: ${showChanges(changes)}`);
    c.cfg.end();
  }),

  // P6, control
  defineTest("5A", "TestPartialMeshChurnsWithoutPreVote5A", async (t) => {
    const c = makeCluster(t, 5, NONE, "without PreVote, partial connectivity makes leaders churn (the problem 5A solves)");
    const changes = await partialMesh(c);
    if (changes.length < 5) fail(`without PreVote, servers 3 and 4 should depose leader after leader in 30 ET; only ${changes.length} leader changes: ${showChanges(changes)}`);
    c.cfg.end();
  }),

  // P7
  defineTest("5A", "TestBridgeElectsANewLeader5A", async (t) => {
    const c = makeCluster(t, 5, BOTH, "an old leader that reaches only a bridge steps down, and the bridge's side elects");
    const old = await c.cfg.checkOneLeader();
    await c.cfg.one(701, 5, true);
    const [bridge, a, b, e] = others(5, old) as [number, number, number, number];
    log("tester", `old leader ${old} ↔ bridge ${bridge} only; ${a}, ${b}, ${bridge} meshed; ${e} alone`);
    c.topology([[old, bridge], [a, b], [a, bridge], [b, bridge]]);
    await leaderAmong(c, [a, b, bridge], 3 * ET, `with ${old} reaching only the bridge ${bridge}, ${a}, ${b} and ${bridge} must elect`);
    c.cfg.end();
  }),

  // P8
  defineTest("5A", "TestStrandedHigherTermConverges5A", async (t) => {
    const c = makeCluster(t, 3, BOTH, "a server stranded at a higher term rejoins; the cluster converges");
    const stranded = ((await c.cfg.checkOneLeader()) + 1) % 3;
    c.options[stranded] = NONE; // a follower that campaigns without PreVote while alone, so its term climbs
    c.cfg.start1(stranded, "applier");
    c.cfg.connect(stranded);
    await c.cfg.one(801, 3, true);
    c.isolate(stranded);
    await c.cfg.one(802, 2, true);
    await sleep(5 * ET);
    const high = c.status(stranded).term;
    const low = c.status((stranded + 1) % 3).term;
    if (high <= low + 2) fail(`tester bug: server ${stranded} alone for 5 ET should have climbed well above term ${low}; it is at ${high}`);
    log("tester", `restart ${stranded} with PreVote and CheckQuorum, at term ${high}, and reconnect it`);
    c.options[stranded] = BOTH;
    c.cfg.start1(stranded, "applier");
    c.cfg.connect(stranded);
    c.isolate(stranded, false);
    await leaderAmong(c, [0, 1, 2], 3 * ET, `after ${stranded} rejoins at term ${high}, the cluster converges to its term or above`, high);
    await c.cfg.one(803, 3, true);
    c.cfg.end();
  }),

  // P9
  defineTest("5A", "TestLeaderLossElectsQuickly5A", async (t) => {
    const c = makeCluster(t, 3, BOTH, "followers that lose their leader together elect one of them quickly");
    for (let round = 0; round < 10; round++) {
      const leader = await c.cfg.checkOneLeader();
      log("tester", `isolate leader ${leader}`);
      c.isolate(leader);
      await leaderAmong(c, others(3, leader), 3 * ET, `round ${round}: both followers lost leader ${leader} at the same instant`);
      c.isolate(leader, false);
      await c.cfg.one(900 + round, 3, true);
    }
    c.cfg.end();
  }),

  // P10
  defineTest("5A", "TestDisruptiveServerIsIgnored5A", async (t) => {
    const c = makeCluster(t, 5, BOTH, "a server the leader cannot reach campaigns over and over; the vote lease ignores it");
    const leader = await c.cfg.checkOneLeader();
    await c.cfg.one(1001, 5, true);
    const term = c.status(leader).term;
    const outcast = (leader + 1) % 5;
    log("tester", `leader ${leader} can no longer reach ${outcast} (as if ${outcast} were removed from its configuration)`);
    c.cutOneWay(leader, outcast);
    const since = now();
    await sleep(15 * ET);
    const changes = c.leaderChangesSince(since);
    if (changes.length > 0 || c.status(leader).role !== "leader" || c.status(leader).term !== term) {
      fail(`server ${outcast}'s pre-votes reach followers that hear leader ${leader}: the vote lease must refuse them, and no leader change; ` +
        `changes: ${showChanges(changes)}\n  ${describeAll(c)}`);
    }
    c.cfg.end();
  }),

  // P11
  defineTest("5A", "TestLowerTermRestartCanElect5A", async (t) => {
    const c = makeCluster(t, 5, BOTH, "a server restarted with a lower term still helps elect a leader (canonical/raft#279)");
    let leader = await c.cfg.checkOneLeader();
    await c.cfg.one(1101, 5, true);
    const sleeper = (leader + 1) % 5;
    c.cfg.crash1(sleeper);
    for (let k = 0; k < 3; k++) {
      log("tester", `isolate leader ${leader}, so that the others move to a new term without ${sleeper}`);
      c.isolate(leader);
      const next = await leaderAmong(c, others(5, leader, sleeper), 3 * ET, "the three others elect");
      c.isolate(leader, false);
      leader = next;
      await c.cfg.one(1110 + k, 4, true);
    }
    const high = c.status(leader).term;
    const second = others(5, leader, sleeper)[0]!;
    log("tester", `crash ${leader} (leader of term ${high}) and ${second}; restart ${sleeper}, which is behind in term`);
    c.cfg.crash1(leader);
    c.cfg.crash1(second);
    c.cfg.start1(sleeper, "applier");
    c.cfg.connect(sleeper);
    const live = others(5, leader, second);
    await leaderAmong(c, live, 3 * ET, `servers ${live.join(", ")}, one restarted at a lower term, must elect`);
    await c.cfg.one(1120, 3, true);
    c.cfg.end();
  }),

  defineTest("5A", "TestNemesisUnderLoad5A", async (t) => {
    const c = makeCluster(t, 5, BOTH, "random partitions, one-way cuts, bridges and crashes under load");
    const rand = c.cfg.rand;
    let done = false;
    let committed = 0;
    const running = new WaitGroup();
    running.add(4);
    go(async () => {
      while (!done) {
        const kind = rand.int(4);
        if (kind === 0) {
          const pairs = allPairs(5).filter(() => rand.int(3) !== 0);
          log("tester", `nemesis: links ${pairs.map(([a, b]) => `${a}-${b}`).join(" ")}`);
          c.topology(pairs);
        } else if (kind === 1) {
          const from = rand.int(5);
          const to = (from + 1 + rand.int(4)) % 5;
          log("tester", `nemesis: one-way cut ${from} → ${to}`);
          c.healAll();
          c.cutOneWay(from, to);
        } else if (kind === 2) {
          const victim = rand.int(5);
          log("tester", `nemesis: restart ${victim}`);
          c.cfg.start1(victim, "applier");
          c.cfg.connect(victim);
        } else {
          log("tester", "nemesis: heal");
          c.healAll();
        }
        await sleep(500 + rand.int(1500));
      }
      running.done();
    });
    for (let k = 0; k < 3; k++) {
      go(async () => {
        for (let i = 0; !done; i++) {
          const cmd = 10_000 * (k + 1) + i;
          for (let s = 0; s < 5 && !done; s++) {
            if (c.cfg.raft(s) === null) continue;
            if (c.cfg.startOn(s, cmd).isLeader) {
              committed++;
              break;
            }
          }
          await sleep(50 + rand.int(100));
        }
        running.done();
      });
    }
    await sleep(30 * ET);
    done = true;
    await running.wait();
    c.healAll();
    const leader = await leaderAmong(c, [0, 1, 2, 3, 4], 3 * ET, "after the nemesis heals every link");
    if (committed === 0) fail("tester bug: no client command was ever accepted by a leader");
    await c.cfg.one(99_999, 5, true);
    log("tester", `leader ${leader} commits after the nemesis`);
    c.cfg.end();
  }),
];

/** P6's topology: full at first, then 0–1–2 meshed, 3 only to 1, 4 only to 2. The leader changes over 30 ET after the first 5 ET. */
async function partialMesh(c: Cluster) {
  await c.cfg.checkOneLeader();
  await c.cfg.one(601, 5, true);
  log("tester", "links: 0-1 0-2 1-2 1-3 2-4 only");
  c.topology([[0, 1], [0, 2], [1, 2], [1, 3], [2, 4]]);
  await sleep(5 * ET); // a leader of degree 1 loses its quorum here, and the mesh elects one
  const since = now();
  await sleep(30 * ET);
  return c.leaderChangesSince(since);
}
