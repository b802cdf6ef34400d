// Safety valves: every way a run can go wrong ends it with an error that names the seed, the node
// and the virtual time — never a silent hang. After each failure, a normal run still works.
import { describe, expect, it } from "vitest";
import {
  Channel,
  Network,
  Server,
  Service,
  Simulation,
  SimulationError,
  go,
  sleep,
  type SimulationOptions,
} from "../../sim/index.ts";

/** Runs `body` (as the tester) expecting a SimulationError; returns it. */
async function failure(
  body: (sim: Simulation) => Promise<unknown>,
  options: Partial<SimulationOptions> = {},
): Promise<SimulationError> {
  const sim = new Simulation({ seed: 4711, ...options });
  const outcome = await sim.run(() => body(sim)).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(outcome).toBeInstanceOf(SimulationError);
  return outcome as SimulationError;
}

function expectContext(err: SimulationError, node: string, time: string): void {
  expect(err.message).toContain("seed 4711");
  expect(err.message).toContain(`node ${node}`);
  expect(err.message).toContain(`virtual time ${time}`);
  expect(err.context.seed).toBe(4711);
  expect(err.context.node).toBe(node);
}

/** A normal run after a failed one: the kernel is not left in a broken state. */
async function stillWorks(): Promise<void> {
  const sim = new Simulation({ seed: 1 });
  const ch = new Channel<number>();
  const result = await sim.run(async () => {
    go(async () => {
      await sleep(5);
      await ch.send(42);
    });
    return ch.recv();
  });
  expect(result).toBe(42);
  expect(sim.now).toBe(5);
}

