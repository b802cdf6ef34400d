// The 4A grader can fail: each broken ShardMaster below fails the test whose check is meant for
// its bug, with that check's message, and the reference passes the same test with the same seed.
//   1. A rebalancer that is not minimal (it deals every shard out afresh) fails TestBasic's
//      "Minimal transfers after joins". Go's literal check (gids 1..10) would let it pass.
//   2. An uneven rebalancer (⌈NShards/g⌉ shards per group until they run out) fails TestMulti's
//      balance check.
//   3. A rebalancer whose tie-breaking order differs by replica fails TestMulti's "Check Same
//      config on servers".
//   4. A ShardMaster without duplicate detection fails TestUnreliable4A; one whose duplicate
//      detection answers every retry "OK", as lab 3's may, fails TestBadInput4A (a retried
//      rejected request must be rejected again).
//   5. A ShardMaster whose leader answers Query from its own configurations, without the log,
//      fails TestOnePartition4A.
//   6. Student code that throws, never yields, or replies with something that cannot cross the
//      network fails the run with the node, the virtual time, the seed and the replay command.
// Servers are broken through RunOptions.substitutes (startShardMaster). The rebalancer is a
// function the reference server imports, so cases 1–3 replace that module for this file
// (vi.mock) and choose the rebalancer per case.
import { afterEach, describe, expect, it, vi } from "vitest";
import { currentNode } from "../../sim/index.ts";
import { NShards, type Config, type QueryArgs, type QueryReply, type Reply } from "../../shardmaster/common.ts";
import { ShardMaster, startServer } from "../../shardmaster/server.ts";
import type { StartShardMaster } from "./substitute.ts";
import type { LabTest, RunOptions } from "../registry.ts";
import { tests } from "./4A.ts";

type Rebalance = (shards: readonly number[], gids: readonly number[]) => number[];

const rebalancer = vi.hoisted(() => ({ reference: undefined as unknown as Rebalance, broken: undefined as Rebalance | undefined }));

vi.mock("../../shardmaster/rebalance.ts", async (importOriginal) => {
  const original = await importOriginal<{ rebalance: Rebalance }>();
  rebalancer.reference = original.rebalance;
  return { rebalance: (shards: readonly number[], gids: readonly number[]) => (rebalancer.broken ?? original.rebalance)(shards, gids) };
});

afterEach(() => {
  rebalancer.broken = undefined;
});

const SEED = 1;

function run(name: string, options: RunOptions = {}) {
  const test: LabTest | undefined = tests.find((t) => t.name === name);
  if (test === undefined) throw new Error(`4A has no test ${name}`);
  return test.run(SEED, options);
}

function sorted(gids: readonly number[]): number[] {
  return [...gids].sort((a, b) => a - b);
}

/** Deals shard s to the (s mod g)-th group: even and deterministic, but it moves shards needlessly. */
const dealtAfresh: Rebalance = (shards, gids) => shards.map((_, s) => (gids.length === 0 ? 0 : sorted(gids)[s % gids.length]!));

/** Gives each group ⌈NShards/g⌉ consecutive shards until they run out: 3 groups get 4, 4 and 2. */
const roundedUp: Rebalance = (shards, gids) =>
  shards.map((_, s) => (gids.length === 0 ? 0 : sorted(gids)[Math.floor(s / Math.ceil(NShards / gids.length))]!));

/**
 * The reference rebalancer, except that equally loaded groups are ranked in an order that depends
 * on the replica ("sm-1" rotates the sorted gids by one): even and minimal on every replica, but
 * the replicas' configurations differ.
 */
const tiesByReplica: Rebalance = (shards, gids) => {
  const me = Number(currentNode().name.replace(/^sm-/, ""));
  const rotated = sorted(gids).map((_, i, all) => all[(i + me) % all.length]!);
  const label = new Map(rotated.map((gid, i) => [gid, i + 1]));
  const relabelled = rebalancer.reference(
    shards.map((gid) => label.get(gid) ?? 0),
    rotated.map((_, i) => i + 1),
  );
  return relabelled.map((l) => (l === 0 ? 0 : rotated[l - 1]!));
};

/** The reference server, except that every request looks new: a retry is applied again. */
const noDuplicateDetection: StartShardMaster = (peers, me, persister) => {
  const sm = startServer(peers, me, persister);
  let deliveries = 0;
  const asNew = <A extends { clientId: number; seq: number }>(args: A): A => ({ ...args, clientId: -(me * 1e9 + ++deliveries), seq: 1 });
  return {
    rf: sm.rf,
    kill: () => sm.kill(),
    join: (args) => sm.join(asNew(args)),
    leave: (args) => sm.leave(asNew(args)),
    move: (args) => sm.move(asNew(args)),
    query: (args) => sm.query(args),
  };
};

/** The reference server, except that a retry it has answered before gets "OK", whatever the first answer was. */
const retriesAnsweredOk: StartShardMaster = (peers, me, persister) => {
  const sm = startServer(peers, me, persister);
  const answered = new Set<string>();
  const remembering =
    <A extends { clientId: number; seq: number }>(handler: (args: A) => Promise<Reply>) =>
    async (args: A): Promise<Reply> => {
      const id = `${args.clientId}/${args.seq}`;
      if (answered.has(id)) return { err: "OK", reason: "" };
      const reply = await handler(args);
      if (reply.err !== "ErrWrongLeader") answered.add(id);
      return reply;
    };
  return {
    rf: sm.rf,
    kill: () => sm.kill(),
    join: remembering((args) => sm.join(args)),
    leave: remembering((args) => sm.leave(args)),
    move: remembering((args) => sm.move(args)),
    query: (args) => sm.query(args),
  };
};

