// Lab 2D (log compaction): the tests of 6.824's raft/test_test.go (2022), in its order, then
// TestSnapshotInit2D, which the 2023 file adds after them.
import { fail } from "../harness/failure.ts";
import type { LabTest } from "../registry.ts";
import { MAXLOGSIZE, SnapShotInterval, makeConfig } from "./config.ts";
import { defineTest, type TestContext } from "../harness/define-test.ts";

async function snapcommon(t: TestContext, name: string, disconnect: boolean, reliable: boolean, crash: boolean): Promise<void> {
  const iters = 30;
  const servers = 3;
  const cfg = makeConfig(t, servers, !reliable, true);

  cfg.begin(name);

  await cfg.one(cfg.randInt(), servers, true);
  let leader1 = await cfg.checkOneLeader();

  for (let i = 0; i < iters; i++) {
    let victim = (leader1 + 1) % servers;
    let sender = leader1;
    if (i % 3 === 1) {
      sender = (leader1 + 1) % servers;
      victim = leader1;
    }

    if (disconnect) {
      cfg.disconnect(victim);
      await cfg.one(cfg.randInt(), servers - 1, true);
    }
    if (crash) {
      cfg.crash1(victim);
      await cfg.one(cfg.randInt(), servers - 1, true);
    }

    // perhaps send enough to get a snapshot
    const nn = SnapShotInterval / 2 + cfg.rand.int(SnapShotInterval);
    for (let i = 0; i < nn; i++) cfg.startOn(sender, cfg.randInt());

    // let applier threads catch up with the Start()'s
    if (disconnect === false && crash === false) {
      // make sure all followers have caught up, so that an InstallSnapshot RPC isn't required
      // for TestSnapshotBasic2D().
      await cfg.one(cfg.randInt(), servers, true);
    } else {
      await cfg.one(cfg.randInt(), servers - 1, true);
    }

    const logSize = cfg.logSize();
    if (logSize >= MAXLOGSIZE) fail(`Log size too large: ${logSize} bytes of Raft state (MAXLOGSIZE ${MAXLOGSIZE})`);
    if (disconnect) {
      // reconnect a follower, who maybe behind and needs to receive a snapshot to catch up.
      cfg.connect(victim);
      await cfg.one(cfg.randInt(), servers, true);
      leader1 = await cfg.checkOneLeader();
    }
    if (crash) {
      cfg.start1(victim, "applierSnap");
      cfg.connect(victim);
      await cfg.one(cfg.randInt(), servers, true);
      leader1 = await cfg.checkOneLeader();
    }
  }
  cfg.end();
}

export const tests: LabTest[] = [
  defineTest("2D", "TestSnapshotBasic2D", (t) => snapcommon(t, "Test (2D): snapshots basic", false, true, false)),

  defineTest("2D", "TestSnapshotInstall2D", (t) =>
    snapcommon(t, "Test (2D): install snapshots (disconnect)", true, true, false),
  ),

  defineTest("2D", "TestSnapshotInstallUnreliable2D", (t) =>
    snapcommon(t, "Test (2D): install snapshots (disconnect+unreliable)", true, false, false),
  ),

  defineTest("2D", "TestSnapshotInstallCrash2D", (t) =>
    snapcommon(t, "Test (2D): install snapshots (crash)", false, true, true),
  ),

  defineTest("2D", "TestSnapshotInstallUnCrash2D", (t) =>
    snapcommon(t, "Test (2D): install snapshots (unreliable+crash)", false, false, true),
  ),

  // do the servers persist the snapshots, and restart using snapshot along with the tail of the
  // log?
  defineTest("2D", "TestSnapshotAllCrash2D", async (t) => {
    const servers = 3;
    const iters = 5;
    const cfg = makeConfig(t, servers, false, true);

    cfg.begin("Test (2D): crash and restart all servers");

    await cfg.one(cfg.randInt(), servers, true);

    for (let i = 0; i < iters; i++) {
      // perhaps enough to get a snapshot
      const nn = SnapShotInterval / 2 + cfg.rand.int(SnapShotInterval);
      for (let i = 0; i < nn; i++) await cfg.one(cfg.randInt(), servers, true);

      const index1 = await cfg.one(cfg.randInt(), servers, true);

      // crash all
      for (let i = 0; i < servers; i++) cfg.crash1(i);

      // revive all
      for (let i = 0; i < servers; i++) {
        cfg.start1(i, "applierSnap");
        cfg.connect(i);
      }

      const index2 = await cfg.one(cfg.randInt(), servers, true);
      if (index2 < index1 + 1) fail(`index decreased from ${index1} to ${index2}`);
    }
    cfg.end();
  }),

  // do servers correctly initialize their in-memory copy of the snapshot, making sure that future
  // writes to persistent state don't lose state?
  defineTest("2D", "TestSnapshotInit2D", async (t) => {
    const servers = 3;
    const cfg = makeConfig(t, servers, false, true);

    cfg.begin("Test (2D): snapshot initialization after crash");
    await cfg.one(cfg.randInt(), servers, true);

    // enough ops to make a snapshot
    const nn = SnapShotInterval + 1;
    for (let i = 0; i < nn; i++) await cfg.one(cfg.randInt(), servers, true);

    // crash all
    for (let i = 0; i < servers; i++) cfg.crash1(i);

    // revive all
    for (let i = 0; i < servers; i++) {
      cfg.start1(i, "applierSnap");
      cfg.connect(i);
    }

    // a single op, to get something to be written back to persistent storage.
    await cfg.one(cfg.randInt(), servers, true);

    // crash all
    for (let i = 0; i < servers; i++) cfg.crash1(i);

    // revive all
    for (let i = 0; i < servers; i++) {
      cfg.start1(i, "applierSnap");
      cfg.connect(i);
    }

    // do another op to trigger potential bug
    await cfg.one(cfg.randInt(), servers, true);
    cfg.end();
  }),
];
