// `npm run bench -- lab2 [--seed N]`: every Lab 2 test (2A–2D) once, in this process, one line per
// test. The Go labs take about 470 s of real time for the same tests (the 2022 handouts' sample
// runs: 2A 16.3 s, 2B 35.6 s, 2C 123.6 s, 2D 293.5 s); the target here is ≤ 5 s of wall time for
// all of them.
import type { LabTest } from "../tests/registry.ts";
import { tests as tests2A } from "../tests/raft/2A.ts";
import { tests as tests2B } from "../tests/raft/2B.ts";
import { tests as tests2C } from "../tests/raft/2C.ts";
import { tests as tests2D } from "../tests/raft/2D.ts";

export default async function lab2Bench(args: string[]): Promise<Record<string, unknown>> {
  const seedAt = args.indexOf("--seed");
  const seed = seedAt >= 0 ? Number(args[seedAt + 1]) : 1;
  const all: LabTest[] = [...tests2A, ...tests2B, ...tests2C, ...tests2D];
  let virtualMs = 0;
  let failed = 0;
  const start = performance.now();
  for (const test of all) {
    const t0 = performance.now();
    const report = await test.run(seed);
    const ms = performance.now() - t0;
    virtualMs += report.virtualMs;
    if (!report.passed) failed++;
    console.log(
      `${test.part} ${test.name.padEnd(34)} ${report.passed ? "ok  " : "FAIL"} ` +
        `${(report.virtualMs / 1000).toFixed(1).padStart(6)} s virtual ${ms.toFixed(0).padStart(6)} ms wall ` +
        `${String(report.events).padStart(8)} events`,
    );
    if (!report.passed) console.log(report.failure);
  }
  const wall = (performance.now() - start) / 1000;
  return {
    bench: "lab2",
    wall_s: Math.round(wall * 100) / 100,
    virtual_s: Math.round(virtualMs / 100) / 10,
    tests: all.length,
    failed,
  };
}
