// Every lab part the graders define, mapped to a lazy loader of its tests. The simlab CLI (run,
// sweep, replay, check-determinism) finds tests here; vitest files import their part directly.
//
// Loading is lazy so that `simlab run 2A` does not load (or need) the Lab 3 graders. A part whose
// module is not written yet fails with a PartUnavailableError naming the file, not a crash.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { LabTest } from "./harness/registry.ts";

export type PartLoader = () => Promise<LabTest[]>;

/** A part whose grader module is missing or does not export `tests`. */
export class PartUnavailableError extends Error {
  override name = "PartUnavailableError";
}

/** Loads `tests` from a grader module given relative to this file. */
export function gradersOf(part: string, modulePath: string): PartLoader {
  return async () => {
    const url = new URL(modulePath, import.meta.url);
    const file = fileURLToPath(url);
    if (!existsSync(file)) {
      throw new PartUnavailableError(`part ${part} is not available: its grader tests/${modulePath.replace(/^\.\//, "")} does not exist yet.`);
    }
    // A computed specifier: the type checker must not require modules that are not written yet.
    const module = (await import(url.href)) as { tests?: unknown };
    if (!Array.isArray(module.tests)) {
      throw new PartUnavailableError(`part ${part} is not available: tests/${modulePath.replace(/^\.\//, "")} does not export \`tests: LabTest[]\`.`);
    }
    return module.tests as LabTest[];
  };
}

export const parts: Readonly<Record<string, PartLoader>> = {
  "2A": gradersOf("2A", "./raft/2A.ts"),
  "2B": gradersOf("2B", "./raft/2B.ts"),
  "2C": gradersOf("2C", "./raft/2C.ts"),
  "2D": gradersOf("2D", "./raft/2D.ts"),
  "3A": gradersOf("3A", "./kvraft/3A.ts"),
  "3B": gradersOf("3B", "./kvraft/3B.ts"),
};
