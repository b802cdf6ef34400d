// The code's identity (labs/cli/source-identity.ts), which merge and the queue compare: in a tree
// of its own (a handout, which carries the CLI), a file a command writes at the root, or a CI job
// downloads there (a shard file, a gradebook), leaves it as it was; a change to the code does not.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { thisTree } from "../../labs/course/files.ts";
import { writeHandout } from "../../labs/course/handout.ts";
import { findLab } from "../../labs/course/manifest.ts";

const scratch = mkdtempSync(join(tmpdir(), "simlab-identity-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The identity of the tree at `root`, computed there by its own source-identity.ts. */
function identityOf(root: string): { simlab: string; sources: string } {
  const script = `import { sourceIdentity } from "./labs/cli/source-identity.ts"; console.log(JSON.stringify(sourceIdentity()));`;
  const { status, stdout, stderr } = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: root, encoding: "utf8", timeout: 60_000 });
  expect(status, stderr).toBe(0);
  return JSON.parse(stdout) as { simlab: string; sources: string };
}

test("files written at the root do not change the identity; a change to the code or to package.json does", () => {
  const tree = join(scratch, "tree");
  writeHandout(thisTree, [findLab(2)!], tree);
  symlinkSync(join(thisTree, "node_modules"), join(tree, "node_modules"), "dir");
  const before = identityOf(tree);
  expect(before.sources).toMatch(/^[0-9a-f]{64}$/);

  writeFileSync(join(tree, "shard-1.json"), "");
  writeFileSync(join(tree, "grade-2.json"), JSON.stringify({ format: "simlab grade shard" }));
  writeFileSync(join(tree, "notes.ts"), "export {};\n");
  expect(identityOf(tree)).toEqual(before);

  const raft = join(tree, "raft", "raft.ts");
  writeFileSync(raft, `${readFileSync(raft, "utf8")}\n// changed\n`);
  const changed = identityOf(tree);
  expect(changed.sources).not.toBe(before.sources);

  const packageJson = join(tree, "package.json");
  writeFileSync(packageJson, readFileSync(packageJson, "utf8").replace(/\n$/, "\n\n"));
  expect(identityOf(tree).sources).not.toBe(changed.sources);
}, 120_000);
