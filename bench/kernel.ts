// Kernel throughput, against honest raw baselines measured in the same process.
//
//   events   1000 tasks loop `await sleep(d)`, d jittered 5000–15000 ms from a seeded stream
//            (every sleep is one event). simlab: Simulation + sleep(). Raw: the same loop on a
//            plain (time, seq) binary heap driven by the same technique as the kernel —
//            queueMicrotask → process.nextTick per event, a setImmediate yield every 1024 events
//            — but with no nodes, ownership, journal, guard or watchdog.
//   wakeups  1000 tasks in a ring pass 100 tokens along unbuffered channels (every hand-off
//            wakes one waiting receiver); half the hops go through a Cond instead. simlab:
//            Channel/Cond. Raw: the same ring on the plain heap/promise loop above — each
//            hand-off is an event on the raw heap that resolves the receiver's promise — with no
//            nodes, ownership, journal or guard. A wake-up in a discrete-event simulator is an
//            event (that is what makes it run at the right virtual time, as the right node), so
//            this is the honest baseline. For context the JSON also has
//            promise_only_wakeups_per_sec: plain promise resolution with no scheduler at all
//            (the sender calls the receiver's resolve() directly), which no simulator can match.
//
// Each measurement is repeated (interleaved raw/simlab) and the median is reported; ratios are
// the median of the per-repetition ratios.
// Usage: npm run bench -- kernel [--reps N] [--events N] [--wakeups N]
import seedrandom from "seedrandom";
import { Channel, Cond, Simulation, sleep } from "../sim/index.ts";
import { median, numberOption } from "./support/repetitions.ts";

const TASKS = 1000;
const TOKENS = 100;


// --- raw events: a minimal correct sleep-driven loop ---------------------------------------------

interface RawEvent {
  time: number;
  seq: number;
  fire: () => void;
}

class RawHeap {
  private heap: RawEvent[] = [];
  get size(): number {
    return this.heap.length;
  }
  push(e: RawEvent): void {
    const h = this.heap;
    let i = h.length;
    h.push(e);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const q = h[p]!;
      if (q.time < e.time || (q.time === e.time && q.seq < e.seq)) break;
      h[i] = q;
      i = p;
    }
    h[i] = e;
  }
  pop(): RawEvent | undefined {
    const h = this.heap;
    const top = h[0];
    if (top === undefined) return undefined;
    const last = h.pop()!;
    const n = h.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && (h[r]!.time < h[l]!.time || (h[r]!.time === h[l]!.time && h[r]!.seq < h[l]!.seq)) ? r : l;
        const hc = h[c]!;
        if (hc.time > last.time || (hc.time === last.time && hc.seq > last.seq)) break;
        h[i] = hc;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}

function rawEvents(limit: number, seed: number): Promise<{ events: number; ms: number; check: number }> {
  return new Promise((done) => {
    const heap = new RawHeap();
    const rng = seedrandom.alea(`${seed}/bench`);
    let now = 0;
    let seq = 0;
    let events = 0;
    let check = 0;
    let finished = false;
    const rawSleep = (d: number) => new Promise<void>((fire) => heap.push({ time: now + d, seq: seq++, fire }));
    const task = async (id: number) => {
      for (;;) {
        const d = 5000 + Math.floor(rng() * 10_000);
        const expected = now + d;
        await rawSleep(d);
        if (finished) return;
        if (now !== expected) throw new Error("raw loop: wrong time");
        check = (check * 31 + id + now) | 0;
      }
    };
    const started = performance.now();
    const requestStep = (): void => process.nextTick(step);
    const yieldThenStep = (): void => process.nextTick(() => setImmediate(step));
    const step = (): void => {
      const e = heap.pop();
      if (e === undefined || events >= limit) {
        finished = true;
        done({ events, ms: performance.now() - started, check });
        return;
      }
      now = e.time;
      events++;
      e.fire();
      queueMicrotask(events % 1024 === 0 ? yieldThenStep : requestStep);
    };
    for (let i = 0; i < TASKS; i++) void task(i);
    queueMicrotask(requestStep);
  });
}

