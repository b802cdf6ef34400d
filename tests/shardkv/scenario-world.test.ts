// The shardkv scenario world's own behaviour, beyond the library's scenarios: a Join, Leave or
// Move the shardmaster refuses is the scenario's mistake, reported as a sentence; and the checks
// that the library's scenarios pass can fail (shards-served, max-log-bytes); partition-group's
// `isolate: leader` cuts off whoever leads the group when the step runs, and a new leader follows.
import { describe, expect, it } from "vitest";
import { parseScenario } from "../scenario/load.ts";
import { scenarioFileTest } from "../scenario/run-scenario.ts";

async function failureOf(text: string): Promise<string> {
  const report = await scenarioFileTest(parseScenario(text, "world.yaml"), "world.yaml").run(1);
  expect(report.passed).toBe(false);
  return report.failure ?? "";
}

describe("the shardkv scenario world", () => {
  it("a Move to a group that has not joined fails the run with the shardmaster's sentence", async () => {
    const text = "service: shardkv\nservers: 3\nshardkv: {clients: appenders}\ntimeline:\n  - join: [100]\n  - start-clients\n  - move: {shard: 3, gid: 102}\n";
    const report = await scenarioFileTest(parseScenario(text, "bad-move.yaml"), "bad-move.yaml").run(1);
    expect(report.passed).toBe(false);
    expect(report.failure).toContain(
      "move: The shardmaster rejected Move: gid 102 is not a group of configuration 1. A scenario joins a group before it moves shards to it or makes it leave, and joins it only once.",
    );
  });

  it("shards-served fails when no group serves, naming the shards", async () => {
    const failure = await failureOf("service: shardkv\nservers: 3\ntimeline:\n  - join: [100]\n  - sleep: 500ms\n  - leave: [100]\nchecks:\n  shards-served: true\n  liveness-after-heal: 2s\n");
    expect(failure).toContain("shards-served: 10 shards are not served 2000 ms after the clients stopped: shards 0, 1, 2, 3, 4, 5, 6, 7, 8, 9");
  });

  it("max-log-bytes fails a group that never snapshots, naming the server", async () => {
    const failure = await failureOf(
      "service: shardkv\nservers: 3\nshardkv: {clients: appenders}\ntimeline:\n  - join: [100]\n  - start-clients\n  - sleep: 1s\nchecks:\n  max-log-bytes: 2000\n",
    );
    expect(failure).toMatch(/max-log-bytes: server \d of group 100 has \d+ bytes of persisted Raft state; the scenario allows 2000/);
  });

  it("partition-group isolate: leader cuts off the group's leader of that moment, and the rest elect another", async () => {
    const text = "service: shardkv\nservers: 3\ntimeline:\n  - join: [100]\n  - sleep: 1s\n  - partition-group: {gid: 100, isolate: leader}\n  - sleep: 2s\n";
    const report = await scenarioFileTest(parseScenario(text, "isolate.yaml"), "isolate.yaml").run(1, { keepJournal: true });
    expect(report.passed, report.failure).toBe(true);
    const journal = report.journal!;
    const cut = journal.find((e) => e.topic === "scenario" && String(e.detail).startsWith("partition-group 100"))!;
    const [, rest, alone] = /^partition-group 100 \[(\d,\d)\] \[(\d)\]$/.exec(String(cut.detail))!;
    const roles = (server: string, from: number, to: number) =>
      journal.filter((e) => e.node === `server-100-${server}` && e.topic === "role" && e.time >= from && e.time <= to).map((e) => String(e.detail));
    expect(roles(alone!, 0, cut.time).at(-1)).toMatch(/^becomes leader in term 1$/);
    const after = rest!.split(",").flatMap((s) => roles(s, cut.time, cut.time + 2000));
    expect(after).toContainEqual(expect.stringMatching(/^becomes leader in term [2-9]/));
  });
});
