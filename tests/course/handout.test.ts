// simlab handout, end to end, the way a student meets it: build a handout of every lab, publish it
// as a git repository, clone it, `npm ci` from the lockfile, type-check, and run the tests. Every
// lab test must fail at once, saying what is missing; no line of the solutions may be in it; and
// the leak check must find one that is. How long the newcomer's path and the skeleton's run take
// (the course promises two minutes and one) is measured by `npm run bench -- handout`, not here:
// a wall-clock bound in a test fails whenever the machine is busy. The timeouts below only stop
// a run that hangs.
// This file needs the npm registry (npm ci), like .ci/run does.
import { spawnSync } from "node:child_process";
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { thisTree } from "../../labs/course/files.ts";
import { writeHandout } from "../../labs/course/handout.ts";
import { findLeaks } from "../../labs/course/leaks.ts";
import { findLab, labs } from "../../labs/course/manifest.ts";
import { simlab, usageError } from "../cli/simlab.ts";

/** Longer than any of these steps takes on a loaded machine: a step past it hangs. */
const HANG_MS = 600_000;

interface Ran {
  status: number | null;
  output: string;
  ms: number;
}

/** Runs a command as a student's shell would: no SEED, no trace of the vitest running this file. */
function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Ran {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(VITEST|SEED$|SEEDS$)/.test(key)));
  const started = performance.now();
  const { status, stdout, stderr } = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    env: { ...clean, NO_COLOR: "1", FORCE_COLOR: "0", ...env },
    timeout: HANG_MS,
  });
  return { status, output: `${stdout}${stderr}`, ms: performance.now() - started };
}

let scratch: string;
let handout: string;
let clone: string;
let install: Ran;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "simlab-handout-"));
  handout = join(scratch, "handout");
  clone = join(scratch, "student");
  const built = simlab(["handout", "--out", handout]);
  expect(built.stderr).toBe("");
  expect(built.stdout).toMatch(/^wrote \d+ files for labs 2, 3, 4, 5 into .* in \d+\.\d s; no line of the solutions is in it\.$/m);
  expect(built.status).toBe(0);
  const git = (...args: string[]): void => {
    const result = run("git", ["-c", "user.name=Course Staff", "-c", "user.email=staff@example.org", ...args], scratch);
    expect(result.status, result.output).toBe(0);
  };
  git("-C", handout, "init", "-q");
  git("-C", handout, "add", "-A");
  git("-C", handout, "commit", "-q", "-m", "Lab 2, 3 and 4");
  git("clone", "-q", handout, clone);
  install = run("npm", ["ci", "--no-audit", "--no-fund"], clone);
  expect(install.status, install.output).toBe(0);
}, HANG_MS);

afterAll(() => {
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
}, HANG_MS);

