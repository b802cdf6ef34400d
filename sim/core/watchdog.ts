// The watchdog: catches simulated code that never yields (`while (true) {}`, or an endless chain
// of `await null`). Such code never returns to the scheduler, so nothing on the main thread can
// notice it. A small worker thread watches a heartbeat that the scheduler bumps on every event;
// when the heartbeat stands still while a simulation is dispatching and the process has spent too
// much CPU time since, the worker asks V8, through the inspector, to terminate the JavaScript that
// is running on the main thread, then tells the main thread, which fails the simulation with the
// node and the virtual time.
//
// CPU time, not wall time: stuck code spins, so it burns CPU at the rate of a core, while a process
// that the machine merely runs slowly (a loaded machine, a sweep next to other work) or that is
// stopped (SIGSTOP, a suspended laptop) burns none while it waits. Measured in wall time, such a
// run was once stopped as "stuck" in an event that was only waiting for the CPU.
//
// The watchdog is off when a debugger is attached: a breakpoint is not a hang.
import { Worker } from "node:worker_threads";
import inspector from "node:inspector";

const BEAT = 0; // bumped on every dispatched event
const BUSY = 1; // 1 while a simulation is dispatching events
const LIMIT_MS = 2; // how much CPU time (ms) the process may spend while the heartbeat stands still
const FIRED = 3; // set by the worker just before it terminates stuck code

const workerSource = `
const { workerData, parentPort } = require("node:worker_threads");
const inspector = require("node:inspector");
const words = new Int32Array(workerData.shared);
const cpuMs = () => { const used = process.cpuUsage(); return (used.user + used.system) / 1000; };
let lastBeat = -1, stillSince = 0;
setInterval(() => {
  const beat = Atomics.load(words, ${BEAT});
  const now = cpuMs();
  if (Atomics.load(words, ${BUSY}) !== 1 || beat !== lastBeat) { lastBeat = beat; stillSince = now; return; }
  if (now - stillSince < Atomics.load(words, ${LIMIT_MS})) return;
  stillSince = now;
  Atomics.store(words, ${FIRED}, 1);
  const session = new inspector.Session();
  session.connectToMainThread();
  session.post("Runtime.terminateExecution", () => {
    session.disconnect();
    parentPort.postMessage({ fired: true });
  });
}, 100);
`;

export class Watchdog {
  private readonly words: Int32Array;
  private readonly worker: Worker;
  private onFire: (() => void) | undefined;

  private constructor() {
    const shared = new SharedArrayBuffer(16);
    this.words = new Int32Array(shared);
    this.worker = new Worker(workerSource, { eval: true, workerData: { shared } });
    this.worker.on("message", (m: { fired?: boolean }) => {
      if (m.fired) this.onFire?.();
    });
    this.worker.unref(); // after adding the listener, which would otherwise keep the process alive
  }

  private static instance: Watchdog | undefined;

  /** The process-wide watchdog, or undefined when a debugger is attached or it is disabled. */
  static get(): Watchdog | undefined {
    if (inspector.url() !== undefined || process.env.SIMLAB_WATCHDOG === "off") return undefined;
    Watchdog.instance ??= new Watchdog();
    return Watchdog.instance;
  }

  /** Starts watching: `onFire` runs (on the main thread) after stuck code was terminated. */
  arm(limitMs: number, onFire: () => void): void {
    this.onFire = onFire;
    // While armed, the worker keeps the process alive: after it terminates stuck code, its message
    // is the only thing left that can end the run.
    this.worker.ref();
    Atomics.store(this.words, LIMIT_MS, limitMs);
    Atomics.store(this.words, FIRED, 0);
    Atomics.store(this.words, BUSY, 1);
  }

  disarm(): void {
    Atomics.store(this.words, BUSY, 0);
    this.onFire = undefined;
    this.worker.unref();
  }

  /** Called by the scheduler on every event: cheap, one shared-memory write. */
  beat(): void {
    this.words[BEAT] = (this.words[BEAT]! + 1) | 0;
  }

  /** True once the worker has terminated stuck code in this run. */
  get fired(): boolean {
    return this.words[FIRED] === 1;
  }

  /** Marks the main thread as idle (yielding to the event loop) or dispatching again. */
  setBusy(busy: boolean): void {
    this.words[BUSY] = busy ? 1 : 0;
  }
}
