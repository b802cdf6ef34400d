// The import rules of grading (labs/course/import-rules.ts), case by case: the hook is called as
// Node calls it, with a resolver standing in for Node's.
import { describe, expect, it } from "vitest";
import type { ResolveFnOutput } from "node:module";
import { initialize, resolve } from "../../labs/course/import-rules.ts";

const tree = "/grading/tree";
initialize({
  tree,
  allowed: {
    "raft/raft.ts": ["sim/index.ts", "raft/raft.ts", "raft/log.ts", "raft/types.ts"],
    "shardkv/server.ts": ["sim/index.ts", "raft/raft.ts", "raft/types.ts", "shardkv/server.ts", "shardmaster/client.ts"],
  },
  labOf: { "raft/raft.ts": 2, "raft/log.ts": 2, "raft/types.ts": 2, "kvraft/client.ts": 3, "shardkv/server.ts": 4, "shardmaster/client.ts": 4 },
  packages: ["chalk", "@types/node"],
});

/** Node's resolver, for a relative or absolute specifier. */
async function nodeResolve(specifier: string, context?: { parentURL?: string | undefined }): Promise<ResolveFnOutput> {
  return { url: new URL(specifier, context?.parentURL).href, format: "module" };
}

/** Resolves `specifier` imported by `importer` (relative to the tree); the error's message if refused. */
async function outcome(importer: string, specifier: string): Promise<string> {
  try {
    const { url } = await resolve(specifier, { parentURL: `file://${tree}/${importer}`, conditions: [], importAttributes: {}, importAssertions: {} }, nodeResolve);
    return `allowed: ${url}`;
  } catch (error) {
    return (error as Error).message;
  }
}

describe("what a student file may import", () => {
  it("simlab's door and the files of its labs", async () => {
    expect(await outcome("raft/raft.ts", "../sim/index.ts")).toBe(`allowed: file://${tree}/sim/index.ts`);
    expect(await outcome("raft/raft.ts", "./log.ts")).toBe(`allowed: file://${tree}/raft/log.ts`);
    expect(await outcome("shardkv/server.ts", "../shardmaster/client.ts")).toBe(`allowed: file://${tree}/shardmaster/client.ts`);
  });

  it("files other than student files import as they like (the graders, the framework)", async () => {
    expect(await outcome("tests/raft/config.ts", "node:fs")).toBe("allowed: node:fs");
  });

  it("no Node module, with or without node:", async () => {
    const why = "a Node module; student code uses simlab's API alone (../sim/index.ts), whose time, tasks, randomness and storage are simulated.";
    expect(await outcome("raft/raft.ts", "node:timers")).toBe(`raft/raft.ts imports "node:timers": ${why}`);
    expect(await outcome("raft/raft.ts", "fs")).toBe(`raft/raft.ts imports "fs": ${why}`);
  });

  it("no package, whether the lockfile has it or not", async () => {
    expect(await outcome("raft/raft.ts", "chalk")).toBe('raft/raft.ts imports "chalk": a package (one of simlab\'s own); student code uses simlab\'s API alone (../sim/index.ts).');
    expect(await outcome("raft/raft.ts", "@types/node/fs")).toMatch(/^raft\/raft\.ts imports "@types\/node\/fs": a package \(one of simlab's own\)/);
    expect(await outcome("raft/raft.ts", "left-pad")).toBe(
      'raft/raft.ts imports "left-pad": a package the lockfile does not have, which the graders do not install; student code uses simlab\'s API alone (../sim/index.ts).',
    );
  });

  it("not simlab's internals, a grader, another lab's file, or anything outside the tree", async () => {
    expect(await outcome("raft/raft.ts", "../sim/core/simulation.ts")).toBe(
      'raft/raft.ts imports "../sim/core/simulation.ts": simlab\'s internals; import what student code may use from ../sim/index.ts.',
    );
    expect(await outcome("raft/raft.ts", "../tests/raft/config.ts")).toBe('raft/raft.ts imports "../tests/raft/config.ts": a grader; student code must not depend on the tests.');
    expect(await outcome("shardkv/server.ts", "../kvraft/client.ts")).toBe(
      'shardkv/server.ts imports "../kvraft/client.ts": a file of lab 3, which lab 4 does not build on; copy what you need into your own files.',
    );
    expect(await outcome("raft/raft.ts", "../labs/cli/main.ts")).toBe('raft/raft.ts imports "../labs/cli/main.ts": not a file of your labs; student code imports ../sim/index.ts and its labs\' files only.');
    expect(await outcome("raft/raft.ts", "/reference/raft/raft.ts")).toBe(
      'raft/raft.ts imports "/reference/raft/raft.ts": a file outside the repository being graded; only the submission\'s own files count.',
    );
    expect(await outcome("raft/raft.ts", "../../elsewhere/raft.ts")).toMatch(/: a file outside the repository being graded/);
  });
});