async function simEvents(limit: number, seed: number): Promise<{ events: number; ms: number; check: number }> {
  const sim = new Simulation({ seed, maxVirtualTimeMs: Number.MAX_SAFE_INTEGER });
  const rng = sim.stream("bench");
  let check = 0;
  const started = performance.now();
  await sim.run(async () => {
    const stop = new Channel<true>(1);
    let events = 0;
    for (let i = 0; i < TASKS; i++) {
      sim.go(async () => {
        for (;;) {
          const d = 5000 + rng.int(10_000);
          const expected = sim.now + d;
          await sleep(d);
          if (sim.now !== expected) throw new Error("sim loop: wrong time");
          check = (check * 31 + i + sim.now) | 0;
          if (++events === limit) await stop.send(true);
        }
      });
    }
    await stop.recv();
  });
  return { events: sim.events, ms: performance.now() - started, check };
}

// --- wake-ups: a ring of tasks passing tokens ----------------------------------------------------

class RawChannel<T> {
  private waiting: ((v: T) => void)[] = [];
  private buffer: T[] = [];
  send(v: T): void {
    const r = this.waiting.shift();
    if (r !== undefined) r(v);
    else this.buffer.push(v);
  }
  recv(): Promise<T> {
    if (this.buffer.length > 0) return Promise.resolve(this.buffer.shift()!);
    return new Promise((r) => this.waiting.push(r));
  }
}

async function rawWakeups(limit: number): Promise<{ wakeups: number; ms: number }> {
  const ring = Array.from({ length: TASKS }, () => new RawChannel<number>());
  let wakeups = 0;
  let finish!: () => void;
  const finished = new Promise<void>((r) => (finish = r));
  const started = performance.now();
  for (let i = 0; i < TASKS; i++) {
    void (async () => {
      for (;;) {
        const token = await ring[i]!.recv();
        if (++wakeups >= limit) {
          if (wakeups === limit) finish();
          return;
        }
        ring[(i + 1) % TASKS]!.send(token);
      }
    })();
  }
  for (let t = 0; t < TOKENS; t++) ring[(t * TASKS) / TOKENS]!.send(t);
  await finished;
  return { wakeups, ms: performance.now() - started };
}

/**
 * For context, not a target: the same ring where each hand-off is a zero-delay event on the raw
 * scheduler of rawEvents() (heap + queueMicrotask → nextTick drain). This is what a wake-up must
 * cost when the woken task has to run as its own event, with every continuation drained before
 * the next one — the semantics simlab keeps.
 */
function rawScheduledWakeups(limit: number): Promise<{ wakeups: number; ms: number }> {
  return new Promise((done) => {
    const heap = new RawHeap();
    let seq = 0;
    let wakeups = 0;
    const schedule = (fire: () => void) => heap.push({ time: 0, seq: seq++, fire });
    class ScheduledChannel {
      private waiting: ((v: number) => void)[] = [];
      private buffer: number[] = [];
      send(v: number): void {
        const r = this.waiting.shift();
        if (r !== undefined) schedule(() => r(v));
        else this.buffer.push(v);
      }
      recv(): Promise<number> {
        if (this.buffer.length > 0) return Promise.resolve(this.buffer.shift()!);
        return new Promise((r) => this.waiting.push(r));
      }
    }
    const ring = Array.from({ length: TASKS }, () => new ScheduledChannel());
    const started = performance.now();
    let steps = 0;
    const requestStep = (): void => process.nextTick(step);
    const yieldThenStep = (): void => process.nextTick(() => setImmediate(step));
    const step = (): void => {
      const e = heap.pop();
      if (e === undefined || wakeups >= limit) {
        done({ wakeups, ms: performance.now() - started });
        return;
      }
      e.fire();
      queueMicrotask(++steps % 1024 === 0 ? yieldThenStep : requestStep);
    };
    for (let i = 0; i < TASKS; i++) {
      void (async () => {
        for (;;) {
          const token = await ring[i]!.recv();
          if (++wakeups >= limit) return;
          ring[(i + 1) % TASKS]!.send(token);
        }
      })();
    }
    for (let t = 0; t < TOKENS; t++) ring[(t * TASKS) / TOKENS]!.send(t);
    queueMicrotask(requestStep);
  });
}

