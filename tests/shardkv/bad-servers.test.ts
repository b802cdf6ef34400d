// The grader can fail: broken ShardKVs must fail the 4B tests, each caught by the test that
// names its mistake, and a ShardKV that misbehaves as code (throws, never yields, answers with a
// reply that cannot cross the wire) fails with the node, the virtual time, the seed and the
// replay command.
//
// Each broken server is the reference with one thing changed, as a subclass (broken-shardkvs.ts):
//   1. serves a shard it owns before its data has arrived        → TestMissChange
//   2. hands a shard over without its duplicate table             → TestUnreliable2
//   3. keeps the data of shards it has handed over (no GC)        → TestChallenge1Delete
//   4. serves nothing while any shard of a change is in flight    → TestChallenge2Unaffected
//   5. still answers for a shard it is handing over               → TestUnreliable3 (linearizability)
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkEvents, kvModel, parseJsonLines } from "../../sim/check/index.ts";
import type { GetArgs, GetReply } from "../../shardkv/common.ts";
import { ShardKV } from "../../shardkv/server.ts";
import { BlocksEveryShard, LosesDuplicateTable, NeverDeletes, ServesAfterHandoff, ServesBeforeReceiving, starting } from "./broken-shardkvs.ts";
import type { LabTest, RunReport } from "../registry.ts";
import { tests } from "./4B.ts";

function find(name: string): LabTest {
  const test = tests.find((t) => t.name === name);
  if (test === undefined) throw new Error(`4B has no test ${name}`);
  return test;
}

async function runBroken(name: string, Variant: typeof ShardKV, seed = SEED): Promise<RunReport> {
  const report = await find(name).run(seed, { substitutes: { startShardKV: starting(Variant) } });
  expect(report.passed).toBe(false);
  expect(report.failure).toContain(`replay: SEED=${seed} npm test -- 4B -t "${name}$"`);
  return report;
}

const SEED = 1;
const repoRoot = join(import.meta.dirname, "..", "..");

describe("the 4B grader fails broken ShardKVs", () => {
  it("serving a shard before its data arrived: TestMissChange reads a lost value", async () => {
    const report = await runBroken("TestMissChange", ServesBeforeReceiving);
    expect(report.failure).toMatch(/TestMissChange failed: TestFailure: Get\(\d\) returned a wrong value:\n {4}expected \d+ characters, received \d+\n {4}the first \d+ characters agree/);
  }, 120_000);

  it("a shard handed over without its duplicate table: TestUnreliable2 sees an append applied twice", async () => {
    const report = await runBroken("TestUnreliable2", LosesDuplicateTable);
    const [, expected, received] = /Get\(\d\) returned a wrong value:\n {4}expected (\d+) characters, received (\d+)/.exec(report.failure!) ?? [];
    expect(expected).toBeDefined();
    // The group applied a retried Append again: the value it holds is longer than the clients' own record.
    expect(Number(received)).toBeGreaterThan(Number(expected));
  }, 120_000);

  it("never deleting shards it handed over: TestChallenge1Delete finds the persisted state too big", async () => {
    const report = await runBroken("TestChallenge1Delete", NeverDeletes);
    expect(report.failure).toMatch(/snapshot \+ persisted Raft state are too big: \d+ > 117000/);
  }, 120_000);

  it("serving nothing during a change: TestChallenge2Unaffected never finishes", async () => {
    const report = await runBroken("TestChallenge2Unaffected", BlocksEveryShard);
    expect(report.failure).toContain("time limit: the run passed 180.000 s of virtual time without finishing");
  }, 120_000);

  it("answering for a shard while handing it over: TestUnreliable3's history is not linearizable, and saved", async () => {
    const name = "TestUnreliable3";
    const report = await runBroken(name, ServesAfterHandoff);
    expect(report.failure).toContain("history is not linearizable");
    expect(report.failure).toMatch(/key "\d": its operations cannot be put in any order/);
    const file = join(repoRoot, ".simlab", "histories", `${name}-seed${SEED}.jsonl`);
    expect(report.failure).toContain(`${name}-seed${SEED}.jsonl`);
    expect(existsSync(file)).toBe(true);
    // The saved history is the one that failed: checked again from the file, it is still illegal.
    const parsed = parseJsonLines(readFileSync(file, "utf8"), file);
    expect(checkEvents(kvModel, parsed.events as never).verdict).toBe("illegal");
  }, 120_000);

  it("the reference passes the same tests with the same seed", async () => {
    for (const name of ["TestMissChange", "TestUnreliable2", "TestChallenge1Delete", "TestChallenge2Unaffected", "TestUnreliable3"]) {
      const report = await find(name).run(SEED);
      expect(report.failure).toBeUndefined();
    }
  }, 120_000);
});

/** A ShardKV whose Get handler is replaced by `get`; every other handler is the reference's. */
function withGet(get: (this: ShardKV, args: GetArgs) => Promise<GetReply>): typeof ShardKV {
  return class extends ShardKV {
    override get(args: GetArgs): Promise<GetReply> {
      return get.call(this, args);
    }
  };
}

describe("a ShardKV that misbehaves as code fails the test, saying where and when", () => {
  const watchdog = process.env.SIMLAB_WATCHDOG_MS;
  afterEach(() => {
    if (watchdog === undefined) delete process.env.SIMLAB_WATCHDOG_MS;
    else process.env.SIMLAB_WATCHDOG_MS = watchdog;
  });

  /** The parts every such report has: the node (a 4B server), the virtual time, the seed, the replay line. */
  function expectWhereAndWhen(report: RunReport): void {
    expect(report.failure).toMatch(/seed 1, virtual time \d+\.\d{3} s, node server-10[0-2]-[0-2]/);
    expect(report.failure).toContain('replay: SEED=1 npm test -- 4B -t "TestStaticShards$"');
  }

  it("a handler that throws", async () => {
    const Throws = withGet(async () => {
      throw new Error("get is not written yet");
    });
    const report = await runBroken("TestStaticShards", Throws);
    expect(report.failure).toMatch(/RPC handler ShardKV\.get on server-10[0-2]-[0-2] threw: get is not written yet/);
    expectWhereAndWhen(report);
  }, 120_000);

  it("a handler that never yields", async () => {
    process.env.SIMLAB_WATCHDOG_MS = "500";
    const Spins = withGet(() => {
      for (;;) {
        // waits for nothing, forever
      }
    });
    const report = await runBroken("TestStaticShards", Spins);
    expect(report.failure).toMatch(/watchdog: code of server-10[0-2]-[0-2] ran for more than 500 ms of CPU time without yielding/);
    expectWhereAndWhen(report);
  }, 120_000);

  it("a reply that cannot cross the wire", async () => {
    const Undefined = withGet(async function (this: ShardKV, args) {
      const reply = await ShardKV.prototype.get.call(this, args);
      return { ...reply, value: undefined as unknown as string };
    });
    const report = await runBroken("TestStaticShards", Undefined);
    expect(report.failure).toMatch(/the reply of ShardKV\.get from server-10[0-2]-[0-2].*field value: it is undefined/);
    expectWhereAndWhen(report);
  }, 120_000);
});
