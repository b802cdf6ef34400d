// Bad input gets a sentence that says what is wrong and what to do — and never takes down the
// tests that run after it in the same file.
import { describe, expect, it } from "vitest";
import {
  Channel,
  CodecError,
  DEFAULT_SEED,
  Network,
  SeedError,
  Server,
  Service,
  Simulation,
  SimulationError,
  UsageError,
  go,
  now,
  parseSeed,
  sleep,
} from "../../sim/index.ts";

/** Lets the real event loop turn, so no simulation of an earlier test is still winding down. */
const realEventLoopTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function echoWorld(seed = 1) {
  const sim = new Simulation({ seed });
  const net = new Network(sim);
  class Echo {
    echo(x: unknown): unknown {
      return x;
    }
    twice(x: number): number {
      return 2 * x;
    }
  }
  net.addServer("s", new Server(sim.createNode("server"), [new Service("Echo", new Echo())]));
  return { sim, net };
}

describe("bad seeds", () => {
  it("parseSeed accepts whole numbers ≥ 0 and defaults when unset", () => {
    expect(parseSeed(undefined)).toBe(DEFAULT_SEED);
    expect(parseSeed("4711")).toBe(4711);
    expect(parseSeed(" 42 ")).toBe(42);
    expect(parseSeed("0")).toBe(0);
    expect(parseSeed(7)).toBe(7);
  });

  it.each([
    ["", /SEED is empty; give a non-negative integer such as SEED=4711/],
    ["   ", /SEED is empty/],
    ["-5", /SEED "-5" is negative/],
    ["1.5", /SEED "1.5" is not a whole number/],
    ["abc", /SEED "abc" is not a whole number/],
    ["1e3", /SEED "1e3" is not a whole number/],
    ["0x10", /is not a whole number/],
    ["99999999999999999999", /SEED "99999999999999999999" is too large/],
  ])("parseSeed(%j) throws a SeedError that says why", (text, message) => {
    expect(() => parseSeed(text, "SEED")).toThrow(SeedError);
    expect(() => parseSeed(text, "SEED")).toThrow(message);
  });

  it("parseSeed rejects bad numbers too", () => {
    expect(() => parseSeed(-1)).toThrow(/negative/);
    expect(() => parseSeed(2.5)).toThrow(/not a whole number/);
    expect(() => parseSeed(Number.NaN)).toThrow(SeedError);
  });

  it.each([[-1], [1.5], [Number.NaN], [Infinity], [2 ** 60], ["3" as unknown as number], [undefined as unknown as number]])(
    "new Simulation({ seed: %s }) throws a UsageError",
    (seed) => {
      expect(() => new Simulation({ seed })).toThrow(UsageError);
      expect(() => new Simulation({ seed })).toThrow(/seed must be a non-negative integer/);
    },
  );
});

