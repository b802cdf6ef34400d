// The kernel's drift and pause knobs (sim/core/node-clock.ts, Simulation.setClock and pause): a
// node's now() and timers follow its own clock; a paused node's events, and requests to it, wait
// for the end of the pause; bad settings are a sentence; the same seed gives the same run.
import { describe, expect, it } from "vitest";
import { Channel, Network, Server, Service, Simulation, TIMEOUT, UsageError, now, sleep } from "../../sim/index.ts";

function run<T>(body: (sim: Simulation) => Promise<T>, seed = 1): Promise<T> {
  const sim = new Simulation({ seed });
  return sim.run(() => body(sim));
}

describe("a node's own clock", () => {
  it("now() and sleep() follow the node's rate; the tester stays on virtual time", async () => {
    const seen = await run(async (sim) => {
      const slow = sim.createNode("slow");
      sim.setClock("slow", { rate: 0.5 });
      const out: { local: number; virtual: number }[] = [];
      sim.go(async () => {
        await sleep(100); // 100 ms of its clock: 200 virtual ms
        out.push({ local: now(), virtual: sim.now });
      }, slow);
      await sleep(300);
      return { out, testerNow: now(), virtualNow: sim.now };
    });
    expect(seen.out).toEqual([{ local: 100, virtual: 200 }]);
    expect(seen.testerNow).toBe(300);
  });

  it("a fast clock with an offset: local = reading + offset + rate × elapsed; recvWithin times out by it", async () => {
    const seen = await run(async (sim) => {
      await sleep(10);
      const fast = sim.createNode("fast");
      sim.setClock("fast", { rate: 2, offsetMs: 1000 });
      let out: { start: number; timedOutAt: number; local: number } | undefined;
      sim.go(async () => {
        const start = now();
        const r = await new Channel<number>().recvWithin(100); // 50 virtual ms
        if (r === TIMEOUT) out = { start, timedOutAt: sim.now, local: now() };
      }, fast);
      await sleep(100);
      return out;
    });
    expect(seen).toEqual({ start: 1010, timedOutAt: 60, local: 1110 });
  });

  it("a restarted incarnation keeps its machine's clock, and a new rate continues from the current reading", async () => {
    const seen = await run(async (sim) => {
      const first = sim.createNode("n");
      sim.setClock("n", { rate: 0.5 });
      await sleep(100);
      sim.crash(first);
      const second = sim.createNode("n");
      const readings: number[] = [];
      sim.runAs(second, () => readings.push(now())); // 50
      sim.setClock("n", { rate: 1 });
      await sleep(100);
      sim.runAs(second, () => readings.push(now())); // 150
      return readings;
    });
    expect(seen).toEqual([50, 150]);
  });

  it("refuses a rate that is not a positive number, and an unknown node, in a sentence", async () => {
    await run(async (sim) => {
      sim.createNode("n");
      expect(() => sim.setClock("n", { rate: 0 })).toThrow(UsageError);
      expect(() => sim.setClock("n", { rate: Number.NaN })).toThrow(/rate must be a finite number > 0/);
      expect(() => sim.setClock("n", { rate: 1, offsetMs: Infinity })).toThrow(/offsetMs must be a finite number/);
      expect(() => sim.setClock("nobody", { rate: 1 })).toThrow(/there is no node named "nobody" in this run/);
      expect(() => sim.pause("n", -1)).toThrow(/pause\(ms\) needs a finite number of milliseconds/);
    });
  });
});

describe("a paused node", () => {
  it("runs nothing during its pause: a timer due meanwhile fires when it ends, in the order scheduled", async () => {
    const seen = await run(async (sim) => {
      const n = sim.createNode("n");
      const fired: string[] = [];
      sim.go(async () => {
        await sleep(10);
        fired.push(`a@${sim.now}`);
      }, n);
      sim.go(async () => {
        await sleep(20);
        fired.push(`b@${sim.now}`);
      }, n);
      sim.go(async () => {
        await sleep(500);
        fired.push(`c@${sim.now}`);
      }, n);
      await sleep(5);
      sim.pause("n", 100); // until 105
      await sleep(600);
      return fired;
    });
    expect(seen).toEqual(["a@105", "b@105", "c@500"]);
  });

  it("takes requests sent to it when its pause ends; its clock kept running", async () => {
    const seen = await run(async (sim) => {
      const net = new Network(sim);
      const serverNode = sim.createNode("server");
      let handledAt: { virtual: number; local: number } | undefined;
      const echo = {
        hi(x: number): number {
          handledAt = { virtual: sim.now, local: now() };
          return x;
        },
      };
      net.addServer("s", new Server(serverNode, [new Service("Echo", echo)]));
      const end = net.makeEnd("client->s");
      net.connect(end, "s");
      net.enable(end, true);
      sim.pause("server", 1000);
      const reply = await end.call("Echo.hi" as never, 7 as never);
      return { reply, handledAt, answeredAt: sim.now };
    });
    expect(seen.reply).toBe(7);
    expect(seen.handledAt!.virtual).toBeGreaterThanOrEqual(1000);
    expect(seen.handledAt!.local).toBe(seen.handledAt!.virtual);
    expect(seen.answeredAt).toBeGreaterThanOrEqual(1000);
  });

  it("the same seed gives the same run, drift and pauses included", async () => {
    const once = async () => {
      const sim = new Simulation({ seed: 7, keepJournal: true });
      await sim.run(async () => {
        const n = sim.createNode("n");
        sim.setClock("n", { rate: 0.9 });
        for (let k = 0; k < 3; k++) {
          sim.go(async () => {
            for (let i = 0; i < 5; i++) await sleep(17 + k);
          }, n);
        }
        await sleep(30);
        sim.pause("n", 45);
        await sleep(200);
      });
      return { hash: sim.journal.hash, events: sim.events };
    };
    expect(await once()).toEqual(await once());
  });
});
