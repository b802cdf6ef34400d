// tests/registry.ts: every part's loader; a grader that is not written yet is a clear error.
import { describe, expect, test } from "vitest";
import { gradersOf, PartUnavailableError, parts } from "../registry.ts";

describe("tests/registry.ts", () => {
  test("the parts of Labs 2 to 5 are listed, and 2A loads its tests", async () => {
    expect(Object.keys(parts)).toEqual(["2A", "2B", "2C", "2D", "2X", "3A", "3B", "4A", "4B", "5A", "5B", "5C", "5D", "5E", "5F", "5G", "5H"]);
    const tests = await parts["2A"]!();
    expect(tests.map((t) => t.name)).toEqual(["TestInitialElection2A", "TestReElection2A", "TestManyElections2A"]);
    expect(tests.every((t) => t.part === "2A")).toBe(true);
  });

  test("a missing grader module: PartUnavailableError naming the file", async () => {
    const load = gradersOf("5Z", "./raft5/5Z.ts");
    await expect(load()).rejects.toThrow(PartUnavailableError);
    await expect(load()).rejects.toThrow("part 5Z is not available: its grader tests/raft5/5Z.ts does not exist yet.");
  });

  test("a module that exports no tests", async () => {
    await expect(gradersOf("XX", "./harness/failure.ts")()).rejects.toThrow("tests/harness/failure.ts does not export `tests: LabTest[]`.");
  });
});
