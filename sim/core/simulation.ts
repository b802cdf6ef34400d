// The simulation kernel: a virtual clock, an event queue and the scheduler that drives every task.
//
// How time works. Virtual time (integer milliseconds) moves only when the scheduler takes the next
// event from the queue. An event resumes one task (a sleep ends, a message arrives, a channel
// hands over a value). Before the scheduler takes another event, every continuation that the
// resumed task triggers — however many `await`s deep — runs to its next wait, so all of it sees
// the same `now`. (Technique: the next step is requested with process.nextTick from inside a
// microtask, and Node runs such a tick only once the microtask queue is empty; docs/architecture.md
// explains why, and what it was measured against.) Every 1024 events the scheduler yields to the
// real event loop so that test-runner timeouts keep working; nothing simulated is in flight at that
// moment, so the yield cannot change the result.
//
// Ownership. Every event belongs to a node. When a node crashes its events are dropped as they
// come up, so its sleeping tasks never resume and replies addressed to it are never delivered.
//
// Choices. Which of the events due at one instant runs next, what the network decides about each
// message (when it arrives, whether it is lost), and a node's whole-number draws (randomInt: Raft's
// election timeout) are choices. Without a choice source they are made as always: FIFO, and the
// seeded streams. With one (SimulationOptions.choices,
// choices.ts) the source makes them: the seeded default, a recorded choice file, or a search
// strategy (sim/explore/). Asking costs nothing when there is no source: the queue is read as
// before and the network holds plain RandomStreams.
//
// Observing. A run made for the debugger page (`observe`) keeps every journal entry and lets
// the network and the testers add observations (Journal.note): message payloads, link changes,
// each peer's state sampled after every event that ran its code (afterEachEvent), client
// operations. Observing never changes what a run does: observers only read, draw no random
// numbers, and schedule nothing, and observations are left out of the hash.
//
// Drift and pauses (lab 5D; off unless a test turns them on, and then still deterministic).
// setClock(name, { rate, offsetMs }) gives a node a clock of its own (node-clock.ts): its now() and
// its timers run on it. pause(name, ms) stops a node's process for ms of virtual time, as a GC or
// SIGSTOP would: its events due meanwhile (timers, wake-ups, replies to its calls, and, through the
// network, requests to it) wait and then run at the end of the pause, in the order they were
// scheduled; its clock keeps running. Without either the scheduler does what it always did.
//
// Safety valves, each failing the run with the seed, the node, the virtual time and recent events:
//   - livelock:   too many events without the clock moving;
//   - time limit: virtual time passed the run's limit;
//   - events budget: the run dispatched more events than it may (off unless maxEvents is given;
//                 simlab grade sets one per test, so that a solution that burns work without
//                 progress fails the same way on every machine, however fast);
//   - deadlock:   the test is unfinished but nothing is scheduled;
//   - watchdog:   one event's code ran too long (in CPU time) without yielding (see watchdog.ts).
import { EventQueue, type SimEvent } from "./event-queue.ts";
import { Journal } from "./journal.ts";
import { SimNode } from "./node.ts";
import { NodeClock, type ClockSetting } from "./node-clock.ts";
import { RandomStream } from "./random.ts";
import { ChoiceDraws, ChoiceReplayError, type ChoiceKind, type ChoiceSource, type NetworkDraws } from "./choices.ts";
import { SimulationError, UsageError, formatVirtualTime } from "./errors.ts";
import { installGuard, uninstallGuard } from "./determinism-guard.ts";
import { realNextTick, realSetImmediate } from "./real-clock.ts";
import { Watchdog } from "./watchdog.ts";
import type { Runtime } from "./runtime.ts";

