// Every continuation runs at the virtual time of the event that resumed it, however many awaits
// deep it lies (DESIGN.md §3, "Tasks"). If the scheduler advanced the clock between microtasks, a
// helper function's caller would see a later now() than the helper did.
import { describe, expect, it } from "vitest";
import { Channel, Cond, Network, Server, Service, Simulation, go, now, sleep } from "../../sim/index.ts";

/** Awaits `depth` nested async helpers around `wait`, then reports now() at every level. */
async function nested(depth: number, wait: () => Promise<unknown>, seen: number[]): Promise<void> {
  if (depth === 0) {
    await wait();
    seen.push(now());
    return;
  }
  await nested(depth - 1, wait, seen);
  seen.push(now());
  await Promise.resolve(); // one more hop at this level
  seen.push(now());
}

/** A thenable that is not a Promise: it resolves through its own then(). */
function foreignThenable<T>(value: T): PromiseLike<T> {
  return {
    then<R1 = T, R2 = never>(onFulfilled?: ((v: T) => R1 | PromiseLike<R1>) | null): PromiseLike<R1 | R2> {
      return Promise.resolve(value).then(onFulfilled ?? undefined) as PromiseLike<R1 | R2>;
    },
  };
}

/** After the wake-up: deep chains, a Promise.all fan-out and a foreign thenable, all at `at`. */
async function checkAfterWake(at: number, violations: string[], label: string): Promise<void> {
  const expectNow = (where: string) => {
    if (now() !== at) violations.push(`${label}: ${where} saw ${now()}, expected ${at}`);
  };
  expectNow("first line");
  const chain = async (n: number): Promise<number> => (n === 0 ? now() : chain(n - 1));
  const times = await Promise.all([chain(0), chain(5), chain(40), (async () => { await null; await null; return now(); })()]);
  for (const t of times) if (t !== at) violations.push(`${label}: fan-out saw ${t}, expected ${at}`);
  expectNow("after Promise.all");
  const v = await foreignThenable(7);
  expect(v).toBe(7);
  expectNow("after foreign thenable");
  for (let i = 0; i < 25; i++) await null;
  expectNow("after 25 awaits of null");
}

describe("continuation time", () => {
  it("after sleep: helpers any depth deep see the wake-up time", async () => {
    const sim = new Simulation({ seed: 3 });
    const violations: string[] = [];
    let checked = 0;
    await sim.run(async () => {
      const finished = new Channel<number>(100);
      for (let task = 0; task < 20; task++) {
        go(async () => {
          for (let round = 0; round < 10; round++) {
            const delay = 1 + ((task * 7 + round * 13) % 17);
            const before = now();
            const seen: number[] = [];
            await nested(task % 6, () => sleep(delay), seen);
            const at = before + delay;
            for (const t of seen) if (t !== at) violations.push(`task ${task}: nested saw ${t}, expected ${at}`);
            await checkAfterWake(at, violations, `task ${task} round ${round}`);
            checked++;
          }
          await finished.send(task);
        });
      }
      for (let i = 0; i < 20; i++) await finished.recv();
    });
    expect(violations).toEqual([]);
    expect(checked).toBe(200);
  });

  it("after a channel hand-off and a Cond signal: the receiver's continuations see the sender's time", async () => {
    const sim = new Simulation({ seed: 4 });
    const violations: string[] = [];
    await sim.run(async () => {
      const ch = new Channel<number>();
      const cond = new Cond();
      let sentAt = -1;
      let signalledAt = -1;
      go(async () => {
        for (let i = 0; i < 30; i++) {
          const seen: number[] = [];
          let value: number | undefined;
          await nested(i % 5, async () => { value = await ch.recv(); }, seen);
          expect(value).toBe(i);
          for (const t of seen) if (t !== sentAt) violations.push(`recv ${i}: saw ${t}, expected ${sentAt}`);
          await checkAfterWake(sentAt, violations, `recv ${i}`);
        }
      });
      go(async () => {
        for (let i = 0; i < 10; i++) {
          await cond.wait();
          await checkAfterWake(signalledAt, violations, `cond ${i}`);
        }
      });
      for (let i = 0; i < 30; i++) {
        await sleep(3 + (i % 4));
        sentAt = now();
        await ch.send(i);
        if (i < 10) {
          signalledAt = now();
          cond.signal();
        }
      }
      await sleep(10);
    });
    expect(violations).toEqual([]);
  });

  it("after an RPC reply: the caller's continuations see the delivery time", async () => {
    const sim = new Simulation({ seed: 5 });
    const net = new Network(sim);
    const violations: string[] = [];
    let replies = 0;
    await sim.run(async () => {
      const replyTimes: number[] = [];
      class Echo {
        async slow(x: number): Promise<number> {
          await sleep(x % 7);
          return x;
        }
      }
      net.addServer("s", new Server(sim.createNode("s"), [new Service("Echo", new Echo())]));
      const done = new Channel<void | number>(10);
      for (let c = 0; c < 5; c++) {
        go(async () => {
          const end = net.makeEnd(`c${c}`);
          net.connect(end, "s");
          net.enable(end, true);
          for (let i = 0; i < 20; i++) {
            // The reply event's time is unknown in advance; record it from a helper one level
            // down and check that every outer level agrees with it.
            const seen: number[] = [];
            let reply: unknown;
            await nested(3, async () => { reply = await end.call("Echo.slow", i); }, seen);
            expect(reply).toBe(i);
            const at = seen[0]!;
            replyTimes.push(at);
            for (const t of seen) if (t !== at) violations.push(`client ${c} call ${i}: saw ${t}, expected ${at}`);
            await checkAfterWake(at, violations, `client ${c} call ${i}`);
            replies++;
          }
          await done.send(c);
        });
      }
      for (let c = 0; c < 5; c++) await done.recv();
      expect(new Set(replyTimes).size).toBeGreaterThan(1);
    });
    expect(violations).toEqual([]);
    expect(replies).toBe(100);
  });

  it("a virtual setTimeout callback's continuations see the timer's time", async () => {
    const sim = new Simulation({ seed: 6 });
    const violations: string[] = [];
    let fired = 0;
    await sim.run(async () => {
      for (let i = 1; i <= 10; i++) {
        const at = now() + i * 11;
        setTimeout(async () => {
          await checkAfterWake(at, violations, `timer ${i}`);
          fired++;
        }, i * 11);
      }
      await sleep(200);
    });
    expect(violations).toEqual([]);
    expect(fired).toBe(10);
  });
});
