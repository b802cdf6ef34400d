// The runtime: what the functions simulated code calls (simulated-api.ts, Channel, Cond) ask of the
// world they run in. Two worlds implement it:
//   - the Simulation (simulation.ts): virtual time, seeded draws, one task at a time. It is the
//     runtime whenever a simulation is running, which is how every test and lab runs.
//   - the real runtime (sim/real/real-runtime.ts): real timers, real randomness, one OS process
//     per node. A real-mode process (`simlab serve`) installs it at start-up with installRuntime().
// So the same Raft and KV code runs in both, unchanged: it only ever calls now(), sleep(), go(),
// randomInt(), log(), Channel and Cond, and those dispatch here.
//
// activeRuntime() (simulation.ts) answers the running simulation first, then the installed runtime;
// the simulated path costs the same single check as before.
import type { SimNode } from "./node.ts";

/** A scheduled wake-up that can be called off before it fires. */
export interface ScheduledWakeUp {
  cancelled: boolean;
}

export interface Runtime {
  /** Milliseconds since the run (or the process) began. */
  readonly now: number;
  /** What the running node's own clock reads: `now`, unless the run gives it a drifting clock (node-clock.ts). */
  readonly localNow: number;
  /** How many ms of `now` pass while the running node's clock advances `ms` (its timers run on its clock). */
  timerDelay(ms: number): number;
  /** A function that reads `node`'s own clock, whoever calls it. */
  clockOf(node: SimNode): () => number;
  /** The node whose code is running. */
  readonly current: SimNode;
  /** Waits `ms` milliseconds. */
  sleep(ms: number): Promise<void>;
  /** Starts `task` concurrently, owned by the running node. */
  go(task: () => unknown): void;
  /** Resumes a waiting task of `owner` soon, as a step of its own (Channel, Cond). */
  wake(owner: SimNode, resume: () => void): void;
  /** Runs `fire` `delay` ms from now as `owner`, unless the returned wake-up is cancelled first. */
  schedule(delay: number, owner: SimNode, fire: () => void, kind: string): ScheduledWakeUp;
  /** An integer in [0, n) drawn for the running node. */
  drawInt(n: number): number;
  /** Records a log line for the running node. */
  log(topic: string, detail: unknown): void;
}
