// `simlab explore`: a search strategy finds a mutant that seed 1 misses, saves the failing run as a
// choice file, and replay, viz and check-determinism open that file and get the same run.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { mutantNamed } from "../mutants/catalog.ts";
import { parts } from "../registry.ts";
import { simlab, usageError } from "./simlab.ts";

const dir = mkdtempSync(join(tmpdir(), "simlab-explore-"));
const mutant = "votes-twice-in-a-term";

describe("simlab explore", () => {
  test(`seed 1 misses ${mutant} in TestInitialElection2A; PCT finds it, and its choice file replays to the same hash`, async () => {
    const test2A = (await parts["2A"]!()).find((t) => t.name === "TestInitialElection2A")!;
    expect((await test2A.run(1, { substitutes: mutantNamed(mutant).substitutes })).passed).toBe(true);

    const file = join(dir, "found.json");
    const found = simlab(["explore", "TestInitialElection2A", "--strategy", "pct", "--runs", "40", "--mutant", mutant, "--out", file]);
    expect(found.status, found.stdout + found.stderr).toBe(1);
    expect(found.stdout).toMatch(/^FAIL TestInitialElection2A at run \d+ of 40 \(seed \d+, .* journal hash ([0-9a-f]{8}); /m);
    expect(found.stdout).toContain("a server grants at most one vote per term");
    expect(found.stdout).toContain(`replay: npx simlab replay --choices ${file}`);
    expect(found.stdout).toContain(`viz: npx simlab viz --choices ${file}`);
    const hash = /journal hash ([0-9a-f]{8});/.exec(found.stdout)![1]!;
    const saved = JSON.parse(readFileSync(file, "utf8")) as { journalHash: string; mutant: string; choices: unknown[] };
    expect(saved.journalHash).toBe(hash);
    expect(saved.mutant).toBe(mutant);
    expect(saved.choices.length).toBeGreaterThan(0);

    const replayed = simlab(["replay", "--choices", file]);
    expect(replayed.status).toBe(1);
    expect(replayed.stdout).toMatch(new RegExp(`^FAIL TestInitialElection2A .* journal hash ${hash}\\)$`, "m"));
    expect(replayed.stdout).toContain(`same run as the choice file: journal hash ${hash}`);

    const checked = simlab(["check-determinism", "--choices", file]);
    expect(checked.stdout).toContain("same: both replays, each in its own process, are the run the file recorded.");
    expect(checked.status).toBe(0);

    const page = join(dir, "found.html");
    const viz = simlab(["viz", "--choices", file, "--out", page]);
    expect(viz.status).toBe(0);
    expect(viz.stdout).toContain(`same run as the choice file: journal hash ${hash}`);
  }, 120_000);

  test("a choice file the code no longer follows fails saying where", () => {
    const file = join(dir, "found.json");
    const saved = JSON.parse(readFileSync(file, "utf8")) as { choices: [string, number, number][] };
    const cut = join(dir, "cut.json");
    writeFileSync(cut, JSON.stringify({ ...saved, choices: saved.choices.slice(0, 3) }));
    const replayed = simlab(["replay", "--choices", cut]);
    expect(replayed.status).toBe(1);
    expect(replayed.stdout).toContain("the choice file ran out: the run asked for choice #3");
  }, 60_000);

  test("dfs searches a small test exhaustively within its bound and says so (bound 1: the 400 election timeouts of its first draw)", () => {
    const out = simlab(["explore", "TestVoteRefusedToAnOlderTerm2X", "--strategy", "dfs", "--bound", "1", "--runs", "500"]);
    expect(out.status, out.stdout + out.stderr).toBe(0);
    expect(out.stdout).toMatch(/^no failure in every run the strategy could make \(\d+\) of TestVoteRefusedToAnOlderTerm2X/m);
  }, 60_000);

  test("--scenario explores a scenario file; the failing run's choice file names a copy of it beside it, and replays", () => {
    const file = join(dir, "scenario-found.json");
    const found = simlab(["explore", "--scenario", "scenarios/vote-request-held-past-its-term.yaml", "--mutant", "votes-for-older-terms", "--runs", "5", "--out", file]);
    expect(found.status, found.stdout + found.stderr).toBe(1);
    expect(found.stdout).toContain("a server grants its vote only to a candidate of its current term");
    const copy = join(dir, "scenario-found.yaml");
    expect(found.stdout).toContain(`scenario: ${copy}`);
    expect(readFileSync(copy, "utf8")).toContain("- deliver: {from: 1, to: 2, rpc: RequestVote, count: 1}");
    const saved = JSON.parse(readFileSync(file, "utf8")) as { part: string; journalHash: string };
    expect(saved.part).toBe(`scenario:${copy}`);
    const replayed = simlab(["replay", "--choices", file]);
    expect(replayed.stdout).toContain(`same run as the choice file: journal hash ${saved.journalHash}`);
  }, 120_000);

  test("bad input is one sentence and exit code 2", () => {
    expect(usageError(["explore"])).toContain("explore needs one test");
    expect(usageError(["explore", "TestInitialElection2A", "--strategy", "bfs"])).toContain('--strategy needs one of pct, dfs, random, not "bfs".');
    expect(usageError(["explore", "TestInitialElection2A", "--strategy", "dfs", "--depth", "2"])).toContain("--depth is PCT's");
    expect(usageError(["explore", "TestInitialElection2A", "--mutant", "nope"])).toContain('there is no mutant "nope"; the mutants are votes-twice-in-a-term');
    expect(usageError(["explore", "TestInitialElection2A", "--mutant", "applies-retries-again"])).toContain("is a broken 3A/3B server; TestInitialElection2A is a test of part 2A");
    expect(usageError(["explore", "--scenario", join(dir, "missing.yaml")])).toContain("cannot read the scenario");
    expect(usageError(["explore", "TestInitialElection2A", "--scenario", "scenarios/figure8-paper.yaml"])).toContain("explore takes a part or test, or --scenario FILE, not both");
    expect(usageError(["explore", "--scenario", "scenarios/kv-partitions.yaml", "--mutant", "votes-twice-in-a-term"])).toContain(
      "is a broken 2A/2B/2C/2D/2X server; kv-partitions is a kv scenario",
    );
    expect(usageError(["explore", "2A"])).toContain("explore takes one test; part 2A has");
    expect(usageError(["replay", "--choices", join(dir, "missing.json")])).toContain("cannot read");
    const notJson = join(dir, "not.json");
    writeFileSync(notJson, "{");
    expect(usageError(["replay", "--choices", notJson])).toContain("is not JSON; a choice file is what simlab explore writes.");
    const badChoice = join(dir, "bad-choice.json");
    writeFileSync(badChoice, JSON.stringify({ format: "simlab-choices/1", part: "2A", test: "TestInitialElection2A", seed: 1, mutant: null, choices: [["order", 3, 5]] }));
    expect(usageError(["replay", "--choices", badChoice])).toContain('choice #0 is ["order",3,5]');
    expect(usageError(["replay", "TestInitialElection2A", "--choices", badChoice])).toContain("replay --choices takes no test, --scenario or --seed");
    expect(usageError(["viz", "--choices", badChoice, "--seed", "2"])).toContain("viz --choices takes no test, --scenario, --seed or --history");
    expect(usageError(["check-determinism", "2A", "--choices", badChoice])).toContain("check-determinism --choices takes no test");
    expect(usageError(["replay", "--scenario", "scenarios/minority-partition.yaml", "--choices", badChoice])).toContain("replay --choices takes no test, --scenario or --seed");
  }, 120_000);
});
