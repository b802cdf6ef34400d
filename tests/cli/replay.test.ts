// `simlab replay`: one seed, the whole journal as per-node columns, filters, exports.
import { describe, expect, test } from "vitest";
import { simlab } from "./simlab.ts";

/** The journal rows of a replay: time, then one cell per column (continuation rows have no time). */
function rows(stdout: string): { time: string; cells: string[] }[] {
  const lines = stdout.split("\n");
  const start = lines.findIndex((line) => line.includes("─┼─")) + 1;
  const end = lines.indexOf("", start);
  return lines.slice(start, end).map((line) => {
    const [time, ...cells] = line.split(" │ ");
    return { time: time!.trim(), cells: cells.map((cell) => cell.trim()) };
  });
}

describe("simlab replay", () => {
  test("the same seed prints the same lines, twice", () => {
    const first = simlab(["replay", "TestReElection2A", "--seed", "4"]);
    const second = simlab(["replay", "TestReElection2A", "--seed", "4"]);
    expect(first.status).toBe(0);
    expect(first.stdout).toBe(second.stdout);
    const header = first.stdout.split("\n")[1]!.split(" │ ").map((cell) => cell.trim());
    expect(header).toEqual(["time", "raft-0", "raft-1", "raft-2", "tester"]);
    expect(first.stdout).toMatch(/^PASS TestReElection2A  \(seed 4, .* journal hash [0-9a-f]{8}\)$/m);
    expect(rows(first.stdout).length).toBeGreaterThan(100);
    // No color when NO_COLOR is set or stdout is a pipe.
    expect(first.stdout).not.toContain("\x1b[");
  });

  test("--nodes by number and name, --topics, --from/--to", () => {
    const { status, stdout, stderr } = simlab([
      "replay", "TestReElection2A", "--seed", "4", "--nodes", "1,tester", "--topics", "role,vote,tester,deliver", "--from", "0.5s", "--to", "4000",
    ]);
    expect(stderr).toBe("");
    expect(status).toBe(0);
    const header = stdout.split("\n")[1]!.split(" │ ").map((cell) => cell.trim());
    expect(header).toEqual(["time", "raft-1", "tester"]);
    const shown = rows(stdout).filter((row) => row.time !== "");
    expect(shown.length).toBeGreaterThan(3);
    const labels = new Set<string>();
    for (const row of shown) {
      const ms = Number(row.time.replace("ms", ""));
      expect(ms).toBeGreaterThanOrEqual(500);
      expect(ms).toBeLessThanOrEqual(4000);
      labels.add(row.cells.join(" ").trim().split(" ")[0]!);
    }
    expect([...labels].every((label) => ["role", "vote", "tester", "deliver"].includes(label))).toBe(true);
    expect(labels.has("tester")).toBe(true);
    expect(stdout).toMatch(/^TestReElection2A, seed 4: \d+ of \d+ journal entries$/m);
  });

  test("without --nodes, a node with nothing left to show after the filters gets no column", () => {
    const { status, stdout } = simlab(["replay", "TestInitialElection2A", "--seed", "1", "--topics", "role"]);
    expect(status).toBe(0);
    const header = stdout.split("\n")[1]!.split(" │ ").map((cell) => cell.trim());
    // Only the peer that ran for leader logged a role change; the other peers and the tester did not.
    expect(header).toEqual(["time", "raft-1"]);
    expect(rows(stdout).every((row) => row.cells.length === 1)).toBe(true);
  });

  test("a topic absent from the run is a note on stderr, not an error", () => {
    const { status, stderr } = simlab(["replay", "TestInitialElection2A", "--topics", "crash"]);
    expect(status).toBe(0);
    expect(stderr).toContain("no entries with topic or kind crash in this run");
  });

  test("a failing seed: the columns, then the failure report; exit 1", () => {
    const { status, stdout } = simlab(["replay", "TestFailsEveryThirdSeedXF", "--seed", "6"]);
    expect(stdout.split("\n")[1]!.split(" │ ").map((cell) => cell.trim())).toEqual(["time", "node-0", "node-1", "tester"]);
    expect(stdout).toContain("FAIL TestFailsEveryThirdSeedXF  (seed 6,");
    expect(stdout).toContain("seed 6 is a multiple of 3");
    expect(status).toBe(1);
  });
});
