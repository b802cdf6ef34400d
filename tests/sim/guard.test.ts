// The determinism guard: inside a run, the globals through which code could reach real time or
// real randomness are virtual and seeded; outside a run the originals are back.
import { describe, expect, it } from "vitest";
import { Simulation, SimulationError, UsageError, VIRTUAL_EPOCH_MS, go, now, sleep } from "../../sim/index.ts";

const originals = {
  random: Math.random,
  dateNow: Date.now,
  performanceNow: performance.now,
  setTimeout: globalThis.setTimeout,
  setInterval: globalThis.setInterval,
  clearTimeout: globalThis.clearTimeout,
  clearInterval: globalThis.clearInterval,
  setImmediate: globalThis.setImmediate,
  nextTick: process.nextTick,
  randomUUID: crypto.randomUUID,
};

function expectOriginals(): void {
  expect(Math.random).toBe(originals.random);
  expect(Date.now).toBe(originals.dateNow);
  expect(performance.now).toBe(originals.performanceNow);
  expect(globalThis.setTimeout).toBe(originals.setTimeout);
  expect(globalThis.setInterval).toBe(originals.setInterval);
  expect(globalThis.clearTimeout).toBe(originals.clearTimeout);
  expect(globalThis.clearInterval).toBe(originals.clearInterval);
  expect(globalThis.setImmediate).toBe(originals.setImmediate);
  expect(process.nextTick).toBe(originals.nextTick);
  expect(crypto.randomUUID).toBe(originals.randomUUID);
  expect(crypto.randomUUID()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
}

/** What simulated code sees from the guarded globals. */
async function observe(seed: number) {
  const sim = new Simulation({ seed });
  return sim.run(async () => {
    const seen: unknown[] = [];
    await sleep(1234);
    seen.push(Math.random(), Math.random(), Date.now(), performance.now(), crypto.randomUUID());
    const node = sim.createNode("other");
    seen.push(sim.runAs(node, () => Math.random()));
    return seen;
  });
}

describe("determinism guard", () => {
  it("before any run, the globals are the real ones", () => {
    expectOriginals();
  });

  it("inside a run: Math.random, Date.now, performance.now and crypto.randomUUID are virtual and seeded", async () => {
    const a = await observe(11);
    const b = await observe(11);
    const c = await observe(12);
    expect(a).toEqual(b);
    expect(a[0]).not.toEqual(c[0]);
    expect(a[0]).not.toBe(a[1]);
    expect(a[2]).toBe(VIRTUAL_EPOCH_MS + 1234);
    expect(a[3]).toBe(1234);
    expect(a[4]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a[4]).not.toBe(c[4]);
    expect(a[5]).not.toBe(a[0]); // each node has its own stream
    expectOriginals();
  });

  it("a node's Math.random does not shift when another node draws", async () => {
    const draws = async (otherDraws: number) => {
      const sim = new Simulation({ seed: 5 });
      return sim.run(async () => {
        const a = sim.createNode("a");
        const b = sim.createNode("b");
        for (let i = 0; i < otherDraws; i++) sim.runAs(b, () => Math.random());
        return sim.runAs(a, () => [Math.random(), Math.random()]);
      });
    };
    expect(await draws(0)).toEqual(await draws(7));
  });

  it("setTimeout and setInterval are virtual: they fire at virtual times, and clear* cancels them", async () => {
    const sim = new Simulation({ seed: 1 });
    const fired: string[] = [];
    await sim.run(async () => {
      setTimeout(() => fired.push(`a@${now()}`), 100);
      setTimeout((x: string) => fired.push(`${x}@${now()}`), 30, "b");
      const cancelled = setTimeout(() => fired.push("never"), 50);
      clearTimeout(cancelled);
      setTimeout(() => fired.push(`zero@${now()}`));
      const interval = setInterval(() => {
        fired.push(`i@${now()}`);
        if (now() >= 75) clearInterval(interval);
      }, 25);
      const t = setTimeout(() => {}, 1);
      expect(t.ref()).toBe(t);
      expect(t.unref()).toBe(t);
      await sleep(1000);
    });
    expect(fired).toEqual(["zero@0", "i@25", "b@30", "i@50", "i@75", "a@100"]);
    expectOriginals();
  });

  it("a long virtual sleep takes no real time", async () => {
    const sim = new Simulation({ seed: 1 });
    const started = originals.dateNow();
    await sim.run(async () => {
      await new Promise<void>((resolve) => setTimeout(resolve, 599_999)); // just under the limit
    });
    expect(sim.now).toBe(599_999);
    expect(originals.dateNow() - started).toBeLessThan(2000);
  });

  it("setImmediate and process.nextTick throw a UsageError that names the safe API", async () => {
    const sim = new Simulation({ seed: 1 });
    await sim.run(async () => {
      let error: unknown;
      try {
        setImmediate(() => {});
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(UsageError);
      expect(String(error)).toMatch(/setImmediate is not available in simulated code.*go\(fn\).*sleep\(0\)/);
      error = undefined;
      try {
        process.nextTick(() => {});
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(UsageError);
      expect(String(error)).toMatch(/process\.nextTick is not available in simulated code.*go\(fn\)/);
    });
    expectOriginals();
  });

  it("a task that calls setImmediate fails the run with that message", async () => {
    const sim = new Simulation({ seed: 8 });
    const error = await sim
      .run(async () => {
        go(() => setImmediate(() => {}));
        await sleep(10);
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SimulationError);
    expect(String((error as Error).message)).toMatch(/setImmediate is not available/);
    expectOriginals();
  });

  it("the originals are back while the kernel yields to the real event loop during a long run", async () => {
    const sim = new Simulation({ seed: 1 });
    let seenDuringYield: boolean | undefined;
    await sim.run(async () => {
      // The real setImmediate's callback runs when the kernel next yields (every 1024 events).
      originals.setImmediate(() => {
        seenDuringYield = Math.random === originals.random && Date.now === originals.dateNow && globalThis.setTimeout === originals.setTimeout;
      });
      for (let i = 0; i < 5000; i++) await sleep(1);
      expect(Math.random).not.toBe(originals.random);
    });
    expect(seenDuringYield).toBe(true);
    expectOriginals();
  });

  it("after a failed run the originals are back too", async () => {
    const sim = new Simulation({ seed: 1 });
    await expect(
      sim.run(async () => {
        await sleep(5);
        throw new Error("boom");
      }),
    ).rejects.toThrow(/boom/);
    expectOriginals();
  });
});

describe("determinism guard: the caller of run()", () => {
  it("code that continues after run() without awaiting it sees the real globals (a wall-clock timeout works)", async () => {
    const sim = new Simulation({ seed: 1 });
    const outcome = sim.run(async () => {
      for (;;) await sleep(1);
    });
    // Set up right after run(): these must be the real ones, or the timeout would be virtual.
    expectOriginals();
    const timedOut = await Promise.race([
      outcome.then(() => "finished"),
      new Promise<string>((resolve) => setTimeout(() => resolve("real timeout"), 50)),
    ]);
    expect(timedOut).toBe("real timeout");
    sim.stop("the real timeout fired");
    await expect(outcome).rejects.toThrow(/simulation stopped: the real timeout fired/);
    expect(sim.now).toBeGreaterThan(100); // it ran meanwhile
    expectOriginals();
  });
});
