// A user's mistake is one line on stderr and exit code 2, with a suggestion where one helps.
import { describe, expect, test } from "vitest";
import { simlab } from "./simlab.ts";

function expectBadInput(args: string[], message: string | RegExp): void {
  const { status, stdout, stderr } = simlab(args);
  expect(stdout).toBe("");
  expect(stderr.endsWith("\n")).toBe(true);
  expect(stderr.trimEnd().split("\n")).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at /m);
  if (typeof message === "string") expect(stderr).toContain(message);
  else expect(stderr).toMatch(message);
  expect(status).toBe(2);
}

describe("bad input", () => {
  test("an unknown part suggests the closest", () => {
    expectBadInput(["run", "2Z"], /^simlab: unknown part or test "2Z"; did you mean 2[A-DX]\? \(parts: 2A, 2B, 2C, 2D, 2X, 3A, 3B, 4A, 4B, 5A, 5B, 5C, 5D, 5E, 5F, 5G, 5H, XF, XE, XN, XB, XV, XS\)$/m);
  });
  test("a misspelled test suggests the closest", () => {
    expectBadInput(["sweep", "TestReElectoin2A", "--seeds", "2"], 'part 2A has no test "TestReElectoin2A"; did you mean TestReElection2A?');
  });
  test("bad numbers", () => {
    expectBadInput(["run", "2A", "--seed=-3"], '--seed needs a whole number ≥ 0, not "-3".');
    expectBadInput(["run", "2A", "--seed", "-3"], "a value that starts with a dash is written --seed=VALUE");
    expectBadInput(["sweep", "2A", "--seeds", "0"], '--seeds needs a whole number ≥ 1, not "0".');
    expectBadInput(["sweep", "2A", "--seeds", "4", "--jobs", "two"], '--jobs needs a whole number ≥ 1, not "two".');
    expectBadInput(["replay", "TestReElection2A", "--from", "soon"], '--from needs a virtual time such as 1500, 1500ms or 1.5s, not "soon".');
  });
  test("missing or unknown options and arguments", () => {
    expectBadInput(["sweep", "2A"], "sweep needs --seeds N");
    expectBadInput(["run", "2A", "--sed", "3"], "Unknown option '--sed' (see simlab run --help).");
    expectBadInput(["run"], "run needs one part or test");
    expectBadInput(["replay", "2A"], "replay takes one test; part 2A has TestInitialElection2A, TestReElection2A, TestManyElections2A.");
    expectBadInput(["replay", "TestReElection2A", "--nodes", "7"], "--nodes 7: no such node in this run; the nodes are raft-0, raft-1, raft-2, tester.");
    expectBadInput(["swep", "2A"], 'unknown command "swep"');
  });
  test("an output file that cannot be written", () => {
    expectBadInput(["run", "2A", "--trace", "/no/such/folder/out.jsonl"], "--trace: cannot write /no/such/folder/out.jsonl: its folder does not exist.");
  });
});

describe("help", () => {
  test("simlab --help lists every command", () => {
    const { status, stdout } = simlab(["--help"]);
    expect(status).toBe(0);
    for (const command of ["run", "sweep", "replay", "check-determinism", "check", "handout", "grade"]) expect(stdout).toMatch(new RegExp(`^  ${command} +\\S`, "m"));
  });
  test.each([
    ["run", ["--seed", "--trace", "--shiviz"]],
    ["sweep", ["--seeds", "--from", "--jobs"]],
    ["replay", ["--seed", "--nodes", "--topics", "--from", "--to", "--width", "--trace", "--shiviz"]],
    ["check-determinism", ["--seeds", "--from", "--jobs"]],
    ["handout", ["--out", "--labs"]],
    ["grade", ["--labs", "--seeds", "--from", "--jobs", "--json", "--csv"]],
  ])("simlab %s --help describes every option", (command, options) => {
    const { status, stdout } = simlab([command, "--help"]);
    expect(status).toBe(0);
    expect(stdout).toContain(`usage: simlab ${command} `);
    for (const option of options) expect(stdout).toMatch(new RegExp(`^  ${option}[ ,]`, "m"));
  });
});
