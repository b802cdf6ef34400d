// Lab 5E: single-server membership change (dissertation §4.1–4.2; test plan ids M1–M7, M12 and
// M16; and, with 5E's change, 5C's R9 — a read pending when the quorum shrinks — and 5B's L9 —
// removing a transfer's target ends the transfer — and L12 — a target that has not applied its
// configuration refuses to campaign). Bounds are in
// election timeouts (ET = the tester's 1 s). Every run is judged event by
// event by the lab-5E monitor (membership-monitor.ts: at most one uncommitted config entry in a
// log, elections and commits by a majority of the configuration in use, a removed leader steps
// down once its removal commits), Figure 2's one-leader-per-term over every server ever started,
// and lab 2's apply checks (no index ever holds two different applied commands).
//
// Two styles, as the spec asks:
//   - scripted scenarios with config entries held back precisely in the tester (cluster.ts's
//     `drop`), among them the single-server bug of the dissertation's errata as a script
//     (TestOwnTermBarrier5E, §1.2 of the spec): without the leader's own-term barrier, a committed
//     entry is lost and the apply check says so;
//   - a randomized run (TestConfChangerNemesis5E, TinyKV's confchanger): adds and removes every
//     0–200 ms under client load, with partitions, crashes and an unreliable network.
//   - configurations in snapshots (M8, TestConfigInSnapshot5E): servers restarted from snapshots
//     that cover their config entries find their configuration again, and a server brought up to
//     date by InstallSnapshot learns it from the snapshot.
//   - at the KV level (5E-kv.ts): clients' histories through a change of every server, checked
//     for linearizability, and a read that servers the leader removed must not confirm.
// Not here: M9 (etcd's apply-time variant; this lab uses configurations once appended),
// M10 and M11 (catch-up rounds and learners: part 5F).
import { go, log, now, sleep } from "../../sim/index.ts";
import { isConfEntry, type ConfChange, type ConfChangeResult } from "../../raft-extensions/membership.ts";
import type { RaftOptions, ReadIndexResult } from "../../raft-extensions/types.ts";
import type { AppendEntriesArgs } from "../../raft/types.ts";
import { defineTest, type TestContext } from "../harness/define-test.ts";
import { fail } from "../harness/failure.ts";
import { WaitGroup } from "../harness/waitgroup.ts";
import type { LabTest } from "../registry.ts";
import { ET, showChanges } from "./cluster.ts";
import { MembershipCluster, committedCount, waitUntil } from "./membership-cluster.ts";
import { expectAcknowledgedInLog, restartEveryone, startCommandClients, startFaults } from "./membership-nemesis.ts";
import { ApplierGate } from "./applier-gate.ts";
import { kvTests5E } from "./5E-kv.ts";

const NONE: RaftOptions = {};
const BOTH: RaftOptions = { preVote: true, checkQuorum: true };
/** How often a test looks at the servers while it waits for something. */
const POLL_MS = 10;

function makeCluster(t: TestContext, n: number, initial: readonly number[], options: RaftOptions, begin: string, unreliable = false): MembershipCluster {
  const m = new MembershipCluster(t, n, initial, options, unreliable);
  m.c.cfg.begin(`Test (5E): ${begin}`);
  return m;
}

/** Whether a Raft call is an AppendEntries that carries a config entry. */
function carriesConfig(method: string, args: unknown): boolean {
  return method === "Raft.appendEntries" && (args as AppendEntriesArgs).entries.some((e) => isConfEntry(e.command));
}

const add = (id: number): ConfChange => ({ type: "addVoter", id });
const remove = (id: number): ConfChange => ({ type: "removeVoter", id });

/** proposeConfChange on server i until it accepts (a new leader first commits its no-op), within `withinMs`. */
async function proposeUntilAccepted(m: MembershipCluster, i: number, change: ConfChange, withinMs: number): Promise<{ index: number; term: number }> {
  const deadline = now() + withinMs;
  let last: ConfChangeResult;
  for (;;) {
    last = m.propose(i, change);
    if (last.ok) return last;
    if (now() >= deadline) break;
    await sleep(POLL_MS);
  }
  fail(`server ${i} should accept ${change.type}(${change.id}) within ${withinMs} ms; it answers ${last.err}. ${m.describeConfigs()}`);
}