/** The reference server, except that a leader answers Query from its own list of configurations. */
class LocalQueryMaster extends ShardMaster {
  override async query(args: QueryArgs): Promise<QueryReply> {
    if (!this.rf.getState().isLeader) return { err: "ErrWrongLeader", reason: "", config: null };
    const { configs } = this as unknown as { configs: Config[] }; // the reference's own (private) list
    const config = args.num === -1 || args.num >= configs.length ? configs[configs.length - 1]! : configs[args.num]!;
    return { err: "OK", reason: "", config };
  }
}
const localQuery: StartShardMaster = (peers, me, persister) => new LocalQueryMaster(peers, me, persister);

/** The reference server with its Query handler replaced. */
function withQuery(query: (sm: ShardMaster, args: QueryArgs) => Promise<QueryReply>): StartShardMaster {
  return (peers, me, persister) => {
    const sm = startServer(peers, me, persister);
    return { rf: sm.rf, kill: () => sm.kill(), join: (a) => sm.join(a), leave: (a) => sm.leave(a), move: (a) => sm.move(a), query: (a) => query(sm, a) };
  };
}

describe("the 4A grader fails broken shardmasters", () => {
  it("a rebalancer that is not minimal: TestBasic, minimal transfers after joins", async () => {
    rebalancer.broken = dealtAfresh;
    const report = await run("TestBasic");
    expect(report.passed).toBe(false);
    expect(report.failure).toContain("TestFailure: non-minimal transfer after Join()s");
  });

  it("an uneven rebalancer: TestMulti, the balance check", async () => {
    rebalancer.broken = roundedUp;
    const report = await run("TestMulti");
    expect(report.passed).toBe(false);
    expect(report.failure).toContain("TestFailure: max 4 too much larger than min 2");
  });

  it("a rebalancer that differs by replica: TestMulti, same config on servers", async () => {
    rebalancer.broken = tiesByReplica;
    const report = await run("TestMulti");
    expect(report.passed).toBe(false);
    expect(report.failure).toMatch(/TestFailure: (Shards wrong|Groups wrong)/);
  });

  it("no duplicate detection: TestUnreliable4A", async () => {
    const report = await run("TestUnreliable4A", { substitutes: { startShardMaster: noDuplicateDetection } });
    expect(report.passed).toBe(false);
    expect(report.failure).toMatch(
      /TestFailure: ((Join|Leave)\(\d+\) was rejected, though no other clerk touches that group|wanted configuration \d+ after \d+ Joins, Leaves and Moves, got \d+)/,
    );
  });

  it("duplicate detection that forgets rejections: TestBadInput4A", async () => {
    const report = await run("TestBadInput4A", { substitutes: { startShardMaster: retriesAnsweredOk } });
    expect(report.passed).toBe(false);
    expect(report.failure).toMatch(/TestFailure: .* succeeded; the shardmaster must reject it \(".*"\), and a retry of it too/);
  });

  it("Query answered from the leader's own configurations: TestOnePartition4A", async () => {
    const report = await run("TestOnePartition4A", { substitutes: { startShardMaster: localQuery } });
    expect(report.passed).toBe(false);
    expect(report.failure).toContain("TestFailure: Query(-1) in minority completed, with configuration 1 (the majority has made 2)");
  });

  it("the reference passes each of those tests with the same seed", async () => {
    for (const name of ["TestBasic", "TestMulti", "TestUnreliable4A", "TestBadInput4A", "TestOnePartition4A"]) {
      const report = await run(name);
      expect(report.failure).toBeUndefined();
      expect(report.passed).toBe(true);
    }
  });
});

// Misbehaving student code fails the run with a report that names the node, the virtual time and
// the seed, plus the replay command.
describe("the 4A grader reports misbehaving student code", () => {
  const expectReport = (failure: string | undefined, what: RegExp) => {
    expect(failure).toMatch(what);
    expect(failure).toMatch(new RegExp(`seed ${SEED}, virtual time \\d+\\.\\d{3} s, node sm-\\d`));
    expect(failure).toContain(`replay: SEED=${SEED} npm test -- 4A -t "TestBasic$"`);
  };

  it("a handler that throws", async () => {
    const throws = withQuery(() => {
      throw new TypeError("cannot read properties of undefined (reading 'shards')");
    });
    const report = await run("TestBasic", { substitutes: { startShardMaster: throws } });
    expect(report.passed).toBe(false);
    expectReport(report.failure, /RPC handler ShardMaster\.query on sm-\d threw: TypeError: cannot read properties/);
  });

  it("a reply that cannot cross the network (groups as a Map)", async () => {
    const mapGroups = withQuery(async (sm, args) => {
      const reply = await sm.query(args);
      const config = reply.config === null ? null : { ...reply.config, groups: new Map(Object.entries(reply.config.groups)) };
      return { ...reply, config } as unknown as QueryReply;
    });
    const report = await run("TestBasic", { substitutes: { startShardMaster: mapGroups } });
    expect(report.passed).toBe(false);
    expectReport(report.failure, /cannot send or store the reply of ShardMaster\.query from sm-\d, field config\.groups: /);
  });

  it("code that never yields is stopped by the watchdog", async () => {
    const saved = process.env.SIMLAB_WATCHDOG_MS;
    process.env.SIMLAB_WATCHDOG_MS = "500";
    try {
      const spins = withQuery(() => {
        for (;;) {
          // a busy loop: never returns, never awaits
        }
      });
      const report = await run("TestBasic", { substitutes: { startShardMaster: spins } });
      expect(report.passed).toBe(false);
      expectReport(report.failure, /watchdog: code of sm-\d ran for more than 500 ms of CPU time without yielding/);
    } finally {
      if (saved === undefined) delete process.env.SIMLAB_WATCHDOG_MS;
      else process.env.SIMLAB_WATCHDOG_MS = saved;
    }
  });
});