async function simWakeups(limit: number, seed: number): Promise<{ wakeups: number; ms: number }> {
  // Hand-offs happen at one virtual instant; a short sleep now and then lets the clock move.
  const sim = new Simulation({ seed, livelockEvents: Number.MAX_SAFE_INTEGER });
  let wakeups = 0;
  const started = performance.now();
  await sim.run(async () => {
    const ring = Array.from({ length: TASKS }, (_, i) => new Channel<number>(0, `ring-${i}`));
    const conds = Array.from({ length: TASKS }, () => new Cond());
    const stop = new Channel<true>(1);
    for (let i = 0; i < TASKS; i++) {
      sim.go(async () => {
        for (;;) {
          const token = (await ring[i]!.recv())!;
          if (++wakeups === limit) await stop.send(true);
          if (token % 2 === 0) {
            // This token also goes through a Cond hop: wake the next task's Cond waiter.
            conds[(i + 1) % TASKS]!.signal();
          }
          if (wakeups % 100_000 === 0) await sleep(1);
          void ring[(i + 1) % TASKS]!.send(token);
        }
      });
      sim.go(async () => {
        for (;;) {
          await conds[i]!.wait();
          wakeups++;
        }
      });
    }
    await sleep(0);
    for (let t = 0; t < TOKENS; t++) void ring[(t * TASKS) / TOKENS]!.send(t);
    await stop.recv();
  });
  return { wakeups, ms: performance.now() - started };
}

export default async function kernel(args: string[]): Promise<Record<string, unknown>> {
  const reps = numberOption(args, "reps", 5);
  const eventLimit = numberOption(args, "events", 300_000);
  const wakeupLimit = numberOption(args, "wakeups", 300_000);
  const rate = (n: number, ms: number) => (n / ms) * 1000;

  // Warm up both sides once (JIT), then measure interleaved.
  await rawEvents(eventLimit / 10, 1);
  await simEvents(eventLimit / 10, 1);
  await rawWakeups(wakeupLimit / 10);
  await simWakeups(wakeupLimit / 10, 1);
  await rawScheduledWakeups(wakeupLimit / 10);

  const raw = { events: [] as number[], wakeups: [] as number[], scheduledWakeups: [] as number[] };
  const sim = { events: [] as number[], wakeups: [] as number[] };
  for (let r = 0; r < reps; r++) {
    const re = await rawEvents(eventLimit, r + 1);
    const se = await simEvents(eventLimit, r + 1);
    const rw = await rawWakeups(wakeupLimit);
    const sw = await simWakeups(wakeupLimit, r + 1);
    const rsw = await rawScheduledWakeups(wakeupLimit);
    raw.scheduledWakeups.push(rate(rsw.wakeups, rsw.ms));
    raw.events.push(rate(re.events, re.ms));
    sim.events.push(rate(se.events, se.ms));
    raw.wakeups.push(rate(rw.wakeups, rw.ms));
    sim.wakeups.push(rate(sw.wakeups, sw.ms));
    console.log(
      `rep ${r + 1}/${reps}: events/s simlab ${Math.round(sim.events[r]!)} raw ${Math.round(raw.events[r]!)}; ` +
        `wakeups/s simlab ${Math.round(sim.wakeups[r]!)} raw ${Math.round(raw.scheduledWakeups[r]!)} ` +
        `promise-only ${Math.round(raw.wakeups[r]!)}`,
    );
  }
  const result = {
    bench: "kernel",
    events_per_sec: Math.round(median(sim.events)),
    raw_events_per_sec: Math.round(median(raw.events)),
    wakeups_per_sec: Math.round(median(sim.wakeups)),
    raw_wakeups_per_sec: Math.round(median(raw.scheduledWakeups)),
    events_ratio: 0,
    wakeups_ratio: 0,
    promise_only_wakeups_per_sec: Math.round(median(raw.wakeups)),
  };
  // Ratios are the median of each repetition's own ratio: simlab and its baseline ran back to
  // back, so machine drift between repetitions (easily 1.5x on a shared VM) cancels out.
  const ratio = (a: number[], b: number[]) => Number(median(a.map((x, i) => x / b[i]!)).toFixed(3));
  result.events_ratio = ratio(sim.events, raw.events);
  result.wakeups_ratio = ratio(sim.wakeups, raw.scheduledWakeups);
  return result;
}