/** The running server other than those in `not` that leads a term above `above`, once there is one (within `withinMs`). */
async function newLeader(m: MembershipCluster, not: readonly number[], above: number, withinMs: number): Promise<number> {
  let found: number | undefined;
  await waitUntil(
    () => {
      for (let i = 0; i < m.n; i++) {
        if (not.includes(i) || m.c.cfg.raft(i) === null) continue;
        const s = m.c.status(i);
        if (s.role === "leader" && s.term > above) found = i;
      }
      return found !== undefined;
    },
    withinMs,
    () => `a server other than ${not.join(", ")} should lead a term above ${above} within ${withinMs} ms. ${m.describeConfigs()}`,
  );
  return found!;
}

/**
 * A leader that has committed an entry of its term (so that it may change the configuration at
 * once): the leader before and after a one() of its own, in the same term. Tries a few times, as
 * the first elections of two servers may split.
 */
async function leaderWithACommit(m: MembershipCluster, firstCommand: number): Promise<number> {
  for (let k = 0; k < 5; k++) {
    const leader = await m.c.cfg.checkOneLeader();
    const term = m.c.status(leader).term;
    await m.c.cfg.one(firstCommand + k * 1000, m.initialVoters.length, true);
    const s = m.c.status(leader);
    if (s.role === "leader" && s.term === term) return leader;
  }
  fail(`no leader kept its term long enough to commit an entry of it, in 5 tries. ${m.describeConfigs()}`);
}

function showRead(r: ReadIndexResult): string {
  return r.ok ? `index ${r.index}` : r.err;
}

