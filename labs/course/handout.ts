// Building a student repository: what `simlab handout` writes, and the tree `simlab grade` starts
// from before it adds a submission's files.
//
// A handout of some labs has
//   - the framework (manifest.ts: the simulator, the CLI, the test harness, the npm set-up), and
//     for each lab its handout, its given files and its graders, copied as they are;
//   - each student file as its skeleton (markers.ts): every SOLUTION region replaced by its TODO
//     text and its ELSE branch;
//   - four files that differ from simlab's own, and nothing else does:
//       README.md                 the students' README (student-readme.ts)
//       tests/harness/edition.ts  says "handout" and which labs, so that every `npm test` draws a
//                                 fresh seed (tests/harness/seeds.ts)
//       tsconfig.json             without noUnusedLocals and noUnusedParameters: a skeleton is
//                                 full of parameters, fields and imports that only the student's
//                                 code will use, and an error for each would bury the student's own
//       package.json              without the `bench` script (the benchmarks need the reference)
//
// A lab comes only with the labs it builds on (lab 3's servers run the student's own Raft), as in
// 6.824, where each lab's repository carries the student's earlier work forward.
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { UsageError } from "../../sim/index.ts";
import { filesUnder, gradersIn, studentFilesIn } from "./files.ts";
import { framework, frameworkStaffOnly, type Lab } from "./manifest.ts";
import { skeletonOf } from "./markers.ts";
import { studentReadme } from "./student-readme.ts";

/** Files of the framework that a handout has in its own version. */
const rewritten: Readonly<Record<string, (text: string, labs: readonly Lab[]) => string>> = {
  "tests/harness/edition.ts": (text, labs) => {
    const reference = 'export const edition: Edition = { kind: "reference" };';
    if (!text.includes(reference)) throw new Error(`tests/harness/edition.ts no longer says ${reference}: update handout.ts with it.`);
    return text.replace(reference, `export const edition: Edition = { kind: "handout", labs: [${labs.map((lab) => lab.number).join(", ")}] };`);
  },
  "tsconfig.json": (text) => {
    const config = JSON.parse(text) as { compilerOptions: Record<string, unknown> };
    config.compilerOptions.noUnusedLocals = false;
    config.compilerOptions.noUnusedParameters = false;
    return `${JSON.stringify(config, null, 2)}\n`;
  },
  "package.json": (text) => {
    const pkg = JSON.parse(text) as { scripts: Record<string, string> };
    delete pkg.scripts.bench;
    return `${JSON.stringify(pkg, null, 2)}\n`;
  },
};

/**
 * Writes the handout of `chosen` (which must include every lab they build on), built from the
 * simlab repository at `source`, into the folder `out`, which must be new or empty. Returns the
 * files written.
 */
export function writeHandout(source: string, chosen: readonly Lab[], out: string): string[] {
  for (const lab of chosen) {
    const missing = lab.buildsOn.filter((number) => !chosen.some((other) => other.number === number));
    if (missing.length > 0) {
      const all = [...new Set([...missing, ...chosen.map((other) => other.number)])].sort((a, b) => a - b);
      throw new UsageError(`lab ${lab.number} builds on lab ${missing.join(" and ")} (the student's own code runs under it); hand them out together: --labs ${all.join(",")}.`);
    }
  }
  if (existsSync(out) && readdirSync(out).length > 0) {
    throw new UsageError(`${out} already has files in it; give --out a new or empty folder (a handout never overwrites anything).`);
  }
  const written: string[] = [];
  const write = (path: string, text: string): void => {
    mkdirSync(dirname(join(out, path)), { recursive: true });
    writeFileSync(join(out, path), text);
    written.push(path);
  };
  const copy = (path: string): void => {
    mkdirSync(dirname(join(out, path)), { recursive: true });
    copyFileSync(join(source, path), join(out, path));
    written.push(path);
  };

  for (const path of filesUnder(source, framework, (path) => !frameworkStaffOnly.includes(path))) {
    const rewrite = rewritten[path];
    if (rewrite === undefined) copy(path);
    else write(path, rewrite(readFileSync(join(source, path), "utf8"), chosen));
  }
  for (const lab of chosen) {
    for (const path of [...filesUnder(source, [lab.handout, ...lab.givenFiles]), ...gradersIn(source, lab)]) copy(path);
    for (const path of studentFilesIn(source, lab)) write(path, skeletonOf(readFileSync(join(source, path), "utf8"), path));
  }
  write("README.md", studentReadme(chosen));
  return written.sort();
}
