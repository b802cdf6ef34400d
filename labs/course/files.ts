// The files a manifest entry names in a tree (manifest.ts): a path is that file, a path ending in
// "/" every file under that folder. For a lab's student files a folder means its .ts files only,
// so that a student's new module there is theirs and a stray editor backup is not. Paths are
// relative to the tree's root, with "/" between folders, sorted.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, posix } from "node:path";
import { fileURLToPath } from "node:url";
import type { Lab } from "./manifest.ts";

/** The root of the simlab tree this code runs from. */
export const thisTree = fileURLToPath(new URL("../..", import.meta.url));

/** Every file the entries name that exists in `root`. */
export function filesUnder(root: string, entries: readonly string[], only: (path: string) => boolean = () => true): string[] {
  const found = new Set<string>();
  for (const entry of entries) {
    if (!entry.endsWith("/")) {
      if (existsSync(join(root, entry)) && only(entry)) found.add(entry);
      continue;
    }
    for (const path of treeFiles(root, entry.slice(0, -1))) if (only(path)) found.add(path);
  }
  return [...found].sort();
}

/** The lab's student files that exist in `root` (a submission, or the reference). */
export function studentFilesIn(root: string, lab: Lab): string[] {
  return filesUnder(root, lab.studentFiles, (path) => !lab.givenFiles.includes(path) && (lab.studentFiles.includes(path) || path.endsWith(".ts")));
}

/** The lab's graders in `root`, without simlab's own tests of them. */
export function gradersIn(root: string, lab: Lab): string[] {
  return filesUnder(root, lab.graders, (path) => !lab.staffOnly.includes(path));
}

/** Every file under `folder` of the tree (all of it by default), but dependencies, git's and simlab's own records. */
export function treeFiles(root: string, folder = ""): string[] {
  const dir = join(root, folder);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = posix.join(folder, entry.name);
    if (entry.isDirectory()) return ["node_modules", ".git", ".simlab"].includes(entry.name) ? [] : treeFiles(root, path);
    return entry.isFile() ? [path] : [];
  });
}
