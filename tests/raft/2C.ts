// Lab 2C (persistence): the tests of 6.824's raft/test_test.go, in its order.
import { Channel, go, sleep } from "../../sim/index.ts";
import { fail } from "../harness/failure.ts";
import type { LabTest } from "../registry.ts";
import { RaftElectionTimeout, makeConfig } from "./config.ts";
import { defineTest, type TestContext } from "../harness/define-test.ts";
import { WaitGroup } from "../harness/waitgroup.ts";
import { nemesisTest } from "../scenario/run-scenario.ts";
import { figure8Scenario } from "./figure8-nemesis.ts";

export const tests: LabTest[] = [
  defineTest("2C", "TestPersist12C", async (t) => {
    const servers = 3;
    const cfg = makeConfig(t, servers, false, false);

    cfg.begin("Test (2C): basic persistence");

    await cfg.one(11, servers, true);

    // crash and re-start all
    for (let i = 0; i < servers; i++) cfg.start1(i, "applier");
    for (let i = 0; i < servers; i++) {
      cfg.disconnect(i);
      cfg.connect(i);
    }

    await cfg.one(12, servers, true);

    const leader1 = await cfg.checkOneLeader();
    cfg.disconnect(leader1);
    cfg.start1(leader1, "applier");
    cfg.connect(leader1);

    await cfg.one(13, servers, true);

    const leader2 = await cfg.checkOneLeader();
    cfg.disconnect(leader2);
    await cfg.one(14, servers - 1, true);
    cfg.start1(leader2, "applier");
    cfg.connect(leader2);

    await cfg.wait(4, servers, -1); // wait for leader2 to join before killing i3

    const i3 = ((await cfg.checkOneLeader()) + 1) % servers;
    cfg.disconnect(i3);
    await cfg.one(15, servers - 1, true);
    cfg.start1(i3, "applier");
    cfg.connect(i3);

    await cfg.one(16, servers, true);

    cfg.end();
  }),

  defineTest("2C", "TestPersist22C", async (t) => {
    const servers = 5;
    const cfg = makeConfig(t, servers, false, false);

    cfg.begin("Test (2C): more persistence");

    let index = 1;
    for (let iters = 0; iters < 5; iters++) {
      await cfg.one(10 + index, servers, true);
      index++;

      const leader1 = await cfg.checkOneLeader();

      cfg.disconnect((leader1 + 1) % servers);
      cfg.disconnect((leader1 + 2) % servers);

      await cfg.one(10 + index, servers - 2, true);
      index++;

      cfg.disconnect((leader1 + 0) % servers);
      cfg.disconnect((leader1 + 3) % servers);
      cfg.disconnect((leader1 + 4) % servers);

      cfg.start1((leader1 + 1) % servers, "applier");
      cfg.start1((leader1 + 2) % servers, "applier");
      cfg.connect((leader1 + 1) % servers);
      cfg.connect((leader1 + 2) % servers);

      await sleep(RaftElectionTimeout);

      cfg.start1((leader1 + 3) % servers, "applier");
      cfg.connect((leader1 + 3) % servers);

      await cfg.one(10 + index, servers - 2, true);
      index++;

      cfg.connect((leader1 + 4) % servers);
      cfg.connect((leader1 + 0) % servers);
    }

    await cfg.one(1000, servers, true);

    cfg.end();
  }),

  defineTest("2C", "TestPersist32C", async (t) => {
    const servers = 3;
    const cfg = makeConfig(t, servers, false, false);

    cfg.begin("Test (2C): partitioned leader and one follower crash, leader restarts");

    await cfg.one(101, 3, true);

    const leader = await cfg.checkOneLeader();
    cfg.disconnect((leader + 2) % servers);

    await cfg.one(102, 2, true);

    cfg.crash1((leader + 0) % servers);
    cfg.crash1((leader + 1) % servers);
    cfg.connect((leader + 2) % servers);
    cfg.start1((leader + 0) % servers, "applier");
    cfg.connect((leader + 0) % servers);

    await cfg.one(103, 2, true);

    cfg.start1((leader + 1) % servers, "applier");
    cfg.connect((leader + 1) % servers);

    await cfg.one(104, servers, true);

    cfg.end();
  }),

  // Test the scenarios described in Figure 8 of the extended Raft paper. Each iteration asks a
  // leader, if there is one, to insert a command in the Raft log. If there is a leader, that
  // leader will fail quickly with a high probability (perhaps without committing the command),
  // or crash after a while with low probability (most likely committing the command). If the
  // number of alive servers isn't enough to form a majority, perhaps start a new server. The
  // leader in a new term may try to finish replicating log entries that haven't been committed
  // yet.
  // The schedule of faults is drawn from the seed as a scenario first, then run (figure8-nemesis.ts).
  nemesisTest("2C", "TestFigure82C", "Test (2C): Figure 8", (seed) => figure8Scenario(seed, false)),

  defineTest("2C", "TestUnreliableAgree2C", async (t) => {
    const servers = 5;
    const cfg = makeConfig(t, servers, true, false);

    cfg.begin("Test (2C): unreliable agreement");

    const wg = new WaitGroup();

    for (let iters = 1; iters < 50; iters++) {
      for (let j = 0; j < 4; j++) {
        wg.add(1);
        go(async () => {
          try {
            await cfg.one(100 * iters + j, 1, true);
          } finally {
            wg.done();
          }
        });
      }
      await cfg.one(iters, 1, true);
    }

    cfg.setUnreliable(false);

    await wg.wait();

    await cfg.one(100, servers, true);

    cfg.end();
  }),

  nemesisTest("2C", "TestFigure8Unreliable2C", "Test (2C): Figure 8 (unreliable)", (seed) => figure8Scenario(seed, true)),

  defineTest("2C", "TestReliableChurn2C", (t) => internalChurn(t, false)),

  defineTest("2C", "TestUnreliableChurn2C", (t) => internalChurn(t, true)),
];

