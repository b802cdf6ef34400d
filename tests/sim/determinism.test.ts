// A run is a pure function of (code, seed): the same seed gives the same journal hash, in this
// process and in any other; events run in (time, seq) order; different seeds give different
// fault patterns.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Network, Server, Service, Simulation, go, log, sleep } from "../../sim/index.ts";
import { busyRun, type BusyResult } from "./fixtures/busy-run.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const busyScript = join(root, "tests", "sim", "fixtures", "busy-run.ts");

function busyRunInChildProcess(seed: number): BusyResult {
  const { status, stdout, stderr } = spawnSync(process.execPath, ["--import", "tsx", busyScript, String(seed)], {
    cwd: root,
    encoding: "utf8",
    timeout: 60_000,
  });
  expect(stderr).toBe("");
  expect(status).toBe(0);
  const lines = stdout.trim().split("\n");
  return JSON.parse(lines[lines.length - 1]!) as BusyResult;
}

describe("determinism", () => {
  it("a busy scenario has the same journal hash in two separate processes and in this one", async () => {
    const first = busyRunInChildProcess(4711);
    const second = busyRunInChildProcess(4711);
    expect(second).toEqual(first);
    // The scenario really is busy: crashes, losses and thousands of events.
    expect(first.events).toBeGreaterThan(5000);
    expect(first.failed).toBeGreaterThan(50);
    expect(first.delivered).toBeGreaterThan(100);
    expect(await busyRun(4711)).toEqual(first);
    expect((await busyRun(4712)).hash).not.toBe(first.hash);
  }, 120_000);

  it("property: events run in (time, seq) order — a stable sort of the sleeps by wake-up time", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat({ max: 50 }), { minLength: 1, maxLength: 60 }), fc.nat(), async (delays, seed) => {
        const sim = new Simulation({ seed });
        const order: number[] = [];
        await sim.run(async () => {
          delays.forEach((d, i) => {
            go(async () => {
              await sleep(d);
              order.push(i);
            });
          });
          await sleep(51);
        });
        // go() events all run at time 0 in the order they were started, so the sleeps were
        // scheduled in index order: ties keep that order.
        const expected = delays.map((d, i) => ({ d, i })).sort((a, b) => a.d - b.d).map((x) => x.i);
        expect(order).toEqual(expected);
      }),
      { numRuns: 100 },
    );
  });

  it("property: events scheduled from inside other events also run in (time, seq) order", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: 20 }), fc.nat({ max: 20 })), { minLength: 1, maxLength: 40 }),
        async (pairs) => {
          const sim = new Simulation({ seed: 1 });
          const fired: { time: number; seq: number; label: string }[] = [];
          let seq = 0;
          await sim.run(async () => {
            pairs.forEach(([first, second], i) => {
              go(async () => {
                await sleep(first);
                fired.push({ time: sim.now, seq: seq++, label: `${i}a` });
                await sleep(second);
                fired.push({ time: sim.now, seq: seq++, label: `${i}b` });
              });
            });
            await sleep(41);
          });
          // Times never go backwards, and each task's second wake-up is first + second.
          for (let k = 1; k < fired.length; k++) expect(fired[k]!.time).toBeGreaterThanOrEqual(fired[k - 1]!.time);
          pairs.forEach(([first, second], i) => {
            expect(fired.find((f) => f.label === `${i}a`)!.time).toBe(first);
            expect(fired.find((f) => f.label === `${i}b`)!.time).toBe(first + second);
          });
        },
      ),
      { numRuns: 100 },
    );
  });

  it("property: the same seed gives the same hash", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 1_000_000 }), async (seed) => {
        const a = await busyRun(seed, 800);
        const b = await busyRun(seed, 800);
        expect(b).toEqual(a);
      }),
      { numRuns: 10 },
    );
  });

  it("property: different seeds lose different messages on an unreliable network", async () => {
    const lossPattern = async (seed: number): Promise<string> => {
      const sim = new Simulation({ seed });
      const net = new Network(sim);
      net.setReliable(false);
      net.addServer("s", new Server(sim.createNode("s"), [new Service("Echo", { echo: (x: number) => x })]));
      return sim.run(async () => {
        const end = net.makeEnd("c");
        net.connect(end, "s");
        net.enable(end, true);
        let pattern = "";
        for (let i = 0; i < 100; i++) pattern += (await end.call("Echo.echo", i)) === null ? "x" : ".";
        return pattern;
      });
    };
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 1_000_000 }), fc.nat({ max: 1_000_000 }), async (s1, s2) => {
        fc.pre(s1 !== s2);
        const [p1, p2] = [await lossPattern(s1), await lossPattern(s2)];
        expect(p1).toContain("x");
        expect(p1).toContain(".");
        expect(p1).not.toBe(p2);
        expect(await lossPattern(s1)).toBe(p1);
      }),
      { numRuns: 30 },
    );
  });

  it("shuffleTies: same-instant events run in a seeded order that differs from FIFO, reproducibly", async () => {
    const order = async (seed: number, shuffleTies: boolean) => {
      const sim = new Simulation({ seed, shuffleTies });
      const out: number[] = [];
      await sim.run(async () => {
        for (let i = 0; i < 20; i++) go(() => { out.push(i); });
        await sleep(1);
      });
      return out;
    };
    const fifo = await order(1, false);
    expect(fifo).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const shuffled = await order(1, true);
    expect(shuffled).not.toEqual(fifo);
    expect([...shuffled].sort((a, b) => a - b)).toEqual(fifo);
    expect(await order(1, true)).toEqual(shuffled);
    expect(await order(2, true)).not.toEqual(shuffled);
  });
});

describe("the journal hash covers what log lines say", () => {
  it("two runs that log different values at the same moments hash differently", async () => {
    const hashOf = async (value: number) => {
      const sim = new Simulation({ seed: 1 });
      await sim.run(async () => {
        await sleep(5);
        log("vote", "votes for", value);
      });
      return sim.journal.hash;
    };
    expect(await hashOf(2)).not.toBe(await hashOf(3));
    expect(await hashOf(2)).toBe(await hashOf(2));
  });
});
