// Loads the graders of some lab parts in a grading tree, as a test worker would, and says which
// cannot be loaded and why: a submission whose files throw when they are loaded, or import what
// they must not (import-guard.ts is --import'ed with this file), gets one sentence per part
// rather than a worker that crashes on every run.
//
//   SIMLAB_GRADED_TREE=… SIMLAB_GRADED_LABS=2 node --import tsx --import labs/course/import-guard.ts \
//     labs/course/load-check.ts OUT 2A 2B …
//
// writes to the file OUT one JSON object: each part → null, or the first line of its error.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

type PartLoader = () => Promise<unknown>;

const [out, ...names] = process.argv.slice(2);
const registry = join(process.env.SIMLAB_GRADED_TREE ?? "", "tests", "registry.ts");
const { parts } = (await import(pathToFileURL(registry).href)) as { parts: Record<string, PartLoader> };
const result: Record<string, string | null> = {};
for (const name of names) {
  try {
    await parts[name]!();
    result[name] = null;
  } catch (error) {
    result[name] = (error instanceof Error ? error.message : String(error)).split("\n")[0]!;
  }
}
writeFileSync(out!, JSON.stringify(result));
process.exit(0); // whatever a loaded module may have left running