async function internalChurn(t: TestContext, unreliable: boolean): Promise<void> {
  const servers = 5;
  const cfg = makeConfig(t, servers, unreliable, false);

  if (unreliable) cfg.begin("Test (2C): unreliable churn");
  else cfg.begin("Test (2C): churn");

  let stop = false;

  // create concurrent clients
  const cfn = async (me: number, ch: Channel<number[]>): Promise<void> => {
    // (In Go a client that fails sends nil and the test reports "client failed"; here a failing
    // check inside a client fails the run at once, so a client always sends its values.)
    const values: number[] = [];
    while (!stop) {
      const x = cfg.randInt();
      let index = -1;
      let ok = false;
      for (let i = 0; i < servers; i++) {
        // try them all, maybe one of them is a leader
        if (cfg.raft(i) !== null) {
          const { index: index1, isLeader: ok1 } = cfg.startOn(i, x);
          if (ok1) {
            ok = ok1;
            index = index1;
          }
        }
      }
      if (ok) {
        // maybe leader will commit our value, maybe not. but don't wait forever.
        for (const to of [10, 20, 50, 100, 200]) {
          const [nd, cmd] = cfg.nCommitted(index);
          if (nd > 0) {
            if (typeof cmd === "number" && Number.isInteger(cmd)) {
              if (cmd === x) values.push(x);
            } else {
              fail("wrong command type");
            }
            break;
          }
          await sleep(to);
        }
      } else {
        await sleep(79 + me * 17);
      }
    }
    await ch.send(values);
  };

  const ncli = 3;
  const cha: Channel<number[]>[] = [];
  for (let i = 0; i < ncli; i++) {
    const ch = new Channel<number[]>(0, `churn client ${i}`);
    cha.push(ch);
    go(() => cfn(i, ch));
  }

  for (let iters = 0; iters < 20; iters++) {
    if (cfg.rand.int(1000) < 200) {
      const i = cfg.rand.int(servers);
      cfg.disconnect(i);
    }

    if (cfg.rand.int(1000) < 500) {
      const i = cfg.rand.int(servers);
      if (cfg.raft(i) === null) cfg.start1(i, "applier");
      cfg.connect(i);
    }

    if (cfg.rand.int(1000) < 200) {
      const i = cfg.rand.int(servers);
      if (cfg.raft(i) !== null) cfg.crash1(i);
    }

    // Make crash/restart infrequent enough that the peers can often keep up, but not so
    // infrequent that everything has settled down from one change to the next. Pick a value
    // smaller than the election timeout, but not hugely smaller.
    await sleep((RaftElectionTimeout * 7) / 10);
  }

  await sleep(RaftElectionTimeout);
  cfg.setUnreliable(false);
  for (let i = 0; i < servers; i++) {
    if (cfg.raft(i) === null) cfg.start1(i, "applier");
    cfg.connect(i);
  }

  stop = true;

  const values: number[] = [];
  for (let i = 0; i < ncli; i++) {
    const vv = await cha[i]!.recv();
    if (vv === undefined) fail("client failed");
    values.push(...vv);
  }

  await sleep(RaftElectionTimeout);

  const lastIndex = await cfg.one(cfg.randInt(), servers, true);

  const really: number[] = new Array<number>(lastIndex + 1).fill(0);
  for (let index = 1; index <= lastIndex; index++) {
    const v = await cfg.wait(index, servers, -1);
    if (typeof v === "number" && Number.isInteger(v)) really.push(v);
    else fail("not an int");
  }

  const committed = new Set(really);
  for (const v1 of values) {
    if (!committed.has(v1)) fail("didn't find a value");
  }

  cfg.end();
}
