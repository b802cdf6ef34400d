// simlab serve and simlab jepsen as commands: their help describes every option, and a user's
// mistake is one line on stderr with exit code 2, before any process starts.
import { describe, expect, test } from "vitest";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simlab, usageError } from "../cli/simlab.ts";

// Never created: every command below fails before it makes its folder.
const nowhere = join(tmpdir(), "simlab-cli-test-never-created");

describe("simlab serve and jepsen", () => {
  test("simlab --help lists both", () => {
    const { status, stdout } = simlab(["--help"]);
    expect(status).toBe(0);
    for (const command of ["serve", "jepsen"]) expect(stdout).toMatch(new RegExp(`^  ${command} +\\S`, "m"));
  });

  test.each([
    ["serve", ["--dir", "--nodes", "--port", "--trace"]],
    ["jepsen", ["--nodes", "--time", "--clients", "--keys", "--faults", "--fault-every", "--down", "--dir", "--port", "--out", "--volatile"]],
  ])("simlab %s --help describes every option", (command, options) => {
    const { status, stdout } = simlab([command, "--help"]);
    expect(status).toBe(0);
    expect(stdout).toContain(`usage: simlab ${command} kv`);
    for (const option of options) expect(stdout).toMatch(new RegExp(`^  ${option}[ ,]`, "m"));
  });

  test("bad input is one sentence and exit code 2", () => {
    expect(usageError(["serve", "kv"])).toBe("simlab: serve needs --dir DATA: the folder where the nodes keep their state.");
    expect(usageError(["serve", "shardkv", "--dir", nowhere])).toContain('serve runs the kv service only, not "shardkv"');
    expect(usageError(["serve", "kv", "--dir", nowhere, "--nodes", "0"])).toContain('--nodes needs a whole number ≥ 1, not "0".');
    expect(usageError(["serve", "kv", "--dir", nowhere, "--nodes", "12"])).toBe("simlab: --nodes is at most 9, got 12.");
    expect(usageError(["jepsen"])).toContain("jepsen needs the service to test");
    expect(usageError(["jepsen", "kv", "--faults", "kill,boom"])).toBe('simlab: unknown fault "boom"; the faults are kill, pause-leader, restart-all (or none).');
    expect(usageError(["jepsen", "kv", "--time", "soon"])).toBe('simlab: --time needs a duration such as 30s, 1500ms or 2m, not "soon".');
    expect(usageError(["jepsen", "kv", "--nodes", "10"])).toBe("simlab: --nodes is at most 9, got 10.");
    expect(usageError(["jepsen", "kv", "--port", "80"])).toContain('--port needs a whole number ≥ 1024, not "80".');
  });
});
