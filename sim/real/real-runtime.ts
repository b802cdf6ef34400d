// The real runtime: simlab's simulated API (now, sleep, go, randomInt, log, Channel, Cond) on real
// time, for one OS process that is one node of a real cluster (`simlab serve`).
//
//   const runtime = startRealRuntime({ name: "kv-1", onTaskError: (err) => process.exit(70) });
//   …  // from here on the same Raft and KV code runs as it does in a simulation
//   runtime.stop();
//
// How each call maps onto Node:
//   now()          milliseconds since the runtime started (performance.now(): monotonic, not
//                  the wall clock, so a clock step cannot fire or delay an election)
//   sleep(ms)      a real setTimeout
//   go(task)       the task starts on the next turn of the event loop (setImmediate), as a task of
//                  its own: like the simulation, never inside the caller's own step
//   wake           Channel and Cond hand-overs resume the waiting task with setImmediate too, so a
//                  task that keeps waking another can never starve sockets and timers
//   schedule       a real timer that a cancelled wake-up clears (Channel.recvWithin's timeout)
//   randomInt, random, randomId
//                  the node's RandomStream, seeded from the operating system's randomness at
//                  start-up: real runs are not meant to repeat
//   log(topic, …)  handed to `logSink` as a structured record, or dropped without one
//
// There is one node per process (`current`), and it is always alive: a crash in real mode is the
// process dying (kill -9), not a flag. A task that throws is a programming error, as it fails a
// simulation: the runtime hands it to `onTaskError` (simlab serve logs it and exits, as a Go
// program panics).
//
// The simulation does not change: installRuntime() only fills the slot that activeRuntime()
// reads when no simulation is running (sim/core/runtime.ts). A process must not run simulations
// and real mode together; startRealRuntime() refuses to install over another runtime.
import { randomInt as osRandomInt } from "node:crypto";
import { installRuntime, type Runtime, type ScheduledWakeUp } from "../core/index.ts";
import { SimNode } from "../core/node.ts";
import { RandomStream } from "../core/random.ts";
import { UsageError } from "../core/errors.ts";

/** One line of a node's trace, as the real runtime hands it to the log sink. */
export interface RealLogRecord {
  /** Milliseconds since the runtime started. */
  t: number;
  node: string;
  topic: string;
  detail: unknown;
}

export interface RealRuntimeOptions {
  /** The node's name in logs ("kv-1"). */
  name: string;
  /** Called when a task started with go() (or a Channel/Cond continuation) throws. */
  onTaskError: (error: unknown) => void;
  /** Receives every log() line; without it they are dropped. */
  logSink?: ((record: RealLogRecord) => void) | undefined;
}

let installed: RealRuntime | undefined;

/** Creates the real runtime and installs it for this process. */
export function startRealRuntime(options: RealRuntimeOptions): RealRuntime {
  if (installed !== undefined) {
    throw new UsageError(`a real runtime ("${installed.current.name}") is already installed in this process; stop() it first.`);
  }
  const runtime = new RealRuntime(options);
  installed = runtime;
  installRuntime(runtime);
  return runtime;
}

/** A real timer behind the ScheduledWakeUp that Channel.recvWithin cancels. */
class TimerWakeUp implements ScheduledWakeUp {
  private timer: NodeJS.Timeout | undefined;
  private isCancelled = false;

  constructor(delay: number, fire: () => void) {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.isCancelled) fire();
    }, delay);
  }

  get cancelled(): boolean {
    return this.isCancelled;
  }

  set cancelled(cancelled: boolean) {
    this.isCancelled = cancelled;
    if (cancelled && this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }
}

export class RealRuntime implements Runtime {
  readonly current: SimNode;
  private readonly startedAt = performance.now();
  private readonly options: RealRuntimeOptions;
  private stopped = false;

  constructor(options: RealRuntimeOptions) {
    this.options = options;
    const seed = osRandomInt(2 ** 47);
    this.current = new SimNode(0, options.name, 0, new RandomStream(seed, `real/${options.name}`));
  }

  get now(): number {
    return performance.now() - this.startedAt;
  }

  /** A real process has one clock, the machine's. */
  get localNow(): number {
    return this.now;
  }

  timerDelay(ms: number): number {
    return ms;
  }

  clockOf(_node: SimNode): () => number {
    return () => this.now;
  }

  sleep(ms: number): Promise<void> {
    checkDelay(ms, "sleep");
    return new Promise<void>((resolve) => setTimeout(resolve, ms));
  }

  go(task: () => unknown): void {
    if (typeof task !== "function") throw new UsageError(`go() needs a function, got ${typeof task}`);
    setImmediate(() => this.runTask(task));
  }

  wake(_owner: SimNode, resume: () => void): void {
    setImmediate(() => this.runTask(resume));
  }

  schedule(delay: number, _owner: SimNode, fire: () => void): ScheduledWakeUp {
    checkDelay(delay, "schedule");
    return new TimerWakeUp(delay, () => this.runTask(fire));
  }

  drawInt(n: number): number {
    return this.current.random.int(n);
  }

  log(topic: string, detail: unknown): void {
    this.options.logSink?.({ t: Math.round(this.now * 1000) / 1000, node: this.current.name, topic, detail });
  }

  /** Uninstalls the runtime; timers already set still fire, but nothing new may start. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (installed === this) {
      installed = undefined;
      installRuntime(undefined);
    }
  }

  private runTask(task: () => unknown): void {
    try {
      const out = task();
      if (typeof (out as PromiseLike<unknown> | null)?.then === "function") {
        (out as Promise<unknown>).catch((error: unknown) => this.options.onTaskError(error));
      }
    } catch (error) {
      this.options.onTaskError(error);
    }
  }
}

function checkDelay(ms: number, api: string): void {
  if (typeof ms !== "number" || !(ms >= 0) || ms === Infinity) {
    throw new UsageError(`${api}(ms) needs a finite number of milliseconds ≥ 0, got ${String(ms)}`);
  }
}
