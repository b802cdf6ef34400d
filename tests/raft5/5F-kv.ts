// Lab 5F at the KV level (test plan id R6): lab 5's KV server with follower reads (5C's "follower"
// mode: any server serves a Get once it has applied the read index its leader confirms), where the
// server a client reads from is a learner. Every history is judged by the linearizability checker.
// On the KV tester of changing membership (membership-kv.ts). 5F's TestLearnerReadIndex5F checks
// the same at the Raft level (a learner's read index is never below a completed write).
//   - writers Put and Append through any server while readers Get from the learner only, the
//     leader crashed once on the way; then the learner is cut off from every server, a writer
//     overwrites x, and the learner's reader must not read the value before.
import { go, log, sleep } from "../../sim/index.ts";
import type { RaftOptions } from "../../raft-extensions/types.ts";
import { defineTest } from "../harness/define-test.ts";
import { fail } from "../harness/failure.ts";
import { checkLinearizable, newOpLog } from "../harness/kv-linearizability.ts";
import { Append, Get, Put } from "../kvraft/generic-test.ts";
import type { LabTest } from "../registry.ts";
import { ET } from "./cluster.ts";
import { MembershipKv } from "./membership-kv.ts";

const NONE: RaftOptions = {};

export const kvTests5F: LabTest[] = [
  // R6 at the KV level
  defineTest("5F", "TestLearnerReadsLinearizable5F", async (t) => {
    const m = new MembershipKv(t, 4, [0, 1, 2], NONE, "follower", false, "Test (5F): Gets served by a learner (follower reads) are linearizable, also once it is cut off");
    const opLog = newOpLog(t);
    const rand = m.cfg.rand;
    await m.change({ type: "addLearner", id: 3 }, 5 * ET);
    let stop = false;
    let running = 0;
    for (let cli = 0; cli < 2; cli++) {
      running++;
      go(async () => {
        const writer = m.cfg.makeClient(m.cfg.all());
        for (let k = 0; !stop; k++) {
          if (rand.int(4) === 0) await Put(m.cfg, writer, `k${cli}`, `${cli}.${k};`, opLog, cli);
          else await Append(m.cfg, writer, `k${cli}`, `${cli}.${k};`, opLog, cli);
          await sleep(rand.int(40));
        }
        running--;
      });
    }
    for (let cli = 2; cli < 4; cli++) {
      running++;
      go(async () => {
        const reader = m.cfg.makeClient([3]);
        while (!stop) {
          await Get(m.cfg, reader, `k${rand.int(2)}`, opLog, cli);
          await sleep(rand.int(20));
        }
        running--;
      });
    }
    await sleep(2 * ET);
    const leader = m.leader();
    if (leader === undefined) fail(`there should be a leader. ${m.describeConfigs()}`);
    log("tester", `shuts down leader ${leader}`);
    m.shutdown(leader);
    await sleep(2 * ET);
    m.restart(leader);
    await sleep(ET);
    stop = true;
    const deadline = 5 * ET;
    for (let waited = 0; running > 0; waited += 10) {
      if (waited >= deadline) fail(`every client should finish its operation within ${deadline} ms once asked to stop. ${m.describeConfigs()}`);
      await sleep(10);
    }
    // The learner cut off: its reads must not be served from what it holds.
    const ck = m.cfg.makeClient([0, 1, 2]);
    await Put(m.cfg, ck, "x", "1", opLog, 4);
    await sleep(ET / 2); // the learner applies x = 1
    log("tester", "cuts learner 3 off from every server");
    m.cfg.partition([3], [0, 1, 2]);
    await Put(m.cfg, ck, "x", "2", opLog, 4);
    const lonely = m.cfg.makeClient([3]);
    const read: { got?: string } = {};
    go(async () => {
      read.got = await Get(m.cfg, lonely, "x", opLog, 5);
    });
    await sleep(3 * ET);
    if (read.got === "1") fail(`x = 2 was written while learner 3 was cut off: its reader must not read x = 1 (a learner serves a read at the index its leader confirms, not at what it holds)`);
    const operations = opLog.operations();
    if (operations.filter((o) => o.clientId >= 2 && o.clientId <= 3).length < 20) fail(`the learner's readers should have completed at least 20 Gets before it was cut off. ${m.describeConfigs()}`);
    checkLinearizable(t, operations);
    m.cfg.connectAll();
    m.cfg.end();
  }),
];
