// Nemesis as data: a test whose fault schedule is drawn from the seed as a scenario is the same
// run as that scenario written to a file and run from it — the same journal, event for event.
import { describe, expect, it } from "vitest";
import { parts } from "../registry.ts";
import { parseScenario } from "./load.ts";
import { scenarioFileTest } from "./run-scenario.ts";
import { scenarioToYaml } from "./write.ts";

describe("a nemesis test's seed, written out as a scenario file", () => {
  const cases: [string, string][] = [
    ["2C", "TestFigure82C"],
    ["2C", "TestFigure8Unreliable2C"],
    ["3A", "TestManyPartitionsOneClient3A"],
    ["3B", "TestSnapshotUnreliableRecoverConcurrentPartition3B"],
    ["4B", "TestConcurrent3"],
    ["4B", "TestUnreliable3"],
    ["4B", "TestPartitionDuringMigration4B"],
    ["4B", "TestConcurrentCrashLinearizable4B"],
  ];
  for (const [part, name] of cases) {
    it(`${name}: the file reads back as the same scenario and runs the same journal`, async () => {
      const test = (await parts[part]!()).find((t) => t.name === name)!;
      const seed = 2;
      const scenario = test.scenarioOf!(seed);
      const text = scenarioToYaml(scenario);
      const file = `${name}-seed${seed}.yaml`;
      expect(parseScenario(text, file)).toEqual(scenario);

      const fromTest = await test.run(seed);
      const fromFile = await scenarioFileTest(parseScenario(text, file), file).run(seed);
      expect(fromTest.passed && fromFile.passed).toBe(true);
      expect(fromFile.journalHash).toBe(fromTest.journalHash);
      expect(fromFile.events).toBe(fromTest.events);
      expect(fromFile.virtualMs).toBe(fromTest.virtualMs);
    });
  }
});
