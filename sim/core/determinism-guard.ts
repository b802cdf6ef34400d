// The determinism guard. While a simulation's code runs, the globals through which code could
// reach real time or real randomness are replaced:
//
//   Math.random, crypto.randomUUID   → draws from the running node's seeded stream
//   Date.now, performance.now        → virtual time
//   setTimeout/setInterval (+clear)  → virtual timers owned by the running node
//   setImmediate, process.nextTick   → an error naming the safe API (they run outside virtual time)
//
// The originals come back whenever the simulation yields to the real event loop, so the test
// runner and Node itself never see the replacements.
import {
  realClearInterval,
  realClearTimeout,
  realDateNow,
  realNextTick,
  originalNextTick,
  realPerformanceNow,
  realSetImmediate,
  realSetInterval,
  realSetTimeout,
} from "./real-clock.ts";
import { UsageError } from "./errors.ts";

/** What the guard needs from the running simulation. */
export interface GuardedClock {
  readonly now: number;
  /** A draw in [0,1) from the running node's stream. */
  randomFloat(): number;
  /** A virtual timer owned by the running node; returns its cancel function. */
  setTimer(ms: number, fire: () => void, repeat: boolean): () => void;
}

/** Virtual time 0 is this instant, for code that asks Date.now(). */
export const VIRTUAL_EPOCH_MS = Date.UTC(2020, 0, 1);

const realMathRandom = Math.random;
const realRandomUUID = globalThis.crypto.randomUUID.bind(globalThis.crypto);
// performance.now and crypto.randomUUID live on their prototypes; the guard shadows them with own
// properties, and uninstalling deletes those again so that the very same functions are back.
const performanceNowIsOwn = Object.hasOwn(performance, "now");
const randomUUIDIsOwn = Object.hasOwn(globalThis.crypto, "randomUUID");

class VirtualTimer {
  constructor(readonly cancel: () => void) {}
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
  hasRef(): boolean {
    return true;
  }
}

let installedFor: GuardedClock | undefined;

function calledFromNodeInternals(): boolean {
  // Node's own modules (streams behind console.log, for example) may still need the real queue.
  const frames = new Error().stack?.split("\n") ?? [];
  return frames[3]?.includes("(node:") === true || frames[3]?.includes("at node:") === true;
}

function forbidden(api: string, instead: string): never {
  throw new UsageError(
    `${api} is not available in simulated code: its callback would run outside virtual time and ` +
      `make runs irreproducible. ${instead}`,
  );
}

export function installGuard(clock: GuardedClock): void {
  if (installedFor === clock) return;
  installedFor = clock;
  Math.random = () => clock.randomFloat();
  Date.now = () => VIRTUAL_EPOCH_MS + clock.now;
  performance.now = () => clock.now;
  const g = globalThis as Record<string, unknown>;
  g.setTimeout = (fn: (...a: unknown[]) => void, ms = 0, ...args: unknown[]) =>
    new VirtualTimer(clock.setTimer(Math.max(0, Number(ms) || 0), () => fn(...args), false));
  g.setInterval = (fn: (...a: unknown[]) => void, ms = 0, ...args: unknown[]) =>
    new VirtualTimer(clock.setTimer(Math.max(1, Number(ms) || 0), () => fn(...args), true));
  g.clearTimeout = g.clearInterval = (t: unknown) => {
    if (t instanceof VirtualTimer) t.cancel();
  };
  g.setImmediate = (fn: (...a: unknown[]) => void, ...args: unknown[]) => {
    if (calledFromNodeInternals()) return realSetImmediate(fn, ...args);
    forbidden("setImmediate", "Use go(fn) to start a task, or `await sleep(0)` to let others run.");
  };
  process.nextTick = ((fn: (...a: unknown[]) => void, ...args: unknown[]) => {
    if (calledFromNodeInternals()) return realNextTick(() => fn(...args));
    forbidden("process.nextTick", "Use go(fn) to start a task, or `await Promise.resolve()`.");
  }) as typeof process.nextTick;
  globalThis.crypto.randomUUID = () => virtualUUID(clock);
}

export function uninstallGuard(): void {
  if (installedFor === undefined) return;
  installedFor = undefined;
  Math.random = realMathRandom;
  Date.now = realDateNow;
  if (performanceNowIsOwn) performance.now = realPerformanceNow;
  else Reflect.deleteProperty(performance, "now");
  const g = globalThis as Record<string, unknown>;
  g.setTimeout = realSetTimeout;
  g.setInterval = realSetInterval;
  g.clearTimeout = realClearTimeout;
  g.clearInterval = realClearInterval;
  g.setImmediate = realSetImmediate;
  process.nextTick = originalNextTick;
  if (randomUUIDIsOwn) globalThis.crypto.randomUUID = realRandomUUID;
  else Reflect.deleteProperty(globalThis.crypto, "randomUUID");
}

function virtualUUID(clock: GuardedClock): `${string}-${string}-${string}-${string}-${string}` {
  const hex = (n: number) =>
    Array.from({ length: n }, () => Math.floor(clock.randomFloat() * 16).toString(16)).join("");
  const variant = (8 + Math.floor(clock.randomFloat() * 4)).toString(16);
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
}
