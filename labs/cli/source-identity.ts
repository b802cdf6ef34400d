// What code a run's outcome depends on, in two strings: simlab's version (package.json) and a
// content hash of the sources — every .ts/.mjs/.json/.yaml file under the tree's folders (the
// framework, the labs, their tests and graders, scenarios), and the modules SIMLAB_EXTRA_PARTS
// adds. Two machines whose identities match run the same tests the same way, so their results
// can be merged (simlab merge) or shared over a queue (simlab worker); where they differ, the
// results are refused with both identities shown. The hash ignores node_modules, docs, bench,
// dot-folders (.git, .simlab) and where the tree lives, so two clones of one commit agree; and at
// the root it reads only the project's own files (rootFiles), so that what a command writes there
// (a shard file, grade --json) or a CI job downloads there does not change the identity.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { basename, delimiter, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export interface SourceIdentity {
  /** simlab's version, from package.json. */
  simlab: string;
  /** SHA-256 (hex) of the sources. */
  sources: string;
}

const root = fileURLToPath(new URL("../..", import.meta.url));
const hashedFile = /\.(ts|mts|mjs|json|ya?ml)$/;
const skippedFolders = new Set(["node_modules", "docs", "bench"]);
/** The files at the root that the code depends on. */
const rootFiles = new Set(["package.json", "package-lock.json", "tsconfig.json", "vitest.config.ts"]);

let cached: SourceIdentity | undefined;

/** This tree's identity (computed once per process: about 20 ms for simlab's ~400 files). */
export function sourceIdentity(): SourceIdentity {
  cached ??= compute();
  return cached;
}

/** "simlab 0.1.0, sources 3f2a9c1e0b7d" — how messages show an identity. */
export function describeIdentity(identity: SourceIdentity): string {
  return `simlab ${identity.simlab}, sources ${identity.sources.slice(0, 12)}`;
}

export function sameIdentity(a: SourceIdentity, b: SourceIdentity): boolean {
  return a.simlab === b.simlab && a.sources === b.sources;
}

function compute(): SourceIdentity {
  const hash = createHash("sha256");
  const add = (name: string, content: Buffer): void => {
    hash.update(`${name}\0${content.length}\0`);
    hash.update(content);
  };
  for (const file of filesUnder("")) add(file, readFileSync(join(root, file)));
  // Extra parts may live outside the tree: their content counts, not their path.
  for (const path of (process.env.SIMLAB_EXTRA_PARTS ?? "").split(delimiter).filter((p) => p !== "")) {
    add(`extra part ${basename(path)}`, readFileSync(resolve(path)));
  }
  const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
  return { simlab: version, sources: hash.digest("hex") };
}

/** The hashed files under a folder of the tree, as sorted paths relative to the root. */
function filesUnder(folder: string): string[] {
  const entries = readdirSync(join(root, folder), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    const path = folder === "" ? entry.name : `${folder}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!entry.name.startsWith(".") && !skippedFolders.has(entry.name)) files.push(...filesUnder(path));
    } else if (entry.isFile() && hashedFile.test(entry.name) && (folder !== "" || rootFiles.has(entry.name))) {
      files.push(path);
    }
  }
  return files;
}
