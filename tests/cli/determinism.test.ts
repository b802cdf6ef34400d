// `simlab check-determinism`: each seed twice in separate processes, hashes compared.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { simlab } from "./simlab.ts";

describe("simlab check-determinism", () => {
  test("2A: every seed reproduces; exit 0", () => {
    const { status, stdout } = simlab(["check-determinism", "2A", "--seeds", "2", "--jobs", "2"]);
    expect(stdout).toContain("same  TestManyElections2A: 2 of 2 seeds gave the same journal twice");
    expect(stdout).toContain("6 runs, each reproduced exactly in a second process.");
    expect(status).toBe(0);
  });

  test("a test that reads a counter file diverges: caught, and the first differing entry named", () => {
    const counter = join(mkdtempSync(join(tmpdir(), "simlab-nondeterminism-")), "counter");
    writeFileSync(counter, "0");
    const { status, stdout } = simlab(["check-determinism", "TestNondeterministicXN", "--seeds", "1"], {
      env: { SIMLAB_FIXTURE_COUNTER: counter },
    });
    expect(stdout).toContain("DIFF  TestNondeterministicXN: 0 of 1 seeds gave the same journal twice");
    expect(stdout).toMatch(/^TestNondeterministicXN seed 1: journal hash [0-9a-f]{8} \(pid \d+\) but [0-9a-f]{8} \(pid \d+\)$/m);
    expect(stdout).toContain("first difference at entry #7 (virtual 53 ms, node tester, log topic counter):");
    expect(stdout).toMatch(/run 1 \(pid \d+\): 53ms tester counter slept 3 ms/);
    expect(stdout).toMatch(/run 2 \(pid \d+\): 54ms tester counter slept 4 ms/);
    expect(stdout).toContain("the entry before, the same in both: 50ms tester tester both nodes done");
    expect(status).toBe(1);
  });
});