export interface SimulationOptions {
  /** Every random draw in the run derives from this. */
  seed: number;
  /** Where the run's choices come from (see the top of this file); default: FIFO and the seeded streams. */
  choices?: ChoiceSource | undefined;
  /** Run events that share a virtual instant in a seeded random order instead of FIFO. */
  shuffleTies?: boolean;
  /** Fail the run when virtual time passes this many ms (default 600,000: ten virtual minutes). */
  maxVirtualTimeMs?: number;
  /** Fail the run after this many events at one virtual instant (default 200,000). */
  livelockEvents?: number;
  /** Fail the run once it has dispatched this many events in all (default: no budget). */
  maxEvents?: number;
  /** Fail the run when one event's code runs this long in real time (default 10,000 ms). */
  watchdogMs?: number;
  /** How many recent journal entries to keep for failure reports (default 400). */
  journalCapacity?: number;
  /** Keep every journal entry (for replay, exports and determinism checks). */
  keepJournal?: boolean;
  /** Record observations for the debugger page (see the top of this file); implies keepJournal. */
  observe?: boolean;
  /** How many recent events a failure report prints (default 40). */
  reportEvents?: number;
}

type Status = "idle" | "running" | "done" | "failed" | "stopped";

const YIELD_EVERY = 1024;

let active: Simulation | undefined;
/** The runtime a real-mode process installed (runtime.ts); undefined in simulations. */
let installedRuntime: Runtime | undefined;

/**
 * Makes `runtime` answer the simulated API (now(), sleep(), go(), Channel, …) in this process
 * whenever no simulation is running: a real-mode process calls it once at start-up (sim/real/).
 * undefined uninstalls it.
 */
export function installRuntime(runtime: Runtime | undefined): void {
  installedRuntime = runtime;
}

/** The runtime the running code belongs to: the running simulation, else the installed runtime. */
export function activeRuntime(api: string): Runtime {
  if (active !== undefined) return active;
  if (installedRuntime !== undefined) return installedRuntime;
  return activeSimulation(api);
}

/** The simulation whose code is running. Throws a UsageError outside of one. */
export function activeSimulation(api: string): Simulation {
  if (active === undefined) {
    throw new UsageError(
      `${api} was called outside a simulation. simlab's time, task and network functions only ` +
        `work in code that a Simulation runs: new Simulation({ seed }).run(main) runs main and ` +
        `every task it starts (every lab test does this for you).`,
    );
  }
  return active;
}

export class Simulation implements Runtime {
  readonly seed: number;
  readonly journal: Journal;
  /** The test's own node: it runs the test body and never crashes. */
  readonly tester: SimNode;

  // Only the scheduler (step) moves the clock, and only it and runAs change the running node;
  // everyone else reads them through the getters `now` and `current`.
  private time = 0;
  private running: SimNode;

  private readonly options: Required<Omit<SimulationOptions, "seed" | "choices">>;
  private readonly choices: ChoiceSource | undefined;
  private readonly queue = new EventQueue();
  private readonly tieStream: RandomStream | undefined;
  private readonly incarnations = new Map<string, number>();
  /** Each node's latest incarnation, by name (what setClock and pause act on). */
  private readonly latestIncarnation = new Map<string, SimNode>();
  /** The clocks setClock gave, by node name (a restarted incarnation keeps its machine's clock). */
  private readonly clocks = new Map<string, NodeClock>();
  private status: Status = "idle";
  private seq = 0;
  private nextNodeId = 0;
  private eventsAtThisInstant = 0;
  private eventCount = 0;
  private settle: { resolve: (v: unknown) => void; reject: (e: unknown) => void } | undefined;
  private watchdog: Watchdog | undefined;
  private readonly eventObservers: { node: SimNode | undefined; observer: () => void }[] = [];
  /** When observing: every node whose code ran in the current event (afterEachEvent's `node`). */
  private readonly ranThisEvent = new Set<SimNode>();

