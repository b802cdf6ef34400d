// `npm run bench -- lab2 [--seed N]`: every Lab 2 test (2A–2D) once, in this process, one line per
// test, then the JSON. The Go labs take about 470 s of real time for the same tests (6.824
// handout: 2A 16.3 s + 2B 35.6 s + 2C 123.6 s + 2D 293.5 s); the target here is ≤ 5 s of wall time.
import { tests as tests2A } from "../tests/raft/2A.ts";
import { tests as tests2B } from "../tests/raft/2B.ts";
import { tests as tests2C } from "../tests/raft/2C.ts";
import { tests as tests2D } from "../tests/raft/2D.ts";
import { labBench } from "./support/lab-suite.ts";

export default function lab2Bench(args: string[]): Promise<Record<string, unknown>> {
  return labBench("lab2", [...tests2A, ...tests2B, ...tests2C, ...tests2D], args);
}
