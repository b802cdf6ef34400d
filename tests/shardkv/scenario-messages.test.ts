// Message-level scripts on lab 4B (tests/scenario/messages.ts with shardkv's names): the library's
// shardkv-shard-push-held-on-the-wire and shardkv-one-way-cut-between-groups (which the reference
// passes under library.test.ts) fail the broken ShardKVs their stories are about; hold, deliver and drop reach the shard-migration RPC by group; expect-group reads a
// group's configuration and shards, fails when they differ, and says so when a server cannot tell.
import { describe, expect, it } from "vitest";
import { mutantNamed } from "../mutants/catalog.ts";
import { libraryTest } from "../scenario/library.ts";
import { parseScenario } from "../scenario/load.ts";
import { scenarioFileTest } from "../scenario/run-scenario.ts";
import { ShardKV } from "../../shardkv/server.ts";
import type { StartShardKV } from "./substitute.ts";

const heldPushes = "shardkv-shard-push-held-on-the-wire";

async function run(text: string, seed = 1) {
  return scenarioFileTest(parseScenario(text, "messages.yaml"), "messages.yaml").run(seed, { keepJournal: true });
}

const joinAndHold = (after: string): string =>
  `service: shardkv\nservers: 3\ntimeline:\n  - join: [100]\n  - sleep: 300ms\n  - hold: {rpc: InstallShard, from: 100, to: "101-0"}\n  - join: [101]\n  - sleep: 1s\n${after}`;

describe("message-level scripts on shardkv", () => {
  for (const scenario of [heldPushes, "shardkv-one-way-cut-between-groups"]) {
    for (const mutant of ["serves-before-receiving", "serves-after-handoff"]) {
      it(`${scenario} fails ${mutant} (seed 1)`, async () => {
        const broken = await libraryTest(scenario).run(1, { substitutes: mutantNamed(mutant).substitutes });
        expect(broken.passed, `the scenario passed ${mutant}`).toBe(false);
        expect(broken.failure).toMatch(/Get\(\d\) returned a wrong value/);
        expect(broken.failure).toContain(`npx simlab run --scenario scenarios/${scenario}.yaml --seed 1`);
      }, 60_000);
    }
  }

  it("hold takes only the pattern's requests: 100's pushes to 101-0, no other server's", async () => {
    const report = await run(joinAndHold("  - drop: {rpc: InstallShard}\n  - unhold\n  - sleep: 1s\n  - expect-group: {gid: 101, serving: [5, 6, 7, 8, 9]}\n"));
    expect(report.passed, report.failure).toBe(true);
    const held = report.journal!.filter((e) => e.kind === "hold");
    expect(held.length).toBeGreaterThan(0);
    for (const e of held) expect(String(e.detail)).toMatch(/^ShardKV\.installShard .*server-100-\d.* → server-101-0\b/);
  }, 60_000);

  it("a request still held when the timeline ends fails the run, naming it", async () => {
    const report = await run(joinAndHold(""));
    expect(report.passed).toBe(false);
    expect(report.failure).toMatch(/the timeline ended with \d+ requests? still held: InstallShard #\d+ server-100-\d→server-101-0 \(config 2, shard \d\)/);
  }, 60_000);

  it("deliver with a count fails when fewer requests are held", async () => {
    const report = await run(joinAndHold("  - deliver: {rpc: InstallShard, count: 50}\n"));
    expect(report.passed).toBe(false);
    expect(report.failure).toMatch(/deliver InstallShard, count 50: only \d held requests match; held now: InstallShard #\d+/);
  }, 60_000);

  it("expect-group fails when the group's state differs, saying what it is", async () => {
    const report = await run(joinAndHold("  - expect-group: {gid: 101, config: 2, serving: [5, 6, 7, 8, 9]}\n  - drop: {rpc: InstallShard}\n"));
    expect(report.passed).toBe(false);
    expect(report.failure).toMatch(
      /expect-group: group 101 \(its leader 101-\d\) is at config 2, serving none, receiving 5,6,7,8,9, sending none; the script expected serving 5,6,7,8,9/,
    );
  }, 60_000);

  it("expect-group on a server without stateForTester() says it cannot check", async () => {
    class Opaque extends ShardKV {}
    Object.defineProperty(Opaque.prototype, "stateForTester", { value: undefined });
    const startShardKV: StartShardKV = (...args) => new Opaque(...args);
    const text = "service: shardkv\nservers: 3\ntimeline:\n  - join: [100]\n  - sleep: 500ms\n  - expect-group: {gid: 100, config: 1}\n";
    const report = await scenarioFileTest(parseScenario(text, "opaque.yaml"), "opaque.yaml").run(1, { substitutes: { startShardKV } });
    expect(report.passed).toBe(false);
    expect(report.failure).toMatch(/expect-group reads a group's state through its servers' stateForTester\(\) \(shardkv\/server\.ts\); server 100-\d has none, so this step cannot check it/);
  }, 60_000);
});
