// The SOLUTION marker grammar (labs/course/markers.ts): what a skeleton keeps, and every broken
// region rejected with its file and line.
import { describe, expect, it } from "vitest";
import { MarkerError, readRegions, skeletonOf } from "../../labs/course/markers.ts";

const method = `export class Raft {
  getState(): { term: number; isLeader: boolean } {
    // SOLUTION BEGIN
    // TODO(2A): your term, and whether you believe you lead;
    //   nothing else.
    return { term: this.currentTerm, isLeader: this.role === "leader" };
    // SOLUTION ELSE
    // throw notImplemented("Raft.getState (2A)");
    //
    // // a comment of the skeleton
    // SOLUTION END
  }
}`;

/** The error readRegions throws for `text`, as "file:line: sentence". */
function rejection(text: string): string {
  try {
    readRegions(text, "raft/raft.ts");
  } catch (error) {
    expect(error).toBeInstanceOf(MarkerError);
    return (error as Error).message;
  }
  throw new Error("the text was accepted");
}

describe("SOLUTION markers", () => {
  it("a region: its TODO text, its solution, and its ELSE branch uncommented", () => {
    const [region] = readRegions(method, "raft/raft.ts");
    expect(region).toEqual({
      begin: 3,
      end: 11,
      todo: ["    // TODO(2A): your term, and whether you believe you lead;", "    //   nothing else."],
      solution: ['    return { term: this.currentTerm, isLeader: this.role === "leader" };'],
      skeleton: ['    throw notImplemented("Raft.getState (2A)");', "", "    // a comment of the skeleton"],
      parts: ["2A"],
    });
  });

  it("the skeleton keeps everything outside regions, the TODO text and the ELSE branch", () => {
    expect(skeletonOf(method, "raft/raft.ts")).toBe(`export class Raft {
  getState(): { term: number; isLeader: boolean } {
    // TODO(2A): your term, and whether you believe you lead;
    //   nothing else.
    throw notImplemented("Raft.getState (2A)");

    // a comment of the skeleton
  }
}`);
  });

  it("regions that are not chosen keep their solution, without markers", () => {
    const text = `a\n// SOLUTION BEGIN\n// TODO(2B): b\nb\n// SOLUTION END\n// SOLUTION BEGIN\n// TODO(2C): c\nc\n// SOLUTION END\nd`;
    expect(skeletonOf(text, "f.ts", (region) => region.parts.includes("2C"))).toBe("a\n// TODO(2B): b\nb\n// TODO(2C): c\nd");
  });

  it("the parts a TODO names: lists, ranges with either dash, and every TODO of the text", () => {
    const parts = (todo: string): string[] => readRegions(`// SOLUTION BEGIN\n${todo}\nx\n// SOLUTION END`, "f.ts")[0]!.parts;
    expect(parts("// TODO(2B)")).toEqual(["2B"]);
    expect(parts("// TODO(2A, 2C): x")).toEqual(["2A", "2C"]);
    expect(parts("// TODO(2A–2D): x")).toEqual(["2A", "2B", "2C", "2D"]);
    expect(parts("// TODO(3A-3B): x")).toEqual(["3A", "3B"]);
    expect(parts("// TODO(2A): x. TODO(2B): y\n// TODO(2D, 2A): z")).toEqual(["2A", "2B", "2D"]);
  });

  it("a region that is never closed", () => {
    expect(rejection("a\n// SOLUTION BEGIN\n// TODO(2A): x\nx\n")).toBe(
      'raft/raft.ts:2: the SOLUTION region opened here is never closed; add "// SOLUTION END" where the solution ends.',
    );
  });

  it("a region inside a region", () => {
    expect(rejection("// SOLUTION BEGIN\n// TODO(2A): x\n  // SOLUTION BEGIN\n// SOLUTION END\n// SOLUTION END")).toBe(
      "raft/raft.ts:3: a SOLUTION region opens inside the one opened at line 1; regions do not nest: end that one first.",
    );
  });

  it("an END or ELSE with no region open", () => {
    expect(rejection("x\n// SOLUTION END")).toBe("raft/raft.ts:2: SOLUTION END without a SOLUTION BEGIN before it.");
    expect(rejection("// SOLUTION ELSE")).toBe("raft/raft.ts:1: SOLUTION ELSE outside a region (no SOLUTION BEGIN before it).");
  });

  it("a region with no TODO, or an empty one", () => {
    const noTodo = "raft/raft.ts:2: the SOLUTION region opened at line 1 has no TODO: its first line says what the student writes and for which part, e.g. \"// TODO(2B): …\".";
    expect(rejection("// SOLUTION BEGIN\nreturn 1;\n// SOLUTION END")).toBe(noTodo);
    expect(rejection("// SOLUTION BEGIN\n// TODO: something\nreturn 1;\n// SOLUTION END")).toBe(noTodo);
    expect(rejection("// SOLUTION BEGIN\n// TODO()\nreturn 1;\n// SOLUTION END")).toBe(
      "raft/raft.ts:2: TODO() does not name lab parts; write them like TODO(2B), TODO(2A, 2C) or TODO(2A–2D).",
    );
    expect(rejection("// SOLUTION BEGIN\n// TODO(raft): x\nreturn 1;\n// SOLUTION END")).toMatch(/^raft\/raft\.ts:2: TODO\(raft\) does not name lab parts/);
  });

  it("a region that removes and adds nothing", () => {
    expect(rejection("// SOLUTION BEGIN\n// TODO(2A): x\n\n// SOLUTION END")).toBe(
      "raft/raft.ts:1: the SOLUTION region opened here has neither solution lines nor an ELSE branch; it changes nothing in the skeleton, so remove its markers.",
    );
  });

  it("an ELSE branch with a line that is not a comment, or a second ELSE", () => {
    expect(rejection("// SOLUTION BEGIN\n// TODO(2A): x\nx\n// SOLUTION ELSE\nthrow 1;\n// SOLUTION END")).toMatch(
      /^raft\/raft\.ts:5: a line of a SOLUTION ELSE branch is not a comment; .*: throw 1;$/,
    );
    expect(rejection("// SOLUTION BEGIN\n// TODO(2A): x\nx\n// SOLUTION ELSE\n// SOLUTION ELSE\n// SOLUTION END")).toBe(
      "raft/raft.ts:5: a second SOLUTION ELSE in the region opened at line 1 (its first is at line 4).",
    );
  });

  it("a marker line with anything else on it", () => {
    expect(rejection("x\n// SOLUTION BEGIN (2B)\n")).toBe(
      'raft/raft.ts:2: a marker line is exactly "// SOLUTION BEGIN", "// SOLUTION ELSE" or "// SOLUTION END", with nothing else on it; found: // SOLUTION BEGIN (2B)',
    );
    expect(rejection("x; // SOLUTION END")).toMatch(/^raft\/raft\.ts:1: a marker line is exactly/);
  });
});
