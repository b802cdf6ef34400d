// Lab 4A (the shardmaster): the two tests of 6.824's shardctrler/test_test.go, TestBasic and
// TestMulti, with their eleven printed parts, then our own tests.
//
// Differences from Go, all deliberate:
//   - The minimal-transfer checks look at the groups that exist. Go's loops test gids 1..10, but
//     after the concurrent part the groups are 100..190 (TestBasic) or 1000..1009 (TestMulti), so
//     as written they never find anything to check. Here, after the Joins, no group that was there
//     before gains a shard (shards go only to the new groups) and no more shards move than an even
//     assignment needs; after the Leaves, no group that stays loses a shard. The messages are Go's.
//   - "Check Same config on servers" waits for a new leader by asking again each second (three
//     tries). Go's loop asks once and never again: it skips the wait when no server leads yet, and
//     fails with "Leader not found" when one already does.
//   - Go's TestBasic never saves cfa[3]: it stays a zero Config, which is config 0, and the
//     historical queries check it as such. Kept.
//   - Times are virtual: the 1 s waits and the 120 s limit run on the simulation's clock.
import { Channel, NotImplementedError, go, sleep } from "../../sim/index.ts";
import { NShards, type Config } from "../../shardmaster/common.ts";
import type { Clerk } from "../../shardmaster/client.ts";
import { fail } from "../harness/failure.ts";
import { defineTest } from "../harness/define-test.ts";
import { WaitGroup } from "../harness/waitgroup.ts";
import type { LabTest } from "../registry.ts";
import { fewestMoves, gidsIn, movedShards, shardCounts } from "./balance.ts";
import { makeConfig } from "./config.ts";

/** The tester allows a new leader one second (as kvraft's electionTimeout). */
const electionTimeout = 1000;

/** Query(-1) has exactly `groups`, every shard on one of them, and the shards evenly spread. */
async function check(groups: number[], ck: Clerk): Promise<void> {
  const c = await ck.query(-1);
  const present = gidsIn(c);
  if (present.length !== groups.length) fail(`wanted ${groups.length} groups, got ${present.length}`);

  // are the groups as expected?
  for (const g of groups) {
    if (!Object.hasOwn(c.groups, g)) fail(`missing group ${g}`);
  }

  // any un-allocated shards?
  if (groups.length > 0) {
    c.shards.forEach((g, s) => {
      if (!Object.hasOwn(c.groups, g)) fail(`shard ${s} -> invalid group ${g}`);
    });
  }

  // more or less balanced sharding?
  let min = 257;
  let max = 0;
  for (const count of shardCounts(c.shards, present).values()) {
    if (count > max) max = count;
    if (count < min) min = count;
  }
  if (max > min + 1) fail(`max ${max} too much larger than min ${min}`);
}

function checkSameConfig(c1: Config, c2: Config): void {
  if (c1.num !== c2.num) fail("Num wrong");
  if (c1.shards.length !== c2.shards.length || c1.shards.some((g, s) => c2.shards[s] !== g)) fail("Shards wrong");
  if (gidsIn(c1).length !== gidsIn(c2).length) fail("number of Groups is wrong");
  for (const gid of gidsIn(c1)) {
    const sa = c1.groups[gid]!;
    const sa1 = c2.groups[gid];
    if (sa1 === undefined || sa1.length !== sa.length) fail("len(Groups) wrong");
    for (let j = 0; j < sa.length; j++) {
      if (sa[j] !== sa1[j]) fail("Groups wrong");
    }
  }
}

/** Group `gid` of `c` has exactly the servers `want`, in order. */
function checkServers(c: Config, gid: number, want: string[]): void {
  const sa = c.groups[gid] ?? [];
  if (sa.length !== want.length || sa.some((name, i) => name !== want[i])) {
    fail(`wrong servers for gid ${gid}: [${sa.join(" ")}]`);
  }
}

/**
 * After Joins (c1 → c2): shards move only to the new groups — no group of c1 gains a shard (Go's
 * check, over c1's groups instead of gids 1..10) — and no more of them than an even assignment
 * needs (a group gives up shards only while it has more than its share).
 */
function checkJoinTransfers(c1: Config, c2: Config): void {
  for (const i of gidsIn(c1)) {
    for (let j = 0; j < c1.shards.length; j++) {
      if (c2.shards[j] === i) {
        if (c1.shards[j] !== i) fail("non-minimal transfer after Join()s");
      }
    }
  }
  if (movedShards(c1.shards, c2.shards) > fewestMoves(c1.shards, gidsIn(c2))) fail("non-minimal transfer after Join()s");
}

