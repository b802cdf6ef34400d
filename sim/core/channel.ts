// Channel<T>: a Go channel for simulated tasks. Unbuffered by default (a send waits for a
// receiver, like applyCh in the labs), or buffered with a capacity.
//
// Waiters are woken in FIFO order, each through the scheduler as its own event, so a woken task
// runs as its own node at the current virtual time. A crashed node's waiting sends and receives are
// skipped: its values are never delivered and it never takes a value from anyone.
import { activeRuntime } from "./simulation.ts";
import type { Runtime } from "./runtime.ts";
import type { SimNode } from "./node.ts";
import { UsageError } from "./errors.ts";

/** What recvWithin() returns when the time ran out first. */
export const TIMEOUT: unique symbol = Symbol("timeout");

interface Receiver<T> {
  owner: SimNode;
  wake: (value: T | undefined) => void;
  done: boolean;
}

interface Sender<T> {
  owner: SimNode;
  value: T;
  wake: () => void;
  fail: (err: Error) => void;
}

export class Channel<T> implements AsyncIterable<T> {
  private readonly buffer: T[] = [];
  private readonly receivers: Receiver<T>[] = [];
  private readonly senders: Sender<T>[] = [];
  private closed = false;

  constructor(
    readonly capacity = 0,
    readonly name = "channel",
  ) {
    if (!Number.isInteger(capacity) || capacity < 0) {
      throw new UsageError(`Channel capacity must be a whole number ≥ 0, got ${capacity}`);
    }
  }

  /** Number of buffered values. */
  get length(): number {
    return this.buffer.length;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Sends a value; resolves once a receiver took it (unbuffered) or it is buffered. */
  send(value: T): Promise<void> {
    const sim = activeRuntime("Channel.send()");
    if (value === undefined) {
      throw new UsageError(`cannot send undefined on ${this.name}: undefined means "closed" to receivers`);
    }
    if (this.closed) throw new UsageError(`send on closed ${this.name}`);
    const receiver = this.takeReceiver();
    if (receiver !== undefined) {
      sim.wake(receiver.owner, () => receiver.wake(value));
      return Promise.resolve();
    }
    if (this.buffer.length < this.capacity) {
      this.buffer.push(value);
      return Promise.resolve();
    }
    return new Promise<void>((wake, fail) => {
      this.senders.push({ owner: sim.current, value, wake, fail });
    });
  }

  /** Receives a value, waiting if needed; resolves to undefined once the channel is closed and empty. */
  recv(): Promise<T | undefined> {
    const sim = activeRuntime("Channel.recv()");
    const ready = this.takeReady(sim);
    if (ready.got) return Promise.resolve(ready.value);
    if (this.closed) return Promise.resolve(undefined);
    return new Promise<T | undefined>((wake) => {
      this.receivers.push({ owner: sim.current, wake, done: false });
    });
  }

  /** Like recv(), but gives up after `ms` virtual milliseconds and resolves to TIMEOUT. */
  recvWithin(ms: number): Promise<T | undefined | typeof TIMEOUT> {
    const sim = activeRuntime("Channel.recvWithin()");
    if (typeof ms !== "number" || !(ms >= 0) || ms === Infinity) {
      // NaN or a negative delay would put an event before `now` (or unordered) in the queue.
      throw new UsageError(`recvWithin(ms) needs a finite number of milliseconds ≥ 0, got ${String(ms)}`);
    }
    const ready = this.takeReady(sim);
    if (ready.got) return Promise.resolve(ready.value);
    if (this.closed) return Promise.resolve(undefined);
    return new Promise<T | undefined | typeof TIMEOUT>((resolve) => {
      const receiver: Receiver<T> = {
        owner: sim.current,
        // A value came first: the timeout will never matter, so it leaves the queue unrun.
        wake: (value) => {
          timeout.cancelled = true;
          resolve(value);
        },
        done: false,
      };
      this.receivers.push(receiver);
      const timeout = sim.schedule(Math.ceil(sim.timerDelay(ms)), sim.current, () => {
        if (receiver.done) return;
        receiver.done = true;
        this.receivers.splice(this.receivers.indexOf(receiver), 1);
        resolve(TIMEOUT);
      }, "chan-timeout");
    });
  }

  /** Takes a value if one is ready right now, without waiting. */
  tryRecv(): { ok: true; value: T } | { ok: false } {
    const sim = activeRuntime("Channel.tryRecv()");
    const ready = this.takeReady(sim);
    return ready.got ? { ok: true, value: ready.value } : { ok: false };
  }

  /** Closes the channel: waiting receivers get undefined; waiting senders fail. */
  close(): void {
    const sim = activeRuntime("Channel.close()");
    if (this.closed) throw new UsageError(`close of closed ${this.name}`);
    this.closed = true;
    for (let r = this.takeReceiver(); r !== undefined; r = this.takeReceiver()) {
      const receiver = r;
      sim.wake(receiver.owner, () => receiver.wake(undefined));
    }
    for (const s of this.senders.splice(0)) {
      sim.wake(s.owner, () => s.fail(new UsageError(`send on closed ${this.name}`)));
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      const value = await this.recv();
      if (value === undefined) return;
      yield value;
    }
  }

  private takeReceiver(): Receiver<T> | undefined {
    while (this.receivers.length > 0) {
      const r = this.receivers.shift()!;
      if (r.done || !r.owner.alive) continue;
      r.done = true;
      return r;
    }
    return undefined;
  }

  private takeSender(): Sender<T> | undefined {
    while (this.senders.length > 0) {
      const s = this.senders.shift()!;
      if (s.owner.alive) return s;
    }
    return undefined;
  }

  private takeReady(sim: Runtime): { got: true; value: T } | { got: false } {
    if (this.buffer.length > 0) {
      const value = this.buffer.shift()!;
      const sender = this.takeSender();
      if (sender !== undefined) {
        this.buffer.push(sender.value);
        sim.wake(sender.owner, sender.wake);
      }
      return { got: true, value };
    }
    const sender = this.takeSender();
    if (sender !== undefined) {
      sim.wake(sender.owner, sender.wake);
      return { got: true, value: sender.value };
    }
    return { got: false };
  }
}