describe("safety valves", () => {
  it("livelock: a task looping around sleep(0)", async () => {
    const err = await failure(async (sim) => {
      await sleep(10);
      sim.go(async () => {
        for (;;) await sleep(0);
      }, sim.createNode("spinner"));
      await sleep(1000);
    }, { livelockEvents: 10_000 });
    expect(err.headline).toMatch(/^livelock: 10000 events ran at virtual time 0\.010 s without the clock moving/);
    expectContext(err, "spinner", "0.010 s");
    await stillWorks();
  });

  it("time limit: the run passes maxVirtualTimeMs", async () => {
    const err = await failure(async () => {
      for (;;) await sleep(100);
    }, { maxVirtualTimeMs: 2000 });
    expect(err.headline).toMatch(/^time limit: the run passed 2\.000 s of virtual time without finishing \(maxVirtualTimeMs\)/);
    expectContext(err, "tester", "2.100 s");
    await stillWorks();
  });

  it("events budget: a run that keeps busy without finishing", async () => {
    const err = await failure(async (sim) => {
      sim.go(async () => {
        for (;;) await sleep(1);
      }, sim.createNode("poller"));
      await sleep(60_000);
    }, { maxEvents: 5000 });
    expect(err.headline).toMatch(/^events budget: the run dispatched its budget of 5000 events without finishing \(maxEvents\)/);
    // The tester's go and the poller's go, then one sleep a millisecond: 4998 ms of them.
    expectContext(err, "poller", "4.999 s");
    await stillWorks();
  });

  it("events budget: a run that finishes within it is not affected", async () => {
    const sim = new Simulation({ seed: 4711, maxEvents: 12 });
    await sim.run(async () => {
      for (let i = 0; i < 10; i++) await sleep(1);
    });
    expect(sim.events).toBe(11);
  });

  it("deadlock: the test waits on a channel nobody sends on", async () => {
    const err = await failure(async () => {
      await sleep(30);
      const ch = new Channel<number>();
      await ch.recv();
    });
    expect(err.headline).toMatch(/^deadlock: the test has not finished, but nothing is scheduled to run/);
    expect(err.headline).toMatch(/a channel nobody sends on/);
    expectContext(err, "tester", "0.030 s");
    await stillWorks();
  });

  it("watchdog: a task stuck in while (true) {}", async () => {
    const started = Date.now();
    const err = await failure(async (sim) => {
      await sleep(20);
      sim.go(() => {
        for (;;) {
          // spins without ever yielding
        }
      }, sim.createNode("spinner"));
      await sleep(1000);
    }, { watchdogMs: 500 });
    expect(err.headline).toMatch(/^watchdog: code of spinner ran for more than 500 ms of CPU time without yielding/);
    expectContext(err, "spinner", "0.020 s");
    expect(Date.now() - started).toBeLessThan(10_000);
    await stillWorks();
  }, 30_000);

  it("watchdog: an event the machine is slow to run is not stuck (it counts CPU time, not wall time)", async () => {
    // The event blocks for three watchdog limits of wall time without using the CPU, as an event
    // does when the machine is loaded or the process is stopped: the run goes on.
    const sim = new Simulation({ seed: 4711, watchdogMs: 500 });
    const done = await sim.run(async () => {
      await sleep(5);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500);
      await sleep(5);
      return "done";
    });
    expect(done).toBe("done");
    expect(sim.now).toBe(10);
  }, 30_000);

  it("watchdog: a task stuck in for (;;) await null", async () => {
    const err = await failure(async (sim) => {
      await sleep(7);
      sim.go(async () => {
        for (;;) await null;
      }, sim.createNode("awaiter"));
      await sleep(1000);
    }, { watchdogMs: 500 });
    expect(err.headline).toMatch(/^watchdog: code of awaiter ran for more than 500 ms/);
    expect(err.headline).toMatch(/a loop around `await` of something that is already resolved/);
    expectContext(err, "awaiter", "0.007 s");
    await stillWorks();
  }, 30_000);

  it("a task that throws fails the run, naming its node", async () => {
    const err = await failure(async (sim) => {
      sim.go(async () => {
        await sleep(12);
        throw new Error("applied entry 7 twice");
      }, sim.createNode("raft-2"));
      await sleep(100);
    });
    expect(err.headline).toBe("a task of raft-2 threw: applied entry 7 twice");
    expectContext(err, "raft-2", "0.012 s");
    expect(err.cause).toBeInstanceOf(Error);
    await stillWorks();
  });

  it("a synchronous throw in a task started with go() fails the run too", async () => {
    const err = await failure(async (sim) => {
      await sleep(3);
      sim.runAs(sim.createNode("raft-1"), () =>
        go(() => {
          throw new TypeError("x is undefined");
        }),
      );
      await sleep(100);
    });
    expect(err.headline).toBe("a task of raft-1 threw: TypeError: x is undefined");
    expectContext(err, "raft-1", "0.003 s");
  });

  it("the test body's own throw is reported with its message, at the tester", async () => {
    const err = await failure(async () => {
      await sleep(9);
      throw new Error("expected 3 servers to agree");
    });
    expect(err.headline).toContain("expected 3 servers to agree");
    expectContext(err, "tester", "0.009 s");
  });

  it("an RPC handler that throws fails the run, naming the method and the server", async () => {
    const err = await failure(async (sim) => {
      const net = new Network(sim);
      class Raft {
        requestVote(args: { term: number }): { voteGranted: boolean } {
          if (args.term > 1) throw new RangeError(`term ${args.term} out of range`);
          return { voteGranted: true };
        }
      }
      net.addServer("1", new Server(sim.createNode("raft-1"), [new Service("Raft", new Raft())]));
      const end = net.makeEnd("0->1");
      net.connect(end, "1");
      net.enable(end, true);
      expect(await end.call("Raft.requestVote", { term: 1 })).toEqual({ voteGranted: true });
      await end.call("Raft.requestVote", { term: 2 });
    });
    expect(err.headline).toBe("RPC handler Raft.requestVote on raft-1 threw: RangeError: term 2 out of range");
    expect(err.message).toMatch(/seed 4711, virtual time 0\.0\d\d s, node raft-1/);
    expect(err.context.node).toBe("raft-1");
    await stillWorks();
  });

  it("an async RPC handler that rejects fails the run the same way", async () => {
    const err = await failure(async (sim) => {
      const net = new Network(sim);
      const kv = {
        async get(key: string): Promise<string> {
          await sleep(2);
          throw new Error(`no key ${key}`);
        },
      };
      net.addServer("kv", new Server(sim.createNode("kv-0"), [new Service("KV", kv)]));
      const end = net.makeEnd("clerk");
      net.connect(end, "kv");
      net.enable(end, true);
      await end.call("KV.get", "x");
    });
    expect(err.headline).toBe("RPC handler KV.get on kv-0 threw: no key x");
    expect(err.message).toMatch(/seed 4711, virtual time 0\.00\d s, node kv-0/);
    expect(err.context.node).toBe("kv-0");
  });

  it("a reply that cannot be encoded fails the run, naming the field", async () => {
    const err = await failure(async (sim) => {
      const net = new Network(sim);
      const svc = { state: () => ({ term: 3, peers: new Set([1, 2]) }) };
      net.addServer("1", new Server(sim.createNode("raft-1"), [new Service("Raft", svc)]));
      const end = net.makeEnd("0->1");
      net.connect(end, "1");
      net.enable(end, true);
      await end.call("Raft.state", null);
    });
    expect(err.headline).toMatch(/cannot send or store the reply of Raft\.state from raft-1, field peers: it is a Set/);
    expect(err.context.node).toBe("raft-1");
    expect(err.message).toMatch(/seed 4711, virtual time 0\.00\d s, node raft-1/);
    await stillWorks();
  });

  it("a failure report lists the last events", async () => {
    const err = await failure(async () => {
      for (let i = 0; i < 5; i++) await sleep(1);
      throw new Error("stop");
    }, { reportEvents: 3 });
    expect(err.context.recent.length).toBeLessThanOrEqual(3);
  });
});