describe("bad calls", () => {
  it("an unknown method fails the run, naming what the server offers", async () => {
    const { sim, net } = echoWorld();
    const err = await sim
      .run(async () => {
        const end = net.makeEnd("c");
        net.connect(end, "s");
        net.enable(end, true);
        await end.call("Echo.ecko", 1);
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SimulationError);
    expect((err as SimulationError).headline).toBe(
      "unknown RPC: tester called Echo.ecko on server s, which has no such method. It offers: Echo.echo, Echo.twice.",
    );
    expect((err as Error).message).toContain("seed 1");
  });

  it("an unknown service fails the run the same way", async () => {
    const { sim, net } = echoWorld();
    const err = await sim
      .run(async () => {
        const end = net.makeEnd("c");
        net.connect(end, "s");
        net.enable(end, true);
        await end.call("Raft.requestVote", {});
      })
      .catch((e: unknown) => e);
    expect((err as SimulationError).headline).toMatch(/^unknown RPC: tester called Raft\.requestVote on server s.*It offers: Echo\.echo, Echo\.twice\./);
  });

  it("a method name without a service is a UsageError", async () => {
    const { sim, net } = echoWorld();
    await sim.run(async () => {
      const end = net.makeEnd("c");
      net.connect(end, "s");
      expect(() => end.call("echo", 1)).toThrow(/the method must be "Service\.method", got "echo"/);
    });
  });

  it("an end used before it is connected is a UsageError that says how to connect it", async () => {
    const { sim, net } = echoWorld();
    await sim.run(async () => {
      const end = net.makeEnd("lonely");
      net.enable(end, true);
      expect(() => end.call("Echo.echo", 1)).toThrow(UsageError);
      expect(() => end.call("Echo.echo", 1)).toThrow(
        /end "lonely" is not connected to any server; connect it \(network\.connect\(end, server\)\) before calling Echo\.echo/,
      );
      expect(net.totalCount).toBe(0);
    });
  });

  it("arguments that cannot be encoded are a CodecError naming the field; nothing is sent", async () => {
    const { sim, net } = echoWorld();
    await sim.run(async () => {
      const end = net.makeEnd("c");
      net.connect(end, "s");
      net.enable(end, true);
      expect(() => end.call("Echo.echo", { term: 1, log: [{ cmd: undefined }] })).toThrow(CodecError);
      expect(() => end.call("Echo.echo", { term: 1, log: [{ cmd: undefined }] })).toThrow(
        /cannot send or store the arguments of Echo\.echo, field log\[0\]\.cmd: it is undefined/,
      );
      expect(net.totalCount).toBe(0);
      expect(await end.call("Echo.twice", 21)).toBe(42);
    });
  });

  it("a duplicate end name, a zero latency and a bad duplication probability are UsageErrors", () => {
    const sim = new Simulation({ seed: 1 });
    const net = new Network(sim);
    net.makeEnd("a");
    expect(() => net.makeEnd("a")).toThrow(/an end named "a" already exists/);
    expect(() => new Network(sim, { latency: { min: 0, max: 5 } })).toThrow(/no message may arrive in zero virtual time/);
    expect(() => net.setLatency({ min: 3, max: 2 })).toThrow(UsageError);
    expect(() => net.setDuplication(1.5)).toThrow(/duplication probability must be in \[0, 1\]/);
  });

  it("sleep() with a negative or NaN time and go() without a function are UsageErrors", async () => {
    const sim = new Simulation({ seed: 1 });
    await sim.run(async () => {
      expect(() => sleep(-1)).toThrow(/sleep\(ms\) needs a finite number of milliseconds ≥ 0, got -1/);
      expect(() => sleep(Number.NaN)).toThrow(UsageError);
      expect(() => go(42 as unknown as () => void)).toThrow(/go\(\) needs a function, got number/);
    });
  });

  it("a Simulation runs once", async () => {
    const sim = new Simulation({ seed: 1 });
    await sim.run(() => 1);
    expect(() => sim.run(() => 2)).toThrow(/a Simulation can only run once; create a new one/);
  });
});

describe("outside a simulation", () => {
  it.each([
    ["sleep()", () => sleep(1)],
    ["now()", () => now()],
    ["go()", () => go(() => {})],
    ["Channel.recv()", () => new Channel<number>().recv()],
    ["Channel.send()", () => new Channel<number>(1).send(1)],
  ])("%s throws a UsageError that says it only works inside a simulation", async (api, use) => {
    await realEventLoopTurn();
    expect(use).toThrow(UsageError);
    expect(use).toThrow(`${api} was called outside a simulation`);
    expect(use).toThrow("new Simulation({ seed }).run(main)");
  });
});

describe("failures stay in their own test", () => {
  it("a failing simulation…", async () => {
    const sim = new Simulation({ seed: 2 });
    await expect(
      sim.run(async () => {
        go(async () => {
          for (;;) await sleep(5); // still busy when the test fails
        });
        await sleep(10);
        throw new Error("the test failed on purpose");
      }),
    ).rejects.toThrow(/the test failed on purpose/);
  });

  it("…is followed by a passing one in the same file", async () => {
    const { sim, net } = echoWorld(3);
    const reply = await sim.run(async () => {
      const end = net.makeEnd("c");
      net.connect(end, "s");
      net.enable(end, true);
      await sleep(10);
      return end.call("Echo.twice", 4);
    });
    expect(reply).toBe(8);
    expect(sim.now).toBeGreaterThan(10);
  });

  it("a simulation left running is stopped when the next one starts", async () => {
    const abandoned = new Simulation({ seed: 4 });
    const outcome = abandoned
      .run(async () => {
        for (;;) await sleep(1);
      })
      .then(
        () => "finished",
        (err: unknown) => String(err),
      );
    const next = new Simulation({ seed: 5 });
    const result = await next.run(async () => {
      await sleep(3);
      return now();
    });
    expect(result).toBe(3);
    expect(await outcome).toMatch(/simulation stopped: another simulation started in this process before it finished/);
  });

  it("stop() ends a run from outside; the next run works", async () => {
    const sim = new Simulation({ seed: 6 });
    const outcome = sim.run(async () => {
      for (;;) await sleep(1);
    });
    await realEventLoopTurn();
    sim.stop("the test runner timed out");
    await expect(outcome).rejects.toThrow(/simulation stopped: the test runner timed out/);
    const again = new Simulation({ seed: 6 });
    expect(await again.run(async () => { await sleep(2); return now(); })).toBe(2);
  });
});
