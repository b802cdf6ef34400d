// What the lab benchmarks share (lab2, lab3, lab4): run a list of lab tests once each, in this
// process, with a table line per test (and the first lines of any failure), then the totals as the
// benchmark's JSON, linearizability checks included where the tests check histories.
import { checkStats } from "../../tests/harness/kv-linearizability.ts";
import type { LabTest } from "../../tests/registry.ts";

/**
 * The benchmark of a lab: `args` are `--seed N` (default 1) and, optionally, substrings of the
 * test names to run. Returns {bench, seed, wall_s, virtual_s, tests, failed}, and, if the tests
 * checked histories for linearizability, {ops_checked, check_s} as well.
 */
export async function labBench(bench: string, all: LabTest[], args: string[]): Promise<Record<string, unknown>> {
  const options = suiteOptions(args);
  const opsBefore = checkStats.operationsChecked;
  const checkMsBefore = checkStats.checkMs;
  const totals = await runSuite(all, options);
  const result: Record<string, unknown> = {
    bench,
    seed: options.seed,
    wall_s: totals.wallS,
    virtual_s: totals.virtualS,
    tests: totals.tests,
    failed: totals.failed,
  };
  const opsChecked = checkStats.operationsChecked - opsBefore;
  if (opsChecked > 0) {
    result.ops_checked = opsChecked;
    result.check_s = round((checkStats.checkMs - checkMsBefore) / 1000, 2);
  }
  return result;
}

interface SuiteOptions {
  seed: number;
  /** Substrings of test names; the tests that contain none are left out. Empty: every test. */
  only: string[];
}

interface SuiteTotals {
  tests: number;
  failed: number;
  wallS: number;
  virtualS: number;
}

/** `--seed N` (default 1) and the other arguments, as test-name filters. */
function suiteOptions(args: string[]): SuiteOptions {
  const seedAt = args.indexOf("--seed");
  const seed = seedAt >= 0 ? Number(args[seedAt + 1]) : 1;
  const only = args.filter((a, i) => !a.startsWith("--") && args[i - 1] !== "--seed");
  return { seed, only };
}

async function runSuite(all: LabTest[], { seed, only }: SuiteOptions): Promise<SuiteTotals> {
  const tests = all.filter((t) => only.length === 0 || only.some((o) => t.name.includes(o)));
  let virtualMs = 0;
  let failed = 0;
  const started = performance.now();
  console.log(`${"test".padEnd(64)} ${"result".padEnd(6)} ${"virtual s".padStart(9)} ${"wall s".padStart(7)} ${"events".padStart(8)}`);
  for (const test of tests) {
    const t0 = performance.now();
    const report = await test.run(seed);
    const wall = (performance.now() - t0) / 1000;
    virtualMs += report.virtualMs;
    if (!report.passed) failed++;
    console.log(
      `${test.name.padEnd(64)} ${(report.passed ? "ok" : "FAIL").padEnd(6)} ${(report.virtualMs / 1000).toFixed(1).padStart(9)} ` +
        `${wall.toFixed(2).padStart(7)} ${String(report.events).padStart(8)}`,
    );
    if (!report.passed) console.log(indent(report.failure ?? "", 40));
  }
  return { tests: tests.length, failed, wallS: round((performance.now() - started) / 1000, 2), virtualS: round(virtualMs / 1000, 1) };
}

function round(x: number, digits: number): number {
  return Number(x.toFixed(digits));
}

/** The first `lines` lines of a failure report, indented. */
function indent(text: string, lines: number): string {
  return text
    .split("\n")
    .slice(0, lines)
    .map((l) => "    " + l)
    .join("\n");
}
