// Turns a KV test body into a LabTest. The body gets `t`, whose makeConfig() is Go's
// make_config(t, n, unreliable, maxraftstate); every config it makes is cleaned up when the body
// ends (Go: `defer cfg.cleanup()`).
import type { Simulation } from "../../sim/index.ts";
import type { LabTest, RunOptions } from "../harness/registry.ts";
import { runTest } from "../harness/run-test.ts";
import { Config, type StartKVServer } from "./config.ts";

export interface KvT {
  readonly sim: Simulation;
  /** The 6.824 test name and the seed: name the saved history of a failed check. */
  readonly name: string;
  readonly seed: number;
  /** make_config(t, n, unreliable, maxraftstate). */
  makeConfig(n: number, unreliable: boolean, maxraftstate: number): Config;
}

export interface KvTestOverrides {
  /** A different server (bad-servers.test.ts proves the grader fails broken ones). */
  startKVServer?: StartKVServer;
}

/**
 * Virtual-time valve for a run that never ends (a clerk that retries forever against a broken
 * server). Any test past 120 s fails at end()/cleanup() anyway; this only bounds the wall time of
 * one that would never get there.
 */
const MAX_VIRTUAL_MS = 180_000;

export function kvTest(
  part: string,
  name: string,
  body: (t: KvT) => Promise<void>,
  overrides: KvTestOverrides = {},
): LabTest {
  return {
    part,
    name,
    run: (seed: number, options: RunOptions = {}) =>
      runTest({ part, name }, seed, options, { maxVirtualTimeMs: MAX_VIRTUAL_MS }, async (sim) => {
        const print = options.print ?? (() => {});
        const configs: Config[] = [];
        const t: KvT = {
          sim,
          name,
          seed,
          makeConfig(n, unreliable, maxraftstate) {
            const cfg = new Config(sim, n, unreliable, maxraftstate, print, overrides.startKVServer);
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