  constructor(options: SimulationOptions) {
    if (!Number.isSafeInteger(options.seed) || options.seed < 0) {
      throw new UsageError(`seed must be a non-negative integer, got ${String(options.seed)}`);
    }
    this.seed = options.seed;
    this.choices = options.choices;
    this.options = {
      shuffleTies: options.shuffleTies ?? false,
      maxVirtualTimeMs: options.maxVirtualTimeMs ?? 600_000,
      livelockEvents: options.livelockEvents ?? 200_000,
      maxEvents: options.maxEvents ?? Infinity,
      watchdogMs: options.watchdogMs ?? Number(process.env.SIMLAB_WATCHDOG_MS ?? 10_000),
      journalCapacity: options.journalCapacity ?? 400,
      keepJournal: (options.keepJournal ?? false) || (options.observe ?? false),
      observe: options.observe ?? false,
      reportEvents: options.reportEvents ?? 40,
    };
    this.journal = new Journal(this.options.journalCapacity, this.options.keepJournal);
    this.tieStream = this.options.shuffleTies ? this.stream("scheduler/ties") : undefined;
    this.tester = this.createNode("tester");
    this.running = this.tester;
  }

  /** Virtual time in milliseconds since the run began. */
  get now(): number {
    return this.time;
  }

  /** The node whose code is running. */
  get current(): SimNode {
    return this.running;
  }

  /** What the running node's clock reads: `now`, unless setClock gave it one of its own. */
  get localNow(): number {
    const clock = this.running.clock;
    return clock === undefined ? this.time : clock.read(this.time);
  }

  /** A function that reads `node`'s clock (its own, if setClock gave it one, now or later; else virtual time), whoever calls it. */
  clockOf(node: SimNode): () => number {
    return () => (node.clock === undefined ? this.time : node.clock.read(this.time));
  }

  /** The whole virtual ms that pass while the running node's clock advances `ms`. */
  timerDelay(ms: number): number {
    const clock = this.running.clock;
    return clock === undefined ? Math.ceil(ms) : clock.virtualDelay(ms);
  }

  /** Whether this run records observations for the debugger page. */
  get observing(): boolean {
    return this.options.observe;
  }

  /** Total events dispatched so far. */
  get events(): number {
    return this.eventCount;
  }

  /** A random stream for one purpose, independent of every other stream of this seed. */
  stream(purpose: string): RandomStream {
    return new RandomStream(this.seed, purpose);
  }

  /**
   * The stream the network draws a client end's choices from: a plain RandomStream, or with a
   * choice source, draws the source answers.
   */
  networkDraws(purpose: string): NetworkDraws {
    const stream = this.stream(purpose);
    if (this.choices === undefined) return stream;
    return new ChoiceDraws((kind, n, byDefault) => this.choose(kind, n, [this.running], byDefault), stream);
  }

  /** Creates a node, or the next incarnation of a node with this name. */
  createNode(name: string): SimNode {
    const incarnation = this.incarnations.get(name) ?? 0;
    this.incarnations.set(name, incarnation + 1);
    const node = new SimNode(this.nextNodeId++, name, incarnation, this.stream(`node/${name}/${incarnation}`));
    node.clock = this.clocks.get(name);
    this.latestIncarnation.set(name, node);
    if (incarnation > 0) this.journal.record(this.time, node.toString(), "start");
    return node;
  }

  /** Crashes a node: none of its tasks, timers or pending wake-ups will ever run again. */
  crash(node: SimNode): void {
    if (node === this.tester) throw new UsageError("the tester node cannot crash");
    if (!node.alive) return;
    node.alive = false;
    this.journal.record(this.time, node.toString(), "crash");
  }

