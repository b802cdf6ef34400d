// `npm run bench -- checker [--all]`: the linearizability checker on the Porcupine corpus.
// Each file is checked 5 times in this process; the table shows the median (parsing excluded),
// the ten slowest files unless --all. Porcupine (Go) takes 875 ms in total on our machine (the
// median of three runs over the same 109 files); the targets are total ≤ 875 ms and kv/c50-bad
// ≤ 100 ms, with no mismatches and no unknown verdicts under the default budget.
import { loadCorpus } from "../tests/check/porcupine-corpus.ts";

const repetitions = 5;

export default async function checkerBench(args: string[]): Promise<Record<string, unknown>> {
  const corpus = loadCorpus();
  const rows = corpus.map((file) => {
    const times: number[] = [];
    let result = file.check();
    for (let i = 0; i < repetitions; i++) {
      const start = performance.now();
      result = file.check();
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const expected = file.expected === "unknown" ? "ok" : file.expected ? "ok" : "illegal";
    return { file: file.name, operations: file.operations, verdict: result.verdict, expected, steps: result.steps, ms: times[repetitions >> 1]! };
  });
  const shown = [...rows].sort((a, b) => b.ms - a.ms).slice(0, args.includes("--all") ? rows.length : 10);
  console.log(`${"file".padEnd(22)} ${"ops".padStart(5)} ${"verdict".padEnd(8)} ${"steps".padStart(10)} ${"median ms".padStart(10)}`);
  for (const row of shown) {
    const mark = row.verdict === row.expected ? "" : `  MISMATCH (expected ${row.expected})`;
    console.log(`${row.file.padEnd(22)} ${String(row.operations).padStart(5)} ${row.verdict.padEnd(8)} ${String(row.steps).padStart(10)} ${row.ms.toFixed(2).padStart(10)}${mark}`);
  }
  const round = (ms: number): number => Math.round(ms * 10) / 10;
  const msOf = (name: string): number => round(rows.find((row) => row.file === name)!.ms);
  return {
    bench: "checker",
    total_ms: round(rows.reduce((sum, row) => sum + row.ms, 0)),
    files: rows.length,
    mismatches: rows.filter((row) => row.verdict !== row.expected).length,
    unknown: rows.filter((row) => row.verdict === "unknown").length,
    c50_bad_ms: msOf("kv/c50-bad.txt"),
    c50_ok_ms: msOf("kv/c50-ok.txt"),
  };
}
