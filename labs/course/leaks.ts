// The leak check: no line of a reference solution may reach a student repository. A line leaks if
// it appears in the handout and, in the reference, only inside the solution part of SOLUTION
// regions (markers.ts) — not in any file outside them, not in a TODO text or a skeleton stub. So
// a `}` or a `return reply;` that the framework has too is no leak, and a line of
// `advanceCommitIndex` is, wherever in the handout it turns up: in a skeleton whose marker was
// misplaced, a grader that quotes the solution, a doc, or a file copied by mistake.
//
// `simlab handout` runs the check on what it wrote and fails if it finds a leak;
// tests/course/handout.test.ts shows that it finds one.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { studentFilesIn, treeFiles } from "./files.ts";
import { labs } from "./manifest.ts";
import { readRegions, skeletonOf } from "./markers.ts";

export interface Leak {
  /** The handout's file, relative to its root. */
  file: string;
  line: number;
  text: string;
}

/** Every line of the handout at `handout` that only the solutions of the reference at `reference` have. */
export function findLeaks(reference: string, handout: string): Leak[] {
  const solutionOnly = solutionOnlyLines(reference);
  const leaks: Leak[] = [];
  for (const file of treeFiles(handout)) {
    readFileSync(join(handout, file), "utf8")
      .split("\n")
      .forEach((line, i) => {
        if (solutionOnly.has(line.trim())) leaks.push({ file, line: i + 1, text: line.trim() });
      });
  }
  return leaks;
}

/** The trimmed lines that the reference has inside solutions and nowhere else. */
function solutionOnlyLines(reference: string): Set<string> {
  const student = new Set(labs.flatMap((lab) => studentFilesIn(reference, lab)));
  const solution = new Set<string>();
  const elsewhere = new Set<string>();
  for (const file of treeFiles(reference)) {
    const text = readFileSync(join(reference, file), "utf8");
    // A student file's lines outside its solutions are its skeleton's lines.
    for (const line of (student.has(file) ? skeletonOf(text, file) : text).split("\n")) elsewhere.add(line.trim());
    if (student.has(file)) {
      for (const region of readRegions(text, file)) for (const line of region.solution) solution.add(line.trim());
    }
  }
  return new Set([...solution].filter((line) => line !== "" && !elsewhere.has(line)));
}
