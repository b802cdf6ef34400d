// Lab 5F: learners, members that receive the log and do not vote (test plan ids N1, N2, N4, N5 and
// N7). They run on 5E's tester (membership-cluster.ts) and its monitor, which counts voters only:
// an election or a commit that a learner's vote or acknowledgement made a majority fails the run.
// Bounds are in election timeouts (ET = the tester's 1 s). And 5D's lease among learners
// (TestLeaseCountsOnlyVoters5F): a learner acknowledges AppendEntries but votes for no one, so a
// lease needs a majority of the voters' acknowledgements.
// M10 (TestCatchUpThatNeverEndsAborts5F): the catch-up of a learner behind a link that drops
// everything never ends; its promotion is refused every time, and the cluster goes on committing.
// N6 (TestSnapshotKeepsLearners5F): learners survive a restart from snapshots that cover the entry
// adding them (5G's TestJointInSnapshot5G has N6's demotion in joint).
// R6 at the KV level (5F-kv.ts, TestLearnerReadsLinearizable5F): Gets served by a learner, by
// follower reads, judged by the linearizability checker, also once the learner is cut off.
// N3 (TestLearnerMustVote5F, etcd's campaign_learner_must_vote): a learner promoted on {0,1}
// without hearing of it, the leader crashed: the survivor is elected with the learner's vote.
import { log, now, sleep } from "../../sim/index.ts";
import type { RaftOptions } from "../../raft-extensions/types.ts";
import { defineTest, type TestContext } from "../harness/define-test.ts";
import { fail } from "../harness/failure.ts";
import type { LabTest } from "../registry.ts";
import { ET, showChanges } from "./cluster.ts";
import { MembershipCluster, committedCount, waitUntil } from "./membership-cluster.ts";
import { kvTests5F } from "./5F-kv.ts";

const NONE: RaftOptions = {};
const BOTH: RaftOptions = { preVote: true, checkQuorum: true };
const LEASE: RaftOptions = { checkQuorum: true, leaseReads: true };
/** The reference's lease (5D) with the default drift bound ρ = 0.1: its 400 ms vote lease × 0.9 / 1.1, of the leader's clock. */
const LEASE_MS = (400 * 0.9) / 1.1;
/** How often a test looks at the servers while it waits for something. */
const POLL_MS = 10;

/** A cluster of voters `voters`, with servers `learners` started and added as learners. */
async function withLearners(t: TestContext, n: number, voters: readonly number[], learners: readonly number[], options: RaftOptions, begin: string): Promise<MembershipCluster> {
  const m = new MembershipCluster(t, n, voters, options);
  m.c.cfg.begin(`Test (5F): ${begin}`);
  await m.c.cfg.checkOneLeader();
  for (const l of learners) {
    m.startServer(l);
    await m.change({ type: "addLearner", id: l });
  }
  return m;
}

function expectNoLearnerLed(m: MembershipCluster, learners: readonly number[]): void {
  const led = m.c.leaderChanges.filter((c) => learners.includes(c.leader));
  if (led.length > 0) fail(`a learner never leads: ${showChanges(led)}`);
}

