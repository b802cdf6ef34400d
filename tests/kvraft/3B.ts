// Lab 3B (KV with snapshots): the tests of 6.824's kvraft/test_test.go, in its order.
// maxraftstate is 1000 throughout: the persisted Raft state must stay within 8 × 1000 bytes.
import { sleep } from "../../sim/index.ts";
import { fail } from "../harness/failure.ts";
import type { LabTest } from "../registry.ts";
import { defineTest } from "../harness/define-test.ts";
import { partitionTest } from "./kv-nemesis.ts";
import { makeConfig } from "./config.ts";
import { Put, check, electionTimeout, genericTest, genericTestSpeed } from "./generic-test.ts";

export const tests: LabTest[] = [
  defineTest("3B", "TestSnapshotRPC3B", async (t) => {
    const nservers = 3;
    const maxraftstate = 1000;
    const cfg = makeConfig(t, nservers, false, maxraftstate);

    const ck = cfg.makeClient(cfg.all());

    cfg.begin("Test: InstallSnapshot RPC (3B)");

    await Put(cfg, ck, "a", "A", null, -1);
    await check(cfg, ck, "a", "A");

    // a bunch of puts into the majority partition.
    cfg.partition([0, 1], [2]);
    {
      const ck1 = cfg.makeClient([0, 1]);
      for (let i = 0; i < 50; i++) await Put(cfg, ck1, String(i), String(i), null, -1);
      await sleep(electionTimeout);
      await Put(cfg, ck1, "b", "B", null, -1);
    }

    // check that the majority partition has thrown away most of its log entries.
    const sz = cfg.logSize();
    if (sz > 8 * maxraftstate) fail(`logs were not trimmed (${sz} > 8*${maxraftstate})`);

    // now make group that requires participation of lagging server, so that it has to catch up.
    cfg.partition([0, 2], [1]);
    {
      const ck1 = cfg.makeClient([0, 2]);
      await Put(cfg, ck1, "c", "C", null, -1);
      await Put(cfg, ck1, "d", "D", null, -1);
      await check(cfg, ck1, "a", "A");
      await check(cfg, ck1, "b", "B");
      await check(cfg, ck1, "1", "1");
      await check(cfg, ck1, "49", "49");
    }

    // now everybody
    cfg.partition([0, 1, 2], []);

    await Put(cfg, ck, "e", "E", null, -1);
    await check(cfg, ck, "c", "C");
    await check(cfg, ck, "e", "E");
    await check(cfg, ck, "1", "1");

    cfg.end();
  }),

  // are the snapshots not too huge? 500 bytes is a generous bound for the operations we're doing
  // here.
  defineTest("3B", "TestSnapshotSize3B", async (t) => {
    const nservers = 3;
    const maxraftstate = 1000;
    const maxsnapshotstate = 500;
    const cfg = makeConfig(t, nservers, false, maxraftstate);

    const ck = cfg.makeClient(cfg.all());

    cfg.begin("Test: snapshot size is reasonable (3B)");

    for (let i = 0; i < 200; i++) {
      await Put(cfg, ck, "x", "0", null, -1);
      await check(cfg, ck, "x", "0");
      await Put(cfg, ck, "x", "1", null, -1);
      await check(cfg, ck, "x", "1");
    }

    // check that servers have thrown away most of their log entries
    const sz = cfg.logSize();
    if (sz > 8 * maxraftstate) fail(`logs were not trimmed (${sz} > 8*${maxraftstate})`);

    // check that the snapshots are not unreasonably large
    const ssz = cfg.snapshotSize();
    if (ssz > maxsnapshotstate) fail(`snapshot too large (${ssz} > ${maxsnapshotstate})`);

    cfg.end();
  }),

  defineTest("3B", "TestSpeed3B", async (t) => {
    await genericTestSpeed(t, "3B", 1000);
  }),

  defineTest("3B", "TestSnapshotRecover3B", async (t) => {
    // Test: restarts, snapshots, one client (3B) ...
    await genericTest(t, "3B", 1, 5, false, true, false, 1000, false);
  }),

  defineTest("3B", "TestSnapshotRecoverManyClients3B", async (t) => {
    // Test: restarts, snapshots, many clients (3B) ...
    await genericTest(t, "3B", 20, 5, false, true, false, 1000, false);
  }),

  defineTest("3B", "TestSnapshotUnreliable3B", async (t) => {
    // Test: unreliable net, snapshots, many clients (3B) ...
    await genericTest(t, "3B", 5, 5, true, false, false, 1000, false);
  }),

  defineTest("3B", "TestSnapshotUnreliableRecover3B", async (t) => {
    // Test: unreliable net, restarts, snapshots, many clients (3B) ...
    await genericTest(t, "3B", 5, 5, true, true, false, 1000, false);
  }),

  // Test: unreliable net, restarts, partitions, snapshots, many clients (3B) ... (its partitions drawn as a scenario: kv-nemesis.ts)
  partitionTest("3B", "TestSnapshotUnreliableRecoverConcurrentPartition3B", { clients: 5, servers: 5, unreliable: true, crash: true, maxraftstate: 1000, "random-keys": false }),

  // Test: unreliable net, restarts, partitions, snapshots, random keys, many clients (3B) ... (its partitions drawn as a scenario: kv-nemesis.ts)
  partitionTest("3B", "TestSnapshotUnreliableRecoverConcurrentPartitionLinearizable3B", { clients: 15, servers: 7, unreliable: true, crash: true, maxraftstate: 1000, "random-keys": true }),
];
