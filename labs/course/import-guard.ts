// Applies the import rules (import-rules.ts) in this process: `node --import tsx --import
// labs/course/import-guard.ts …` registers the hook for the tree SIMLAB_GRADED_TREE and the labs
// SIMLAB_GRADED_LABS ("2,3"). simlab grade starts its load check and its test workers so, and
// the labs are those graded and those they build on.
import { readFileSync, realpathSync } from "node:fs";
import { register } from "node:module";
import { join } from "node:path";
import { studentFilesIn, filesUnder } from "./files.ts";
import type { ImportRules } from "./import-rules.ts";
import { findLab, labs, withFoundations } from "./manifest.ts";

const tree = realpathSync(process.env.SIMLAB_GRADED_TREE ?? "");
const graded = withFoundations((process.env.SIMLAB_GRADED_LABS ?? "").split(",").map((n) => findLab(Number(n))!));

const labOf: Record<string, number> = {};
for (const lab of labs) {
  for (const path of [...studentFilesIn(tree, lab), ...filesUnder(tree, lab.givenFiles)]) labOf[path] = lab.number;
}
const allowed: Record<string, string[]> = {};
for (const lab of graded) {
  const reachable = withFoundations([lab]).flatMap((own) => [...studentFilesIn(tree, own), ...filesUnder(tree, own.givenFiles)]);
  for (const path of studentFilesIn(tree, lab)) allowed[path] = ["sim/index.ts", ...reachable];
}
const lockfile = JSON.parse(readFileSync(join(tree, "package-lock.json"), "utf8")) as { packages: Record<string, unknown> };
const packages = Object.keys(lockfile.packages).filter((key) => key.startsWith("node_modules/")).map((key) => key.slice(key.lastIndexOf("node_modules/") + "node_modules/".length));

const data: ImportRules = { tree, allowed, labOf, packages };
register("./import-rules.ts", import.meta.url, { data });