export const tests: LabTest[] = [
  // M1
  defineTest("5E", "TestAddVoter5E", async (t) => {
    const m = makeCluster(t, 4, [0, 1, 2], NONE, "add a fourth voter under load; then the quorum is 3 of 4");
    await m.c.cfg.checkOneLeader();
    await m.c.cfg.one(101, 3, true);
    m.startServer(3);
    const load = new WaitGroup();
    let adding = true;
    load.add();
    go(async () => {
      for (let k = 0; adding && k < 50; k++) await m.c.cfg.one(1000 + k, 3, true);
      load.done();
    });
    await m.change(add(3));
    adding = false;
    await load.wait();
    await m.c.cfg.one(102, 4, true); // server 3 applies everything from index 1 (lab 2's apply check: in order, no gap)
    m.expectConfig([0, 1, 2, 3], [0, 1, 2, 3], "after adding 3");
    const leader = await m.c.cfg.checkOneLeader();
    const crashed = [0, 1, 2].filter((i) => i !== leader).slice(0, 2);
    for (const i of crashed) m.c.cfg.crash1(i);
    const { index, isLeader } = m.c.cfg.startOn(leader, 103);
    if (!isLeader) fail(`server ${leader} should still lead right after two crashes`);
    await sleep(2 * ET);
    if (committedCount(m, index) > 0) fail(`with servers ${crashed.join(" and ")} crashed, 2 of the 4 voters cannot commit: index ${index} should not have committed`);
    for (const i of crashed) {
      m.c.cfg.start1(i, "applier");
      m.c.cfg.connect(i);
    }
    await m.c.cfg.one(104, 4, true);
    m.c.cfg.end();
  }),

  // M2, and 5A's P10
  defineTest("5E", "TestRemovedFollowerIsNotDisruptive5E", async (t) => {
    const m = makeCluster(t, 5, [0, 1, 2, 3, 4], { checkQuorum: true }, "a removed follower keeps campaigning; the vote lease ignores it");
    const leader = await leaderWithACommit(m, 201);
    const removed = (leader + 1) % 5;
    const survivors = [0, 1, 2, 3, 4].filter((i) => i !== removed);
    await m.change(remove(removed));
    await m.c.cfg.one(202, 4, true);
    m.expectConfig(survivors, survivors, `after removing ${removed}`);
    // The leader calls only the voters of its configuration: the removed server never hears of
    // its removal, times out, and campaigns in ever higher terms.
    const since = now();
    const lead = await m.c.cfg.checkOneLeader();
    for (let k = 0; k < 10; k++) {
      await sleep(ET);
      await m.c.cfg.one(210 + k, 4, true);
    }
    if (m.c.termsOf(removed, since).length === 0) fail(`removed server ${removed} should have campaigned (it never heard of its removal); it sent nothing`);
    const changes = m.c.leaderChangesSince(since);
    if (changes.length > 0) fail(`the removed server's RequestVotes should depose nobody (the vote lease): leader changes since its removal: ${showChanges(changes)}`);
    // Commits now need 3 of the 4 voters.
    const cut = survivors.filter((i) => i !== lead).slice(0, 2);
    for (const i of cut) m.c.cfg.disconnect(i);
    const { index, isLeader } = m.c.cfg.startOn(lead, 230);
    if (!isLeader) fail(`server ${lead} should still lead`);
    await sleep(ET);
    if (committedCount(m, index) > 0) fail(`2 of the 4 voters cannot commit: index ${index} committed with ${cut.join(" and ")} disconnected`);
    for (const i of cut) m.c.cfg.connect(i);
    await m.c.cfg.one(231, 4, true);
    m.c.cfg.end();
  }),

  // M3
  defineTest("5E", "TestLeaderRemovesItself5E", async (t) => {
    const m = makeCluster(t, 5, [0, 1, 2, 3, 4], NONE, "the leader removes itself: leads until that commits, then steps down");
    const leader = await leaderWithACommit(m, 301);
    const term = m.c.status(leader).term;
    const others = [0, 1, 2, 3, 4].filter((i) => i !== leader);
    const [a, b, c, d] = others;
    // Only two of the other four (a, b) answer in time: the other two hear the leader, but their
    // answers are held back for 2.5 ET. So the removal is held by 2 of the 4 remaining voters.
    m.c.delayReply = (from, to, method) => (from === leader && (to === c || to === d) && method === "Raft.appendEntries" ? 2.5 * ET : 0);
    const r = await proposeUntilAccepted(m, leader, remove(leader), ET);
    await sleep(2 * ET);
    const s = m.c.status(leader);
    if (s.role !== "leader" || s.term !== term) fail(`until its removal commits, server ${leader} should lead term ${term}; it is ${s.role} of term ${s.term}`);
    if (committedCount(m, r.index) > 0) fail(`the removal at ${r.index} is held by 2 of the 4 remaining voters (${a}, ${b}) and must not commit: the leader does not count itself`);
    const lifted = now();
    m.c.delayReply = undefined;
    await waitUntil(() => m.c.status(leader).role !== "leader", 2 * ET, () => `server ${leader} should step down within ${2 * ET} ms of its removal committing. ${m.describeConfigs()}`);
    if (committedCount(m, r.index) === 0) {
      await waitUntil(() => committedCount(m, r.index) > 0, ET, () => `the removal at ${r.index} should commit once the leader stepped down for it`);
    }
    const next = await newLeader(m, [leader], term, 2 * ET);
    if (!others.includes(next)) fail(`the new leader ${next} should be one of ${others.join(", ")}`);
    await m.c.cfg.one(302, 4, true);
    await sleep(3 * ET);
    const again = m.c.leaderChangesSince(lifted).filter((c) => c.leader === leader);
    if (again.length > 0) fail(`removed server ${leader} should never lead again: ${showChanges(again)}`);
    m.expectConfig([leader, ...others], others, "after the removal");
    m.c.cfg.end();
  }),

  // M4
  defineTest("5E", "TestTwoServersRemoveFollower5E", async (t) => {
    const m = makeCluster(t, 2, [0, 1], NONE, "two servers: the leader removes the crashed follower, and commits alone");
    const leader = await leaderWithACommit(m, 401);
    const follower = 1 - leader;
    m.c.cfg.crash1(follower);
    const r = await proposeUntilAccepted(m, leader, remove(follower), ET);
    // {leader} is a majority of the new configuration, which overlaps every majority of {0, 1}.
    await waitUntil(() => committedCount(m, r.index) > 0, ET, () => `the removal at ${r.index} should commit on the leader alone: {${leader}} is the new configuration`);
    await m.c.cfg.one(402, 1, true);
    m.c.cfg.end();
  }),

  // M4, the documented stall
  defineTest("5E", "TestTwoServersLeaderRemovesItself5E", async (t) => {
    const m = makeCluster(t, 2, [0, 1], NONE, "two servers: the leader removes itself while the other is down; nothing commits until it is back");
    const leader = await leaderWithACommit(m, 411);
    const other = 1 - leader;
    m.c.cfg.crash1(other);
    const r = await proposeUntilAccepted(m, leader, remove(leader), ET);
    await sleep(3 * ET);
    if (committedCount(m, r.index) > 0) fail(`the removal at ${r.index} needs server ${other}, which is down: it must not commit (a stall, never an unsafe commit)`);
    if (m.c.status(leader).role !== "leader") fail(`server ${leader} should keep leading until its removal commits`);
    m.c.cfg.start1(other, "applier");
    m.c.cfg.connect(other);
    await waitUntil(() => committedCount(m, r.index) > 0, 2 * ET, () => `the removal at ${r.index} should commit once server ${other} is back`);
    await newLeader(m, [leader], 0, 3 * ET);
    await m.c.cfg.one(412, 1, true);
    m.expectConfig([leader, other], [other], "after the removal");
    m.c.cfg.end();
  }),

  // M5: the single-server bug of the dissertation's errata, §1.2 of the spec (S1–S5 there are s1 … s5 here)
  defineTest("5E", "TestOwnTermBarrier5E", async (t) => {
    const m = makeCluster(t, 5, [0, 1, 2, 3], NONE, "the single-server bug: a leader changes the configuration only once its term has committed");
    const s5 = 4;
    m.startServer(s5);
    const s1 = await leaderWithACommit(m, 501);
    const term1 = m.c.status(s1).term;
    // 1. s1 appends C = {s1 … s5} (add s5), and it reaches s5 only.
    m.c.drop = (from, to, method, args) => from === s1 && to !== s5 && carriesConfig(method, args);
    const c = await proposeUntilAccepted(m, s1, add(s5), ET);
    await waitUntil(() => m.c.status(s5).configIndex === c.index, ET, () => `server ${s5} should append the entry adding it, at ${c.index}`);
    // 2. s1 (and s5) are cut off; one of the other three is elected.
    m.c.isolate(s1);
    m.c.isolate(s5);
    const s2 = await newLeader(m, [s1, s5], term1, 3 * ET);
    const [s3, s4] = [0, 1, 2, 3].filter((i) => i !== s1 && i !== s2);
    // 3. s2 removes s1: D = {s2, s3, s4}, whose entry reaches s3 and not s4. With the barrier, s2
    //    first commits its no-op on a majority of {s1 … s4}, and so on s4.
    m.c.drop = (from, to, method, args) => carriesConfig(method, args) && ((from === s1 && to !== s5) || (from === s2 && to === s4));
    const d = await proposeUntilAccepted(m, s2, remove(s1), 2 * ET);
    await waitUntil(() => committedCount(m, d.index) > 0, 2 * ET, () => `D (remove ${s1}) at ${d.index} should commit on ${s2} and ${s3}: 2 of {${s2},${s3},${s4}}`);
    // 4. s1 and s5 come back. With the barrier, s4's log ends in term 2 and refuses s1: s1 and s5
    //    are 2 of C's 5. Without it, s1 wins term 3 with s1, s4 and s5 and overwrites D.
    const healed = now();
    m.c.drop = (from, to, method, args) => from === s2 && to === s4 && carriesConfig(method, args); // D still does not reach s4
    m.c.healAll();
    // (Two servers applying is enough: a majority of D. s1, removed without knowing it, campaigns in
    // ever higher terms, which can keep s4, whose log lacks D, behind for a while.)
    for (let k = 0; k < 10; k++) {
      await m.c.cfg.one(510 + k, 2, true);
      await sleep(ET / 2);
    }
    const takeovers = m.c.leaderChangesSince(healed).filter((ch) => ch.leader === s1 || ch.leader === s5);
    if (takeovers.length > 0) fail(`neither ${s1} nor ${s5} may lead again: D removed ${s1} and has committed, and ${s4} holds s2's term; leader changes: ${showChanges(takeovers)}`);
    const [count, command] = m.c.cfg.nCommitted(d.index);
    if (count === 0 || !isConfEntry(command) || command.confChange.id !== s1) fail(`D (remove ${s1}) should stay committed at ${d.index}`);
    m.c.cfg.end();
  }),

  // M6
  defineTest("5E", "TestOneChangeAtATime5E", async (t) => {
    const m = makeCluster(t, 5, [0, 1, 2], NONE, "a second change waits until the first has committed");
    m.startServer(3);
    m.startServer(4);
    const leader = await leaderWithACommit(m, 601);
    // The followers hear the leader, but their answers are held back for 1.5 ET: nothing commits meanwhile.
    m.c.delayReply = (from, _to, method) => (from === leader && method === "Raft.appendEntries" ? 1.5 * ET : 0);
    const first = await proposeUntilAccepted(m, leader, add(3), ET);
    for (const second of [add(4), remove((leader + 1) % 3)]) {
      const r = m.propose(leader, second);
      if (r.ok || r.err !== "ErrChangeInProgress") {
        fail(`with add(3) at ${first.index} uncommitted, ${second.type}(${second.id}) should be refused with ErrChangeInProgress; got ${r.ok ? `accepted at ${r.index}` : r.err}`);
      }
    }
    await sleep(ET);
    if (committedCount(m, first.index) > 0) fail(`add(3) at ${first.index} should not have committed yet: no follower's answer has come back`);
    m.c.delayReply = undefined;
    await waitUntil(() => committedCount(m, first.index) > 0, 2 * ET, () => `add(3) at ${first.index} should commit once the answers come back`);
    await m.change(add(4));
    await m.c.cfg.one(602, 5, true);
    m.expectConfig([0, 1, 2, 3, 4], [0, 1, 2, 3, 4], "after adding 3 and 4");
    m.c.cfg.end();
  }),

  // M7
  defineTest("5E", "TestConfigFallsBackOnTruncation5E", async (t) => {
    const m = makeCluster(t, 6, [0, 1, 2, 3, 4], NONE, "an uncommitted config entry is truncated: its server falls back to the configuration before it");
    m.startServer(5);
    const leader = await leaderWithACommit(m, 701);
    const term = m.c.status(leader).term;
    const f = (leader + 1) % 5;
    const majority = [0, 1, 2, 3, 4].filter((i) => i !== leader && i !== f);
    m.c.drop = (from, to, method, args) => from === leader && to !== f && carriesConfig(method, args);
    const r = await proposeUntilAccepted(m, leader, add(5), ET);
    await waitUntil(() => m.c.status(f).configIndex === r.index, ET, () => `server ${f} should append add(5) at ${r.index}`);
    m.expectConfig([f], [0, 1, 2, 3, 4, 5], `server ${f}, which appended add(5)`);
    // {leader, f} | the other three (server 5 cut off from all): the three elect a leader and commit.
    const [g1, g2, g3] = majority as [number, number, number];
    m.c.topology([[leader, f], [g1, g2], [g1, g3], [g2, g3]]);
    await newLeader(m, [leader, f, 5], term, 3 * ET);
    await m.c.cfg.one(702, 3, true);
    m.c.drop = undefined;
    m.c.healAll();
    for (const i of [f, leader]) {
      await waitUntil(() => m.c.status(i).configIndex !== r.index, 3 * ET, () => `server ${i} should lose add(5) at ${r.index} to the new leader's log`);
    }
    m.expectConfig([leader, f], [0, 1, 2, 3, 4], "after add(5) was truncated");
    await m.c.cfg.one(703, 5, true);
    m.c.cfg.end();
  }),

  // M16, etcd's TestCommitAfterRemoveNode
  defineTest("5E", "TestCommitAfterRemove5E", async (t) => {
    const m = makeCluster(t, 2, [0, 1], NONE, "an entry waiting for the removed server commits once the quorum shrinks");
    const leader = await leaderWithACommit(m, 1601);
    const other = 1 - leader;
    // The other server hears the leader, but its answers are held back for 2 ET.
    m.c.delayReply = (from, to, method) => (from === leader && to === other && method === "Raft.appendEntries" ? 2 * ET : 0);
    const { index, isLeader } = m.c.cfg.startOn(leader, 1602);
    if (!isLeader) fail(`server ${leader} should lead`);
    await sleep(ET / 2);
    if (committedCount(m, index) > 0) fail(`index ${index} should wait for server ${other}, whose answer has not come back`);
    const r = await proposeUntilAccepted(m, leader, remove(other), ET);
    await waitUntil(
      () => committedCount(m, index) > 0 && committedCount(m, r.index) > 0,
      ET,
      () => `with ${other} removed, ${leader} alone is a majority: index ${index} and the removal at ${r.index} should commit at once`,
    );
    m.c.cfg.end();
  }),

  // R9 (5C's ReadIndex across 5E's change; raft-rs): a read pending when the quorum shrinks is released
  defineTest("5E", "TestRemovalReleasesPendingRead5E", async (t) => {
    const m = makeCluster(t, 2, [0, 1], NONE, "two servers, a read pending: removing the silent peer releases it (its round re-counted against the new voters)");
    const leader = await leaderWithACommit(m, 1651);
    const other = 1 - leader;
    const index = await m.c.cfg.one(1652, 2, true);
    log("tester", `${leader}'s ConfirmLeadership requests to ${other} are lost: its read waits`);
    m.c.drop = (from, to, method) => from === leader && to === other && method === "Raft.confirmLeadership";
    let answer: { r: ReadIndexResult; at: number } | undefined;
    void m.c.readIndex(leader).then((r) => (answer = { r, at: now() }));
    await sleep(100);
    if (answer !== undefined) fail(`the read at ${leader} should wait for ${other}, which confirms nothing; it was answered at once (${showRead(answer.r)})`);
    const removedAt = now();
    const r = m.propose(leader, remove(other));
    if (!r.ok) fail(`leader ${leader}, with an entry of its term committed, should accept removeVoter(${other}); it answered ${r.err}`);
    await waitUntil(() => answer !== undefined, ET, () => `the read at ${leader} should be answered once ${other}'s removal is appended; it is still pending after ${ET} ms`);
    const { r: read, at } = answer!;
    if (!read.ok || read.index < index) fail(`with ${other} removed, ${leader} alone is a majority of the voters: the read pending since before should succeed with an index ≥ ${index}; it gave ${showRead(read)}`);
    if (at - removedAt > POLL_MS) fail(`the read at ${leader} should be released when the entry that removes ${other} is appended (${removedAt} ms), not at ${at} ms: its round is counted against the voters in use`);
    m.c.cfg.end();
  }),

  // L9 (5B's transfer across 5E's change): removing the target of a transfer under way ends the transfer
  defineTest("5E", "TestRemovingTransferTargetEndsTransfer5E", async (t) => {
    const m = makeCluster(t, 3, [0, 1, 2], BOTH, "removing the target of a transfer under way abandons the transfer; the leader accepts commands at once");
    const leader = await leaderWithACommit(m, 1701);
    const target = (leader + 1) % 3;
    const other = (leader + 2) % 3;
    await m.c.cfg.one(1702, 3, true);
    log("tester", `cut ${target} off, so that it cannot take over; ask ${leader} to transfer to it`);
    m.c.isolate(target);
    const since = now();
    m.c.transfer(leader, target);
    if (m.c.status(leader).leadTransferee !== target) fail(`leader ${leader} should be transferring to ${target}; status().leadTransferee is ${m.c.status(leader).leadTransferee}`);
    const refused = m.propose(leader, remove(other));
    if (refused.ok || refused.err !== "ErrTransferInProgress") fail(`during a transfer, a change other than the removal of its target must be refused (ErrTransferInProgress); removeVoter(${other}) got ${refused.ok ? `accepted at ${refused.index}` : refused.err}`);
    await sleep(100);
    const r = m.propose(leader, remove(target));
    if (!r.ok) fail(`leader ${leader} should accept removeVoter(${target}), the target of its transfer, and so abandon the transfer; it answered ${r.err}`);
    const s = m.c.status(leader);
    if (s.leadTransferee !== null) fail(`the transfer to ${target} should end once the entry that removes ${target} is appended (at ${r.index}); status().leadTransferee still names ${s.leadTransferee}`);
    if (!m.c.cfg.startOn(leader, 1703).isLeader) fail(`leader ${leader}, its transfer abandoned, must accept commands again at once`);
    await waitUntil(() => committedCount(m, r.index) > 0, ET, () => `the removal of ${target} at ${r.index} should commit on ${leader} and ${other}, a majority of the new configuration`);
    await m.c.cfg.one(1704, 2, true);
    await sleep(ET);
    const led = m.c.leaderChangesSince(since).filter((c) => c.leader === target);
    if (led.length > 0) fail(`removed server ${target} must never lead: ${showChanges(led)}`);
    m.expectConfig([leader, other], [leader, other], "after the removal");
    m.c.cfg.end();
  }),

  // L12 (5B's transfer across 5E's change; etcd-io/etcd#12133): a target that has not applied its configuration refuses to campaign
  defineTest("5E", "TestTransferTargetWithUnappliedConfig5E", async (t) => {
    const gate = new ApplierGate(t);
    const m = makeCluster(gate.context, 4, [0, 1, 2], BOTH, "a transfer's target whose config entry has committed but is not applied refuses to campaign; the leader gives up within 1 ET");
    const leader = await leaderWithACommit(m, 1801);
    const target = (leader + 1) % 3;
    await m.c.cfg.one(1802, 3, true);
    log("tester", `block ${target}'s applier, then add server 3 as a learner: ${target} holds the config entry, committed, and cannot apply it`);
    gate.block(target);
    await m.c.cfg.one(1806, 2, true); // the entry the blocked applier holds: the config entry's comes after it
    m.startServer(3);
    const index = await m.change({ type: "addLearner", id: 3 });
    await sleep(300); // heartbeats tell the target the entry committed
    const term = m.c.status(leader).term;
    const since = now();
    m.c.transfer(leader, target);
    await waitUntil(() => m.c.status(leader).leadTransferee === null, ET, () => `leader ${leader} should give its transfer to ${target} up within ${ET} ms; it still transfers`);
    const timeoutNow = m.c.timeoutNows.find((x) => x.at >= since && x.from === leader && x.to === target);
    if (timeoutNow === undefined) fail(`tester bug: leader ${leader} sent ${target} no TimeoutNow, so ${target}'s refusal was not put to the test`);
    const s = m.c.status(leader);
    const changes = m.c.leaderChangesSince(since);
    if (changes.length > 0 || s.role !== "leader" || s.term !== term) {
      fail(`server ${target} has not applied the config entry at ${index}, committed: it must not campaign on a TimeoutNow (etcd-io/etcd#12133), and ${leader} should still lead term ${term}; ` +
        `leader changes since the transfer request: ${showChanges(changes)}; ${leader} is ${s.role} of term ${s.term}`);
    }
    if (!m.c.cfg.startOn(leader, 1803).isLeader) fail(`having given up its transfer, leader ${leader} must accept commands again`);
    log("tester", `unblock ${target}'s applier; once it has applied the entry, the same transfer succeeds`);
    gate.unblock(target);
    await m.c.cfg.one(1804, 4, true);
    const again = now();
    m.c.transfer(leader, target);
    await waitUntil(() => m.c.status(target).role === "leader", ET, () => `once ${target} has applied its configuration, the transfer to it should succeed within ${ET} ms. ${m.describeConfigs()}`);
    const after = m.c.leaderChangesSince(again);
    if (after.length !== 1 || after[0]!.leader !== target || after[0]!.term !== term + 1) fail(`the transfer to ${target} should take one election, in term ${term + 1}; leader changes: ${showChanges(after)}`);
    await m.c.cfg.one(1805, 4, true);
    m.c.cfg.end();
  }),

  // M12: TinyKV's confchanger
  defineTest("5E", "TestConfChangerNemesis5E", async (t) => {
    const ids = 9;
    const m = makeCluster(t, ids, [0, 1, 2], BOTH, "adds and removes every 0–200 ms under load, with partitions, crashes and an unreliable network", true);
    const rand = m.c.cfg.rand;
    const runFor = 12 * ET;
    const end = now() + runFor;
    let nextId = 3;
    let changes = 0;
    const wg = new WaitGroup();

    const acknowledged = startCommandClients(m, end, wg);

    wg.add();
    go(async () => {
      while (now() < end) {
        await sleep(rand.int(201));
        const leader = m.leader();
        if (leader === undefined) continue;
        const voters = m.c.status(leader).config;
        const adding = voters.length < 4 || (voters.length < 5 && nextId < ids && rand.int(2) === 0);
        let change: ConfChange;
        if (adding) {
          if (nextId >= ids) continue;
          if (!m.hasStarted(nextId)) m.startServer(nextId);
          change = add(nextId);
        } else {
          change = remove(voters[rand.int(voters.length)]!);
        }
        const r = m.propose(leader, change);
        if (r.ok) {
          changes++;
          if (adding) nextId++;
        }
      }
      wg.done();
    });

    startFaults(m, ids, end, wg);

    await wg.wait();
    restartEveryone(m, ids);
    if (changes < 5) fail(`the confchanger should have made at least 5 changes in ${runFor} ms; it made ${changes}`);
    const leader = await newLeader(m, [], 0, 5 * ET);
    const voters = m.c.status(leader).config;
    await m.c.cfg.one({ client: -1, seq: 0 }, voters.length, true);
    await sleep(ET);
    m.expectConfig(voters, voters, "at the end");
    const configIndexes = new Set(voters.map((v) => m.c.status(v).configIndex));
    if (configIndexes.size !== 1) fail(`every voter should use the same config entry at the end; they use ${[...configIndexes].join(", ")}. ${m.describeConfigs()}`);
    expectAcknowledgedInLog(m, acknowledged, runFor);
    log("tester", `${changes} membership changes, ${acknowledged.length} commands acknowledged; final voters ${voters.join(",")}`);
    m.c.cfg.end();
  }),

  // M8
  defineTest("5E", "TestConfigInSnapshot5E", async (t) => {
    const m = new MembershipCluster(t, 5, [0, 1, 2], NONE, false, true);
    m.c.cfg.begin("Test (5E): configurations in snapshots: a restart, and an InstallSnapshot, find them again");
    m.startServer(3);
    await m.change(add(3));
    await m.change(remove(0));
    for (let k = 0; k < 25; k++) await m.c.cfg.one(800 + k, 3, true); // every server snapshots past both config entries
    m.c.cfg.crash1(0); // removed: it stays down
    m.restart([1, 2, 3]);
    m.expectConfig([1, 2, 3], [1, 2, 3], "restarted from snapshots that cover both config entries");
    await m.c.cfg.one(830, 3, true);
    // Server 4 is added while cut off, and brought up to date by a snapshot past the entry that adds it.
    m.startServer(4);
    m.c.cfg.disconnect(4);
    const added = await m.change(add(4));
    for (let k = 0; k < 25; k++) await m.c.cfg.one(900 + k, 3, true);
    const since = now();
    m.c.cfg.connect(4);
    await m.c.cfg.one(950, 4, true);
    if (!m.c.installSnapshots.some((s) => s.to === 4 && s.at >= since)) fail("server 4 should have been brought up to date by an InstallSnapshot");
    m.expectConfig([4], [1, 2, 3, 4], "server 4, brought up to date by a snapshot");
    if (m.c.status(4).configIndex !== added) fail(`server 4's configuration should come from entry ${added}, which the snapshot covers; it says ${m.c.status(4).configIndex}`);
    m.restart([1, 2, 3, 4]);
    m.expectConfig([1, 2, 3, 4], [1, 2, 3, 4], "every server restarted again");
    await m.c.cfg.one(951, 4, true);
    m.c.cfg.end();
  }),
  ...kvTests5E,
];
