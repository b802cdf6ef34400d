// An RPC handler belongs to its server's node from its first line to its last, also after an
// `await`: what it starts (sleeps, go(), calls) is the server's, so a crash stops it, a pause holds
// it, and its now() reads the server's clock. (The request arrives as an event of the network's
// node; before the fix, everything after the handler's first `await` of a settled promise ran as
// that node instead, and outlived a crash of the server.)
import { describe, expect, it } from "vitest";
import { Network, Server, Service, Simulation, currentNode, go, now, sleep } from "../../sim/index.ts";

/** One server "s" running `receiver`, and a connected, enabled end to it. */
function oneServer(sim: Simulation, receiver: object) {
  const net = new Network(sim);
  const node = sim.createNode("server");
  net.addServer("s", new Server(node, [new Service("Svc", receiver)]));
  const end = net.makeEnd("c->s");
  net.connect(end, "s");
  net.enable(end, true);
  return { net, node, end };
}

describe("an RPC handler runs as its server's node", () => {
  it("before and after its first await", async () => {
    const sim = new Simulation({ seed: 1 });
    const seen: string[] = [];
    await sim.run(async () => {
      const { end } = oneServer(sim, {
        async work(): Promise<number> {
          seen.push(`before ${currentNode().name}`);
          await Promise.resolve(); // a free lock, a settled promise: no event in between
          seen.push(`after ${currentNode().name}`);
          return 1;
        },
      });
      expect(await end.call("Svc.work", null)).toBe(1);
    });
    expect(seen).toEqual(["before server", "after server"]);
  });

  it("what it starts after an await stops when the server crashes", async () => {
    const sim = new Simulation({ seed: 1 });
    const trace: string[] = [];
    await sim.run(async () => {
      const { node, end } = oneServer(sim, {
        async work(): Promise<string> {
          await Promise.resolve();
          go(async () => {
            await sleep(100);
            trace.push(`background task at ${now()}`);
          });
          await sleep(100);
          trace.push(`handler at ${now()}`);
          return "done";
        },
      });
      go(() => end.call("Svc.work", null));
      await sleep(50);
      sim.crash(node);
      await sleep(500);
    });
    expect(trace).toEqual([]);
  });

  it("the same handler finishes when the server stays up (control for the test above)", async () => {
    const sim = new Simulation({ seed: 1 });
    const trace: string[] = [];
    await sim.run(async () => {
      const { end } = oneServer(sim, {
        async work(): Promise<string> {
          await Promise.resolve();
          go(async () => {
            await sleep(100);
            trace.push("background task");
          });
          await sleep(100);
          trace.push("handler");
          return "done";
        },
      });
      expect(await end.call("Svc.work", null)).toBe("done");
      await sleep(10);
    });
    expect([...trace].sort()).toEqual(["background task", "handler"]);
  });

  it("after an await it reads the server's own clock", async () => {
    const sim = new Simulation({ seed: 1 });
    const readings: number[] = [];
    await sim.run(async () => {
      const { end } = oneServer(sim, {
        async work(): Promise<null> {
          await Promise.resolve();
          readings.push(now());
          return null;
        },
      });
      sim.setClock("server", { rate: 1, offsetMs: 5000 });
      await end.call("Svc.work", null);
      readings.push(now()); // the tester's clock: virtual time
    });
    expect(readings[0]! - readings[1]!).toBeGreaterThanOrEqual(4990);
  });
});