  /**
   * Gives node `name` (its running incarnation and every later one) a clock of its own from now on:
   * local = reading now + offsetMs + rate × (virtual time passed since). See node-clock.ts.
   */
  setClock(name: string, setting: ClockSetting): void {
    const { rate, offsetMs = 0 } = setting;
    if (typeof rate !== "number" || !Number.isFinite(rate) || rate <= 0) {
      throw new UsageError(`setClock("${name}"): rate must be a finite number > 0 (local ms per virtual ms, 1 for a perfect clock), got ${String(rate)}`);
    }
    if (typeof offsetMs !== "number" || !Number.isFinite(offsetMs)) {
      throw new UsageError(`setClock("${name}"): offsetMs must be a finite number of ms, got ${String(offsetMs)}`);
    }
    const node = this.requireNode("setClock", name);
    const clock = NodeClock.set({ rate, offsetMs }, this.time, this.clocks.get(name));
    this.clocks.set(name, clock);
    node.clock = clock;
    this.journal.record(this.time, node.toString(), "log", "clock", `runs at rate ${rate}${offsetMs === 0 ? "" : `, jumps ${offsetMs} ms`}`);
  }

  /**
   * Pauses node `name`'s running incarnation for `ms` virtual ms from now (a pause already under
   * way ends at the later of the two ends). Its events due meanwhile run when the pause ends.
   */
  pause(name: string, ms: number): void {
    const delay = checkDelay(ms, "pause");
    const node = this.requireNode("pause", name);
    node.pausedUntil = Math.max(node.pausedUntil, this.time + delay);
    this.journal.record(this.time, node.toString(), "log", "pause", `paused until ${formatVirtualTime(node.pausedUntil)}`);
  }

  /** Virtual ms until `node`'s pause ends (0: it is not paused). */
  pausedFor(node: SimNode): number {
    return node.pausedUntil > this.time ? node.pausedUntil - this.time : 0;
  }

  private requireNode(api: string, name: string): SimNode {
    const node = this.latestIncarnation.get(name);
    if (node === undefined) {
      throw new UsageError(`${api}: there is no node named "${name}" in this run; the nodes are ${[...this.latestIncarnation.keys()].join(", ")}`);
    }
    return node;
  }

  /** Runs `fn` synchronously as `node`: tasks, sleeps and calls it starts belong to that node. */
  runAs<T>(node: SimNode, fn: () => T): T {
    const previous = this.running;
    this.running = node;
    if (this.options.observe) this.ranThisEvent.add(node);
    try {
      return fn();
    } finally {
      this.running = previous;
    }
  }

  /**
   * Makes `node` the running node for the rest of the current event, continuations included:
   * what runs after an `await` of a settled promise (a free lock, an already-resolved value) is
   * still part of this event, and belongs to `node` too. The network hands an arriving request to
   * its server this way, so that a handler is its server's from its first line to its last.
   */
  runRestOfEventAs(node: SimNode): void {
    this.running = node;
    if (this.options.observe) this.ranThisEvent.add(node);
  }

  /** Schedules `fire` to run `delay` ms from now, as `owner`. */
  schedule(delay: number, owner: SimNode, fire: () => void, kind: string): SimEvent {
    const event: SimEvent = {
      time: this.time + delay,
      tie: this.tieStream === undefined ? 0 : this.tieStream.float(),
      seq: this.seq++,
      fire,
      owner,
      kind,
      cancelled: false,
    };
    if (this.status === "running" || this.status === "idle") this.queue.push(event);
    return event;
  }

  /** Suspends the running task for `ms` ms of its node's clock (rounded up to a whole virtual ms). */
  sleep(ms: number): Promise<void> {
    checkDelay(ms, "sleep");
    const delay = this.timerDelay(ms);
    return new Promise<void>((resolve) => {
      this.schedule(delay, this.running, resolve, "sleep");
    });
  }

  /** Starts `task` as a new task of the running node (like Go's `go`); it begins at this instant. */
  go(task: () => unknown, owner: SimNode = this.running): void {
    if (typeof task !== "function") throw new UsageError(`go() needs a function, got ${typeof task}`);
    this.schedule(0, owner, () => this.startTask(task, owner), "go");
  }

  /** Resumes a waiting task of `owner` at this instant, as an event of its own (Channel, Cond). */
  wake(owner: SimNode, resume: () => void): void {
    this.schedule(0, owner, resume, "wake");
  }