export const tests: LabTest[] = [
  // N1
  defineTest("5F", "TestLearnersHaveNoQuorumPower5F", async (t) => {
    const m = await withLearners(t, 5, [0, 1, 2], [3, 4], NONE, "learners receive the log, and count for no commit and no election");
    await m.c.cfg.one(101, 5, true); // the learners apply it too
    m.expectConfig([0, 1, 2, 3, 4], [0, 1, 2], "with learners 3 and 4");
    const leader = await m.c.cfg.checkOneLeader();
    const followers = [0, 1, 2].filter((i) => i !== leader);
    for (const i of followers) m.c.cfg.crash1(i);
    const { index, isLeader } = m.c.cfg.startOn(leader, 102);
    if (!isLeader) fail(`server ${leader} should still lead right after the crashes`);
    await sleep(2 * ET);
    if (m.c.cfg.nCommitted(index)[0] > 0) fail(`with voters ${followers.join(" and ")} crashed, the leader and two learners must not commit index ${index}`);
    m.c.cfg.crash1(leader); // one voter crashed more: only learners run
    await sleep(5 * ET);
    for (const l of [3, 4]) {
      const s = m.c.status(l);
      if (s.role !== "follower") fail(`learner ${l} should stay a follower with every voter down; it is ${s.role} of term ${s.term}`);
    }
    expectNoLearnerLed(m, [3, 4]);
    for (const i of [0, 1, 2]) {
      m.c.cfg.start1(i, "applier");
      m.c.cfg.connect(i);
    }
    await m.c.cfg.one(103, 5, true);
    m.c.cfg.end();
  }),

  // N2
  defineTest("5F", "TestLearnerNeverCampaigns5F", async (t) => {
    const m = await withLearners(t, 4, [0, 1, 2], [3], NONE, "an isolated learner never campaigns, not even on a TimeoutNow");
    const leader = await m.c.cfg.checkOneLeader();
    await m.c.cfg.one(201, 4, true);
    const term = m.c.status(3).term;
    const since = now();
    m.c.isolate(3);
    await sleep(10 * ET);
    const s = m.c.status(3);
    if (s.term !== term || s.role !== "follower") fail(`isolated learner 3 should keep term ${term} as a follower; it is ${s.role} of term ${s.term}`);
    if (m.c.termsOf(3, since).length > 0) fail(`isolated learner 3 should send nothing; its messages carried terms ${m.c.termsOf(3, since).join(", ")}`);
    m.c.isolate(3, false);
    await m.c.cfg.one(202, 4, true);
    const lead = m.c.status(leader);
    m.c.deliverTimeoutNow(3, { term: lead.term, leaderId: leader, lastLogIndex: m.c.cfg.appliedIndex(3), lastLogTerm: lead.term });
    await sleep(ET);
    const after = m.c.status(3);
    if (after.role !== "follower" || after.term !== lead.term) fail(`learner 3 should ignore a TimeoutNow; it is ${after.role} of term ${after.term}, the leader's term being ${lead.term}`);
    expectNoLearnerLed(m, [3]);
    m.c.cfg.end();
  }),

  // N4
  defineTest("5F", "TestPromotionWaitsForCatchUp5F", async (t) => {
    const m = await withLearners(t, 4, [0, 1, 2], [3], NONE, "a learner is promoted only once it holds everything committed");
    await m.c.cfg.one(401, 4, true);
    m.c.cfg.disconnect(3);
    for (let k = 0; k < 100; k++) await m.c.cfg.one(1000 + k, 3, true);
    const leader = await m.c.cfg.checkOneLeader();
    const r = m.propose(leader, { type: "addVoter", id: 3 });
    if (r.ok || r.err !== "ErrNotCaughtUp") fail(`learner 3, 100 entries behind, should not be promoted (ErrNotCaughtUp); got ${r.ok ? `accepted at ${r.index}` : r.err}`);
    m.c.cfg.connect(3);
    const deadline = now() + 3 * ET;
    for (;;) {
      const again = m.propose(leader, { type: "addVoter", id: 3 });
      if (again.ok) break;
      if (now() >= deadline) fail(`learner 3 should be promoted within ${3 * ET} ms of reconnecting; the leader answers ${again.err}`);
      await sleep(POLL_MS);
    }
    await m.c.cfg.one(402, 4, true);
    m.expectConfig([0, 1, 2, 3], [0, 1, 2, 3], "after the promotion");
    m.c.cfg.end();
  }),

  // N5 (and 5C's R6)
  defineTest("5F", "TestLearnerReadIndex5F", async (t) => {
    const m = await withLearners(t, 4, [0, 1, 2], [3], NONE, "a learner serves ReadIndex reads through the leader");
    for (let k = 0; k < 10; k++) {
      const index = await m.c.cfg.one(500 + k, 4, true);
      const r = await m.c.readIndex(3);
      if (!r.ok) fail(`learner 3's readIndex() after write ${k} should succeed; it answered ${r.err}`);
      if (r.index < index) fail(`learner 3's read index ${r.index} is below write ${k}'s index ${index}: a read there could miss it`);
    }
    m.c.cfg.end();
  }),

  // N7
  defineTest("5F", "TestCheckQuorumIgnoresLearners5F", async (t) => {
    const m = await withLearners(t, 5, [0, 1, 2], [3, 4], BOTH, "a leader that reaches only learners steps down");
    const leader = await m.c.cfg.checkOneLeader();
    await m.c.cfg.one(701, 5, true);
    const term = m.c.status(leader).term;
    // The other voters crash: the leader reaches only the learners, and no other leader arises to depose it.
    const others = [0, 1, 2].filter((v) => v !== leader);
    for (const v of others) m.c.cfg.crash1(v);
    const since = now();
    while (m.c.status(leader).role === "leader" && m.c.status(leader).term === term) {
      if (now() - since > 2 * ET) fail(`leader ${leader}, which reaches only learners 3 and 4 (voters ${others.join(" and ")} crashed), should step down within ${2 * ET} ms`);
      await sleep(POLL_MS);
    }
    expectNoLearnerLed(m, [3, 4]);
    for (const v of others) {
      m.c.cfg.start1(v, "applier");
      m.c.cfg.connect(v);
    }
    await m.c.cfg.one(702, 5, true);
    m.c.cfg.end();
  }),
  // 5D's lease with learners: a majority of the voters in use, not of every peer
  defineTest("5F", "TestLeaseCountsOnlyVoters5F", async (t) => {
    const m = await withLearners(t, 5, [0, 1, 2], [3, 4], LEASE, "a leader that hears only learners holds no lease: a lease needs a majority of the voters' acknowledgements");
    const { c } = m;
    for (let round = 0; round < 3; round++) {
      const leader = await c.cfg.checkOneLeader();
      await c.cfg.one(800 + round, 5, true);
      while (c.status(leader).leaseUntil === null) await sleep(1);
      const voters = [0, 1, 2].filter((v) => v !== leader);
      log("tester", `cut leader ${leader} off from voters ${voters.join(" and ")}; it still reaches learners 3 and 4`);
      for (const v of voters) c.cut(leader, v);
      const cutAt = now();
      // Every voter's acknowledgement was sent before the cut, so the lease ends LEASE_MS after it at the latest.
      while (now() - cutAt < 2 * ET) {
        const s = c.status(leader);
        if (s.role === "leader" && s.leaseUntil !== null && now() > cutAt + LEASE_MS + 1) {
          fail(`leader ${leader} was cut off from voters ${voters.join(" and ")} at ${cutAt} ms and hears only learners, ` +
            `yet at ${now()} ms it holds a lease until ${s.leaseUntil} ms: learners vote for no one, so their acknowledgements hold off no election`);
        }
        await sleep(1);
      }
      for (const v of voters) c.cut(leader, v, false);
      await c.cfg.one(810 + round, 5, true);
    }
    m.c.cfg.end();
  }),

  // M10
  defineTest("5F", "TestCatchUpThatNeverEndsAborts5F", async (t) => {
    const m = await withLearners(t, 4, [0, 1, 2], [], NONE, "a learner that never catches up is never promoted, and the cluster keeps committing");
    m.startServer(3);
    m.c.isolate(3); // every message to and from server 3 is lost: its catch-up never ends
    await m.change({ type: "addLearner", id: 3 });
    let refusals = 0;
    for (let round = 0; round < 20; round++) {
      await m.c.cfg.one(1000 + round, 3, true); // writes keep committing meanwhile
      const leader = await m.c.cfg.checkOneLeader();
      const r = m.propose(leader, { type: "addVoter", id: 3 });
      if (r.ok) fail(`learner 3, cut off from every server, holds nothing: promoting it should be refused (ErrNotCaughtUp), round ${round}; it was appended at ${r.index}`);
      if (r.err === "ErrNotCaughtUp") refusals++;
    }
    if (refusals < 10) fail(`the promotion should have been refused with ErrNotCaughtUp at least 10 times in 20 rounds; it was ${refusals} times`);
    m.expectConfig([0, 1, 2], [0, 1, 2], "after 20 refused promotions");
    m.c.cfg.end();
  }),

  // N6
  defineTest("5F", "TestSnapshotKeepsLearners5F", async (t) => {
    const m = new MembershipCluster(t, 4, [0, 1, 2], NONE, false, true);
    m.c.cfg.begin("Test (5F): learners survive a restart from snapshots that cover the entry adding them");
    await m.c.cfg.checkOneLeader();
    m.startServer(3);
    await m.change({ type: "addLearner", id: 3 });
    for (let k = 0; k < 25; k++) await m.c.cfg.one(600 + k, 4, true); // every server snapshots past the config entry
    m.restart([0, 1, 2, 3]);
    for (let i = 0; i < 4; i++) {
      const s = m.c.status(i);
      if (s.config.join(",") !== "0,1,2" || s.learners.join(",") !== "3") fail(`restarted from a snapshot, server ${i} should use voters {0,1,2} and learner 3; it uses {${s.config.join(",")}} and learners {${s.learners.join(",")}}`);
    }
    await m.c.cfg.one(650, 4, true);
    expectNoLearnerLed(m, [3]);
    m.c.cfg.end();
  }),
  // N3 (etcd's campaign_learner_must_vote.txt; etcd-io/etcd#10998)
  defineTest("5F", "TestLearnerMustVote5F", async (t) => {
    const m = await withLearners(t, 3, [0, 1], [2], NONE, "a learner promoted without hearing of it still votes: the surviving voter needs its vote");
    await m.c.cfg.one(901, 3, true);
    const leader = await m.c.cfg.checkOneLeader();
    const survivor = 1 - leader;
    // From now on nothing reaches 2: its promotion commits on {0,1} without it.
    m.c.drop = (_from, to) => to === 2;
    const promotion = m.propose(leader, { type: "addVoter", id: 2 });
    if (!promotion.ok) fail(`leader ${leader} should accept promoting learner 2, which holds every committed entry; it answers ${promotion.err}`);
    await waitUntil(() => committedCount(m, promotion.index) >= 2, 2 * ET, () => `the promotion at ${promotion.index} should commit on ${leader} and ${survivor}. ${m.describeConfigs()}`);
    if (m.c.status(2).config.includes(2)) fail(`tester bug: server 2 should not have heard of its promotion. ${m.describeConfigs()}`);
    m.c.cfg.crash1(leader);
    m.c.drop = undefined;
    // {0,1,2} with the leader crashed: the survivor needs the vote of 2, which still takes itself for a learner.
    await waitUntil(
      () => m.c.status(survivor).role === "leader",
      5 * ET,
      () => `server ${survivor}, a voter of {0,1,2} with ${leader} crashed, should be elected within ${5 * ET} ms with server 2's vote: a learner answers RequestVote (it may have been promoted without knowing it). ${m.describeConfigs()}`,
    );
    await m.c.cfg.one(902, 2, true);
    await waitUntil(() => m.c.status(2).config.includes(2), 2 * ET, () => `server 2 should learn that it is a voter from leader ${survivor}. ${m.describeConfigs()}`);
    expectNoLearnerLed(m, [2]);
    m.c.cfg.end();
  }),
  ...kvTests5F,
];