/** After Leaves (c2 → c3): only the leaving groups' shards move — every group of c3 keeps what it had in c2. */
function checkLeaveTransfers(c2: Config, c3: Config): void {
  for (const i of gidsIn(c3)) {
    for (let j = 0; j < c2.shards.length; j++) {
      if (c2.shards[j] === i) {
        if (c3.shards[j] !== i) fail("non-minimal transfer after Leave()s");
      }
    }
  }
}

/** Go's zero Config: what a slot of `cfa` holds until the test saves a configuration there. */
function zeroConfig(): Config {
  return { num: 0, shards: new Array<number>(NShards).fill(0), groups: {} };
}

/** Runs body(0) … body(n-1) as concurrent tester tasks and waits for all of them. */
async function inParallel(n: number, body: (i: number) => Promise<void>): Promise<void> {
  const wg = new WaitGroup();
  for (let i = 0; i < n; i++) {
    wg.add();
    go(async () => {
      await body(i);
      wg.done();
    });
  }
  await wg.wait();
}

/** Runs a Join or Leave that nothing else in the test can make impossible: a rejection here means a retry took effect twice. */
async function accepted(what: string, call: () => Promise<void>): Promise<void> {
  try {
    await call();
  } catch (err) {
    if (err instanceof NotImplementedError) throw err; // a skeleton's stub: let it say what is missing
    fail(
      `${what} was rejected, though no other clerk touches that group: ${(err as Error).message} ` +
        `A clerk retries when a reply is lost; did the retry take effect a second time?`,
    );
  }
}

/** Query(-1) is configuration `changes`: each Join, Leave and Move so far made exactly one. */
async function checkConfigCount(ck: Clerk, changes: number): Promise<void> {
  const c = await ck.query(-1);
  if (c.num !== changes) {
    fail(`wanted configuration ${changes} after ${changes} Joins, Leaves and Moves, got ${c.num}: each must make exactly one (a retried request must not take effect twice)`);
  }
}