describe("simlab handout", () => {
  it("has the framework, the graders, skeletons and a student README, and nothing of the reference's own", () => {
    for (const path of ["sim/index.ts", "labs/cli/main.ts", "tests/raft/2A.ts", "tests/harness/define-test.ts", "labs/lab2-raft.md", "package-lock.json"]) {
      expect(existsSync(join(clone, path)), path).toBe(true);
    }
    for (const path of ["bench", "tests/sim", "tests/cli", "tests/course", "tests/raft/grader.test.ts", "docs/teaching.md", ".ci"]) {
      expect(existsSync(join(clone, path)), path).toBe(false);
    }
    const raft = readFileSync(join(clone, "raft/raft.ts"), "utf8");
    expect(raft).toContain('throw notImplemented("Raft.start (2B)");');
    expect(raft).not.toMatch(/SOLUTION (BEGIN|ELSE|END)/);
    expect(readFileSync(join(clone, "tests/harness/edition.ts"), "utf8")).toContain('export const edition: Edition = { kind: "handout", labs: [2, 3, 4, 5] };');
    expect(readFileSync(join(clone, "README.md"), "utf8")).toMatch(/^# Distributed systems labs, on simlab$/m);
    expect(JSON.parse(readFileSync(join(clone, "package.json"), "utf8")).scripts).not.toHaveProperty("bench");
  });

  it("a newcomer's path: npm ci, then npm test -- 2A to the first failing report", () => {
    const first = run("npm", ["test", "--", "2A"], clone);
    const seed = /^seed (\d+), fresh for this run: SEED=\1 npm test … runs it again$/m.exec(first.output)?.[1];
    expect(seed, first.output).toBeDefined();
    expect(first.output).toContain("TestInitialElection2A failed: NotImplementedError: Raft.getState (2A) is not implemented yet");
    expect(first.output).toContain(`replay: SEED=${seed} npm test -- 2A -t "TestInitialElection2A$"`);
    expect(first.status).toBe(1);
    console.log(`newcomer: npm ci ${(install.ms / 1000).toFixed(1)} s, npm test -- 2A ${(first.ms / 1000).toFixed(1)} s`);
  }, HANG_MS);

  it("type-checks as generated, and every lab test fails at once, cleanly, saying what is missing", () => {
    const typecheck = run("npx", ["tsc", "--noEmit"], clone);
    expect(typecheck.output).toBe("");
    expect(typecheck.status).toBe(0);

    const report = join(scratch, "skeleton.json");
    const all = run("npm", ["test", "--", "--reporter=json", `--outputFile=${report}`], clone);
    expect(all.status).toBe(1);
    const results = JSON.parse(readFileSync(report, "utf8")) as {
      numTotalTests: number;
      numFailedTests: number;
      testResults: { message: string; assertionResults: { title: string; status: string; failureMessages: string[] }[] }[];
    };
    expect(results.testResults.map((file) => file.message)).toEqual(results.testResults.map(() => "")); // every file loaded
    const tests = results.testResults.flatMap((file) => file.assertionResults);
    expect(results.numFailedTests).toBe(results.numTotalTests);
    const labTests = labs.flatMap((lab) => lab.parts.flatMap((part) => Object.keys(part.tests)));
    expect(tests.map((test) => test.title)).toEqual(expect.arrayContaining(labTests));
    // A lab test's report says which function is missing, and how to replay it. (The rebalancer's
    // unit tests fail too; fast-check puts the missing function in the error's cause.)
    for (const test of tests.filter((test) => labTests.includes(test.title))) {
      const message = test.failureMessages.join("\n");
      // Part 2X's harness waits for the server to start an election; a skeleton never does, and
      // the harness names what is missing instead.
      expect(message, test.title).toMatch(
        /^Error: Test\w+ failed: ((a task of \S+ threw: |RPC handler \S+ on \S+ threw: )?NotImplementedError: \S.* \(\d[A-Z]\) is not implemented yet|TestFailure: .*; server 0 has sent no request at all: are its election timeout and RequestVote sender implemented\?\n)/,
      );
      expect(message, test.title).toMatch(/replay: SEED=\d+ npm test -- \d[A-Z] -t "Test\w+\$"/);
    }
    console.log(`skeleton: npm test ran ${tests.length} tests in ${(all.ms / 1000).toFixed(1)} s, every one failed`);
  }, HANG_MS);

  it("replays the seed SEED names, and draws none then", () => {
    const replay = run("npm", ["test", "--", "2A", "-t", "TestReElection2A$"], clone, { SEED: "4711" });
    expect(replay.output).not.toMatch(/fresh for this run/);
    expect(replay.output).toContain('replay: SEED=4711 npm test -- 2A -t "TestReElection2A$"');
  }, HANG_MS);

  it("has no line of the solutions, and the leak check finds one that is planted", () => {
    expect(findLeaks(thisTree, handout)).toEqual([]);
    const planted = join(scratch, "planted");
    cpSync(handout, planted, { recursive: true });
    appendFileSync(join(planted, "docs/architecture.md"), "\n    const upToDate =\n");
    expect(findLeaks(thisTree, planted)).toEqual([{ file: "docs/architecture.md", line: readFileSync(join(planted, "docs/architecture.md"), "utf8").split("\n").length - 1, text: "const upToDate =" }]);
  });

  it("hands out fewer labs, each with the labs it builds on, and each such handout type-checks", () => {
    for (const numbers of [[2], [2, 3], [2, 4], [2, 3, 5]]) {
      const out = join(scratch, `labs-${numbers.join("-")}`);
      writeHandout(thisTree, numbers.map((number) => findLab(number)!), out);
      symlinkSync(join(clone, "node_modules"), join(out, "node_modules"));
      const typecheck = run("npx", ["tsc", "--noEmit"], out);
      expect(typecheck.output, `labs ${numbers.join(",")}`).toBe("");
      expect(existsSync(join(out, "kvraft")), `labs ${numbers.join(",")}`).toBe(numbers.includes(3));
      expect(existsSync(join(out, "tests/shardkv")), `labs ${numbers.join(",")}`).toBe(numbers.includes(4));
      expect(existsSync(join(out, "raft-extensions")), `labs ${numbers.join(",")}`).toBe(numbers.includes(5));
    }
  }, HANG_MS);

  it("refuses a lab without the lab it builds on, an unknown lab, and a folder with files in it", () => {
    const refused = (args: string[]): string => usageError(["handout", ...args]);
    expect(refused(["--out", join(scratch, "x"), "--labs", "3"])).toBe(
      "simlab: lab 3 builds on lab 2 (the student's own code runs under it); hand them out together: --labs 2,3.",
    );
    expect(refused(["--out", join(scratch, "x"), "--labs", "2,6"])).toBe("simlab: --labs: there is no lab 6; the labs are 2, 3, 4, 5.");
    expect(refused(["--out", handout])).toBe(`simlab: ${handout} already has files in it; give --out a new or empty folder (a handout never overwrites anything).`);
    expect(refused(["--labs", "2"])).toBe("simlab: handout needs --out DIR, the folder to write (see simlab handout --help).");
  });

  it("offers no handout and no grade in a student repository", () => {
    const again = run("npx", ["simlab", "handout", "--out", join(scratch, "again")], clone);
    expect(again.output.trim()).toBe("simlab: handout builds a student repository from simlab's own, which has the reference solutions; this is a student repository.");
    expect(again.status).toBe(2);
    const grade = run("npx", ["simlab", "grade", "."], clone);
    expect(grade.output.trim()).toBe(
      "simlab: grade runs in simlab's own repository, whose graders are the official ones; this is a student repository (npx simlab sweep checks your work over many seeds).",
    );
    expect(grade.status).toBe(2);
  });
});
