// The network's timing and fault model beyond labrpc's own tests: latency, unreachable timeouts,
// long reordering (reply bytes counted on delivery), and the opt-in faults (one-way cuts,
// duplication, per-link latency).
import { describe, expect, it } from "vitest";
import { DEFAULT_LATENCY, Network, Server, Service, Simulation, encode, go, now, sleep } from "../../sim/index.ts";

function world(seed = 1) {
  const sim = new Simulation({ seed });
  const net = new Network(sim);
  const handled: number[] = [];
  const make = (name: string) => {
    net.addServer(name, new Server(sim.createNode(`server-${name}`), [
      new Service("Echo", {
        echo: (x: number) => {
          handled.push(x);
          return x;
        },
      }),
    ]));
  };
  make("a");
  make("b");
  const end = (name: string, to: string, from?: string) => {
    const e = net.makeEnd(name, from);
    net.connect(e, to);
    net.enable(e, true);
    return e;
  };
  return { sim, net, handled, end };
}

describe("network timing and faults", () => {
  it("a reliable round trip takes two one-way latencies from DEFAULT_LATENCY, never zero", async () => {
    const { sim, end } = world();
    const times: number[] = [];
    await sim.run(async () => {
      const e = end("c", "a");
      for (let i = 0; i < 200; i++) {
        const t0 = now();
        expect(await e.call("Echo.echo", i)).toBe(i);
        times.push(now() - t0);
      }
    });
    expect(Math.min(...times)).toBeGreaterThanOrEqual(2 * DEFAULT_LATENCY.min);
    expect(Math.max(...times)).toBeLessThanOrEqual(2 * DEFAULT_LATENCY.max);
    expect(new Set(times).size).toBeGreaterThan(3);
  });

  it("setLatency and per-link latency change the timing", async () => {
    const { sim, net, end } = world();
    await sim.run(async () => {
      net.setLatency({ min: 10, max: 10 });
      const e = end("a->b", "b", "a");
      let t0 = now();
      await e.call("Echo.echo", 1);
      expect(now() - t0).toBe(20);
      net.setLinkLatency("a", "b", { min: 50, max: 50 });
      t0 = now();
      await e.call("Echo.echo", 2);
      expect(now() - t0).toBe(60); // 50 there, 10 back
      net.setLinkLatency("a", "b", undefined);
      t0 = now();
      await e.call("Echo.echo", 3);
      expect(now() - t0).toBe(20);
    });
  });

  it("a disabled end fails after 1–100 ms; with long delays after up to 7 s", async () => {
    const { sim, net, handled, end } = world();
    const short: number[] = [];
    const long: number[] = [];
    await sim.run(async () => {
      const e = end("c", "a");
      net.enable(e, false);
      for (let i = 0; i < 100; i++) {
        const t0 = now();
        expect(await e.call("Echo.echo", i)).toBeNull();
        short.push(now() - t0);
      }
      net.setLongDelays(true);
      for (let i = 0; i < 50; i++) {
        const t0 = now();
        expect(await e.call("Echo.echo", i)).toBeNull();
        long.push(now() - t0);
      }
    });
    expect(handled).toEqual([]);
    expect(Math.min(...short)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...short)).toBeLessThanOrEqual(100);
    expect(Math.max(...long)).toBeGreaterThan(1000);
    expect(Math.max(...long)).toBeLessThanOrEqual(7000);
  });

  it("long reordering holds back about 2/3 of replies by 200–2199 ms; reply bytes count on delivery", async () => {
    const { sim, net, end } = world(7);
    const delays: number[] = [];
    await sim.run(async () => {
      net.setLongReordering(true);
      const e = end("c", "a");
      for (let i = 0; i < 300; i++) {
        const t0 = now();
        expect(await e.call("Echo.echo", i)).toBe(i);
        delays.push(now() - t0);
      }
      // One held-back reply: its bytes are not counted until it arrives.
      let bytesBefore = net.totalBytes;
      let arrived = false;
      let held = false;
      while (!held) {
        bytesBefore = net.totalBytes;
        arrived = false;
        const t0 = now();
        go(async () => {
          await e.call("Echo.echo", 12345);
          arrived = true;
        });
        await sleep(100);
        if (!arrived) {
          held = true;
          expect(net.totalBytes).toBe(bytesBefore + encode(12345).length); // the request only
          while (!arrived) await sleep(1);
          expect(now() - t0).toBeGreaterThanOrEqual(200);
          expect(net.totalBytes).toBe(bytesBefore + 2 * encode(12345).length);
        }
      }
    });
    const heldBack = delays.filter((d) => d >= 200);
    expect(heldBack.length / delays.length).toBeGreaterThan(0.55);
    expect(heldBack.length / delays.length).toBeLessThan(0.78);
    expect(Math.max(...delays)).toBeLessThanOrEqual(2199 + 2 * DEFAULT_LATENCY.max);
  });

  it("a one-way cut loses requests in one direction only; a cut reply direction loses replies after the handler ran", async () => {
    const { sim, net, handled, end } = world();
    await sim.run(async () => {
      const ab = end("a->b", "b", "a");
      const ba = end("b->a", "a", "b");
      net.setOneWayCut("a", "b", true);
      expect(await ab.call("Echo.echo", 1)).toBeNull();
      expect(handled).toEqual([]);
      // b → a: the request gets through; the reply travels a → b, which is cut.
      expect(await ba.call("Echo.echo", 2)).toBeNull();
      expect(handled).toEqual([2]);
      net.setOneWayCut("a", "b", false);
      expect(await ab.call("Echo.echo", 3)).toBe(3);
      expect(await ba.call("Echo.echo", 4)).toBe(4);
    });
  });

  it("duplication delivers a request twice; the caller sees one reply", async () => {
    const { sim, net, handled, end } = world();
    await sim.run(async () => {
      net.setDuplication(1);
      const e = end("c", "a");
      expect(await e.call("Echo.echo", 5)).toBe(5);
      await sleep(50);
      expect(handled).toEqual([5, 5]);
      expect(net.rpcCount("a")).toBe(2);
      expect(net.totalCount).toBe(1);
    });
  });

  it("replacing a server resets its count and fails calls still waiting on the old one at the next 100 ms check", async () => {
    const sim = new Simulation({ seed: 1 });
    const net = new Network(sim);
    const slow = { work: async (x: number) => { await sleep(10_000); return x; } };
    net.addServer("s", new Server(sim.createNode("s"), [new Service("Slow", slow)]));
    await sim.run(async () => {
      const e = net.makeEnd("c");
      net.connect(e, "s");
      net.enable(e, true);
      let reply: number | null | undefined;
      const t0 = now();
      go(async () => { reply = (await e.call("Slow.work", 1)) as number | null; });
      await sleep(250);
      expect(net.rpcCount("s")).toBe(1);
      net.addServer("s", new Server(sim.createNode("s"), [new Service("Slow", slow)]));
      expect(net.rpcCount("s")).toBe(0);
      while (reply === undefined) await sleep(1);
      expect(reply).toBeNull();
      // labrpc polls every 100 ms from delivery: the call fails at the first poll after the swap.
      expect(now() - t0).toBeLessThanOrEqual(250 + 100 + DEFAULT_LATENCY.max);
    });
  });
});
