// The course manifest (labs/course/manifest.ts) agrees with the repository: its parts and tests are
// the registry's, every file it names exists, every file of a lab's folders is in it, and every
// student file's SOLUTION regions parse and name parts of their own lab.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { filesUnder, gradersIn, studentFilesIn, thisTree, treeFiles } from "../../labs/course/files.ts";
import { framework, frameworkStaffOnly, labs } from "../../labs/course/manifest.ts";
import { readRegions } from "../../labs/course/markers.ts";
import { parts } from "../registry.ts";

describe("the course manifest", () => {
  it("has the registry's parts, and each part the registry's tests in its order", async () => {
    expect(labs.flatMap((lab) => lab.parts.map((part) => part.name))).toEqual(Object.keys(parts));
    for (const part of labs.flatMap((lab) => lab.parts)) {
      const tests = await parts[part.name]!();
      expect(Object.keys(part.tests), part.name).toEqual(tests.map((test) => test.name));
    }
  });

  it("names files that exist", () => {
    const named = [
      ...framework,
      ...frameworkStaffOnly,
      ...labs.flatMap((lab) => [lab.handout, ...lab.studentFiles, ...lab.givenFiles, ...lab.graders, ...lab.staffOnly]),
    ];
    for (const path of named) expect(filesUnder(thisTree, [path]), path).not.toEqual([]);
  });

  it("puts every file of a lab's folders in one place: student, given, grader or staff-only", () => {
    for (const lab of labs) {
      const placed = new Set([...studentFilesIn(thisTree, lab), ...filesUnder(thisTree, lab.givenFiles), ...gradersIn(thisTree, lab), ...lab.staffOnly]);
      // raft/ for raft/raft.ts; tests/raft/ for the graders.
      const folders = new Set([...[...lab.studentFiles, ...lab.givenFiles].map((path) => path.split("/")[0]!), ...lab.graders.map((path) => path.replace(/\/$/, ""))]);
      const inFolders = [...folders].flatMap((folder) => treeFiles(thisTree, folder));
      expect(inFolders.filter((path) => !placed.has(path)), `lab ${lab.number}`).toEqual([]);
    }
  });

  it("gives every lab part tests worth points, with an events budget", () => {
    for (const [name, score] of labs.flatMap((lab) => lab.parts.flatMap((part) => Object.entries(part.tests)))) {
      expect(score.points, name).toBeGreaterThan(0);
      expect(score.maxEvents, name).toBeGreaterThanOrEqual(200_000);
    }
  });

  it("has student files whose regions parse and name parts of their own lab", () => {
    for (const lab of labs) {
      const own = lab.parts.map((part) => part.name);
      for (const file of studentFilesIn(thisTree, lab)) {
        const regions = readRegions(readFileSync(join(thisTree, file), "utf8"), file);
        expect(regions.length, file).toBeGreaterThan(0);
        for (const region of regions) expect(own, `${file}:${region.begin}`).toEqual(expect.arrayContaining(region.parts));
      }
    }
  });
});
