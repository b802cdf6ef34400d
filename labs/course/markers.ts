// The SOLUTION markers: how a reference solution says what its student skeleton keeps. A student
// file of the reference (manifest.ts lists them) is the solution with regions marked like this:
//
//   getState(): { term: number; isLeader: boolean } {
//     // SOLUTION BEGIN
//     // TODO(2A): your term, and whether you believe you lead.       ← the TODO text: kept
//     return { term: this.currentTerm, isLeader: this.role === "leader" };  ← the solution: removed
//     // SOLUTION ELSE                                                  ← optional
//     // throw notImplemented("Raft.getState (2A)");                    ← what the skeleton has instead
//     // SOLUTION END
//   }
//
// and the skeleton of that method is its TODO text and the ELSE branch without its `// `:
//
//   getState(): { term: number; isLeader: boolean } {
//     // TODO(2A): your term, and whether you believe you lead.
//     throw notImplemented("Raft.getState (2A)");
//   }
//
// The rules, which readRegions() enforces (a broken one is an error naming the file and line):
//   - A marker line is exactly `// SOLUTION BEGIN`, `// SOLUTION ELSE` or `// SOLUTION END`
//     (indentation aside). Regions do not nest, and every BEGIN has its END.
//   - A region opens with its TODO text: a comment line starting `// TODO(parts)`, and the comment
//     lines right after it that start another TODO or are indented further (`//   …`). The parts
//     are lab parts: TODO(2B), TODO(2A, 2C), TODO(2A–2D) (a range, with a dash). Every region has
//     one, so that a student finds every gap with a search for TODO, and knows its part.
//   - Everything after the TODO text, up to ELSE or END, is the solution.
//   - The ELSE branch is for what the skeleton needs in place of the solution to type-check: a
//     stub that returns or throws where a function must, an import of notImplemented. The reference
//     does not compile it, so each of its lines is a comment; the skeleton gets it uncommented.
//   - A region removes or adds something: it has solution lines, an ELSE branch, or both.
//
// A function whose whole body is a region needs an ELSE branch when it must return something;
// the skeleton's type-check (tests/course/handout.test.ts) catches one that was forgotten.

import { UsageError } from "../../sim/index.ts";

/** One marked region of a file. Lines are numbered from 1, as an editor shows them. */
export interface Region {
  /** The line of `// SOLUTION BEGIN`. */
  begin: number;
  /** The line of `// SOLUTION END`. */
  end: number;
  /** The TODO text, as written (kept in the skeleton). */
  todo: string[];
  /** The reference's lines (removed from the skeleton). */
  solution: string[];
  /** The ELSE branch, uncommented: what the skeleton has instead. */
  skeleton: string[];
  /** The lab parts the TODO text names, e.g. ["2A", "2B", "2C", "2D"] for TODO(2A–2D). */
  parts: string[];
}

/** A marker that breaks the rules, with the file and line: "raft/raft.ts:88: …". */
export class MarkerError extends UsageError {
  override name = "MarkerError";
}

