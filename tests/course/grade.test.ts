// simlab grade, end to end: a grade that cannot fail is a defect, so each property is shown on a
// submission made for it. The skeleton scores nothing; the reference scores everything; a Raft
// whose 2B and 2C regions are the skeleton's scores 2A (and 2X's tests of a follower's handlers) only; an edited grader has no effect; and a
// submission that does not type-check, imports what it must not, or crashes the runner gets a
// sentence, while its other labs are still graded. Few seeds, to keep CI short (docs/teaching.md
// has the heavier check by hand).
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { studentFilesIn, thisTree } from "../../labs/course/files.ts";
import type { Grade } from "../../labs/course/grading.ts";
import { writeHandout } from "../../labs/course/handout.ts";
import { findLab, labs } from "../../labs/course/manifest.ts";
import { skeletonOf, type Region } from "../../labs/course/markers.ts";
import { simlab, usageError } from "../cli/simlab.ts";

let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "simlab-grade-test-"));
});

afterAll(() => {
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
});

/** A student repository as handed out for `numbers`, at scratch/name. */
function studentRepository(name: string, numbers: number[]): string {
  const dir = join(scratch, name);
  writeHandout(thisTree, numbers.map((number) => findLab(number)!), dir);
  return dir;
}

/** Replaces the text `from` of a file of a submission by `to`. */
function edit(dir: string, file: string, from: string, to: string): void {
  const text = readFileSync(join(dir, file), "utf8");
  expect(text, file).toContain(from);
  writeFileSync(join(dir, file), text.replace(from, to));
}

/**
 * How long a grade may take before it counts as hung: grading the reference runs every test of
 * labs 2–5 once, about as long as `npm test` itself on a busy machine.
 */
const GRADE_LIMIT_MS = 900_000;

/** Runs simlab grade; returns its JSON report (and its stdout). */
function grade(args: string[]): { grades: Grade[]; stdout: string } {
  const json = join(scratch, `grade-${Math.random().toString(36).slice(2)}.json`);
  const { status, stdout, stderr } = simlab(["grade", ...args, "--jobs", "2", "--json", json], { timeoutMs: GRADE_LIMIT_MS });
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(status, stderr).toBe(0);
  return { grades: (JSON.parse(readFileSync(json, "utf8")) as { grades: Grade[] }).grades, stdout };
}

function byNameOf(grade: Grade): Map<string, Grade["labs"][number]["tests"][number]> {
  return new Map(grade.labs.flatMap((lab) => lab.tests).map((test) => [test.test, test]));
}

function pointsByPart(grade: Grade): Record<string, string> {
  const parts: Record<string, [number, number]> = {};
  for (const test of grade.labs.flatMap((lab) => lab.tests)) {
    const [earned, points] = parts[test.part] ?? [0, 0];
    parts[test.part] = [earned + test.earned, points + test.points];
  }
  return Object.fromEntries(Object.entries(parts).map(([part, [earned, points]]) => [part, `${earned}/${points}`]));
}

