// `simlab check` end to end, as a student runs it: a separate process, its output and exit code.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { corpusDir } from "./porcupine-corpus.ts";

const simlabBin = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "labs", "cli", "simlab.mjs");

function simlab(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const { status, stdout, stderr } = spawnSync(process.execPath, [simlabBin, ...args], { encoding: "utf8" });
  return { status, stdout, stderr };
}

const corpus = (name: string): string => join(corpusDir, name);

describe("simlab check", () => {
  test("a linearizable history: exit 0", () => {
    const { status, stdout, stderr } = simlab("check", corpus("kv/c10-ok.txt"), "--model", "kv");
    expect(stderr).toBe("");
    expect(stdout).toContain("c10-ok.txt: linearizable  [kv model, 10 parts,");
    expect(status).toBe(0);
  });

  test("a history that is not: exit 1, the partition, the longest order and what cannot follow it", () => {
    const { status, stdout } = simlab("check", corpus("kv/c01-bad.txt"));
    expect(status).toBe(1);
    expect(stdout).toContain("c01-bad.txt: NOT linearizable");
    expect(stdout).toContain('Partition "7" cannot be ordered.');
    expect(stdout).toContain("Longest order the model accepts (3 operations)");
    expect(stdout).toMatch(/3\. client 0 +append\("7", "x 0 3 y"\) +=> "x 0 0 yx 0 3 y"/);
    expect(stdout).toMatch(/client 0 +get\("7"\) -> "x 0 0 y" +\(the model rejects it in this state\)/);
  });

  test("a Jepsen register log, model told from the content", () => {
    const { status, stdout } = simlab("check", corpus("jepsen/etcd_000.log"));
    expect(status).toBe(1);
    expect(stdout).toContain("[register model, 1 part,");
    expect(stdout).toContain("The history cannot be ordered.");
  });

  test("a budget too small for the search: exit 3", () => {
    const { status, stdout } = simlab("check", corpus("jepsen/etcd_002.log"), "--budget", "1000");
    expect(stdout).toContain("unknown (the search budget ran out before a verdict)");
    expect(status).toBe(3);
  });

  test("our own JSON lines", () => {
    const dir = mkdtempSync(join(tmpdir(), "simlab-check-"));
    const file = join(dir, "history.jsonl");
    writeFileSync(
      file,
      [
        { process: 0, type: "invoke", f: "put", key: "k", value: "v", time: 0 },
        { process: 0, type: "ok", f: "put", key: "k", value: "v", time: 1 },
        { process: 1, type: "invoke", f: "get", key: "k", value: null, time: 2 },
        { process: 1, type: "ok", f: "get", key: "k", value: "", time: 3 },
      ]
        .map((line) => JSON.stringify(line) + "\n")
        .join(""),
    );
    const { status, stdout } = simlab("check", file);
    expect(stdout).toContain('Partition "k" cannot be ordered.');
    expect(status).toBe(1);
  });

  test.each([
    ["a missing file", ["check", "no/such/file.txt"], "simlab: cannot read no/such/file.txt: there is no such file."],
    ["an unknown model", ["check", corpus("kv/c01-ok.txt"), "--model", "queue"], 'simlab: unknown model "queue"; use --model kv or --model register.'],
    ["an unknown option", ["check", corpus("kv/c01-ok.txt"), "--fast"], "simlab: Unknown option '--fast' (see simlab check --help)."],
    ["the wrong model for the file", ["check", corpus("jepsen/etcd_001.log"), "--model", "kv"], "holds register operations, but --model kv was given"],
    ["no file", ["check"], "simlab: check needs exactly one history file, got 0"],
    ["an unknown command", ["frobnicate"], 'simlab: unknown command "frobnicate"'],
  ])("bad input (%s): one line on stderr, exit 2", (_what, args, message) => {
    const { status, stdout, stderr } = simlab(...args);
    expect(status).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain(message);
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  test("a malformed file: the file and line, exit 2", () => {
    const dir = mkdtempSync(join(tmpdir(), "simlab-check-"));
    const file = join(dir, "broken.log");
    writeFileSync(file, "INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - 0\t:ok\t:read\tmaybe\n");
    const { status, stderr } = simlab("check", file);
    expect(stderr).toBe(`simlab: ${file} line 2: cannot read the value "maybe"; expected nil, an integer, [from to] or :timed-out.\n`);
    expect(status).toBe(2);
  });

  test("--help lists the commands and each command's options", () => {
    expect(simlab("--help").stdout).toMatch(/\n  check +check a recorded history for linearizability\n/);
    const help = simlab("check", "--help");
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("exit code: 0 linearizable, 1 not linearizable, 3 unknown");
  });
});