  /** A virtual timer for the determinism guard's setTimeout/setInterval. */
  setTimer(ms: number, fire: () => void, repeat: boolean): () => void {
    const owner = this.running;
    const delay = this.timerDelay(ms);
    let event: SimEvent;
    const arm = (): void => {
      event = this.schedule(delay, owner, () => {
        if (repeat) arm();
        this.startTask(fire, owner);
      }, "timer");
    };
    arm();
    return () => {
      event.cancelled = true;
    };
  }

  /**
   * A node's whole-number draw (randomInt, randomBetween): from its seeded stream, or with a
   * choice source, a choice of kind "draw".
   */
  drawInt(n: number): number {
    const stream = this.running.random;
    if (this.choices === undefined || !(n > 0) || !Number.isInteger(n)) return stream.int(n);
    return this.choose("draw", n, [this.running], () => stream.int(n));
  }

  randomFloat(): number {
    return this.running.random.float();
  }

  /** Records a log line for the running node (topic like "vote" or "append"). */
  log(topic: string, detail: unknown): void {
    this.journal.record(this.time, this.running.toString(), "log", topic, detail);
  }

  /** Records an observation for the running node, when observing (Journal.note). */
  note(kind: string, detail: unknown): void {
    if (this.options.observe) this.journal.note(this.time, this.running.toString(), kind, detail);
  }

  /**
   * When observing, calls `observer` once every event has had its whole effect (all the
   * continuations it set off have run), at that event's virtual time. With a `node`, only after
   * the events in which that node's code ran: the event was the node's, or some code ran as it
   * (runAs, runRestOfEventAs) — a sampler of the node's state misses no change that way, since
   * only the node's own code changes it. Observers are called in the order they were added. An
   * observer must only read: it must not schedule, draw random numbers or log. Not observing, it
   * is never called.
   */
  afterEachEvent(observer: () => void, node?: SimNode): void {
    if (this.options.observe) this.eventObservers.push({ node, observer });
  }

  /**
   * Runs `main` as the tester's task until it returns, then ends the run (other tasks simply stop,
   * like goroutines when a Go test returns). Resolves to main's result; rejects with a
   * SimulationError when main throws, any task throws, or a safety valve fires.
   */
  run<T>(main: () => Promise<T> | T): Promise<T> {
    if (this.status !== "idle") throw new UsageError("a Simulation can only run once; create a new one");
    if (active !== undefined && active.status === "running") {
      active.stop("another simulation started in this process before it finished");
    }
    active = this;
    this.status = "running";
    this.watchdog = Watchdog.get();
    const result = new Promise<T>((resolve, reject) => {
      this.settle = { resolve: resolve as (v: unknown) => void, reject };
    });
    this.schedule(0, this.tester, () => {
      const started = this.startTask(main, this.tester, (err) => describeError(err));
      void Promise.resolve(started).then((value) => this.finish(value));
    }, "go");
    // Start from the real event loop, not inside this call: the caller's own code after run()
    // (a wall-clock timeout set up next to it, say) must see the real globals, not the guard's.
    realSetImmediate(this.resume);
    return result;
  }

  /** Ends a run from outside (a test runner's timeout or afterEach); pending tasks never resume. */
  stop(reason: string): void {
    if (this.status !== "running") return;
    this.status = "stopped";
    this.shutDown();
    this.settle?.reject(new UsageError(`simulation stopped: ${reason}`));
  }

  /** Fails the run. `node` is the node whose code failed (default: the running node). */
  fail(headline: string, options: { node?: SimNode | undefined; cause?: unknown } = {}): void {
    if (this.status !== "running") return;
    const node = options.node ?? this.running;
    const error =
      options.cause instanceof SimulationError
        ? options.cause
        : new SimulationError(
            headline,
            {
              seed: this.seed,
              time: this.time,
              node: node.toString(),
              recent: this.journal.tail(this.options.reportEvents),
            },
            { cause: options.cause },
          );
    this.status = "failed";
    this.shutDown();
    this.settle?.reject(error);
  }