describe("simlab grade", () => {
  it("the skeleton scores nothing: every test runs and fails", () => {
    const { grades } = grade([studentRepository("skeleton", [2, 3, 4, 5]), "--seeds", "1"]);
    const [skeleton] = grades;
    expect(skeleton!.earned).toBe(0);
    expect(skeleton!.points).toBe(845);
    const tests = skeleton!.labs.flatMap((lab) => lab.tests);
    expect(tests.length).toBe(labs.flatMap((lab) => lab.parts.flatMap((part) => Object.keys(part.tests))).length);
    for (const test of tests) {
      expect(test.runs, test.test).toBe(1);
      // Part 2X's harness waits for the server to start an election, and says what is missing.
      expect(test.firstFailure!.why, test.test).toMatch(
        /NotImplementedError: .* \(\d[A-Z]\) is not implemented yet|^TestFailure: .*; server 0 has sent no request at all: are its election timeout and RequestVote sender implemented\?$/,
      );
      expect(test.firstFailure!.replay).toBe(`npx simlab replay ${test.test} --seed 1`);
    }
    expect(skeleton!.labs.map((lab) => lab.notGraded)).toEqual([undefined, undefined, undefined, undefined]);
  }, GRADE_LIMIT_MS);

  it("the reference solutions score every point", () => {
    const { grades, stdout } = grade([thisTree, "--seeds", "1"]);
    expect(pointsByPart(grades[0]!)).toEqual({ "2A": "15/15", "2B": "30/30", "2C": "40/40", "2D": "35/35", "2X": "26/26", "3A": "70/70", "3B": "45/45", "4A": "30/30", "4B": "75/75", "5A": "62/62", "5B": "60/60", "5C": "56/56", "5D": "56/56", "5E": "80/80", "5F": "50/50", "5G": "65/65", "5H": "50/50" });
    expect(stdout).toMatch(/^total +845\/845$/m);
    expect(grades[0]!.missing).toEqual([]);
    expect(grades[0]!.ignored).toEqual([]);
  }, GRADE_LIMIT_MS);

  it("a Raft whose 2B and 2C regions are the skeleton's scores 2A and 2X's tests of a follower's handlers, nothing else", () => {
    const dir = studentRepository("2A-only", [2]);
    // The regions of 2B and 2C alone (start() and persistence), and the import their stubs need.
    const laterParts = (region: Region): boolean =>
      region.parts.every((part) => part === "2B" || part === "2C") || region.solution.every((line) => line.trim() === "");
    for (const file of ["raft/raft.ts", "raft/persist.ts"]) writeFileSync(join(dir, file), skeletonOf(readFileSync(join(thisTree, file), "utf8"), file, laterParts));
    for (const file of ["raft/log.ts", "raft/progress.ts"]) writeFileSync(join(dir, file), skeletonOf(readFileSync(join(thisTree, file), "utf8"), file, () => false));
    const { grades } = grade([dir, "--labs", "2", "--seeds", "2"]);
    // 2X's tests of a follower's handlers (RequestVote, AppendEntries, InstallSnapshot) need
    // neither start() nor persistence: 19 of its 26 pass; those of a leader's log (3) and of
    // persistence (4) fail.
    expect(pointsByPart(grades[0]!)).toEqual({ "2A": "15/15", "2B": "0/30", "2C": "0/40", "2D": "0/35", "2X": "19/26" });
    expect(byNameOf(grades[0]!).get("TestLeaderCommitsWithAMajority2X")!.earned).toBe(0);
    expect(byNameOf(grades[0]!).get("TestTermSavedBeforeReplying2X")!.earned).toBe(0);
    const byName = byNameOf(grades[0]!);
    expect(byName.get("TestInitialElection2A")!.passed).toBe(2);
    expect(byName.get("TestBasicAgree2B")!.firstFailure!.why).toMatch(/^NotImplementedError: Raft\.start \(2B\) is not implemented yet/);
  }, GRADE_LIMIT_MS);

  it("an edited grader has no effect: the official one grades, and the edit is named", () => {
    const dir = studentRepository("edited-grader", [2]);
    const passEverything = `import { defineTest } from "../harness/define-test.ts";
export const tests = ["TestInitialElection2A", "TestReElection2A", "TestManyElections2A"].map((name) => defineTest("2A", name, async () => {}));
`;
    writeFileSync(join(dir, "tests/raft/2A.ts"), passEverything);
    // In the student's own repository the edit works: every 2A test passes there.
    symlinkSync(join(thisTree, "node_modules"), join(dir, "node_modules"));
    const own = simlab(["run", "2A"], { cwd: dir });
    expect(own.stdout).toMatch(/^2A: 3 passed, 0 failed \(seed 1\)$/m);
    const { grades, stdout } = grade([dir, "--labs", "2", "--seeds", "1"]);
    expect(pointsByPart(grades[0]!)["2A"]).toBe("0/15");
    expect(grades[0]!.ignored).toEqual(["tests/raft/2A.ts"]);
    expect(stdout).toContain("Changed, but not student files, so the official ones were used: tests/raft/2A.ts.");
  }, GRADE_LIMIT_MS);

  it("a folder of submissions: one row each, a CSV for a gradebook, and a sentence for each that cannot be graded", () => {
    const folder = join(scratch, "term");
    mkdirSync(folder);
    const submission = (name: string, numbers: number[], change: (dir: string) => void): void => {
      const dir = join(folder, name);
      writeHandout(thisTree, numbers.map((number) => findLab(number)!), dir);
      change(dir);
    };
    const addImport = (dir: string, line: string): void => edit(dir, "raft/log.ts", 'import type { LogEntry } from "./types.ts";', `import type { LogEntry } from "./types.ts";\n${line}`);
    submission("a-timers", [2], (dir) => addImport(dir, 'import { setTimeout as realTimeout } from "node:timers";\nvoid realTimeout;'));
    // The reference's log.ts, by a relative path from where the grading tree's raft/ will be.
    const fromGradingTree = "../".repeat(join(realpathSync(tmpdir()), "simlab-grade-x", "tree", "raft").split("/").length - 1);
    submission("b-reference-file", [2], (dir) => addImport(dir, `import { RaftLog as Theirs } from "${fromGradingTree}${join(thisTree, "raft/log.ts").slice(1)}";\nvoid Theirs;`));
    submission("c-type-error", [2, 3], (dir) => {
      // Lab 2 is the reference's, and still graded; lab 3 does not type-check.
      for (const file of studentFilesIn(thisTree, findLab(2)!)) writeFileSync(join(dir, file), readFileSync(join(thisTree, file)));
      edit(dir, "kvraft/client.ts", "export class Clerk {", 'const seq: number = "1";\nvoid seq;\n\nexport class Clerk {');
    });
    submission("c2-missing-package", [2], (dir) => addImport(dir, 'import leftPad from "left-pad";\nvoid leftPad;'));
    submission("d-crash", [2], (dir) =>
      edit(dir, "raft/raft.ts", 'throw notImplemented("Raft.getState (2A)");', "process.exit(3);"),
    );
    const csv = join(scratch, "term.csv");
    const { grades, stdout } = grade([folder, "--labs", "2,3", "--seeds", "1", "--csv", csv]);
    expect(grades.map((one) => one.submission)).toEqual(["a-timers", "b-reference-file", "c-type-error", "c2-missing-package", "d-crash"].map((name) => join(folder, name)));
    const [timers, reference, typeError, missingPackage, crash] = grades;

    expect(timers!.labs[0]!.notGraded).toBe(
      'cannot be loaded (part 2A): raft/log.ts imports "node:timers": a Node module; student code uses simlab\'s API alone (../sim/index.ts), whose time, tasks, randomness and storage are simulated.',
    );
    expect(reference!.labs[0]!.notGraded).toMatch(/^cannot be loaded \(part 2A\): raft\/log\.ts imports ".*\/raft\/log\.ts": a file outside the repository being graded; only the submission's own files count\.$/);
    for (const blocked of [timers!, reference!]) {
      expect(blocked.labs[0]!.tests.every((test) => test.runs === 0 && test.earned === 0)).toBe(true);
      // Lab 3 builds on the student's lab 2, so it cannot be loaded either.
      expect(blocked.labs[1]!.notGraded).toMatch(/^cannot be loaded/);
    }

    expect(typeError!.labs[0]!.notGraded).toBeUndefined();
    expect(typeError!.labs[0]!.earned).toBe(146);
    expect(typeError!.labs[1]!.notGraded).toMatch(/^does not type-check: kvraft\/client\.ts\(\d+,7\): error TS2322: Type 'string' is not assignable to type 'number'\.$/);

    expect(missingPackage!.labs[0]!.notGraded).toMatch(
      /^does not type-check: raft\/log\.ts\(\d+,\d+\): error TS2307: Cannot find module 'left-pad' .* \(The graders install only the lockfile's packages, and student code uses simlab's API alone, \.\.\/sim\/index\.ts\.\)$/,
    );

    const crashed = crash!.labs[0]!.tests.find((test) => test.test === "TestInitialElection2A")!;
    expect(crashed.firstFailure!.ended).toBe("worker ended");
    expect(crashed.firstFailure!.why).toBe("the worker process running seed 1 ended (exit code 3)");
    expect(crash!.earned).toBe(0);

    expect(stdout.split("\n")[0]).toMatch(/^submission +lab 2 +lab 3 +total +notes$/);
    expect(stdout).toMatch(new RegExp(`^${join(folder, "c-type-error")} +146/146 +0/115 \\(not graded\\) +146/261 +Lab 3 was not graded: it does not type-check`, "m"));
    const rows = readFileSync(csv, "utf8").trimEnd().split("\n");
    expect(rows[0]).toBe("submission,2A,2B,2C,2D,2X,lab 2,3A,3B,lab 3,total,out of,notes");
    expect(rows[3]).toMatch(new RegExp(`^${join(folder, "c-type-error")},15,30,40,35,26,146,0,0,0,146,261,"Lab 3 was not graded: it does not type-check: kvraft/client\\.ts\\(\\d+,7\\)`));
    expect(rows).toHaveLength(6);
  }, GRADE_LIMIT_MS);

  it("rejects what it cannot grade in one line", () => {
    const refused = (args: string[]): string => usageError(["grade", ...args]);
    expect(refused([])).toBe("simlab: grade needs one submission or more, e.g. simlab grade ../submissions/alice --labs 2 (see simlab grade --help).");
    expect(refused([join(scratch, "nowhere")])).toBe(`simlab: grade: ${join(scratch, "nowhere")} does not exist.`);
    const empty = join(scratch, "empty");
    mkdirSync(join(empty, "notes"), { recursive: true });
    expect(refused([empty])).toBe(`simlab: grade: ${empty} has no student files (raft/raft.ts, raft/log.ts, raft/progress.ts, …), and no subfolder that has any.`);
    expect(refused([thisTree, "--labs", "9"])).toBe("simlab: --labs: there is no lab 9; the labs are 2, 3, 4, 5.");
    expect(refused([thisTree, "--seeds", "0"])).toBe('simlab: --seeds needs a whole number ≥ 1, not "0".');
  });
});
