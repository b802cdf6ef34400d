// `simlab run`: one seed of a part's tests (or one test) through the registry.
import { describe, expect, test } from "vitest";
import { simlab } from "./simlab.ts";

describe("simlab run", () => {
  test("every 2A test for one seed: their lines, PASS each, exit 0", () => {
    const { status, stdout, stderr } = simlab(["run", "2A", "--seed", "2"]);
    expect(stderr).toBe("");
    expect(stdout).toContain("Test (2A): initial election ...");
    for (const name of ["TestInitialElection2A", "TestReElection2A", "TestManyElections2A"]) {
      expect(stdout).toMatch(new RegExp(`^PASS ${name}  \\(seed 2, \\d+\\.\\d{3} s virtual, \\d+ events\\)$`, "m"));
    }
    expect(stdout).toContain("2A: 3 passed, 0 failed (seed 2)");
    expect(status).toBe(0);
  });

  test("one test by its 6.824 name", () => {
    const { status, stdout } = simlab(["run", "TestReElection2A", "--seed", "5"]);
    expect(stdout).toContain("PASS TestReElection2A  (seed 5,");
    expect(stdout).not.toContain("TestInitialElection2A");
    expect(status).toBe(0);
  });

  test("one test whose 6.824 name does not end in its part (4A's TestMulti)", () => {
    const { status, stdout } = simlab(["run", "TestMulti", "--seed", "2"]);
    expect(stdout).toContain("Test: Check Same config on servers ...");
    expect(stdout).toContain("PASS TestMulti  (seed 2,");
    expect(stdout).not.toContain("TestBasic");
    expect(status).toBe(0);
  });

  test("a failing test: FAIL, its whole report (seed, replay command), exit 1", () => {
    const { status, stdout } = simlab(["run", "XF", "--seed", "3"]);
    expect(stdout).toContain("FAIL TestFailsEveryThirdSeedXF  (seed 3,");
    expect(stdout).toContain("seed 3 is a multiple of 3");
    expect(stdout).toContain('replay: SEED=3 npm test -- XF -t "TestFailsEveryThirdSeedXF$"');
    expect(status).toBe(1);
  });
});