  // --- the scheduler ---------------------------------------------------------------------------

  /**
   * Starts a task's function as `owner`. A throw or rejection fails the run, naming the node; the
   * returned promise never rejects (the failure is already reported).
   */
  private startTask(
    task: () => unknown,
    owner: SimNode,
    headline = (err: unknown) => `a task of ${owner} threw: ${describeError(err)}`,
  ): unknown {
    const onError = (err: unknown): undefined => {
      if (owner.alive) this.fail(headline(err), { node: owner, cause: err });
      return undefined;
    };
    try {
      const out = this.runAs(owner, task);
      return isPromiseLike(out) ? Promise.resolve(out).catch(onError) : out;
    } catch (err) {
      return onError(err);
    }
  }

  private finish(value: unknown): void {
    if (this.status !== "running") return;
    this.status = "done";
    this.shutDown();
    this.settle?.resolve(value);
  }

  private shutDown(): void {
    this.queue.clear();
    this.watchdog?.disarm();
    uninstallGuard();
    // Stragglers of this run may still be draining microtasks; let them see this simulation
    // (their sleeps simply never fire) until the real event loop turns.
    realSetImmediate(() => {
      if (active === this) active = undefined;
    });
  }

  /** Re-enters the dispatch loop from the real event loop. */
  private resume = (): void => {
    if (this.status !== "running") return;
    installGuard(this);
    this.watchdog?.arm(this.options.watchdogMs, this.onWatchdog);
    this.step();
  };

  private requestStep = (): void => {
    realNextTick(this.step);
  };

  /** Dispatches one event; the next step runs once every microtask it caused has run. */
  private step = (): void => {
    if (this.status !== "running") return;
    if (this.watchdog?.fired) return this.onWatchdog();
    // The previous event's continuations have all run (that is why this step runs now).
    for (const { node, observer } of this.eventObservers) if (node === undefined || this.ranThisEvent.has(node)) observer();
    this.ranThisEvent.clear();
    const event = this.takeNextEvent();
    if (event === undefined) {
      this.fail(
        "deadlock: the test has not finished, but nothing is scheduled to run. Every task is " +
          "waiting on something that will never happen (a channel nobody sends on, a reply from a " +
          "crashed node), or a task awaits something outside the simulation (a real timer or I/O).",
        { node: this.tester },
      );
      return;
    }
    if (event.time > this.time) {
      this.time = event.time;
      this.eventsAtThisInstant = 0;
      if (this.time > this.options.maxVirtualTimeMs) {
        this.fail(
          `time limit: the run passed ${formatVirtualTime(this.options.maxVirtualTimeMs)} of virtual ` +
            `time without finishing (maxVirtualTimeMs).`,
          { node: this.tester },
        );
        return;
      }
    } else if (++this.eventsAtThisInstant > this.options.livelockEvents) {
      this.fail(
        `livelock: ${this.options.livelockEvents} events ran at virtual time ` +
          `${formatVirtualTime(this.time)} without the clock moving. Some task keeps waking itself ` +
          `without waiting for time to pass (a loop around sleep(0), go() or a channel).`,
        { node: event.owner },
      );
      return;
    }
    if (this.eventCount >= this.options.maxEvents) {
      this.fail(
        `events budget: the run dispatched its budget of ${this.options.maxEvents} events without ` +
          `finishing (maxEvents). A correct solution needs far fewer: look for work repeated ` +
          `without progress (a loop that sleeps 1 ms, RPCs resent without waiting for replies, a ` +
          `task started per message).`,
        { node: event.owner },
      );
      return;
    }
    this.running = event.owner;
    if (this.options.observe) this.ranThisEvent.add(event.owner);
    this.eventCount++;
    this.journal.mix(event.time);
    this.journal.mix(event.owner.id);
    this.watchdog?.beat();
    try {
      event.fire();
    } catch (err) {
      this.fail(`${event.owner} threw: ${describeError(err)}`, { node: event.owner, cause: err });
      return;
    }
    if (this.eventCount % YIELD_EVERY === 0) {
      queueMicrotask(this.yieldToEventLoop);
    } else {
      queueMicrotask(this.requestStep);
    }
  };

