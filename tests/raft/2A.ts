// Lab 2A (leader election): the tests of 6.824's raft/test_test.go, in its order.
import { log, sleep } from "../../sim/index.ts";
import { fail } from "../harness/failure.ts";
import type { LabTest } from "../registry.ts";
import { RaftElectionTimeout, makeConfig } from "./config.ts";
import { defineTest } from "../harness/define-test.ts";

export const tests: LabTest[] = [
  defineTest("2A", "TestInitialElection2A", async (t) => {
    const servers = 3;
    const cfg = makeConfig(t, servers, false, false);

    cfg.begin("Test (2A): initial election");

    // is a leader elected?
    await cfg.checkOneLeader();

    // sleep a bit to avoid racing with followers learning of the election, then check that all
    // peers agree on the term.
    await sleep(50);
    const term1 = cfg.checkTerms();
    if (term1 < 1) fail(`term is ${term1}, but should be at least 1`);

    // does the leader+term stay the same if there is no network failure?
    await sleep(2 * RaftElectionTimeout);
    const term2 = cfg.checkTerms();
    if (term1 !== term2) cfg.warn("warning: term changed even though there were no failures");

    // there should still be a leader.
    await cfg.checkOneLeader();

    cfg.end();
  }),

  defineTest("2A", "TestReElection2A", async (t) => {
    const servers = 3;
    const cfg = makeConfig(t, servers, false, false);

    cfg.begin("Test (2A): election after network failure");

    const leader1 = await cfg.checkOneLeader();

    // if the leader disconnects, a new one should be elected.
    log("tester", `disconnect leader ${leader1}`);
    cfg.disconnect(leader1);
    await cfg.checkOneLeader();

    // if the old leader rejoins, that shouldn't disturb the new leader. and the old leader
    // should switch to follower.
    log("tester", `rejoin ${leader1}`);
    cfg.connect(leader1);
    const leader2 = await cfg.checkOneLeader();

    // if there's no quorum, no new leader should be elected.
    log("tester", `disconnect leader ${leader2} and ${(leader2 + 1) % servers}`);
    cfg.disconnect(leader2);
    cfg.disconnect((leader2 + 1) % servers);
    await sleep(2 * RaftElectionTimeout);

    // check that the one connected server does not think it is the leader.
    cfg.checkNoLeader();

    // if a quorum arises, it should elect a leader.
    log("tester", `rejoin ${(leader2 + 1) % servers}`);
    cfg.connect((leader2 + 1) % servers);
    await cfg.checkOneLeader();

    // re-join of last node shouldn't prevent leader from existing.
    log("tester", `rejoin ${leader2}`);
    cfg.connect(leader2);
    await cfg.checkOneLeader();

    cfg.end();
  }),

  defineTest("2A", "TestManyElections2A", async (t) => {
    const servers = 7;
    const cfg = makeConfig(t, servers, false, false);

    cfg.begin("Test (2A): multiple elections");

    await cfg.checkOneLeader();

    const iters = 10;
    for (let ii = 1; ii < iters; ii++) {
      // disconnect three nodes
      const i1 = cfg.rand.int(servers);
      const i2 = cfg.rand.int(servers);
      const i3 = cfg.rand.int(servers);
      cfg.disconnect(i1);
      cfg.disconnect(i2);
      cfg.disconnect(i3);

      // either the current leader should still be alive, or the remaining four should elect a
      // new one.
      await cfg.checkOneLeader();

      cfg.connect(i1);
      cfg.connect(i2);
      cfg.connect(i3);
    }

    await cfg.checkOneLeader();

    cfg.end();
  }),
];
