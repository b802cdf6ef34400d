// Simulation.afterEachEvent with a node (sim/core/simulation.ts): the observer runs after exactly
// the events in which that node's code ran — its own events, and another's event that ran code as
// it (runAs, or the network handing a request over with runRestOfEventAs) — in the order the
// observers were added; without a node, after every event; in a run nobody observes, never.
import { describe, expect, it } from "vitest";
import { Network, Server, Service, Simulation, sleep, type ServiceApi } from "../../sim/index.ts";

class Counter {
  count = 0;
  bump(): number {
    return ++this.count;
  }
}
type CounterApi = ServiceApi<"Counter", Counter>;

/** Nodes a and b sleep and change their own state; the tester runs code as a, then calls a server on b. */
async function observedWorld(observe: boolean): Promise<{ seen: string[]; events: number }> {
  const sim = new Simulation({ seed: 1, observe });
  const a = sim.createNode("a");
  const b = sim.createNode("b");
  const state = { a: 0, b: 0 };
  const seen: string[] = [];
  const counter = new Counter();
  const net = new Network(sim);
  net.addServer("b", new Server(b, [new Service("Counter", counter)]));
  const end = net.makeEnd<CounterApi>("tester->b");
  net.connect(end, "b");
  net.enable(end, true);
  let events = 0;
  sim.afterEachEvent(() => events++);
  sim.afterEachEvent(() => seen.push(`${sim.now} a=${state.a}`), a);
  sim.afterEachEvent(() => seen.push(`${sim.now} b=${state.b},${counter.count}`), b);
  await sim.run(async () => {
    sim.go(async () => {
      await sleep(10);
      state.a = 1;
    }, a);
    sim.go(async () => {
      await sleep(20);
      state.b = 1;
    }, b);
    await sleep(30);
    sim.runAs(b, () => (state.b = 2));
    sim.runAs(a, () => (state.a = 2));
    await sleep(10);
    await end.call("Counter.bump", {});
  });
  return { seen, events };
}

describe("observers of one node's events", () => {
  it("run after the events that ran the node's code, in the order they were added, and see every change", async () => {
    const { seen, events } = await observedWorld(true);
    expect(seen).toEqual([
      "0 a=0", // a's task starts (its go event) and sleeps
      "0 b=0,0",
      "10 a=1", // a's sleep ends: its own event
      "20 b=1,0",
      "30 a=2", // the tester's event ran code as b, then as a: a's observer still comes first
      "30 b=2,0",
      "46 b=2,1", // the request reached b's server 6 ms later (runRestOfEventAs): the handler ran as b
    ]);
    // Six events ran a or b, three the tester's code alone (its start and the ends of its two
    // sleeps); the reply's event ends the run, and no step follows it to observe it.
    expect(events).toBe(9);
  });

  it("are never called in a run nobody observes", async () => {
    expect(await observedWorld(false)).toEqual({ seen: [], events: 0 });
  });
});
