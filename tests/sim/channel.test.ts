// Channel<T>: Go channels for simulated tasks.
import { describe, expect, it } from "vitest";
import { Channel, Simulation, TIMEOUT, UsageError, go, now, sleep } from "../../sim/index.ts";

function run<T>(body: (sim: Simulation) => Promise<T>, seed = 1): Promise<T> {
  const sim = new Simulation({ seed });
  return sim.run(() => body(sim));
}

describe("Channel", () => {
  it("waiting receivers are served in FIFO order", async () => {
    const got: string[] = [];
    await run(async () => {
      const ch = new Channel<number>();
      for (const name of ["a", "b", "c"]) {
        go(async () => got.push(`${name}=${await ch.recv()}`));
        await sleep(1); // a waits first, then b, then c
      }
      for (let i = 1; i <= 3; i++) await ch.send(i);
      await sleep(1);
    });
    expect(got).toEqual(["a=1", "b=2", "c=3"]);
  });

  it("waiting senders are served in FIFO order", async () => {
    const got: number[] = [];
    await run(async () => {
      const ch = new Channel<number>();
      for (let i = 1; i <= 3; i++) {
        go(() => ch.send(i));
        await sleep(1);
      }
      for (let i = 0; i < 3; i++) got.push((await ch.recv())!);
    });
    expect(got).toEqual([1, 2, 3]);
  });

  it("unbuffered: a send waits until a receiver takes the value", async () => {
    await run(async () => {
      const ch = new Channel<string>();
      let sentAt = -1;
      go(async () => {
        await ch.send("x");
        sentAt = now();
      });
      await sleep(50);
      expect(sentAt).toBe(-1);
      expect(ch.length).toBe(0);
      expect(await ch.recv()).toBe("x");
      await sleep(0);
      expect(sentAt).toBe(50);
    });
  });

  it("buffered: sends up to the capacity do not wait; the next one waits for a receive", async () => {
    await run(async () => {
      const ch = new Channel<number>(2);
      await ch.send(1);
      await ch.send(2);
      expect(ch.length).toBe(2);
      let thirdSentAt = -1;
      go(async () => {
        await ch.send(3);
        thirdSentAt = now();
      });
      await sleep(10);
      expect(thirdSentAt).toBe(-1);
      expect(await ch.recv()).toBe(1); // makes room: the waiting sender's value joins the buffer
      await sleep(0);
      expect(thirdSentAt).toBe(10);
      expect(ch.length).toBe(2);
      expect(await ch.recv()).toBe(2);
      expect(await ch.recv()).toBe(3);
      expect(ch.tryRecv()).toEqual({ ok: false });
    });
  });

  it("close: waiting receivers get undefined, waiting senders fail, buffered values drain first", async () => {
    await run(async () => {
      const waiting = new Channel<number>();
      const results: unknown[] = [];
      go(async () => results.push(await waiting.recv()));
      go(async () => results.push(await waiting.recv()));
      await sleep(1);
      waiting.close();
      await sleep(0);
      expect(results).toEqual([undefined, undefined]);
      expect(waiting.isClosed).toBe(true);
      expect(await waiting.recv()).toBeUndefined();

      const full = new Channel<number>(1);
      await full.send(1);
      let senderError: unknown;
      go(async () => {
        try {
          await full.send(2);
        } catch (err) {
          senderError = err;
        }
      });
      await sleep(1);
      full.close();
      await sleep(0);
      expect(senderError).toBeInstanceOf(UsageError);
      expect(String(senderError)).toMatch(/send on closed channel/);
      expect(await full.recv()).toBe(1); // buffered values are still received after close
      expect(await full.recv()).toBeUndefined();

      expect(() => full.send(3)).toThrow(/send on closed/);
      expect(() => full.close()).toThrow(/close of closed/);
      expect(() => new Channel<number>(1, "applyCh").send(undefined as unknown as number)).toThrow(/undefined/);
    });
  });

  it("recvWithin: TIMEOUT after the time runs out, the value if it comes first", async () => {
    await run(async () => {
      const ch = new Channel<number>();
      const t0 = now();
      expect(await ch.recvWithin(30)).toBe(TIMEOUT);
      expect(now() - t0).toBe(30);

      go(async () => {
        await sleep(10);
        await ch.send(7);
      });
      const t1 = now();
      expect(await ch.recvWithin(30)).toBe(7);
      expect(now() - t1).toBe(10);

      // After a timeout the receiver is gone: a later send goes to the next receiver.
      expect(await ch.recvWithin(5)).toBe(TIMEOUT);
      go(() => ch.send(8));
      expect(await ch.recv()).toBe(8);

      const buffered = new Channel<number>(1);
      await buffered.send(9);
      expect(await buffered.recvWithin(0)).toBe(9);
      buffered.close();
      expect(await buffered.recvWithin(100)).toBeUndefined();
    });
  });

  it("recvWithin rejects a time that is not a finite number ≥ 0", async () => {
    await run(async () => {
      const ch = new Channel<number>();
      expect(() => ch.recvWithin(Number.NaN)).toThrow(UsageError);
      expect(() => ch.recvWithin(-1)).toThrow(UsageError);
      expect(() => ch.recvWithin(Infinity)).toThrow(UsageError);
    });
  });

  it("async iteration yields every value until the channel is closed", async () => {
    const got: number[] = [];
    await run(async () => {
      const ch = new Channel<number>(3);
      go(async () => {
        for (let i = 0; i < 10; i++) {
          await ch.send(i);
          if (i % 3 === 0) await sleep(2);
        }
        ch.close();
      });
      for await (const v of ch) got.push(v);
    });
    expect(got).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("a crashed node's waiting receive does not consume a value", async () => {
    await run(async (sim) => {
      const ch = new Channel<string>();
      const dead = sim.createNode("dead");
      let deadGot: string | undefined;
      sim.go(async () => {
        deadGot = await ch.recv();
      }, dead);
      await sleep(1);
      sim.crash(dead);
      let aliveGot: string | undefined;
      go(async () => {
        aliveGot = await ch.recv();
      });
      await sleep(1);
      await ch.send("v");
      await sleep(1);
      expect(aliveGot).toBe("v");
      expect(deadGot).toBeUndefined();

      // The same for a value that waits in a buffer.
      const buffered = new Channel<string>(1);
      const dead2 = sim.createNode("dead2");
      sim.go(async () => { deadGot = await buffered.recv(); }, dead2);
      await sleep(1);
      sim.crash(dead2);
      await buffered.send("kept");
      expect(buffered.length).toBe(1);
      expect(await buffered.recv()).toBe("kept");
    });
  });

  it("capacity must be a whole number ≥ 0", () => {
    expect(() => new Channel(-1)).toThrow(UsageError);
    expect(() => new Channel(1.5)).toThrow(/whole number/);
  });
});

describe("recvWithin's timeout after a value arrived", () => {
  it("leaves the queue, so a later deadlock is still reported as a deadlock", async () => {
    const sim = new Simulation({ seed: 1, maxVirtualTimeMs: 60_000 });
    const run = sim.run(async () => {
      const ch = new Channel<number>(1, "ch");
      go(async () => {
        await sleep(5);
        await ch.send(1);
      });
      expect(await ch.recvWithin(1_000_000)).toBe(1);
      await new Channel<number>(0, "never").recv();
    });
    await expect(run).rejects.toThrow(/deadlock/);
  });
});
