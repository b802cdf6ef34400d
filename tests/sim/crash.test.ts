// Crashing a node cancels everything it owns (DESIGN.md §3, "Nodes own tasks"): its sleeping tasks
// never resume, its timers never fire, replies addressed to it are dropped, and a restarted node is
// a new, independent incarnation.
import { describe, expect, it } from "vitest";
import { Channel, Network, Server, Service, Simulation, currentNode, go, now, sleep } from "../../sim/index.ts";
import { encode } from "../../sim/codec/index.ts";

describe("crash cancellation", () => {
  it("a crashed node's sleeping task never resumes", async () => {
    const sim = new Simulation({ seed: 1 });
    const trace: string[] = [];
    await sim.run(async () => {
      const node = sim.createNode("n");
      sim.go(async () => {
        for (;;) {
          await sleep(10);
          trace.push(`tick ${now()}`);
        }
      }, node);
      // A second task of the same node, sleeping deep inside helpers.
      sim.go(async () => {
        const helper = async () => {
          await sleep(1000);
          trace.push("helper woke");
        };
        await helper();
        trace.push("after helper");
      }, node);
      await sleep(35);
      sim.crash(node);
      expect(node.alive).toBe(false);
      await sleep(2000);
    });
    expect(trace).toEqual(["tick 10", "tick 20", "tick 30"]);
  });

  it("a crashed node's timers (setTimeout, setInterval) never fire; clearTimeout is not needed", async () => {
    const sim = new Simulation({ seed: 1 });
    const fired: string[] = [];
    await sim.run(async () => {
      const node = sim.createNode("n");
      sim.runAs(node, () => {
        setTimeout(() => fired.push(`timeout ${now()}`), 50);
        setInterval(() => fired.push(`interval ${now()}`), 20);
      });
      await sleep(45);
      sim.crash(node);
      await sleep(500);
    });
    expect(fired).toEqual(["interval 20", "interval 40"]);
  });

  it("go() started by a crashed node's straggler code does not run", async () => {
    const sim = new Simulation({ seed: 1 });
    let ran = false;
    await sim.run(async () => {
      const node = sim.createNode("n");
      sim.crash(node);
      sim.runAs(node, () => go(() => { ran = true; }));
      await sleep(10);
    });
    expect(ran).toBe(false);
  });

  it("a late RPC reply to a crashed caller is dropped: its await never resumes and its bytes are not counted", async () => {
    const sim = new Simulation({ seed: 1 });
    const net = new Network(sim);
    const after: string[] = [];
    class Slow {
      async work(x: number): Promise<string> {
        await sleep(100);
        return `reply to ${x}`;
      }
    }
    await sim.run(async () => {
      const server = new Server(sim.createNode("server"), [new Service("Slow", new Slow())]);
      net.addServer("s", server);
      const client = sim.createNode("client");
      const end = net.makeEnd("client->s");
      net.connect(end, "s");
      net.enable(end, true);
      sim.go(async () => {
        const reply = await end.call("Slow.work", 1);
        after.push(`got ${String(reply)}`);
      }, client);
      await sleep(50); // the request was delivered; the handler is sleeping
      expect(server.rpcCount).toBe(1);
      sim.crash(client);
      await sleep(500);
      expect(net.totalCount).toBe(1);
      expect(net.totalBytes).toBe(encode(1).length); // only the request
    });
    expect(after).toEqual([]);
  });

  it("the same reply is counted when the caller stays up (control for the test above)", async () => {
    const sim = new Simulation({ seed: 1 });
    const net = new Network(sim);
    class Slow {
      async work(x: number): Promise<string> {
        await sleep(100);
        return `reply to ${x}`;
      }
    }
    await sim.run(async () => {
      net.addServer("s", new Server(sim.createNode("server"), [new Service("Slow", new Slow())]));
      const end = net.makeEnd("client->s");
      net.connect(end, "s");
      net.enable(end, true);
      expect(await end.call("Slow.work", 1)).toBe("reply to 1");
      expect(net.totalBytes).toBe(encode(1).length + encode("reply to 1").length);
    });
  });

  it("a crashed server's handler does not run for requests that arrive after the crash", async () => {
    const sim = new Simulation({ seed: 1 });
    const net = new Network(sim);
    const handled: number[] = [];
    await sim.run(async () => {
      const serverNode = sim.createNode("server");
      net.addServer("s", new Server(serverNode, [new Service("Log", { add: (x: number) => { handled.push(x); return x; } })]));
      const end = net.makeEnd("c->s");
      net.connect(end, "s");
      net.enable(end, true);
      expect(await end.call("Log.add", 1)).toBe(1);
      sim.crash(serverNode); // crashed, but the tester has not deleted it from the network yet
      const reply = await end.call("Log.add", 2);
      expect(reply).toBeNull();
    });
    expect(handled).toEqual([1]);
  });

  it("a restarted node is a new incarnation, independent of the crashed one", async () => {
    const sim = new Simulation({ seed: 1 });
    const trace: string[] = [];
    await sim.run(async () => {
      const loop = async () => {
        for (;;) {
          trace.push(`${currentNode()} ${now()}`);
          await sleep(10);
        }
      };
      const first = sim.createNode("raft-0");
      sim.go(loop, first);
      await sleep(15);
      sim.crash(first);
      const second = sim.createNode("raft-0");
      expect(second.incarnation).toBe(1);
      expect(second.toString()).toBe("raft-0#1");
      expect(second.alive).toBe(true);
      expect(second.id).not.toBe(first.id);
      sim.go(loop, second);
      await sleep(25);
      // Crashing the old incarnation again changes nothing for the new one.
      sim.crash(first);
      await sleep(10);
    });
    expect(trace).toEqual(["raft-0 0", "raft-0 10", "raft-0#1 15", "raft-0#1 25", "raft-0#1 35", "raft-0#1 45"]);
  });

  it("each incarnation draws from its own random stream; the same seed gives the same draws", async () => {
    const draws = async () => {
      const sim = new Simulation({ seed: 9 });
      const out: number[][] = [];
      await sim.run(async () => {
        for (let i = 0; i < 3; i++) {
          const node = sim.createNode("n");
          out.push([node.random.float(), node.random.float()]);
          sim.crash(node);
        }
      });
      return out;
    };
    const a = await draws();
    expect(new Set(a.map((d) => d[0])).size).toBe(3);
    expect(await draws()).toEqual(a);
  });

  it("a crashed node's waiting send is never delivered", async () => {
    const sim = new Simulation({ seed: 1 });
    await sim.run(async () => {
      const ch = new Channel<string>();
      const node = sim.createNode("n");
      sim.go(() => ch.send("from the dead"), node);
      await sleep(1);
      sim.crash(node);
      go(async () => {
        await sleep(5);
        await ch.send("alive");
      });
      expect(await ch.recv()).toBe("alive");
    });
  });

  it("the tester node cannot crash", () => {
    const sim = new Simulation({ seed: 1 });
    expect(() => sim.crash(sim.tester)).toThrow(/tester node cannot crash/);
  });
});
