// `npm run bench -- lab4 [--seed N]`: every Lab 4 test (4A's shardmaster tests, then 4B's ShardKV
// tests with both challenges) once, in this process, linearizability checks included. One line
// per test, then the JSON. The Go labs take about 107 s of real time for the same tests (6.824
// handout: 4A 5.9 s + 4B 101.5 s, with -race); the target here is ≤ 5 s of wall time.
import { tests as tests4A } from "../tests/shardmaster/4A.ts";
import { tests as tests4B } from "../tests/shardkv/4B.ts";
import { labBench } from "./support/lab-suite.ts";

export default function lab4Bench(args: string[]): Promise<Record<string, unknown>> {
  return labBench("lab4", [...tests4A, ...tests4B], args);
}
