// `npm run bench -- explore [--runs N] [--seeds N] [--deep-runs N] [--reference-runs N] [mutants…]`:
// how many runs each way of searching needs to find each of a set of classic bugs (mutants of
// tests/mutants/, each against one test where seeds rarely fail it). The ways:
//   seeds    the default run at seed 1, 2, 3, … (what `simlab sweep` does), at most --seeds runs;
//   random   `simlab explore --strategy random`: every choice uniform, run i at seed i;
//   pct      `simlab explore --strategy pct --depth 3`;
//   dfs      `simlab explore --strategy dfs --bound 12`, all runs at seed 1;
// each at most --runs runs (default 1000; the KV and ShardKV targets at most their own cap). A
// bug that seeds miss within that gets more runs of pct and dfs, up to --deep-runs (default
// 10,000): the issue's goal is that exploration finds, within 10,000 runs, what seeds miss in
// 1,000. A bug is found when a run kills the mutant
// (a grader's check fails, not only the reference's own invariant(): tests/mutants/mutant.ts).
// Then the false alarms: each target test run with the reference servers under each
// strategy (--reference-runs, default 100): an explored schedule must be one a correct server
// survives, so every one of these runs must pass.
// Prints the tables (runs to find; "—" not found within the cap), then the JSON.
import { DEFAULT_BOUND, DEFAULT_DEPTH, explore, makeStrategy, type StrategyName } from "../sim/explore/index.ts";
import { mutantNamed } from "../tests/mutants/catalog.ts";
import { kills, type Mutant } from "../tests/mutants/mutant.ts";
import { parts, type LabTest } from "../tests/registry.ts";

/**
 * Each a classic bug, against a test where random seeds rarely show it (measured: seeds 1–20, or
 * 1–10 for the KV tests). A KV run takes seconds, not milliseconds, so those are capped lower.
 */
const targets: { mutant: string; test: string; cap?: number }[] = [
  { mutant: "votes-twice-in-a-term", test: "TestInitialElection2A" },
  { mutant: "counts-refusals-as-votes", test: "TestInitialElection2A" },
  { mutant: "keeps-its-vote-in-a-new-term", test: "TestInitialElection2A" },
  { mutant: "heartbeats-do-not-reset-the-timer", test: "TestInitialElection2A" },
  { mutant: "votes-for-older-terms", test: "TestFailAgree2B" },
  { mutant: "counts-votes-across-elections", test: "TestFailNoAgree2B" },
  { mutant: "never-backs-up", test: "TestFailNoAgree2B" },
  { mutant: "commits-entries-of-older-terms", test: "TestFailNoAgree2B" },
  { mutant: "leader-keeps-leading-a-newer-term", test: "TestBackup2B" },
  { mutant: "accepts-appends-from-older-terms", test: "TestRejoin2B" },
  { mutant: "truncates-on-every-append", test: "TestCount2B" },
  { mutant: "reads-without-the-log", test: "TestManyPartitionsOneClient3A", cap: 20 },
  { mutant: "acknowledges-before-commit", test: "TestPersistOneClient3A", cap: 20 },
  // lab 4B: a run takes seconds (three groups and the shardmaster), so these are capped at 10
  { mutant: "serves-before-receiving", test: "TestJoinLeave", cap: 10 },
  { mutant: "loses-the-duplicate-table", test: "TestUnreliable3", cap: 10 },
  { mutant: "serves-after-handoff", test: "TestUnreliable1", cap: 10 },
];

const strategies: StrategyName[] = ["random", "pct", "dfs"];
const DEFAULT_RUNS = 1000;
const DEFAULT_DEEP_RUNS = 10_000;

interface Row {
  mutant: string;
  test: string;
  /** The most runs tried: by seeds, by random, and by pct and dfs (more when seeds missed). */
  cap: { seeds: number; runs: number; search: number };
  /** Runs to the first kill for each way, or null when none within the cap. */
  found: Record<"seeds" | StrategyName, number | null>;
}

function option(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
}

