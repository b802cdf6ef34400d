// Type-checking a grading tree with the tree's own tsconfig (a handout's: strict, unused names
// allowed), as a student runs `npx tsc --noEmit`. TypeScript's errors are returned one per entry,
// with the file each is in, so that simlab grade can tell which lab does not type-check.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { thisTree } from "./files.ts";

export interface TypeCheckError {
  /** The file, relative to the tree. */
  file: string;
  /** TypeScript's first line for the error: "raft/raft.ts(12,5): error TS2322: …". */
  text: string;
}

const tsc = join(thisTree, "node_modules", "typescript", "bin", "tsc");

/** Every error `tsc --noEmit` reports for the tree at `root`. */
export function typeCheckErrors(root: string): TypeCheckError[] {
  const { status, stdout, stderr, error } = spawnSync(process.execPath, [tsc, "--noEmit", "--pretty", "false", "-p", "."], {
    cwd: root,
    encoding: "utf8",
    timeout: 300_000,
  });
  if (error !== undefined) throw new Error(`the type-check of ${root} could not run: ${error.message}`);
  const errors = stdout
    .split("\n")
    .map((line) => /^(\S[^(]*)\(\d+,\d+\): error TS\d+: /.exec(line) === null ? undefined : line)
    .filter((line) => line !== undefined)
    .map((text) => ({ file: text.slice(0, text.indexOf("(")), text }));
  if (status !== 0 && errors.length === 0) throw new Error(`the type-check of ${root} failed without an error to show: ${(stdout + stderr).trim()}`);
  return errors;
}
