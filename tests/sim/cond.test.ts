// Cond: Go's sync.Cond for simulated tasks.
import { describe, expect, it } from "vitest";
import { Cond, Simulation, go, now, sleep } from "../../sim/index.ts";

describe("Cond", () => {
  it("signal wakes the longest waiter, broadcast wakes all, crashed waiters are skipped", async () => {
    const woke: string[] = [];
    const sim = new Simulation({ seed: 1 });
    await sim.run(async () => {
      const cond = new Cond();
      const dead = sim.createNode("dead");
      sim.go(async () => {
        await cond.wait();
        woke.push("dead");
      }, dead);
      await sleep(1);
      for (const name of ["a", "b", "c"]) {
        go(async () => {
          await cond.wait();
          woke.push(`${name}@${now()}`);
        });
        await sleep(1);
      }
      sim.crash(dead);
      cond.signal(); // skips the dead waiter, wakes a
      await sleep(5);
      expect(woke).toEqual(["a@4"]);
      cond.broadcast();
      await sleep(0);
      expect(woke).toEqual(["a@4", "b@9", "c@9"]);
      cond.signal(); // nobody waits: nothing happens
      await sleep(1);
      expect(woke.length).toBe(3);
    });
  });

  it("a signal with no waiter is not remembered", async () => {
    await new Simulation({ seed: 1 }).run(async () => {
      const cond = new Cond();
      cond.signal();
      let woke = false;
      go(async () => {
        await cond.wait();
        woke = true;
      });
      await sleep(10);
      expect(woke).toBe(false);
      cond.signal();
      await sleep(0);
      expect(woke).toBe(true);
    });
  });
});
