// `npm run bench -- lab3 [--seed N]`: every Lab 3 test (14 in 3A, 9 in 3B) once, in this process,
// linearizability checks included. One line per test, then the JSON. The Go labs take about 452 s
// of real time for the same tests (6.824 handout: 3A 290.2 s + 3B 161.5 s); the target here is
// ≤ 8 s of wall time.
import { tests as tests3A } from "../tests/kvraft/3A.ts";
import { tests as tests3B } from "../tests/kvraft/3B.ts";
import { labBench } from "./support/lab-suite.ts";

export default function lab3Bench(args: string[]): Promise<Record<string, unknown>> {
  return labBench("lab3", [...tests3A, ...tests3B], args);
}
