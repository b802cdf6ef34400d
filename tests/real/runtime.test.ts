// The real runtime (sim/real/real-runtime.ts): the simulated API on real time. The bounds are
// generous on purpose — a loaded 2-core machine may run a timer late, never early.
import { afterEach, describe, expect, it } from "vitest";
import { Channel, Cond, Simulation, TIMEOUT, go, now, randomInt, sleep, log } from "../../sim/index.ts";
import { startRealRuntime, type RealLogRecord, type RealRuntime } from "../../sim/real/index.ts";

let runtime: RealRuntime | undefined;
const taskErrors: unknown[] = [];
const logged: RealLogRecord[] = [];
function start(): RealRuntime {
  runtime = startRealRuntime({ name: "node-t", onTaskError: (error) => taskErrors.push(error), logSink: (r) => logged.push(r) });
  return runtime;
}
afterEach(() => {
  runtime?.stop();
  runtime = undefined;
  taskErrors.length = 0;
  logged.length = 0;
});

describe("the real runtime", () => {
  it("without it (and outside a simulation) the API still says it needs a simulation", () => {
    expect(() => now()).toThrow(/called outside a simulation/);
  });

  it("sleep waits real time and now() follows the real clock", async () => {
    start();
    const before = now();
    const wallBefore = performance.now();
    await sleep(50);
    const slept = now() - before;
    expect(slept).toBeGreaterThanOrEqual(49);
    expect(slept).toBeLessThan(5_000);
    expect(Math.abs(slept - (performance.now() - wallBefore))).toBeLessThan(5);
  });

  it("go() starts a task later, never inside the caller; a task that throws goes to onTaskError", async () => {
    start();
    const order: string[] = [];
    go(() => order.push("task"));
    go(async () => {
      await sleep(1);
      throw new Error("boom");
    });
    order.push("caller");
    await sleep(30);
    expect(order).toEqual(["caller", "task"]);
    expect(taskErrors.map(String)).toEqual(["Error: boom"]);
  });

  it("Channel hands values over, and recvWithin times out in real time", async () => {
    start();
    const ch = new Channel<number>();
    go(async () => {
      await sleep(20);
      await ch.send(7);
    });
    expect(await ch.recv()).toBe(7);
    const before = now();
    expect(await ch.recvWithin(40)).toBe(TIMEOUT);
    expect(now() - before).toBeGreaterThanOrEqual(39);
    const buffered = new Channel<string>(1);
    go(() => buffered.send("soon"));
    expect(await buffered.recvWithin(5_000)).toBe("soon"); // a value first: the timeout is called off
  });

  it("Cond wakes its waiters", async () => {
    start();
    const cond = new Cond();
    let ready = false;
    const woke: number[] = [];
    for (const id of [1, 2]) {
      go(async () => {
        while (!ready) await cond.wait();
        woke.push(id);
      });
    }
    await sleep(10);
    ready = true;
    cond.broadcast();
    await sleep(20);
    expect(woke.sort()).toEqual([1, 2]);
  });

  it("draws come from the node's stream, and log() reaches the sink as records", () => {
    start();
    const draws = Array.from({ length: 200 }, () => randomInt(10));
    expect(Math.min(...draws)).toBe(0);
    expect(Math.max(...draws)).toBe(9);
    log("vote", { term: 3 });
    expect(logged).toEqual([expect.objectContaining({ node: "node-t", topic: "vote", detail: { term: 3 } })]);
  });

  it("refuses a second runtime in one process, and a running simulation still takes precedence", async () => {
    start();
    expect(() => startRealRuntime({ name: "other", onTaskError: () => {} })).toThrow(/already installed/);
    const seen = await new Simulation({ seed: 1 }).run(async () => {
      await sleep(10_000); // virtual: returns at once in real time
      return now();
    });
    expect(seen).toBe(10_000);
  });
});
