// Lab 5G: joint consensus (test plan ids M13–M15, and N6's demotion). The tests run on 5E's tester
// (membership-cluster.ts), whose monitor reads a joint config entry as C_old,new: every election and
// every commit while joint must be backed by a majority of C_old and one of C_new, checked on every
// message (the ack audit), and a log holds at most one uncommitted config entry. Bounds are in
// election timeouts (ET = the tester's 1 s). Servers are 0 … n-1 (the spec's S1 is server 0).
//   - replace all: {0,1,2} → {3,4,5} through C_old,new, under load; the old servers can then go;
//   - the leader crashes while joint: before the joint entry commits (the new leader has it or not,
//     and completes or abandons the change, the same on every server), and after it commits but
//     before the leave entry does (the new leader leaves); and, autoLeave off and no client load,
//     after it commits but before anyone else learns it (the new leader's no-op commits it, and
//     it leaves when asked);
//   - both majorities, shown by faults: while joint, a leader whose C_old majority is cut off
//     commits nothing although C_new holds every entry, and a partition that gives one side C_old's
//     majority and not C_new's elects nobody;
//   - the guards: entering joint twice, a simple change while joint, leaving when not joint,
//     leaving before the joint entry commits, a configuration without voters;
//   - a demoted voter is a voter of C_old until the configuration leaves joint, then a learner;
//   - replace the leader: joint {remove 0, add 3}, transfer to 3 while joint, 3 leaves; 0 is out,
//     learns it, and never campaigns;
//   - a joint configuration in a snapshot (N6): restarted from snapshots that cover the joint entry,
//     every server is still joint, the demoted voter a learner only next; after leaving, a learner;
//   - a randomized run: joint changes of several servers every 0–300 ms under client load, with
//     partitions, crashes and an unreliable network;
//   - at the KV level (5G-kv.ts): clients' histories while every server is replaced at once,
//     twice, under a nemesis, checked for linearizability.
import { go, log, now, sleep } from "../../sim/index.ts";
import type { ExtendedRaft } from "../../raft-extensions/extended-raft.ts";
import type { ConfChange, ConfChangeResult } from "../../raft-extensions/membership.ts";
import type { EnterJoint, JointConfEntry, LeaveJoint } from "../../raft-extensions/joint-consensus.ts";
import type { RaftOptions } from "../../raft-extensions/types.ts";
import type { AppendEntriesArgs } from "../../raft/types.ts";
import { defineTest, type TestContext } from "../harness/define-test.ts";
import { fail } from "../harness/failure.ts";
import { WaitGroup } from "../harness/waitgroup.ts";
import type { LabTest } from "../registry.ts";
import { ET, showChanges } from "./cluster.ts";
import { MembershipCluster, committedCount, waitUntil } from "./membership-cluster.ts";
import { expectAcknowledgedInLog, restartEveryone, startCommandClients, startFaults } from "./membership-nemesis.ts";
import { kvTests5G } from "./5G-kv.ts";

const NONE: RaftOptions = {};
const BOTH: RaftOptions = { preVote: true, checkQuorum: true };
/** How often a test looks at the servers while it waits for something. */
const POLL_MS = 10;

const add = (id: number): ConfChange => ({ type: "addVoter", id });
const remove = (id: number): ConfChange => ({ type: "removeVoter", id });
const demote = (id: number): ConfChange => ({ type: "addLearner", id });
const LEAVE: LeaveJoint = { leaveJoint: true };

function makeCluster(t: TestContext, n: number, initial: readonly number[], options: RaftOptions, begin: string, unreliable = false): MembershipCluster {
  const m = new MembershipCluster(t, n, initial, options, unreliable);
  m.c.cfg.begin(`Test (5G): ${begin}`);
  return m;
}

/** Server i's proposeConfChange() of a joint change, run as its node; it must be running. */
function proposeJoint(m: MembershipCluster, i: number, change: EnterJoint | LeaveJoint | ConfChange): ConfChangeResult {
  const rf = m.c.cfg.raft(i) as ExtendedRaft | null;
  if (rf === null) fail(`tester bug: proposeConfChange() on server ${i}, which is crashed`);
  const result = m.c.runAs(i, () => rf.proposeConfChange(change));
  log("tester", `asks ${i} for ${JSON.stringify(change)}: ${result.ok ? `appended at ${result.index}` : `${result.err} (${result.reason ?? "no reason given"})`}`);
  return result;
}