export const tests: LabTest[] = [
  defineTest("4A", "TestBasic", async (t) => {
    const nservers = 3;
    const cfg = makeConfig(t, nservers, false);

    const ck = cfg.makeClient(cfg.all());

    t.print("Test: Basic leave/join ...");

    const cfa: Config[] = Array.from({ length: 6 }, zeroConfig);
    cfa[0] = await ck.query(-1);

    await check([], ck);

    const gid1 = 1;
    await ck.join({ [gid1]: ["x", "y", "z"] });
    await check([gid1], ck);
    cfa[1] = await ck.query(-1);

    const gid2 = 2;
    await ck.join({ [gid2]: ["a", "b", "c"] });
    await check([gid1, gid2], ck);
    cfa[2] = await ck.query(-1);

    const cfx = await ck.query(-1);
    checkServers(cfx, gid1, ["x", "y", "z"]);
    checkServers(cfx, gid2, ["a", "b", "c"]);

    await ck.leave([gid1]);
    await check([gid2], ck);
    cfa[4] = await ck.query(-1);

    await ck.leave([gid2]);
    cfa[5] = await ck.query(-1);

    t.print("  ... Passed");

    t.print("Test: Historical queries ...");

    for (let s = 0; s < nservers; s++) {
      cfg.shutdownServer(s);
      for (let i = 0; i < cfa.length; i++) {
        const c = await ck.query(cfa[i]!.num);
        checkSameConfig(c, cfa[i]!);
      }
      cfg.startServer(s);
      cfg.connectAll();
    }

    t.print("  ... Passed");

    t.print("Test: Move ...");
    {
      const gid3 = 503;
      await ck.join({ [gid3]: ["3a", "3b", "3c"] });
      const gid4 = 504;
      await ck.join({ [gid4]: ["4a", "4b", "4c"] });
      for (let i = 0; i < NShards; i++) {
        const cf = await ck.query(-1);
        const gid = i < NShards / 2 ? gid3 : gid4;
        await ck.move(i, gid);
        if (cf.shards[i] !== gid) {
          const cf1 = await ck.query(-1);
          if (cf1.num <= cf.num) fail("Move should increase Config.Num");
        }
      }
      const cf2 = await ck.query(-1);
      for (let i = 0; i < NShards; i++) {
        const gid = i < NShards / 2 ? gid3 : gid4;
        if (cf2.shards[i] !== gid) fail(`expected shard ${i} on gid ${gid} actually ${cf2.shards[i]}`);
      }
      await ck.leave([gid3]);
      await ck.leave([gid4]);
    }
    t.print("  ... Passed");

    t.print("Test: Concurrent leave/join ...");

    const npara = 10;
    const cka: Clerk[] = [];
    for (let i = 0; i < npara; i++) cka.push(cfg.makeClient(cfg.all()));
    const gids: number[] = new Array<number>(npara).fill(0);
    const ch = new Channel<boolean>(0, "ch");
    for (let xi = 0; xi < npara; xi++) {
      gids[xi] = xi * 10 + 100;
      const i = xi;
      go(async () => {
        const gid = gids[i]!;
        const sid1 = `s${gid}a`;
        const sid2 = `s${gid}b`;
        await cka[i]!.join({ [gid + 1000]: [sid1] });
        await cka[i]!.join({ [gid]: [sid2] });
        await cka[i]!.leave([gid + 1000]);
        await ch.send(true);
      });
    }
    for (let i = 0; i < npara; i++) await ch.recv();
    await check(gids, ck);

    t.print("  ... Passed");

    t.print("Test: Minimal transfers after joins ...");

    const c1 = await ck.query(-1);
    for (let i = 0; i < 5; i++) {
      const gid = npara + 1 + i;
      await ck.join({ [gid]: [`${gid}a`, `${gid}b`, `${gid}b`] });
    }
    const c2 = await ck.query(-1);
    checkJoinTransfers(c1, c2);

    t.print("  ... Passed");

    t.print("Test: Minimal transfers after leaves ...");

    for (let i = 0; i < 5; i++) await ck.leave([npara + 1 + i]);
    const c3 = await ck.query(-1);
    checkLeaveTransfers(c2, c3);

    t.print("  ... Passed");
  }),

  defineTest("4A", "TestMulti", async (t) => {
    const nservers = 3;
    const cfg = makeConfig(t, nservers, false);

    const ck = cfg.makeClient(cfg.all());

    t.print("Test: Multi-group join/leave ...");

    // Go saves these as in TestBasic but never reads them here.
    const cfa: Config[] = Array.from({ length: 6 }, zeroConfig);
    cfa[0] = await ck.query(-1);

    await check([], ck);

    const gid1 = 1;
    const gid2 = 2;
    await ck.join({
      [gid1]: ["x", "y", "z"],
      [gid2]: ["a", "b", "c"],
    });
    await check([gid1, gid2], ck);
    cfa[1] = await ck.query(-1);

    const gid3 = 3;
    await ck.join({ [gid3]: ["j", "k", "l"] });
    await check([gid1, gid2, gid3], ck);
    cfa[2] = await ck.query(-1);

    let cfx = await ck.query(-1);
    checkServers(cfx, gid1, ["x", "y", "z"]);
    checkServers(cfx, gid2, ["a", "b", "c"]);
    checkServers(cfx, gid3, ["j", "k", "l"]);

    await ck.leave([gid1, gid3]);
    await check([gid2], ck);
    cfa[3] = await ck.query(-1);

    cfx = await ck.query(-1);
    checkServers(cfx, gid2, ["a", "b", "c"]);

    await ck.leave([gid2]);

    t.print("  ... Passed");

    t.print("Test: Concurrent multi leave/join ...");

    const npara = 10;
    const cka: Clerk[] = [];
    for (let i = 0; i < npara; i++) cka.push(cfg.makeClient(cfg.all()));
    const gids: number[] = new Array<number>(npara).fill(0);
    const wg = new WaitGroup();
    for (let xi = 0; xi < npara; xi++) {
      wg.add(1);
      gids[xi] = xi + 1000;
      const i = xi;
      go(async () => {
        const gid = gids[i]!;
        await cka[i]!.join({
          [gid]: [`${gid}a`, `${gid}b`, `${gid}c`],
          [gid + 1000]: [`${gid + 1000}a`],
          [gid + 2000]: [`${gid + 2000}a`],
        });
        await cka[i]!.leave([gid + 1000, gid + 2000]);
        wg.done();
      });
    }
    await wg.wait();
    await check(gids, ck);

    t.print("  ... Passed");

    t.print("Test: Minimal transfers after multijoins ...");

    let c1 = await ck.query(-1);
    const m: Record<number, string[]> = {};
    for (let i = 0; i < 5; i++) {
      const gid = npara + 1 + i;
      m[gid] = [`${gid}a`, `${gid}b`];
    }
    await ck.join(m);
    const c2 = await ck.query(-1);
    checkJoinTransfers(c1, c2);

    t.print("  ... Passed");

    t.print("Test: Minimal transfers after multileaves ...");

    const l: number[] = [];
    for (let i = 0; i < 5; i++) l.push(npara + 1 + i);
    await ck.leave(l);
    const c3 = await ck.query(-1);
    checkLeaveTransfers(c2, c3);

    t.print("  ... Passed");

    t.print("Test: Check Same config on servers ...");

    let [isLeader, leader] = cfg.leader();
    if (!isLeader) fail("Leader not found");
    const c = await ck.query(-1); // Config leader claims

    cfg.shutdownServer(leader);

    // Wait for one of the others to lead, asking again each time round (Go asks only once).
    let attempts = 0;
    for ([isLeader, leader] = cfg.leader(); !isLeader; [isLeader, leader] = cfg.leader()) {
      if (++attempts >= 3) fail("Leader not found");
      await sleep(1000);
    }

    c1 = await ck.query(-1);
    checkSameConfig(c, c1);

    t.print("  ... Passed");
  }),

  // --- our own tests -----------------------------------------------------------------------------

  // Duplicate detection, which Go's shardctrler tests never exercise (lab 4B's unreliable tests
  // need it): on an unreliable network clerks retry requests whose replies were lost, and each
  // Join, Leave and Move must still make exactly one configuration.
  defineTest("4A", "TestUnreliable4A", async (t) => {
    const cfg = makeConfig(t, 3, true);
    const ck = cfg.makeClient(cfg.all());

    t.print("Test: unreliable net, concurrent Join/Move/Leave, each takes effect once (4A) ...");

    const nclerks = 5;
    const nmoves = 10;
    const gids = Array.from({ length: nclerks }, (_, i) => i + 1);
    const cka = gids.map(() => cfg.makeClient(cfg.all()));

    // Each clerk joins its own group.
    await inParallel(nclerks, (i) => accepted(`Join(${gids[i]})`, () => cka[i]!.join({ [gids[i]!]: [`s${gids[i]}`] })));
    await check(gids, ck);
    await checkConfigCount(ck, nclerks);

    // Each clerk moves its own two shards from group to group, and sees every Move in Query(-1).
    await inParallel(nclerks, async (i) => {
      for (let m = 0; m < nmoves; m++) {
        const shard = 2 * i + (m % 2);
        const gid = gids[(i + m) % nclerks]!;
        await cka[i]!.move(shard, gid);
        const c = await cka[i]!.query(-1);
        if (c.shards[shard] !== gid) {
          fail(`Query(-1) after Move(${shard}, ${gid}) has shard ${shard} on gid ${c.shards[shard]}: it must reflect every completed Move`);
        }
      }
    });
    await checkConfigCount(ck, nclerks + nclerks * nmoves);

    // Every group but the first leaves.
    await inParallel(nclerks - 1, (i) => accepted(`Leave(${gids[i + 1]})`, () => cka[i + 1]!.leave([gids[i + 1]!])));
    await check([gids[0]!], ck);
    await checkConfigCount(ck, nclerks + nclerks * nmoves + nclerks - 1);

    t.print("  ... Passed");
  }),

  // Query goes through the log too: a leader cut off in a minority must not answer Query(-1) (it
  // may not know the latest configuration), and the requests sent there complete after the heal.
  defineTest("4A", "TestOnePartition4A", async (t) => {
    const nservers = 3;
    const cfg = makeConfig(t, nservers, false);
    const ck = cfg.makeClient(cfg.all());

    await ck.join({ 1: ["x"] });

    t.print("Test: progress in majority (4A) ...");

    const [p1, p2] = cfg.makePartition();
    cfg.partition(p1, p2);

    const ckp1 = cfg.makeClient(p1); // connect ckp1 to p1
    const ckp2a = cfg.makeClient(p2); // connect ckp2a to p2
    const ckp2b = cfg.makeClient(p2); // connect ckp2b to p2

    await ckp1.join({ 2: ["y"] });
    await check([1, 2], ckp1);

    t.print("  ... Passed");

    t.print("Test: no progress in minority (4A) ...");

    const done = new Channel<"join" | "query">(2, "done");
    let minorityView: Config | undefined;
    go(async () => {
      await ckp2a.join({ 3: ["z"] });
      await done.send("join");
    });
    go(async () => {
      minorityView = await ckp2b.query(-1); // different clerk in p2
      await done.send("query");
    });

    const first = await done.recvWithin(1000);
    if (first === "join") fail("Join in minority completed");
    if (first === "query") fail(`Query(-1) in minority completed, with configuration ${minorityView?.num} (the majority has made 2)`);

    await ckp1.leave([1]);
    await check([2], ckp1);

    t.print("  ... Passed");

    t.print("Test: completion after heal (4A) ...");

    cfg.connectAll();
    cfg.connectClient(ckp2a, cfg.all());
    cfg.connectClient(ckp2b, cfg.all());

    await sleep(electionTimeout);

    for (let waiting = 2; waiting > 0; waiting--) {
      const got = await done.recvWithin(30 * 100);
      if (got !== "join" && got !== "query") fail("a request sent to the minority did not complete after the heal");
    }
    if (minorityView === undefined || !Object.hasOwn(minorityView.groups, 2)) {
      fail(`Query(-1) sent to the minority returned configuration ${minorityView?.num}, without group 2, whose Join had completed before the Query was sent`);
    }
    await check([2, 3], ck);

    t.print("  ... Passed");
  }),

  // The requests the shardmaster rejects (labs/lab4-sharding.md): each fails at the clerk with the
  // shardmaster's sentence and makes no configuration. On an unreliable network, so that some
  // rejections are answered to a retry: the retry must be rejected too.
  defineTest("4A", "TestBadInput4A", async (t) => {
    const cfg = makeConfig(t, 3, true);
    const ck = cfg.makeClient(cfg.all());

    t.print("Test: rejected requests, unreliable net (4A) ...");

    await ck.join({ 1: ["x"] });

    const bad: [what: string, call: () => Promise<unknown>, reason: string][] = [
      ["Join of gid 0", () => ck.join({ 0: ["y"] }), "Join: gid 0 is not a valid group id"],
      ["Join of gid -3", () => ck.join({ [-3]: ["y"] }), "Join: gid -3 is not a valid group id"],
      ["Join of gid 1, already a group", () => ck.join({ 1: ["y"] }), "Join: gid 1 is already a group of configuration 1"],
      ["Join of no group", () => ck.join({}), "Join: at least one group is needed"],
      ["Join of a group without servers", () => ck.join({ 2: [] }), "Join: group 2's servers must be a non-empty list"],
      ["Leave of gid 7, not a group", () => ck.leave([7]), "Leave: gid 7 is not a group of configuration 1."],
      ["Leave of no gid", () => ck.leave([]), "Leave: at least one gid is needed"],
      ["Move of shard 10", () => ck.move(NShards, 1), `Move: shard ${NShards} does not exist`],
      ["Move of shard -1", () => ck.move(-1, 1), "Move: shard -1 does not exist"],
      ["Move to gid 7, not a group", () => ck.move(0, 7), "Move: gid 7 is not a group of configuration 1."],
      ["Move to gid 0", () => ck.move(0, 0), "Move: gid 0 is not a group of configuration 1."],
      ["Query(-2)", () => ck.query(-2), "Query: num must be a configuration number or -1"],
    ];
    for (let round = 0; round < 4; round++) {
      for (const [what, call, reason] of bad) {
        let error: unknown;
        try {
          await call();
        } catch (err) {
          if (err instanceof NotImplementedError) throw err;
          error = err;
        }
        if (error === undefined) fail(`${what} succeeded; the shardmaster must reject it ("${reason}…"), and a retry of it too`);
        const message = error instanceof Error ? error.message : String(error);
        if (!message.includes(reason)) fail(`${what} failed with "${message}", not with the rejection "${reason}…"`);
        const c = await ck.query(-1);
        if (c.num !== 1) fail(`${what} was rejected, but there is a configuration ${c.num} now: a rejected request makes none`);
      }
    }

    // The shardmaster still works.
    await ck.join({ 2: ["y"] });
    await check([1, 2], ck);

    t.print("  ... Passed");
  }),
];
