// Lab 2B (log replication): the tests of 6.824's raft/test_test.go, in its order, with the two
// tests 2022 shipped disabled (For2023TestFollowerFailure2B, For2023TestLeaderFailure2B) enabled
// under their 2023 names, where the 2023 file puts them: after TestRPCBytes2B.
import { go, sleep } from "../../sim/index.ts";
import { fail } from "../harness/failure.ts";
import type { LabTest } from "../registry.ts";
import { RaftElectionTimeout, makeConfig } from "./config.ts";
import { defineTest } from "../harness/define-test.ts";
import { WaitGroup } from "../harness/waitgroup.ts";

const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);

export const tests: LabTest[] = [
  defineTest("2B", "TestBasicAgree2B", async (t) => {
    const servers = 3;
    const cfg = makeConfig(t, servers, false, false);

    cfg.begin("Test (2B): basic agreement");

    const iters = 3;
    for (let index = 1; index < iters + 1; index++) {
      const [nd] = cfg.nCommitted(index);
      if (nd > 0) fail("some have committed before Start()");

      const xindex = await cfg.one(index * 100, servers, false);
      if (xindex !== index) fail(`got index ${xindex} but expected ${index}`);
    }

    cfg.end();
  }),

  // check, based on counting bytes of RPCs, that each command is sent to each peer just once.
  defineTest("2B", "TestRPCBytes2B", async (t) => {
    const servers = 3;
    const cfg = makeConfig(t, servers, false, false);

    cfg.begin("Test (2B): RPC byte count");

    await cfg.one(99, servers, false);
    const bytes0 = cfg.bytesTotal();

    const iters = 10;
    let sent = 0;
    for (let index = 2; index < iters + 2; index++) {
      const cmd = cfg.rand.string(5000);
      const xindex = await cfg.one(cmd, servers, false);
      if (xindex !== index) fail(`got index ${xindex} but expected ${index}`);
      sent += cmd.length;
    }

    const bytes1 = cfg.bytesTotal();
    const got = bytes1 - bytes0;
    const expected = servers * sent;
    if (got > expected + 50000) fail(`too many RPC bytes; got ${got}, expected ${expected}`);

    cfg.end();
  }),

  // test just failure of followers. (2022: For2023TestFollowerFailure2B, disabled.)
  defineTest("2B", "TestFollowerFailure2B", async (t) => {
    const servers = 3;
    const cfg = makeConfig(t, servers, false, false);

    cfg.begin("Test (2B): test progressive failure of followers");

    await cfg.one(101, servers, false);

    // disconnect one follower from the network.
    const leader1 = await cfg.checkOneLeader();
    cfg.disconnect((leader1 + 1) % servers);

    // the leader and remaining follower should be able to agree despite the disconnected
    // follower.
    await cfg.one(102, servers - 1, false);
    await sleep(RaftElectionTimeout);
    await cfg.one(103, servers - 1, false);

    // disconnect the remaining follower
    const leader2 = await cfg.checkOneLeader();
    cfg.disconnect((leader2 + 1) % servers);
    cfg.disconnect((leader2 + 2) % servers);

    // submit a command.
    const { index, isLeader: ok } = cfg.startOn(leader2, 104);
    if (ok !== true) fail("leader rejected Start()");
    if (index !== 4) fail(`expected index 4, got ${index}`);

    await sleep(2 * RaftElectionTimeout);

    // check that command 104 did not commit.
    const [n] = cfg.nCommitted(index);
    if (n > 0) fail(`${n} committed but no majority`);

    cfg.end();
  }),

  // test just failure of leaders. (2022: For2023TestLeaderFailure2B, disabled.)
  defineTest("2B", "TestLeaderFailure2B", async (t) => {
    const servers = 3;
    const cfg = makeConfig(t, servers, false, false);

    cfg.begin("Test (2B): test failure of leaders");

    await cfg.one(101, servers, false);

    // disconnect the first leader.
    const leader1 = await cfg.checkOneLeader();
    cfg.disconnect(leader1);

    // the remaining followers should elect a new leader.
    await cfg.one(102, servers - 1, false);
    await sleep(RaftElectionTimeout);
    await cfg.one(103, servers - 1, false);

    // disconnect the new leader.
    const leader2 = await cfg.checkOneLeader();
    cfg.disconnect(leader2);

    // submit a command to each server.
    for (let i = 0; i < servers; i++) cfg.startOn(i, 104);

    await sleep(2 * RaftElectionTimeout);

    // check that command 104 did not commit.
    const [n] = cfg.nCommitted(4);
    if (n > 0) fail(`${n} committed but no majority`);

    cfg.end();
  }),

  // test that a follower participates after disconnect and re-connect.
  defineTest("2B", "TestFailAgree2B", async (t) => {
    const servers = 3;
    const cfg = makeConfig(t, servers, false, false);

    cfg.begin("Test (2B): agreement after follower reconnects");

    await cfg.one(101, servers, false);

    // disconnect one follower from the network.
    const leader = await cfg.checkOneLeader();
    cfg.disconnect((leader + 1) % servers);

    // the leader and remaining follower should be able to agree despite the disconnected
    // follower.
    await cfg.one(102, servers - 1, false);
    await cfg.one(103, servers - 1, false);
    await sleep(RaftElectionTimeout);
    await cfg.one(104, servers - 1, false);
    await cfg.one(105, servers - 1, false);

    // re-connect
    cfg.connect((leader + 1) % servers);

    // the full set of servers should preserve previous agreements, and be able to agree on new
    // commands.
    await cfg.one(106, servers, true);
    await sleep(RaftElectionTimeout);
    await cfg.one(107, servers, true);

    cfg.end();
  }),

  defineTest("2B", "TestFailNoAgree2B", async (t) => {
    const servers = 5;
    const cfg = makeConfig(t, servers, false, false);

    cfg.begin("Test (2B): no agreement if too many followers disconnect");

    await cfg.one(10, servers, false);

    // 3 of 5 followers disconnect
    const leader = await cfg.checkOneLeader();
    cfg.disconnect((leader + 1) % servers);
    cfg.disconnect((leader + 2) % servers);
    cfg.disconnect((leader + 3) % servers);

    const { index, isLeader: ok } = cfg.startOn(leader, 20);
    if (ok !== true) fail("leader rejected Start()");
    if (index !== 2) fail(`expected index 2, got ${index}`);

    await sleep(2 * RaftElectionTimeout);

    const [n] = cfg.nCommitted(index);
    if (n > 0) fail(`${n} committed but no majority`);

    // repair
    cfg.connect((leader + 1) % servers);
    cfg.connect((leader + 2) % servers);
    cfg.connect((leader + 3) % servers);

    // the disconnected majority may have chosen a leader from among their own ranks, forgetting
    // index 2.
    const leader2 = await cfg.checkOneLeader();
    const { index: index2, isLeader: ok2 } = cfg.startOn(leader2, 30);
    if (ok2 === false) fail("leader2 rejected Start()");
    if (index2 < 2 || index2 > 3) fail(`unexpected index ${index2}`);

    await cfg.one(1000, servers, true);

    cfg.end();
  }),

  defineTest("2B", "TestConcurrentStarts2B", async (t) => {
    const servers = 3;
    const cfg = makeConfig(t, servers, false, false);

    cfg.begin("Test (2B): concurrent Start()s");

    let success = false;
    loop: for (let attempt = 0; attempt < 5; attempt++) {
      if (attempt > 0) {
        // give solution some time to settle
        await sleep(3000);
      }

      const leader = await cfg.checkOneLeader();
      const { term, isLeader: ok } = cfg.startOn(leader, 1);
      if (!ok) {
        // leader moved on really quickly
        continue;
      }

      const iters = 5;
      const wg = new WaitGroup();
      const is: number[] = [];
      for (let ii = 0; ii < iters; ii++) {
        wg.add(1);
        go(() => {
          try {
            // (Go calls cfg.rafts[leader].Start; the leader is connected and alive.)
            const { index: i, term: term1, isLeader: ok1 } = cfg.startOn(leader, 100 + ii);
            if (term1 !== term) return;
            if (ok1 !== true) return;
            is.push(i);
          } finally {
            wg.done();
          }
        });
      }

      await wg.wait();

      for (let j = 0; j < servers; j++) {
        if (cfg.getState(j).term !== term) {
          // Term changed -- can't expect low RPC counts
          continue loop;
        }
      }

      let failed = false;
      const cmds: number[] = [];
      for (const index of is) {
        const cmd = await cfg.wait(index, servers, term);
        if (isInt(cmd)) {
          if (cmd === -1) {
            // peers have moved on to later terms so we can't expect all Start()s to have
            // succeeded
            failed = true;
            break;
          }
          cmds.push(cmd);
        } else {
          fail(`value ${String(cmd)} is not an int`);
        }
      }

      if (failed) continue;

      for (let ii = 0; ii < iters; ii++) {
        const x = 100 + ii;
        if (!cmds.includes(x)) fail(`cmd ${x} missing in [${cmds.join(" ")}]`);
      }

      success = true;
      break;
    }

    if (!success) fail("Term changed too often");

    cfg.end();
  }),

  defineTest("2B", "TestRejoin2B", async (t) => {
    const servers = 3;
    const cfg = makeConfig(t, servers, false, false);

    cfg.begin("Test (2B): rejoin of partitioned leader");

    await cfg.one(101, servers, true);

    // leader network failure
    const leader1 = await cfg.checkOneLeader();
    cfg.disconnect(leader1);

    // make old leader try to agree on some entries
    cfg.startOn(leader1, 102);
    cfg.startOn(leader1, 103);
    cfg.startOn(leader1, 104);

    // new leader commits, also for index=2
    await cfg.one(103, 2, true);

    // new leader network failure
    const leader2 = await cfg.checkOneLeader();
    cfg.disconnect(leader2);

    // old leader connected again
    cfg.connect(leader1);

    await cfg.one(104, 2, true);

    // all together now
    cfg.connect(leader2);

    await cfg.one(105, servers, true);

    cfg.end();
  }),

  defineTest("2B", "TestBackup2B", async (t) => {
    const servers = 5;
    const cfg = makeConfig(t, servers, false, false);

    cfg.begin("Test (2B): leader backs up quickly over incorrect follower logs");

    await cfg.one(cfg.randInt(), servers, true);

    // put leader and one follower in a partition
    const leader1 = await cfg.checkOneLeader();
    cfg.disconnect((leader1 + 2) % servers);
    cfg.disconnect((leader1 + 3) % servers);
    cfg.disconnect((leader1 + 4) % servers);

    // submit lots of commands that won't commit
    for (let i = 0; i < 50; i++) cfg.startOn(leader1, cfg.randInt());

    await sleep(RaftElectionTimeout / 2);

    cfg.disconnect((leader1 + 0) % servers);
    cfg.disconnect((leader1 + 1) % servers);

    // allow other partition to recover
    cfg.connect((leader1 + 2) % servers);
    cfg.connect((leader1 + 3) % servers);
    cfg.connect((leader1 + 4) % servers);

    // lots of successful commands to new group.
    for (let i = 0; i < 50; i++) await cfg.one(cfg.randInt(), 3, true);

    // now another partitioned leader and one follower
    const leader2 = await cfg.checkOneLeader();
    let other = (leader1 + 2) % servers;
    if (leader2 === other) other = (leader2 + 1) % servers;
    cfg.disconnect(other);

    // lots more commands that won't commit
    for (let i = 0; i < 50; i++) cfg.startOn(leader2, cfg.randInt());

    await sleep(RaftElectionTimeout / 2);

    // bring original leader back to life,
    for (let i = 0; i < servers; i++) cfg.disconnect(i);
    cfg.connect((leader1 + 0) % servers);
    cfg.connect((leader1 + 1) % servers);
    cfg.connect(other);

    // lots of successful commands to new group.
    for (let i = 0; i < 50; i++) await cfg.one(cfg.randInt(), 3, true);

    // now everyone
    for (let i = 0; i < servers; i++) cfg.connect(i);
    await cfg.one(cfg.randInt(), servers, true);

    cfg.end();
  }),

  defineTest("2B", "TestCount2B", async (t) => {
    const servers = 3;
    const cfg = makeConfig(t, servers, false, false);

    cfg.begin("Test (2B): RPC counts aren't too high");

    const rpcs = (): number => {
      let n = 0;
      for (let j = 0; j < servers; j++) n += cfg.rpcCount(j);
      return n;
    };

    let leader = await cfg.checkOneLeader();

    let total1 = rpcs();

    if (total1 > 30 || total1 < 1) fail(`too many or few RPCs (${total1}) to elect initial leader`);

    let total2 = 0;
    let success = false;
    loop: for (let attempt = 0; attempt < 5; attempt++) {
      if (attempt > 0) {
        // give solution some time to settle
        await sleep(3000);
      }

      leader = await cfg.checkOneLeader();
      total1 = rpcs();

      const iters = 10;
      const { index: starti, term, isLeader: ok } = cfg.startOn(leader, 1);
      if (!ok) {
        // leader moved on really quickly
        continue;
      }
      const cmds: number[] = [];
      for (let i = 1; i < iters + 2; i++) {
        const x = cfg.rand.int(2 ** 31); // Go: int(rand.Int31())
        cmds.push(x);
        const { index: index1, term: term1, isLeader: ok1 } = cfg.startOn(leader, x);
        if (term1 !== term) {
          // Term changed while starting
          continue loop;
        }
        if (!ok1) {
          // No longer the leader, so Term has changed
          continue loop;
        }
        if (starti + i !== index1) fail("Start() failed");
      }

      for (let i = 1; i < iters + 1; i++) {
        const cmd = await cfg.wait(starti + i, servers, term);
        if (!isInt(cmd) || cmd !== cmds[i - 1]) {
          if (cmd === -1) {
            // Term changed -- try again
            continue loop;
          }
          fail(`wrong value ${String(cmd)} committed for index ${starti + i}; expected [${cmds.join(" ")}]`);
        }
      }

      let failed = false;
      total2 = 0;
      for (let j = 0; j < servers; j++) {
        if (cfg.getState(j).term !== term) {
          // Term changed -- can't expect low RPC counts; need to keep going to update total2
          failed = true;
        }
        total2 += cfg.rpcCount(j);
      }

      if (failed) continue;

      if (total2 - total1 > (iters + 1 + 3) * 3) fail(`too many RPCs (${total2 - total1}) for ${iters} entries`);

      success = true;
      break;
    }

    if (!success) fail("Term changed too often");

    await sleep(RaftElectionTimeout);

    let total3 = 0;
    for (let j = 0; j < servers; j++) total3 += cfg.rpcCount(j);

    if (total3 - total2 > 3 * 20) fail(`too many RPCs (${total3 - total2}) for 1 second of idleness`);

    cfg.end();
  }),
];
