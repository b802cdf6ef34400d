// The functions simulated code calls: now(), sleep(), go(), random…(), currentNode(), log().
// They dispatch to the active runtime (runtime.ts): the running simulation, or in a real-mode
// process the real runtime.
// Each acts for the node whose code is running. Outside a simulation (and without an installed
// runtime) they throw a UsageError that says so.
import { activeRuntime } from "./simulation.ts";
import type { SimNode } from "./node.ts";

/**
 * Virtual time in milliseconds since the run began, as the running node's clock reads it: the
 * virtual clock itself unless the run gives the node a drifting one (node-clock.ts).
 */
export function now(): number {
  return activeRuntime("now()").localNow;
}

/**
 * A function that reads the running node's clock, and keeps reading that node's clock whoever
 * calls it later. Code after an `await` runs as the step that resumed it: its own node's when it
 * waited on its node's sleep, call, lock or channel, but another node's when that node woke it (a
 * value the tester sends, say). Code that must time something by its own machine's clock, whoever
 * wakes it, takes one of these when it is made.
 */
export function clockOfThisNode(): () => number {
  const runtime = activeRuntime("clockOfThisNode()");
  return runtime.clockOf(runtime.current);
}

/** Waits `ms` milliseconds of the running node's clock (rounded up to a whole ms). Like Go's time.Sleep. */
export function sleep(ms: number): Promise<void> {
  return activeRuntime("sleep()").sleep(ms);
}

/** Starts `task` concurrently, owned by the running node. Like Go's `go`. */
export function go(task: () => unknown): void {
  activeRuntime("go()").go(task);
}

/** A float in [0, 1) from the running node's seeded stream. */
export function random(): number {
  return activeRuntime("random()").current.random.float();
}

/**
 * An integer in [0, n) from the running node's seeded stream. Like Go's rand.Intn(n). In an
 * explored run it is a choice (a node's draw, such as an election timeout: sim/core/choices.ts).
 */
export function randomInt(n: number): number {
  return activeRuntime("randomInt()").drawInt(n);
}

/** An integer in [lo, hi] (both included), drawn as randomInt(hi - lo + 1) is. */
export function randomBetween(lo: number, hi: number): number {
  return lo + activeRuntime("randomBetween()").drawInt(hi - lo + 1);
}

/**
 * A random 53-bit id from the running node's seeded stream (a clerk's id, say): among a thousand
 * ids, two are equal with odds of about 1 in 10^10.
 */
export function randomId(): number {
  return activeRuntime("randomId()").current.random.id();
}

/** The node whose code is running. */
export function currentNode(): SimNode {
  return activeRuntime("currentNode()").current;
}

/**
 * Records a line in the trace under a topic ("vote", "append", "apply", …). Cheap when nobody
 * reads it: the values are kept as given and formatted only when a trace is printed.
 */
export function log(topic: string, ...values: unknown[]): void {
  activeRuntime("log()").log(topic, values.length === 1 ? values[0] : values);
}
