// `npm run bench -- lab5 [--seed N]`: every Lab 5 test (5A–5H) once, in this process, one
// line per test, then the JSON with the wall and virtual time.
import { tests as tests5A } from "../tests/raft5/5A.ts";
import { tests as tests5B } from "../tests/raft5/5B.ts";
import { tests as tests5C } from "../tests/raft5/5C.ts";
import { tests as tests5D } from "../tests/raft5/5D.ts";
import { tests as tests5E } from "../tests/raft5/5E.ts";
import { tests as tests5F } from "../tests/raft5/5F.ts";
import { tests as tests5G } from "../tests/raft5/5G.ts";
import { tests as tests5H } from "../tests/raft5/5H.ts";
import { labBench } from "./support/lab-suite.ts";

export default function lab5Bench(args: string[]): Promise<Record<string, unknown>> {
  return labBench("lab5", [...tests5A, ...tests5B, ...tests5C, ...tests5D, ...tests5E, ...tests5F, ...tests5G, ...tests5H], args);
}