/** The running server that leads a term above `above`, other than those in `not`, once there is one (within `withinMs`). */
async function newLeader(m: MembershipCluster, not: readonly number[], above: number, withinMs: number): Promise<number> {
  let found: number | undefined;
  await waitUntil(
    () => {
      found = undefined;
      for (let i = 0; i < m.n; i++) {
        if (not.includes(i) || m.c.cfg.raft(i) === null || !m.c.cfg.connected[i]) continue;
        const s = m.c.status(i);
        if (s.role === "leader" && s.term > above) found = i;
      }
      return found !== undefined;
    },
    withinMs,
    () => `a server${not.length > 0 ? ` other than ${not.join(", ")}` : ""} should lead a term above ${above} within ${withinMs} ms. ${describe(m)}`,
  );
  return found!;
}

/** A leader that has committed an entry of its term (so that it may change the configuration at once). */
async function leaderWithACommit(m: MembershipCluster, firstCommand: number): Promise<number> {
  for (let k = 0; k < 5; k++) {
    const leader = await m.c.cfg.checkOneLeader();
    const term = m.c.status(leader).term;
    await m.c.cfg.one(firstCommand + k * 1000, m.initialVoters.length, true);
    const s = m.c.status(leader);
    if (s.role === "leader" && s.term === term) return leader;
  }
  fail(`no leader kept its term long enough to commit an entry of it, in 5 tries. ${describe(m)}`);
}

/** The leader proposes `change` until it accepts it (a leader that just committed its no-op accepts at once), within `withinMs`. */
async function proposeUntilAccepted(m: MembershipCluster, i: number, change: EnterJoint | LeaveJoint, withinMs: number): Promise<{ index: number; term: number }> {
  const deadline = now() + withinMs;
  for (;;) {
    const r = proposeJoint(m, i, change);
    if (r.ok) return r;
    if (now() >= deadline) fail(`server ${i} should accept ${JSON.stringify(change)} within ${withinMs} ms; it answers ${r.err}: ${r.reason ?? "(no reason)"}. ${describe(m)}`);
    await sleep(POLL_MS);
  }
}

/** The index of the committed config entry of type `type` at or after `from`, if one has committed; 0 otherwise. */
function committedJointEntry(m: MembershipCluster, type: "enterJoint" | "leaveJoint", from: number): number {
  for (let index = from; ; index++) {
    const [count, command] = m.c.cfg.nCommitted(index);
    if (count === 0) return 0;
    if ((command as Partial<JointConfEntry>).confChange?.type === type) return index;
  }
}

/** Every running server's configuration, joint ones with their outgoing voters. */
function describe(m: MembershipCluster): string {
  const parts: string[] = [];
  for (let i = 0; i < m.n; i++) {
    if (m.c.cfg.raft(i) === null) continue;
    const s = m.c.status(i);
    const joint = s.outgoing !== undefined ? ` joint with {${s.outgoing.join(",")}}` : "";
    const learners = s.learners.length > 0 ? ` learners {${s.learners.join(",")}}` : "";
    parts.push(`${i} (${s.role}, term ${s.term}): {${s.config.join(",")}}${joint}${learners} (entry ${s.configIndex})`);
  }
  return parts.join("; ");
}

/** Fails unless every running server of `servers` uses voters `voters`, not joint, and learners `learners`. */
function expectLeft(m: MembershipCluster, servers: readonly number[], voters: readonly number[], learners: readonly number[], what: string): void {
  for (const i of servers) {
    const s = m.c.status(i);
    if (s.config.join(",") !== voters.join(",") || s.outgoing !== undefined || s.learners.join(",") !== learners.join(",")) {
      fail(`${what}: server ${i} should use voters {${voters.join(",")}} and learners {${learners.join(",")}}, not joint. ${describe(m)}`);
    }
  }
}

/** Whether a Raft call is an AppendEntries that carries a config entry of type `type`. */
function carries(method: string, args: unknown, type: "enterJoint" | "leaveJoint"): boolean {
  return method === "Raft.appendEntries" && (args as AppendEntriesArgs).entries.some((e) => (e.command as Partial<JointConfEntry>)?.confChange?.type === type);
}

/** {0,1,2} with 3, 4, 5 started outside it, and a leader that may change the configuration at once. */
async function sixServers(t: TestContext, options: RaftOptions, begin: string): Promise<{ m: MembershipCluster; leader: number }> {
  const m = makeCluster(t, 6, [0, 1, 2], options, begin);
  for (const i of [3, 4, 5]) m.startServer(i);
  const leader = await leaderWithACommit(m, 100);
  return { m, leader };
}

const REPLACE_ALL: EnterJoint = { joint: [remove(0), remove(1), remove(2), add(3), add(4), add(5)] };

