// Lab 3A (fault-tolerant KV without snapshots): the tests of 6.824's kvraft/test_test.go, in its
// order. maxraftstate is -1 throughout: the snapshot must stay empty.
import { Channel, TIMEOUT, go, now, sleep } from "../../sim/index.ts";
import { fail } from "../harness/failure.ts";
import type { LabTest } from "../registry.ts";
import { defineTest } from "../harness/define-test.ts";
import { partitionTest } from "./kv-nemesis.ts";
import { makeConfig } from "./config.ts";
import {
  Append,
  Get,
  Put,
  check,
  checkConcurrentAppends,
  electionTimeout,
  genericTest,
  genericTestSpeed,
  spawnClientsAndWait,
} from "./generic-test.ts";

export const tests: LabTest[] = [
  defineTest("3A", "TestBasic3A", async (t) => {
    // Test: one client (3A) ...
    await genericTest(t, "3A", 1, 5, false, false, false, -1, false);
  }),

  defineTest("3A", "TestSpeed3A", async (t) => {
    await genericTestSpeed(t, "3A", -1);
  }),

  defineTest("3A", "TestConcurrent3A", async (t) => {
    // Test: many clients (3A) ...
    await genericTest(t, "3A", 5, 5, false, false, false, -1, false);
  }),

  defineTest("3A", "TestUnreliable3A", async (t) => {
    // Test: unreliable net, many clients (3A) ...
    await genericTest(t, "3A", 5, 5, true, false, false, -1, false);
  }),

  defineTest("3A", "TestUnreliableOneKey3A", async (t) => {
    const nservers = 3;
    const cfg = makeConfig(t, nservers, true, -1);

    const ck = cfg.makeClient(cfg.all());

    cfg.begin("Test: concurrent append to same key, unreliable (3A)");

    await Put(cfg, ck, "k", "", null, -1);

    const nclient = 5;
    const upto = 10;
    await spawnClientsAndWait(cfg, nclient, async (me, myck) => {
      let n = 0;
      while (n < upto) {
        await Append(cfg, myck, "k", "x " + me + " " + n + " y", null, -1);
        n++;
      }
    });

    const counts: number[] = [];
    for (let i = 0; i < nclient; i++) counts.push(upto);

    const vx = await Get(cfg, ck, "k", null, -1);
    checkConcurrentAppends(vx, counts);

    cfg.end();
  }),

  // Submit a request in the minority partition and check that the requests doesn't go through
  // until the partition heals. The leader in the original network ends up in the minority
  // partition.
  defineTest("3A", "TestOnePartition3A", async (t) => {
    const nservers = 5;
    const cfg = makeConfig(t, nservers, false, -1);
    const ck = cfg.makeClient(cfg.all());

    await Put(cfg, ck, "1", "13", null, -1);

    cfg.begin("Test: progress in majority (3A)");

    const [p1, p2] = cfg.makePartition();
    cfg.partition(p1, p2);

    const ckp1 = cfg.makeClient(p1); // connect ckp1 to p1
    const ckp2a = cfg.makeClient(p2); // connect ckp2a to p2
    const ckp2b = cfg.makeClient(p2); // connect ckp2b to p2

    await Put(cfg, ckp1, "1", "14", null, -1);
    await check(cfg, ckp1, "1", "14");

    cfg.end();

    // Go's done0 and done1, as one channel for its select: each minority operation reports
    // which one completed.
    const done = new Channel<"done0" | "done1">(2, "done0/done1");

    cfg.begin("Test: no progress in minority (3A)");
    go(async () => {
      await Put(cfg, ckp2a, "1", "15", null, -1);
      await done.send("done0");
    });
    go(async () => {
      await Get(cfg, ckp2b, "1", null, -1); // different clerk in p2
      await done.send("done1");
    });

    const first = await done.recvWithin(1000);
    if (first === "done0") fail("Put in minority completed");
    if (first === "done1") fail("Get in minority completed");

    await check(cfg, ckp1, "1", "14");
    await Put(cfg, ckp1, "1", "16", null, -1);
    await check(cfg, ckp1, "1", "16");

    cfg.end();

    cfg.begin("Test: completion after heal (3A)");

    cfg.connectAll();
    cfg.connectClient(ckp2a, cfg.all());
    cfg.connectClient(ckp2b, cfg.all());

    await sleep(electionTimeout);

    // select { case <-done0: case <-time.After(30 * 100 * time.Millisecond): Fatal }
    const deadline = now() + 30 * 100;
    for (;;) {
      const left = deadline - now();
      const got = left > 0 ? await done.recvWithin(left) : TIMEOUT;
      if (got === TIMEOUT || got === undefined) fail("Put did not complete");
      if (got === "done0") break;
      // done1 (the Get finishing): Go's second select takes it with a default branch.
    }

    await check(cfg, ck, "1", "15");

    cfg.end();
  }),

  // Test: partitions, one client (3A) ... (its partitions drawn as a scenario: kv-nemesis.ts)
  partitionTest("3A", "TestManyPartitionsOneClient3A", { clients: 1, servers: 5, unreliable: false, crash: false, maxraftstate: -1, "random-keys": false }),

  // Test: partitions, many clients (3A) ... (its partitions drawn as a scenario: kv-nemesis.ts)
  partitionTest("3A", "TestManyPartitionsManyClients3A", { clients: 5, servers: 5, unreliable: false, crash: false, maxraftstate: -1, "random-keys": false }),

  defineTest("3A", "TestPersistOneClient3A", async (t) => {
    // Test: restarts, one client (3A) ...
    await genericTest(t, "3A", 1, 5, false, true, false, -1, false);
  }),

  defineTest("3A", "TestPersistConcurrent3A", async (t) => {
    // Test: restarts, many clients (3A) ...
    await genericTest(t, "3A", 5, 5, false, true, false, -1, false);
  }),

  defineTest("3A", "TestPersistConcurrentUnreliable3A", async (t) => {
    // Test: unreliable net, restarts, many clients (3A) ...
    await genericTest(t, "3A", 5, 5, true, true, false, -1, false);
  }),

  // Test: restarts, partitions, many clients (3A) ... (its partitions drawn as a scenario: kv-nemesis.ts)
  partitionTest("3A", "TestPersistPartition3A", { clients: 5, servers: 5, unreliable: false, crash: true, maxraftstate: -1, "random-keys": false }),

  // Test: unreliable net, restarts, partitions, many clients (3A) ... (its partitions drawn as a scenario: kv-nemesis.ts)
  partitionTest("3A", "TestPersistPartitionUnreliable3A", { clients: 5, servers: 5, unreliable: true, crash: true, maxraftstate: -1, "random-keys": false }),

  // Test: unreliable net, restarts, partitions, random keys, many clients (3A) ... (its partitions drawn as a scenario: kv-nemesis.ts)
  partitionTest("3A", "TestPersistPartitionUnreliableLinearizable3A", { clients: 15, servers: 7, unreliable: true, crash: true, maxraftstate: -1, "random-keys": true }),
];