export default async function exploreBench(args: string[]): Promise<Record<string, unknown>> {
  const runs = option(args, "--runs", DEFAULT_RUNS);
  const seeds = option(args, "--seeds", runs);
  const deepRuns = option(args, "--deep-runs", DEFAULT_DEEP_RUNS);
  const names = args.filter((a, i) => !a.startsWith("--") && !["--runs", "--seeds", "--reference-runs", "--deep-runs"].includes(args[i - 1] ?? ""));
  const chosen = targets.filter((t) => names.length === 0 || names.includes(t.mutant));
  const started = performance.now();
  const width = Math.max(...chosen.map((t) => `${t.mutant} / ${t.test}`.length));
  console.log(`${"mutant / test".padEnd(width)}  ${["seeds", ...strategies].map((s) => s.padStart(7)).join(" ")}`);
  const rows: Row[] = [];
  for (const target of chosen) {
    const mutant = mutantNamed(target.mutant);
    const test = await testNamed(mutant, target.test);
    const cap = { seeds: Math.min(seeds, target.cap ?? seeds), runs: Math.min(runs, target.cap ?? runs), search: Math.min(runs, target.cap ?? runs) };
    const row: Row = { mutant: target.mutant, test: target.test, cap, found: { seeds: null, random: null, pct: null, dfs: null } };
    row.found.seeds = await bySeeds(test, mutant, cap.seeds);
    row.found.random = await byStrategy(test, mutant, "random", cap.runs);
    if (row.found.seeds === null && target.cap === undefined) cap.search = Math.max(cap.runs, deepRuns);
    for (const name of ["pct", "dfs"] as const) row.found[name] = await byStrategy(test, mutant, name, cap.search);
    rows.push(row);
    const cells = (["seeds", ...strategies] as const).map((s) => String(row.found[s] ?? "—").padStart(7));
    const capped = target.cap !== undefined ? `   (at most ${cap.runs} runs each)` : cap.search > cap.runs ? `   (seeds missed: pct and dfs up to ${cap.search} runs)` : "";
    console.log(`${`${target.mutant} / ${target.test}`.padEnd(width)}  ${cells.join(" ")}${capped}`);
  }
  const referenceRuns = option(args, "--reference-runs", 100);
  const falseAlarms: { test: string; strategy: StrategyName; runs: number; failed: number }[] = [];
  console.log(`\nthe reference under each strategy, ${referenceRuns} runs (KV tests: at most 5): runs that failed`);
  for (const name of [...new Set(chosen.map((t) => t.test))]) {
    const target = chosen.find((t) => t.test === name)!;
    const test = await testNamed(mutantNamed(target.mutant), name);
    const cells: string[] = [];
    for (const strategy of strategies) {
      const cap = Math.min(referenceRuns, target.cap === undefined ? referenceRuns : 5);
      const failed = await referenceFailures(test, strategy, cap);
      falseAlarms.push({ test: name, strategy, runs: cap, failed });
      cells.push(`${strategy} ${failed}/${cap}`);
    }
    console.log(`  ${name.padEnd(width - 2)}  ${cells.join("   ")}`);
  }
  const foundBy = (way: "seeds" | StrategyName): number => rows.filter((r) => r.found[way] !== null).length;
  return {
    bench: "explore",
    seeds_cap: seeds,
    runs_cap: runs,
    deep_runs_cap: deepRuns,
    depth: DEFAULT_DEPTH,
    bound: DEFAULT_BOUND,
    targets: rows.length,
    found: { seeds: foundBy("seeds"), random: foundBy("random"), pct: foundBy("pct"), dfs: foundBy("dfs") },
    reference_failures: falseAlarms.reduce((sum, f) => sum + f.failed, 0),
    reference_runs: falseAlarms.reduce((sum, f) => sum + f.runs, 0),
    rows: rows.map((r) => ({ mutant: r.mutant, test: r.test, cap: r.cap, ...r.found })),
    wall_s: Number(((performance.now() - started) / 1000).toFixed(1)),
  };
}

async function testNamed(mutant: Mutant, name: string): Promise<LabTest> {
  for (const part of mutant.parts) {
    const test = (await parts[part]!()).find((t) => t.name === name);
    if (test !== undefined) return test;
  }
  throw new Error(`bench explore: ${name} is not a test of ${mutant.name}'s parts (${mutant.parts.join(", ")})`);
}

/** How many of `cap` runs of the reference, under the strategy, fail. */
async function referenceFailures(test: LabTest, name: StrategyName, cap: number): Promise<number> {
  const strategy = makeStrategy(name, { seed: 1, depth: DEFAULT_DEPTH, bound: DEFAULT_BOUND });
  let failed = 0;
  await explore(strategy, cap, async (seed, choices) => {
    const report = await test.run(seed, { choices });
    if (!report.passed) failed++;
    return report;
  }, () => false);
  return failed;
}

async function bySeeds(test: LabTest, mutant: Mutant, cap: number): Promise<number | null> {
  for (let seed = 1; seed <= cap; seed++) {
    if (kills(await test.run(seed, { substitutes: mutant.substitutes }))) return seed;
  }
  return null;
}

async function byStrategy(test: LabTest, mutant: Mutant, name: StrategyName, cap: number): Promise<number | null> {
  const strategy = makeStrategy(name, { seed: 1, depth: DEFAULT_DEPTH, bound: DEFAULT_BOUND });
  const exploration = await explore(
    strategy,
    cap,
    (seed, choices) => test.run(seed, { choices, substitutes: mutant.substitutes }),
    kills,
  );
  return exploration.failed?.run ?? null;
}
