// simlab handout --out DIR [--labs 2,3,4]: writes a student repository (labs/course/handout.ts
// says what is in it), then checks that no line of the reference solutions reached it
// (labs/course/leaks.ts).
import { UsageError } from "../../sim/index.ts";
import { edition } from "../../tests/harness/edition.ts";
import { thisTree } from "../course/files.ts";
import { writeHandout } from "../course/handout.ts";
import { findLeaks } from "../course/leaks.ts";
import { labs } from "../course/manifest.ts";
import type { Command } from "./command.ts";
import { labList, readOptions } from "./options.ts";

const usage = `usage: simlab handout --out DIR [--labs L,…]

Writes a student repository into DIR, a new or empty folder: the simulator, the command line and
the graders, each lab's handout and given files, each student file as its skeleton (its SOLUTION
regions replaced by their TODO text), and a README for students. Then checks that no line of the
reference solutions is in it.

options:
  --out DIR    the folder to write (required)
  --labs L,…   the labs, e.g. 2 or 2,3 (default: ${labs.map((lab) => lab.number).join(",")}); a lab needs the labs it builds on

Publish DIR as a git repository for students to clone; for the next lab, build the handout of
the labs so far and commit it on top (docs/teaching.md).
exit code: 0 written and checked, 1 solution text found in DIR, 2 bad input`;

export const handoutCommand: Command = {
  name: "handout",
  summary: "write a student repository: the framework, the handouts, skeletons of the solutions",
  usage,
  async run(args) {
    const { values } = readOptions("handout", args, { out: { type: "string" }, labs: { type: "string" } }, {
      min: 0,
      max: 0,
      what: "no arguments besides its options, e.g. simlab handout --out ../labs-2026 --labs 2",
    });
    if (edition.kind === "handout") {
      throw new UsageError("handout builds a student repository from simlab's own, which has the reference solutions; this is a student repository.");
    }
    if (typeof values.out !== "string") throw new UsageError("handout needs --out DIR, the folder to write (see simlab handout --help).");
    const chosen = labList("--labs", values.labs);
    const started = performance.now();
    const files = writeHandout(thisTree, chosen, values.out);
    const leaks = findLeaks(thisTree, values.out);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const which = chosen.map((lab) => lab.number).join(", ");
    if (leaks.length > 0) {
      console.error(`wrote ${files.length} files for lab${chosen.length === 1 ? "" : "s"} ${which} into ${values.out}, but ${leaks.length} line${leaks.length === 1 ? "" : "s"} of them appear only in the reference solutions:`);
      for (const leak of leaks) console.error(`  ${leak.file}:${leak.line}: ${leak.text}`);
      console.error("Do not publish it: put each of those lines in a SOLUTION region (or out of the file), and build the handout again.");
      return 1;
    }
    console.log(`wrote ${files.length} files for lab${chosen.length === 1 ? "" : "s"} ${which} into ${values.out} in ${seconds} s; no line of the solutions is in it.`);
    console.log(`try it as a student would: cd ${values.out} && npm ci && npm test -- ${chosen[0]!.parts[0]!.name}`);
    return 0;
  },
};
