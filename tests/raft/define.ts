// Turns a Raft test body into a LabTest. The body gets `t`, whose makeConfig() is Go's
// make_config(t, servers, unreliable, snapshot); every config it makes is cleaned up when the body
// ends (Go: `defer cfg.cleanup()`).
import type { Simulation } from "../../sim/index.ts";
import type { LabTest, RunOptions } from "../harness/registry.ts";
import { runTest } from "../harness/run-test.ts";
import { Config } from "./config.ts";

export interface RaftT {
  readonly sim: Simulation;
  /** make_config(t, n, unreliable, snapshot). */
  makeConfig(n: number, unreliable: boolean, snapshot: boolean): Config;
}

export function raftTest(part: string, name: string, body: (t: RaftT) => Promise<void>): LabTest {
  return {
    part,
    name,
    run: (seed: number, options: RunOptions = {}) =>
      runTest({ part, name }, seed, options, {}, async (sim) => {
        const print = options.print ?? (() => {});
        const configs: Config[] = [];
        const t: RaftT = {
          sim,
          makeConfig(n, unreliable, snapshot) {
            const cfg = new Config(sim, n, unreliable, snapshot, print);
            configs.push(cfg);
            return cfg;
          },
        };
        let passed = false;
        try {
          await body(t);
          passed = true;
        } finally {
          for (const cfg of configs) cfg.cleanup(passed);
        }
      }),
  };
}
