// What a student's file may import when it is graded, enforced as a Node module loader hook.
//
// Student code sees simlab through one door, sim/index.ts (docs/architecture.md), and builds on
// its own labs' files. So a student file of lab L may import
//   - sim/index.ts, and
//   - the student and given files of lab L and of the labs L builds on (kvraft/server.ts may
//     import raft/raft.ts; shardkv/ may import shardmaster/client.ts),
// and nothing else: not simlab's internals (sim/core/…, whose guard keeps runs deterministic), not
// a grader, not another lab's files, not a Node module (node:timers gives real timers, node:fs
// real files, node:crypto real randomness: all outside the simulation), not a package (those in
// the lockfile are simlab's own; others are not even installed), and no file outside the tree
// being graded (the reference solutions, say).
//
// The rule is a `resolve` hook (node:module's register(); import-guard.ts registers it in every
// process that loads a submission's code), so it sees every import that actually runs, static or
// dynamic, with the file it resolves to. A forbidden import fails the import with a sentence:
// `raft/raft.ts imports "node:timers": a Node module, …`.
import { builtinModules, type ResolveHook } from "node:module";
import { isAbsolute, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** What the hook needs to know of the tree being graded; import-guard.ts works it out. */
export interface ImportRules {
  /** The tree's root folder (its real path: Node resolves modules to real paths). */
  tree: string;
  /** For each student file (relative to the tree), the files it may import. */
  allowed: Record<string, string[]>;
  /** The lab each lab file of the tree belongs to, for the message about another lab's file. */
  labOf: Record<string, number>;
  /** The packages of the tree's lockfile. */
  packages: string[];
}

let rules: ImportRules | undefined;

/** The hook's data, from register(…, { data }). */
export function initialize(data: ImportRules): void {
  rules = data;
}

export const resolve: ResolveHook = async (specifier, context, nextResolve) => {
  const importer = rules === undefined || context.parentURL === undefined ? undefined : inTree(rules, context.parentURL);
  if (rules === undefined || importer === undefined || rules.allowed[importer] === undefined) return nextResolve(specifier, context);
  const refuse = (why: string): never => {
    throw new Error(`${importer} imports "${specifier}": ${why}`);
  };
  if (specifier.startsWith("node:") || builtinModules.includes(specifier)) {
    refuse("a Node module; student code uses simlab's API alone (../sim/index.ts), whose time, tasks, randomness and storage are simulated.");
  }
  if (!/^(\.|\/|file:)/.test(specifier)) {
    const name = specifier.split("/").slice(0, specifier.startsWith("@") ? 2 : 1).join("/");
    refuse(
      rules.packages.includes(name)
        ? "a package (one of simlab's own); student code uses simlab's API alone (../sim/index.ts)."
        : "a package the lockfile does not have, which the graders do not install; student code uses simlab's API alone (../sim/index.ts).",
    );
  }
  const resolved = await nextResolve(specifier, context);
  const target = resolved.url.startsWith("file:") ? inTree(rules, resolved.url) : undefined;
  if (target === undefined) refuse("a file outside the repository being graded; only the submission's own files count.");
  if (rules.allowed[importer]!.includes(target!)) return resolved;
  const own = rules.labOf[importer]!;
  const other = rules.labOf[target!];
  if (target!.startsWith("sim/")) refuse("simlab's internals; import what student code may use from ../sim/index.ts.");
  if (target!.startsWith("tests/")) refuse("a grader; student code must not depend on the tests.");
  if (other !== undefined) refuse(`a file of lab ${other}, which lab ${own} does not build on; copy what you need into your own files.`);
  return refuse("not a file of your labs; student code imports ../sim/index.ts and its labs' files only.");
};

/** The path of `url` relative to the tree, with "/" between folders; undefined outside it. */
function inTree(rules: ImportRules, url: string): string | undefined {
  if (!url.startsWith("file:")) return undefined;
  const path = relative(rules.tree, fileURLToPath(url));
  if (path.startsWith("..") || isAbsolute(path)) return undefined;
  return path.split(sep).join("/");
}
