// `npm run bench -- lab3 [--seed N]`: every Lab 3 test (14 in 3A, 9 in 3B) once, in this process,
// linearizability checks included. One line per test, then the JSON. The Go labs take about 452 s
// of real time for the same tests (6.824 handout: 3A 290.2 s + 3B 161.5 s); the target here is
// ≤ 8 s of wall time.
import { tests as tests3A } from "../tests/kvraft/3A.ts";
import { tests as tests3B } from "../tests/kvraft/3B.ts";
import { checkStats } from "../tests/kvraft/generic-test.ts";

export default async function lab3Bench(args: string[]): Promise<Record<string, unknown>> {
  const seedAt = args.indexOf("--seed");
  const seed = seedAt >= 0 ? Number(args[seedAt + 1]) : 1;
  const only = args.filter((a, i) => !a.startsWith("--") && args[i - 1] !== "--seed");
  const tests = [...tests3A, ...tests3B].filter((t) => only.length === 0 || only.some((o) => t.name.includes(o)));

  const opsBefore = checkStats.operationsChecked;
  const checkMsBefore = checkStats.checkMs;
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
  const wallS = (performance.now() - started) / 1000;
  const round = (x: number, digits: number): number => Number(x.toFixed(digits));
  return {
    bench: "lab3",
    seed,
    wall_s: round(wallS, 2),
    virtual_s: round(virtualMs / 1000, 1),
    tests: tests.length,
    failed,
    ops_checked: checkStats.operationsChecked - opsBefore,
    check_s: round((checkStats.checkMs - checkMsBefore) / 1000, 2),
  };
}

/** The first `lines` lines of a failure report, indented. */
function indent(text: string, lines: number): string {
  return text
    .split("\n")
    .slice(0, lines)
    .map((l) => "    " + l)
    .join("\n");
}
