// The shardkv scenario world's own behaviour, beyond the library's scenarios: a Join, Leave or
// Move the shardmaster refuses is the scenario's mistake, reported as a sentence.
import { describe, expect, it } from "vitest";
import { parseScenario } from "../scenario/load.ts";
import { scenarioFileTest } from "../scenario/run-scenario.ts";

describe("the shardkv scenario world", () => {
  it("a Move to a group that has not joined fails the run with the shardmaster's sentence", async () => {
    const text = "service: shardkv\nservers: 3\nshardkv: {clients: appenders}\ntimeline:\n  - join: [100]\n  - start-clients\n  - move: {shard: 3, gid: 102}\n";
    const report = await scenarioFileTest(parseScenario(text, "bad-move.yaml"), "bad-move.yaml").run(1);
    expect(report.passed).toBe(false);
    expect(report.failure).toContain(
      "move: The shardmaster rejected Move: gid 102 is not a group of configuration 1. A scenario joins a group before it moves shards to it or makes it leave, and joins it only once.",
    );
  });
});