  private yieldToEventLoop = (): void => {
    realNextTick(() => {
      uninstallGuard();
      this.watchdog?.setBusy(false);
      realSetImmediate(this.resume);
    });
  };

  private takeNextEvent(): SimEvent | undefined {
    const first = this.takeLiveEvent();
    if (first === undefined || this.choices === undefined) return first;
    return this.chooseAmongTies(first);
  }

  private takeLiveEvent(): SimEvent | undefined {
    for (;;) {
      const event = this.queue.pop();
      if (event === undefined) return undefined;
      if (event.cancelled || !event.owner.alive || this.deferIfPaused(event)) continue;
      return event;
    }
  }

  /** An event of a paused node goes back in the queue for the end of the pause (keeping its order); whether it did. */
  private deferIfPaused(event: SimEvent): boolean {
    if (event.owner.pausedUntil <= event.time) return false;
    event.time = event.owner.pausedUntil;
    this.queue.push(event);
    return true;
  }

  /** With a choice source: which of the live events due at `first`'s instant runs next. */
  private chooseAmongTies(first: SimEvent): SimEvent {
    const ties = [first];
    for (let next = this.queue.peek(); next !== undefined && next.time === first.time; next = this.queue.peek()) {
      this.queue.pop();
      if (!next.cancelled && next.owner.alive && !this.deferIfPaused(next)) ties.push(next);
    }
    if (ties.length === 1) return first;
    const chosen = this.choose("order", ties.length, ties.map((event) => event.owner), () => 0);
    ties.forEach((event, i) => {
      if (i !== chosen) this.queue.push(event);
    });
    return ties[chosen]!;
  }

  /**
   * Asks the choice source. A replayed run that parts from its choice file fails here, with the
   * file's sentence; the run then stops at its next step.
   */
  private choose(kind: ChoiceKind, n: number, nodes: readonly SimNode[], byDefault: () => number): number {
    let value: number;
    try {
      value = this.choices!.choose(kind, n, nodes, byDefault);
    } catch (err) {
      if (!(err instanceof ChoiceReplayError)) throw err;
      this.fail(err.message, { node: this.tester });
      return 0;
    }
    if (!(Number.isInteger(value) && value >= 0 && value < n)) {
      this.fail(`the choice source answered ${value} to a choice among ${n} (${kind}); it must be a whole number from 0 to ${n - 1}.`, { node: this.tester });
      return 0;
    }
    return value;
  }

  private onWatchdog = (): void => {
    this.fail(
      `watchdog: code of ${this.running} ran for more than ${this.options.watchdogMs} ms of CPU ` +
        `time without yielding (an endless loop, or a loop around \`await\` of something that is ` +
        `already resolved). Simulated code must wait on sleep(), a channel or an RPC to let ` +
        `virtual time pass.`,
      { node: this.running },
    );
  };
}

function checkDelay(ms: number, api: string): number {
  if (typeof ms !== "number" || Number.isNaN(ms) || ms < 0 || ms === Infinity) {
    throw new UsageError(`${api}(ms) needs a finite number of milliseconds ≥ 0, got ${String(ms)}`);
  }
  return Math.ceil(ms);
}

function isPromiseLike(v: unknown): v is PromiseLike<unknown> {
  return typeof (v as PromiseLike<unknown> | null)?.then === "function";
}

export function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.name === "Error" ? "" : err.name + ": "}${err.message}`;
  return String(err);
}