const markerLine = /^\s*\/\/ SOLUTION (BEGIN|ELSE|END)\s*$/;
const anyMarker = /\bSOLUTION (BEGIN|ELSE|END)\b/;
const todoStart = /^\s*\/\/ TODO\(/;
const todoContinued = /^\s*\/\/( TODO\(| {2,}\S)/;
const commented = /^(\s*)\/\/ ?(.*)$/;

/** The regions of `text` (the contents of `file`, which only names it in errors), in order. */
export function readRegions(text: string, file: string): Region[] {
  const lines = text.split("\n");
  const regions: Region[] = [];
  const at = (line: number): string => `${file}:${line}`;
  let open: { begin: number; elseLine: number | undefined; body: string[]; elseBody: string[] } | undefined;

  lines.forEach((line, i) => {
    const number = i + 1;
    const marker = markerLine.exec(line)?.[1];
    if (marker === undefined && anyMarker.test(line)) {
      throw new MarkerError(`${at(number)}: a marker line is exactly "// SOLUTION BEGIN", "// SOLUTION ELSE" or "// SOLUTION END", with nothing else on it; found: ${line.trim()}`);
    }
    if (marker === "BEGIN") {
      if (open !== undefined) {
        throw new MarkerError(`${at(number)}: a SOLUTION region opens inside the one opened at line ${open.begin}; regions do not nest: end that one first.`);
      }
      open = { begin: number, elseLine: undefined, body: [], elseBody: [] };
    } else if (marker === "ELSE") {
      if (open === undefined) throw new MarkerError(`${at(number)}: SOLUTION ELSE outside a region (no SOLUTION BEGIN before it).`);
      if (open.elseLine !== undefined) {
        throw new MarkerError(`${at(number)}: a second SOLUTION ELSE in the region opened at line ${open.begin} (its first is at line ${open.elseLine}).`);
      }
      open.elseLine = number;
    } else if (marker === "END") {
      if (open === undefined) throw new MarkerError(`${at(number)}: SOLUTION END without a SOLUTION BEGIN before it.`);
      regions.push(closeRegion(open, number, at));
      open = undefined;
    } else if (open !== undefined) {
      if (open.elseLine === undefined) {
        open.body.push(line);
      } else {
        if (line.trim() !== "" && !commented.test(line)) {
          throw new MarkerError(`${at(number)}: a line of a SOLUTION ELSE branch is not a comment; the reference does not compile the branch, so comment out each of its lines (the skeleton gets them without the "// "): ${line.trim()}`);
        }
        open.elseBody.push(line);
      }
    }
  });
  if (open !== undefined) {
    throw new MarkerError(`${at(open.begin)}: the SOLUTION region opened here is never closed; add "// SOLUTION END" where the solution ends.`);
  }
  return regions;
}

function closeRegion(
  open: { begin: number; body: string[]; elseBody: string[] },
  end: number,
  at: (line: number) => string,
): Region {
  let todoLength = 0;
  if (open.body.length > 0 && todoStart.test(open.body[0]!)) {
    todoLength = 1;
    while (todoLength < open.body.length && todoContinued.test(open.body[todoLength]!)) todoLength++;
  }
  if (todoLength === 0) {
    throw new MarkerError(`${at(open.begin + 1)}: the SOLUTION region opened at line ${open.begin} has no TODO: its first line says what the student writes and for which part, e.g. "// TODO(2B): …".`);
  }
  const todo = open.body.slice(0, todoLength);
  const solution = open.body.slice(todoLength);
  const parts = todoParts(todo, at(open.begin + 1));
  const skeleton = open.elseBody.map((line) => {
    const match = commented.exec(line);
    return match === null || match[2] === "" ? "" : `${match[1]}${match[2]}`;
  });
  if (solution.every((line) => line.trim() === "") && skeleton.every((line) => line.trim() === "")) {
    throw new MarkerError(`${at(open.begin)}: the SOLUTION region opened here has neither solution lines nor an ELSE branch; it changes nothing in the skeleton, so remove its markers.`);
  }
  return { begin: open.begin, end, todo, solution, skeleton, parts };
}

/** The parts every TODO(…) of the text names, in order, each once. */
function todoParts(todo: string[], where: string): string[] {
  const parts: string[] = [];
  for (const [, inside] of todo.join("\n").matchAll(/TODO\(([^)]*)\)/g)) {
    for (const item of inside!.split(",").map((s) => s.trim())) {
      const single = /^(\d)([A-Z])$/.exec(item);
      const range = /^(\d)([A-Z])\s*[–-]\s*(\d)([A-Z])$/.exec(item);
      let named: string[];
      if (single !== null) {
        named = [item];
      } else if (range !== null && range[1] === range[3] && range[2]! <= range[4]!) {
        const first = range[2]!.charCodeAt(0);
        named = Array.from({ length: range[4]!.charCodeAt(0) - first + 1 }, (_, k) => `${range[1]}${String.fromCharCode(first + k)}`);
      } else {
        throw new MarkerError(`${where}: TODO(${inside}) does not name lab parts; write them like TODO(2B), TODO(2A, 2C) or TODO(2A–2D).`);
      }
      for (const part of named) if (!parts.includes(part)) parts.push(part);
    }
  }
  return parts;
}

/**
 * The skeleton of `text`: each region replaced by its TODO text and its uncommented ELSE branch.
 * `replace` picks the regions to replace (default: all); the others keep their solution, without
 * markers — simlab's tests build a submission that has done some parts only that way.
 */
export function skeletonOf(text: string, file: string, replace: (region: Region) => boolean = () => true): string {
  const lines = text.split("\n");
  const out: string[] = [];
  let next = 1;
  for (const region of readRegions(text, file)) {
    out.push(...lines.slice(next - 1, region.begin - 1));
    out.push(...region.todo, ...(replace(region) ? region.skeleton : region.solution));
    next = region.end + 1;
  }
  out.push(...lines.slice(next - 1));
  return out.join("\n");
}
