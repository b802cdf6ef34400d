// Ports of labrpc's own tests (src/labrpc/test_test.go), in virtual time.
import { describe, expect, it } from "vitest";
import { Simulation, Network, Server, Service, sleep, go, now, type ServiceApi } from "../../sim/index.ts";

class JunkServer {
  log1: string[] = [];
  log2: number[] = [];
  handler1(args: string): number {
    this.log1.push(args);
    return Number.parseInt(args, 10);
  }
  handler2(args: number): string {
    this.log2.push(args);
    return `handler2-${args}`;
  }
  async handler3(args: number): Promise<number> {
    await sleep(20_000);
    return -args;
  }
  handler4(args: { x: string }): { x: string } {
    return { x: "pointer" + args.x };
  }
  handler5(args: { x: string }): { x: string } {
    return { x: "no pointer" + args.x };
  }
  handler6(args: string): number {
    return args.length;
  }
  handler7(args: number): string {
    return "y".repeat(args);
  }
}
type JunkApi = ServiceApi<"JunkServer", JunkServer>;

function world(seed = 1) {
  const sim = new Simulation({ seed });
  const net = new Network(sim);
  const junk = new JunkServer();
  const server = new Server(sim.createNode("server-1000"), [new Service("JunkServer", junk)]);
  net.addServer("1000", server);
  const end = (name: string) => {
    const e = net.makeEnd<JunkApi>(name);
    net.connect(e, "1000");
    net.enable(e, true);
    return e;
  };
  return { sim, net, junk, end };
}

describe("labrpc", () => {
  it("TestBasic", async () => {
    const { sim, end } = world();
    await sim.run(async () => {
      const e = end("end1-99");
      expect(await e.call("JunkServer.handler2", 111)).toBe("handler2-111");
      expect(await e.call("JunkServer.handler1", "9099")).toBe(9099);
    });
  });

  it("TestTypes", async () => {
    const { sim, end } = world();
    await sim.run(async () => {
      const e = end("end1-99");
      expect(await e.call("JunkServer.handler4", { x: "" })).toEqual({ x: "pointer" });
      expect(await e.call("JunkServer.handler5", { x: "" })).toEqual({ x: "no pointer" });
    });
  });

  it("TestDisconnect: a disabled end fails, an enabled one works", async () => {
    const { sim, net, end } = world();
    await sim.run(async () => {
      const e = end("end1-99");
      net.enable(e, false);
      expect(await e.call("JunkServer.handler2", 111)).toBeNull();
      net.enable(e, true);
      expect(await e.call("JunkServer.handler1", "9099")).toBe(9099);
    });
  });

  it("TestCounts: rpcCount counts requests that reached the server", async () => {
    const { sim, net, end } = world();
    await sim.run(async () => {
      const e = end("end1-99");
      for (let i = 0; i < 17; i++) expect(await e.call("JunkServer.handler2", i)).toBe(`handler2-${i}`);
      expect(net.rpcCount("1000")).toBe(17);
      expect(net.totalCount).toBe(17);
    });
  });

  it("TestBytes: totalBytes counts requests and delivered replies", async () => {
    const { sim, net, end } = world();
    await sim.run(async () => {
      const e = end("end1-99");
      const arg = "x".repeat(288);
      for (let i = 0; i < 17; i++) expect(await e.call("JunkServer.handler6", arg)).toBe(288);
      const n1 = net.totalBytes;
      expect(n1).toBeGreaterThanOrEqual(4828);
      expect(n1).toBeLessThanOrEqual(6000);
      for (let i = 0; i < 17; i++) expect(await e.call("JunkServer.handler7", 107)).toBe("y".repeat(107));
      const added = net.totalBytes - n1;
      expect(added).toBeGreaterThanOrEqual(1800);
      expect(added).toBeLessThanOrEqual(2500);
    });
  });

  it("TestConcurrentMany: 20 clients, 10 calls each", async () => {
    const { sim, net, end } = world();
    await sim.run(async () => {
      const done: number[] = [];
      for (let i = 0; i < 20; i++) {
        go(async () => {
          const e = end(`end-${i}`);
          let n = 0;
          for (let j = 0; j < 10; j++) {
            const arg = 100 * i + j;
            expect(await e.call("JunkServer.handler2", arg)).toBe(`handler2-${arg}`);
            n++;
          }
          done.push(n);
        });
      }
      while (done.length < 20) await sleep(10);
      expect(done.reduce((a, b) => a + b, 0)).toBe(200);
      expect(net.rpcCount("1000")).toBe(200);
    });
  });

  it("TestUnreliable: some calls fail, some succeed", async () => {
    const { sim, net, end } = world();
    await sim.run(async () => {
      net.setReliable(false);
      let ok = 0;
      let finished = 0;
      for (let i = 0; i < 300; i++) {
        go(async () => {
          const e = end(`end-${i}`);
          const arg = 100 * i;
          const reply = await e.call("JunkServer.handler2", arg);
          if (reply !== null) {
            expect(reply).toBe(`handler2-${arg}`);
            ok++;
          }
          finished++;
        });
      }
      while (finished < 300) await sleep(10);
      // 10% of requests and 10% of replies are lost: about 243 of 300 succeed.
      expect(ok).toBeGreaterThan(0);
      expect(ok).toBeLessThan(300);
    });
  });

  it("TestConcurrentOne: 20 tasks share one end", async () => {
    const { sim, net, junk, end } = world();
    await sim.run(async () => {
      const e = end("end1-99");
      let finished = 0;
      for (let i = 0; i < 20; i++) {
        go(async () => {
          const arg = 100 + i;
          expect(await e.call("JunkServer.handler2", arg)).toBe(`handler2-${arg}`);
          finished++;
        });
      }
      while (finished < 20) await sleep(10);
      expect(net.rpcCount("1000")).toBe(20);
      expect(junk.log2.length).toBe(20);
    });
  });

  it("TestRegression1: a call delayed while the end was disabled does not delay later calls", async () => {
    const { sim, net, junk, end } = world();
    await sim.run(async () => {
      net.setLongDelays(true);
      const e = end("end1-99");
      net.enable(e, false);
      let first: string | null | undefined;
      go(async () => {
        first = await e.call("JunkServer.handler2", 99);
      });
      await sleep(1);
      net.enable(e, true);
      const t0 = now();
      expect(await e.call("JunkServer.handler2", 100)).toBe("handler2-100");
      expect(now() - t0).toBeLessThan(30);
      while (first === undefined) await sleep(100);
      expect(first).toBeNull(); // it was sent while disabled
      expect(junk.log2).toEqual([100]);
    });
  });

  it("TestKilled: a call stuck in a deleted server returns null", async () => {
    const { sim, net, end } = world();
    await sim.run(async () => {
      const e = end("end1-99");
      let reply: number | null | undefined;
      go(async () => {
        reply = await e.call("JunkServer.handler3", 99);
      });
      await sleep(1000);
      expect(reply).toBeUndefined();
      net.deleteServer("1000");
      const t0 = now();
      while (reply === undefined) await sleep(1);
      expect(reply).toBeNull();
      expect(now() - t0).toBeLessThanOrEqual(100);
    });
  });
});
