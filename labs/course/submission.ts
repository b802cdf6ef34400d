// The tree a submission is graded in. It is built fresh from the official sources, the handout of
// the graded labs and of the labs they build on (handout.ts), and then only the submission's
// student files (manifest.ts) are copied into it, so an edited test or a patched simulator in the
// submission has no effect. A student file the submission lacks stays the skeleton's. Files of
// the submission that differ from the official ones are listed, so that staff see what was
// ignored.
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { studentFilesIn, thisTree } from "./files.ts";
import { writeHandout } from "./handout.ts";
import { labs, withFoundations, type Lab } from "./manifest.ts";

export interface GradingTree {
  root: string;
  /** The labs it holds: those graded, and those they build on. */
  labs: Lab[];
  /** Student files the submission lacks (the skeleton's stay). */
  missing: string[];
  /** Files of the submission that are not student files and differ from the official ones. */
  ignored: string[];
}

/** The files a handout writes for itself, which differ from any student repository's copy anyway. */
const generated = new Set(["README.md", "tests/harness/edition.ts", "tsconfig.json", "package.json"]);

/** Whether `dir` looks like a submission: it has a student file of some lab. */
export function isSubmission(dir: string): boolean {
  return labs.some((lab) => studentFilesIn(dir, lab).length > 0);
}

/** Builds, in the new folder `root`, the tree that grades `graded` for the submission at `submission`. */
export function buildGradingTree(submission: string, graded: readonly Lab[], root: string): GradingTree {
  const held = withFoundations(graded);
  const official = writeHandout(thisTree, held, root);
  symlinkSync(join(thisTree, "node_modules"), join(root, "node_modules"), "dir");

  const student = new Set<string>();
  const missing: string[] = [];
  for (const lab of held) {
    const taken = studentFilesIn(submission, lab);
    for (const path of taken) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      copyFileSync(join(submission, path), join(root, path));
      student.add(path);
    }
    missing.push(...studentFilesIn(thisTree, lab).filter((path) => !taken.includes(path)));
  }
  const ignored = official.filter(
    (path) =>
      !student.has(path) &&
      !generated.has(path) &&
      existsSync(join(submission, path)) &&
      !readFileSync(join(submission, path)).equals(readFileSync(join(root, path))),
  );
  return { root, labs: held, missing, ignored };
}
