// The worker pool's limits for simlab grade: a run's events budget, the real-time limit that stops
// a runaway run (reported as stopped, not as a wrong answer), and workers run from a given tree.
import { describe, expect, it } from "vitest";
import { thisTree } from "../../labs/course/files.ts";
import { runInWorkers } from "../../labs/cli/pool.ts";
import { extraParts } from "./simlab.ts";

const setup = { tree: thisTree, execArgv: [], env: { SIMLAB_EXTRA_PARTS: extraParts } };

describe("the worker pool's limits", () => {
  it("an events budget stops a busy run: a failure, the same on every machine", async () => {
    const [run] = await runInWorkers([{ part: "XB", test: "TestBusyXB", seed: 1, maxEvents: 100 }], { workers: 1, setup });
    expect(run!.passed).toBe(false);
    expect(run!.ended).toBeUndefined();
    expect(run!.events).toBe(100);
    expect(run!.failure).toMatch(/^TestBusyXB failed: events budget: the run dispatched its budget of 100 events without finishing/);
  }, 60_000);

  it("the real-time limit stops a runaway run as such, and the next run goes on in a new worker", async () => {
    const runs = await runInWorkers(
      [
        { part: "XB", test: "TestBusyXB", seed: 1 },
        { part: "XF", test: "TestFailsEveryThirdSeedXF", seed: 1 },
      ],
      { workers: 1, chunkSize: 1, runWallLimitMs: 2000, setup },
    );
    expect(runs[0]!.ended).toBe("real-time limit");
    expect(runs[0]!.failure).toBe("TestBusyXB failed: seed 1 was stopped after 2 s of real time, the limit for one run: a runaway run, not a wrong answer");
    expect(runs[1]!.passed).toBe(true);
    expect(runs[1]!.pid).not.toBe(runs[0]!.pid);
  }, 60_000);
});