export const tests: LabTest[] = [
  // M13
  defineTest("5G", "TestJointReplaceAll5G", async (t) => {
    const { m, leader } = await sixServers(t, NONE, "replace every server: {0,1,2} → {3,4,5} through C_old,new, under load");
    const since = now();
    let stop = false;
    const wg = new WaitGroup();
    wg.add();
    go(async () => {
      for (let k = 0; !stop; k++) {
        const l = m.leader();
        if (l !== undefined) m.c.cfg.startOn(l, 1000 + k);
        await sleep(50);
      }
      wg.done();
    });
    const joint = await proposeUntilAccepted(m, leader, REPLACE_ALL, ET);
    const s = m.c.status(leader);
    if (s.outgoing?.join(",") !== "0,1,2" || s.config.join(",") !== "3,4,5") fail(`once it appends the joint entry, leader ${leader} should use {3,4,5} joint with {0,1,2}. ${describe(m)}`);
    await waitUntil(() => committedJointEntry(m, "leaveJoint", joint.index + 1) > 0, 5 * ET, () => `the leader should leave joint on its own (the leave entry committing) within ${5 * ET} ms. ${describe(m)}`);
    if (committedCount(m, joint.index) === 0) fail(`the joint entry at ${joint.index} should have committed before the leave entry`);
    // The old leader is no voter of C_new: it steps down once the leave entry commits, and a server of C_new leads.
    await waitUntil(() => m.c.status(leader).role !== "leader", 2 * ET, () => `server ${leader}, no voter of {3,4,5}, should step down once the leave entry commits. ${describe(m)}`);
    const next = await newLeader(m, [0, 1, 2], 0, 3 * ET);
    stop = true;
    await wg.wait();
    await m.c.cfg.one(2001, 3, true);
    expectLeft(m, [3, 4, 5], [3, 4, 5], [], "after leaving joint");
    // The old servers can go: {3,4,5} commits alone.
    for (const i of [0, 1, 2]) m.c.cfg.crash1(i);
    await m.c.cfg.one(2002, 3, true);
    const oldLed = m.c.leaderChangesSince(since).filter((c) => [0, 1, 2].includes(c.leader) && c.leader !== leader);
    if (oldLed.length > 0) fail(`only the leader that began the change, ${leader}, and servers of C_new lead during it: ${showChanges(oldLed)}`);
    log("tester", `replaced {0,1,2} by {3,4,5}; ${next} leads`);
    m.c.cfg.end();
  }),

  // M13, crash before the joint entry commits
  defineTest("5G", "TestJointLeaderCrashBeforeCommit5G", async (t) => {
    const { m, leader } = await sixServers(t, BOTH, "the leader crashes while joint, before the joint entry commits: completed or abandoned, the same everywhere");
    const others = [0, 1, 2].filter((i) => i !== leader);
    const [a] = others as [number, number];
    // The joint entry reaches one old server (a) and one new one (3) only: a majority of neither configuration.
    m.c.drop = (from, to, method, args) => from === leader && to !== a && to !== 3 && carries(method, args, "enterJoint");
    const joint = await proposeUntilAccepted(m, leader, REPLACE_ALL, ET);
    await waitUntil(() => m.c.status(a).outgoing !== undefined, 2 * ET, () => `server ${a} should receive the joint entry. ${describe(m)}`);
    await sleep(ET / 2);
    if (committedCount(m, joint.index) > 0) fail(`the joint entry at ${joint.index}, held by ${leader}, ${a} and 3 only, must not commit: a majority of {3,4,5} does not hold it`);
    m.c.cfg.crash1(leader);
    m.c.drop = undefined;
    const next = await newLeader(m, [leader], 0, 5 * ET);
    await m.c.cfg.one(3001, 2, true);
    await sleep(3 * ET);
    const completed = m.c.cfg.nCommitted(joint.index)[0] > 0 && (m.c.cfg.nCommitted(joint.index)[1] as Partial<JointConfEntry>).confChange?.type === "enterJoint";
    if (completed) {
      await waitUntil(() => committedJointEntry(m, "leaveJoint", joint.index + 1) > 0, 5 * ET, () => `new leader ${next} has the joint entry: it should complete the change and leave joint. ${describe(m)}`);
      await sleep(ET);
      expectLeft(m, [3, 4, 5], [3, 4, 5], [], "the change completed");
    } else {
      // Abandoned: the joint entry is gone from C_old's logs; {0,1,2} (less the crashed leader) goes on.
      expectLeft(m, others, [0, 1, 2], [], "the change abandoned");
      m.c.cfg.start1(leader, "applier");
      m.c.cfg.connect(leader);
      await m.c.cfg.one(3002, 3, true);
      expectLeft(m, [0, 1, 2], [0, 1, 2], [], "the change abandoned, the old leader back");
    }
    log("tester", `the change was ${completed ? "completed" : "abandoned"} by leader ${next}`);
    m.c.cfg.end();
  }),

  // M13, crash after the joint entry commits
  defineTest("5G", "TestJointLeaderCrashAfterCommit5G", async (t) => {
    const { m, leader } = await sixServers(t, BOTH, "the leader crashes once the joint entry commits, before it leaves: the next leader leaves");
    m.c.drop = (from, _to, method, args) => from === leader && carries(method, args, "leaveJoint");
    const joint = await proposeUntilAccepted(m, leader, REPLACE_ALL, ET);
    await waitUntil(() => committedCount(m, joint.index) > 0, 3 * ET, () => `the joint entry at ${joint.index} should commit. ${describe(m)}`);
    await sleep(ET / 4);
    if (committedJointEntry(m, "leaveJoint", joint.index + 1) > 0) fail(`the leave entry, which reached nobody, must not commit`);
    m.c.cfg.crash1(leader);
    m.c.drop = undefined;
    const next = await newLeader(m, [leader], 0, 5 * ET);
    await waitUntil(() => committedJointEntry(m, "leaveJoint", joint.index + 1) > 0, 5 * ET, () => `a leader elected while joint (${next}) should leave joint on its own. ${describe(m)}`);
    await newLeader(m, [0, 1, 2], 0, 3 * ET);
    await m.c.cfg.one(4001, 3, true);
    expectLeft(m, [3, 4, 5], [3, 4, 5], [], "after the new leader left joint");
    m.c.cfg.end();
  }),

  // M13, a leader elected before the joint entry commits, autoLeave off (the nemesis at seed 366)
  defineTest("5G", "TestJointLeaderElectedBeforeCommitWithoutAutoLeave5G", async (t) => {
    const m = makeCluster(t, 4, [0, 1, 2], NONE, "a leader elected before the joint entry (autoLeave false) commits, with no client load, commits it and leaves when asked");
    m.startServer(3);
    const leader = await leaderWithACommit(m, 100);
    // The leader commits the joint entry, and no message of its tells anyone: every AppendEntries
    // whose leaderCommit reaches the entry is dropped.
    let jointIndex = Infinity;
    m.c.drop = (from, _to, method, args) => from === leader && method === "Raft.appendEntries" && (args as AppendEntriesArgs).leaderCommit >= jointIndex;
    const joint = await proposeUntilAccepted(m, leader, { joint: [add(3)], autoLeave: false }, ET);
    jointIndex = joint.index;
    await waitUntil(() => committedCount(m, joint.index) > 0, 2 * ET, () => `leader ${leader} should commit the joint entry at ${joint.index}. ${describe(m)}`);
    const others = [0, 1, 2, 3].filter((i) => i !== leader);
    await waitUntil(() => others.filter((i) => m.c.status(i).configIndex === joint.index).length >= 2, 2 * ET, () => `the joint entry should reach the other servers. ${describe(m)}`);
    if (committedCount(m, joint.index) !== 1) fail(`only leader ${leader} should know that the joint entry at ${joint.index} committed; ${committedCount(m, joint.index)} servers applied it`);
    m.c.cfg.crash1(leader);
    m.c.drop = undefined;
    // The next leader's log ends with the joint entry of an earlier term: only an entry of its own
    // term can commit it, and no client sends one. It must append a no-op, or refuse the leave forever.
    const next = await newLeader(m, [leader], 0, 5 * ET);
    if (m.c.status(next).outgoing === undefined) fail(`new leader ${next} should hold the joint entry (every server but the crashed leader has it). ${describe(m)}`);
    const leave = await proposeUntilAccepted(m, next, LEAVE, 3 * ET);
    await waitUntil(() => committedCount(m, leave.index) > 0, 3 * ET, () => `the leave entry at ${leave.index} should commit. ${describe(m)}`);
    m.c.cfg.start1(leader, "applier");
    m.c.cfg.connect(leader);
    await m.c.cfg.one(7001, 4, true);
    expectLeft(m, [0, 1, 2, 3], [0, 1, 2, 3], [], "after the new leader left joint");
    m.c.cfg.end();
  }),

  // M13, the leave reaches only the servers it removes
  defineTest("5G", "TestLeaveReachingOnlyRemovedServers5G", async (t) => {
    const m = makeCluster(t, 5, [0, 1, 2], NONE, "the leave entry reaches only the old servers it removes, and the leader crashes: they elect C_new");
    for (const i of [3, 4]) m.startServer(i);
    const leader = await leaderWithACommit(m, 100);
    const others = [0, 1, 2].filter((i) => i !== leader);
    // The leave entry goes to the two other old servers only, not to C_new {3,4}.
    m.c.drop = (from, to, method, args) => from === leader && (to === 3 || to === 4) && carries(method, args, "leaveJoint");
    const joint = await proposeUntilAccepted(m, leader, { joint: [remove(0), remove(1), remove(2), add(3), add(4)] }, ET);
    await waitUntil(() => others.every((i) => m.c.status(i).outgoing === undefined && m.c.status(i).configIndex > joint.index), 3 * ET, () => `servers ${others.join(" and ")} should receive the leave entry. ${describe(m)}`);
    m.c.cfg.crash1(leader);
    m.c.drop = undefined;
    // 3 and 4, still joint, need a vote of C_old, which the longer logs of the other two refuse;
    // those two, removed by an entry not committed, must campaign for C_new.
    await newLeader(m, [0, 1, 2], 0, 10 * ET);
    await m.c.cfg.one(1501, 2, true);
    expectLeft(m, [3, 4], [3, 4], [], "once C_new leads");
    m.c.cfg.end();
  }),

  // M13, the ack audit made visible: commits need C_old's majority too
  defineTest("5G", "TestJointCommitNeedsBothMajorities5G", async (t) => {
    const { m, leader } = await sixServers(t, NONE, "while joint, a leader cut off from C_old's majority commits nothing, although C_new holds it");
    const joint = await proposeUntilAccepted(m, leader, { ...REPLACE_ALL, autoLeave: false }, ET);
    await waitUntil(() => committedCount(m, joint.index) > 0, 3 * ET, () => `the joint entry at ${joint.index} should commit. ${describe(m)}`);
    await m.c.cfg.one(5001, 6, true);
    const old = [0, 1, 2].filter((i) => i !== leader);
    for (const i of old) m.c.cfg.disconnect(i);
    const { index, isLeader } = m.c.cfg.startOn(leader, 5002);
    if (!isLeader) fail(`server ${leader} should still lead`);
    await sleep(2 * ET);
    if (committedCount(m, index) > 0) fail(`with ${old.join(" and ")} cut off, leader ${leader} holds C_old {0,1,2}'s majority no more: index ${index} must not commit, though {3,4,5} hold it`);
    for (const i of old) m.c.cfg.connect(i);
    // (Cut off, they campaigned in vain and raised their terms: a leader of the new term commits it with its own first entry.)
    await m.c.cfg.one(5003, 6, true);
    if (committedCount(m, index) === 0) fail(`index ${index} should commit once ${old.join(" and ")} are back. ${describe(m)}`);
    m.c.cfg.end();
  }),

  // M13, elections need C_new's majority too
  defineTest("5G", "TestJointElectionNeedsBothMajorities5G", async (t) => {
    const { m, leader } = await sixServers(t, NONE, "while joint, C_old's majority alone elects nobody");
    const joint = await proposeUntilAccepted(m, leader, { ...REPLACE_ALL, autoLeave: false }, ET);
    await waitUntil(() => [0, 1, 2, 3, 4, 5].every((i) => m.c.status(i).configIndex === joint.index) && committedCount(m, joint.index) === 6, 3 * ET, () => `every server should hold the committed joint entry. ${describe(m)}`);
    const term = m.c.status(leader).term;
    m.c.cfg.crash1(leader);
    // The two other old servers on one side, the new ones on the other: neither holds both majorities.
    const old = [0, 1, 2].filter((i) => i !== leader);
    for (const a of old) for (const b of [3, 4, 5]) m.c.cut(a, b);
    const since = now();
    await sleep(5 * ET);
    const led = m.c.leaderChangesSince(since);
    if (led.length > 0) fail(`with ${old.join(", ")} cut off from {3,4,5}, no side holds a majority of both configurations, and nobody may be elected: ${showChanges(led)}`);
    m.c.healAll();
    const next = await newLeader(m, [], term, 5 * ET);
    await m.c.cfg.one(6001, 5, true);
    log("tester", `${next} elected once healed`);
    m.c.cfg.end();
  }),

  // M14
  defineTest("5G", "TestJointGuards5G", async (t) => {
    const m = makeCluster(t, 5, [0, 1, 2], NONE, "the guards: enter joint twice, a simple change while joint, leave when not joint, …");
    for (const i of [3, 4]) m.startServer(i);
    const leader = await leaderWithACommit(m, 100);
    const refused = (r: ConfChangeResult, err: string, what: string, about: RegExp) => {
      if (r.ok) fail(`${what} should be refused (${err}); it was appended at ${r.index}. ${describe(m)}`);
      if (r.err !== err) fail(`${what} should be refused with ${err}; it was refused with ${r.err} (${r.reason ?? "no reason"})`);
      if (r.reason === undefined || !about.test(r.reason)) fail(`${what}: the refusal should say why in a sentence matching ${about}; it says ${JSON.stringify(r.reason)}`);
    };
    refused(proposeJoint(m, leader, LEAVE), "ErrInvalidChange", "leaving joint when not joint", /not joint/);
    refused(proposeJoint(m, leader, { joint: [remove(0), remove(1), remove(2)] }), "ErrInvalidChange", "a joint change to no voter", /no voter/);
    refused(proposeJoint(m, leader, { joint: [] }), "ErrInvalidChange", "a joint change of nothing", /at least one change/);
    refused(proposeJoint(m, leader, { joint: [add(3), add(3)] }), "ErrInvalidChange", "adding a voter twice", /voter already/);
    m.c.cfg.disconnect(3);
    m.c.cfg.disconnect(4);
    const joint = proposeJoint(m, leader, { joint: [add(3), add(4)], autoLeave: false });
    if (!joint.ok) fail(`the joint change {add 3, add 4} should be accepted; it was refused with ${joint.err} (${joint.reason ?? ""})`);
    // 3 and 4 are cut off: C_new {0,…,4} has no majority, and the joint entry cannot commit yet.
    refused(proposeJoint(m, leader, LEAVE), "ErrChangeInProgress", "leaving before the joint entry commits", /not committed/);
    refused(proposeJoint(m, leader, { joint: [add(3)] }), "ErrInvalidChange", "entering joint while joint", /joint already/);
    refused(proposeJoint(m, leader, remove(1)), "ErrInvalidChange", "a simple change while joint", /joint/);
    m.c.cfg.connect(3);
    m.c.cfg.connect(4);
    await waitUntil(() => committedCount(m, joint.index) > 0, 3 * ET, () => `the joint entry at ${joint.index} should commit once 3 and 4 are back. ${describe(m)}`);
    await sleep(ET); // autoLeave is off: the configuration stays joint
    if (m.c.status(leader).outgoing === undefined) fail(`with autoLeave false, leader ${leader} should stay joint until asked to leave. ${describe(m)}`);
    refused(proposeJoint(m, leader, { joint: [remove(3)] }), "ErrInvalidChange", "entering joint again once the joint entry committed", /joint already/);
    refused(proposeJoint(m, leader, add(4)), "ErrInvalidChange", "a simple change while joint, the joint entry committed", /joint/);
    const leave = await proposeUntilAccepted(m, leader, LEAVE, ET);
    await waitUntil(() => committedCount(m, leave.index) > 0, 3 * ET, () => `the leave entry at ${leave.index} should commit. ${describe(m)}`);
    refused(proposeJoint(m, leader, LEAVE), "ErrInvalidChange", "leaving twice", /not joint/);
    const simple = proposeJoint(m, leader, remove(4));
    if (!simple.ok) fail(`a simple change once the configuration has left joint should be accepted; it was refused with ${simple.err}`);
    await m.c.cfg.one(7001, 4, true);
    m.c.cfg.end();
  }),

  // N6 (a demotion in joint)
  defineTest("5G", "TestJointDemotionOnLeave5G", async (t) => {
    const m = makeCluster(t, 4, [0, 1, 2], NONE, "a voter demoted in C_old,new is a voter until the configuration leaves joint, then a learner");
    m.startServer(3);
    const leader = await leaderWithACommit(m, 100);
    const [demoted, kept] = [0, 1, 2].filter((i) => i !== leader) as [number, number];
    const joint = await proposeUntilAccepted(m, leader, { joint: [demote(demoted), add(3)], autoLeave: false }, ET);
    await waitUntil(() => committedCount(m, joint.index) === 4, 3 * ET, () => `the joint entry at ${joint.index} should commit on every server. ${describe(m)}`);
    const newVoters = [leader, kept, 3].sort((a, b) => a - b);
    for (let i = 0; i < 4; i++) {
      const s = m.c.status(i);
      if (s.config.join(",") !== newVoters.join(",") || s.outgoing?.join(",") !== "0,1,2" || s.learners.length > 0 || s.learnersNext?.join(",") !== String(demoted)) {
        fail(`while joint, server ${i} should use {${newVoters.join(",")}} joint with {0,1,2}, ${demoted} a learner only next (never voter and learner at once). ${describe(m)}`);
      }
    }
    // While joint, the demoted server's vote and acknowledgement still count for C_old: with `kept`
    // cut off, C_old's majority is the leader and `demoted`, C_new's the leader and 3.
    m.c.cfg.disconnect(kept);
    await m.c.cfg.one(8001, 3, true);
    m.c.cfg.connect(kept);
    const leave = await proposeUntilAccepted(m, leader, LEAVE, ET);
    await waitUntil(() => committedCount(m, leave.index) === 4, 3 * ET, () => `the leave entry at ${leave.index} should commit on every server. ${describe(m)}`);
    expectLeft(m, [0, 1, 2, 3], newVoters, [demoted], "after leaving joint");
    await m.c.cfg.one(8002, 4, true); // the new learner still receives the log
    m.c.cfg.end();
  }),

  // N6, with a joint configuration
  defineTest("5G", "TestJointInSnapshot5G", async (t) => {
    const m = new MembershipCluster(t, 4, [0, 1, 2], NONE, false, true);
    m.c.cfg.begin("Test (5G): a joint configuration survives a restart from snapshots; the demoted voter becomes a learner on leaving");
    m.startServer(3);
    const leader = await leaderWithACommit(m, 100);
    const demoted = [0, 1, 2].find((i) => i !== leader)!;
    const newVoters = [0, 1, 2, 3].filter((i) => i !== demoted);
    const joint = await proposeUntilAccepted(m, leader, { joint: [demote(demoted), add(3)], autoLeave: false }, ET);
    for (let k = 0; k < 25; k++) await m.c.cfg.one(1100 + k, 4, true); // every server snapshots past the joint entry
    m.restart([0, 1, 2, 3]);
    for (let i = 0; i < 4; i++) {
      const s = m.c.status(i);
      if (s.configIndex !== joint.index || s.outgoing?.join(",") !== "0,1,2" || s.learnersNext?.join(",") !== String(demoted) || s.learners.length > 0) {
        fail(`restarted from a snapshot past the joint entry ${joint.index}, server ${i} should still be joint with {0,1,2}, ${demoted} a learner only next. ${describe(m)}`);
      }
    }
    const next = await newLeader(m, [], 0, 5 * ET);
    const leave = await proposeUntilAccepted(m, next, LEAVE, 3 * ET);
    for (let k = 0; k < 25; k++) await m.c.cfg.one(1200 + k, 4, true);
    if (committedCount(m, leave.index) === 0) fail(`the leave entry at ${leave.index} should have committed`);
    m.restart([0, 1, 2, 3]);
    expectLeft(m, [0, 1, 2, 3], newVoters, [demoted], "restarted from a snapshot past the leave entry");
    await m.c.cfg.one(1300, 4, true);
    m.c.cfg.end();
  }),

  // M15
  defineTest("5G", "TestJointReplaceLeader5G", async (t) => {
    const m = makeCluster(t, 4, [0, 1, 2], BOTH, "replace the leader: joint {remove it, add 3}, hand leadership to 3 while joint, 3 leaves joint");
    m.startServer(3);
    const leader = await leaderWithACommit(m, 100);
    const joint = await proposeUntilAccepted(m, leader, { joint: [remove(leader), add(3)], autoLeave: false }, ET);
    await waitUntil(() => committedCount(m, joint.index) === 4, 3 * ET, () => `the joint entry at ${joint.index} should commit on every server. ${describe(m)}`);
    const term = m.c.status(leader).term;
    m.c.transfer(leader, 3);
    await waitUntil(() => m.c.status(3).role === "leader", 2 * ET, () => `server 3 should take over by the transfer within ${2 * ET} ms. ${describe(m)}`);
    if (m.c.status(3).outgoing === undefined) fail(`server 3 should lead the joint configuration. ${describe(m)}`);
    const leave = await proposeUntilAccepted(m, 3, LEAVE, 2 * ET);
    await waitUntil(() => committedCount(m, leave.index) === 4, 3 * ET, () => `the leave entry at ${leave.index} should commit, and reach ${leader} too. ${describe(m)}`);
    const rest = [0, 1, 2, 3].filter((i) => i !== leader);
    expectLeft(m, [0, 1, 2, 3], rest, [], `after 3 left joint (${leader} removed)`);
    // Out, and told so: the old leader never campaigns again, even cut off from everyone.
    const since = now();
    const itsTerm = m.c.status(leader).term;
    m.c.isolate(leader);
    await sleep(5 * ET);
    const s = m.c.status(leader);
    if (s.role !== "follower" || s.term !== itsTerm) fail(`removed server ${leader} should never campaign: it is ${s.role} of term ${s.term} (was term ${itsTerm})`);
    if (m.c.termsOf(leader, since).length > 0) fail(`removed server ${leader} should send nothing once isolated; its messages carried terms ${m.c.termsOf(leader, since).join(", ")}`);
    m.c.isolate(leader, false);
    await m.c.cfg.one(9001, 3, true);
    const again = m.c.leaderChangesSince(since).filter((c) => c.leader === leader);
    if (again.length > 0) fail(`removed server ${leader} should never lead again: ${showChanges(again)}`);
    log("tester", `leadership passed from ${leader} (term ${term}) to 3`);
    m.c.cfg.end();
  }),

  // M13–M15 at random
  defineTest("5G", "TestJointChangeNemesis5G", async (t) => {
    const ids = 12;
    const m = makeCluster(t, ids, [0, 1, 2], BOTH, "joint changes of several servers every 0–300 ms under load, with partitions, crashes and an unreliable network", true);
    const rand = m.c.cfg.rand;
    const runFor = 12 * ET;
    const end = now() + runFor;
    let nextId = 3;
    let changes = 0;
    const wg = new WaitGroup();

    const acknowledged = startCommandClients(m, end, wg);

    // The joint changer: while joint (explicit), leave; otherwise a joint change of one to three
    // servers (adds of new ids, removals, demotions to learner), from 2 to 5 voters.
    wg.add();
    go(async () => {
      while (now() < end) {
        await sleep(rand.int(301));
        const leader = m.leader();
        if (leader === undefined) continue;
        const s = m.c.status(leader);
        if (s.outgoing !== undefined) {
          if (rand.int(2) === 0) continue;
          if (proposeJoint(m, leader, LEAVE).ok) changes++;
          continue;
        }
        const voters = [...s.config];
        const joint: ConfChange[] = [];
        let size = voters.length;
        let id = nextId; // new ids are used up only by a change that is accepted
        for (let k = 1 + rand.int(3); k > 0; k--) {
          const adding = size < 3 || (size < 5 && id < ids && rand.int(2) === 0);
          if (adding) {
            if (id >= ids) break;
            if (!m.hasStarted(id)) m.startServer(id);
            joint.push(add(id++));
            size++;
          } else {
            const candidates = voters.filter((v) => !joint.some((c) => c.id === v));
            if (candidates.length === 0 || size <= 2) break;
            const victim = candidates[rand.int(candidates.length)]!;
            joint.push(rand.int(4) === 0 ? demote(victim) : remove(victim));
            size--;
          }
        }
        if (joint.length === 0) continue;
        const r = proposeJoint(m, leader, { joint, autoLeave: rand.int(3) !== 0 });
        if (r.ok) {
          changes++;
          nextId = id;
        }
      }
      wg.done();
    });

    startFaults(m, ids, end, wg);

    await wg.wait();
    restartEveryone(m, ids);
    if (changes < 5) fail(`the joint changer should have made at least 5 changes in ${runFor} ms; it made ${changes}`);
    // The end: leave a joint configuration the changer left explicit, then every voter agrees.
    const settleBy = now() + 10 * ET;
    let leader = await newLeader(m, [], 0, 5 * ET);
    while (m.c.status(leader).outgoing !== undefined) {
      if (now() >= settleBy) fail(`the configuration should leave joint once asked, within ${10 * ET} ms of the end. ${describe(m)}`);
      proposeJoint(m, leader, LEAVE);
      await sleep(100);
      leader = await newLeader(m, [], 0, 5 * ET);
    }
    const voters = m.c.status(leader).config;
    await m.c.cfg.one({ client: -1, seq: 0 }, voters.length, true);
    await sleep(ET);
    leader = await newLeader(m, [], 0, 5 * ET);
    const final = m.c.status(leader);
    expectLeft(m, final.config, final.config, final.learners, "at the end");
    const configIndexes = new Set(final.config.map((v) => m.c.status(v).configIndex));
    if (configIndexes.size !== 1) fail(`every voter should use the same config entry at the end; they use ${[...configIndexes].join(", ")}. ${describe(m)}`);
    expectAcknowledgedInLog(m, acknowledged, runFor);
    log("tester", `${changes} joint changes, ${acknowledged.length} commands acknowledged; final voters ${final.config.join(",")}, learners ${final.learners.join(",") || "none"}`);
    m.c.cfg.end();
  }),
  ...kvTests5G,
];
