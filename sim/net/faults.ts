// The fault model of the simulated network: what can happen to a message, with labrpc's numbers.
//
//   reliable (default)   every message arrives after the link latency (default 2–8 ms)
//   unreliable           a request waits 0–26 ms more; 10% of requests and 10% of replies are lost
//   long reordering      2/3 of replies are held back 200–2199 ms (skewed toward the short end)
//   long delays          a call to an unreachable server fails after 0–6999 ms instead of 0–99 ms
//
// Opt-in, beyond labrpc: one-way link cuts, duplicated requests, per-link latency.
// Every draw comes from the client end that sends the message: its seeded stream, or the run's
// choice source (sim/core/choices.ts), each draw named by the choice it makes.
import type { NetworkDraws } from "../core/choices.ts";
import { UsageError } from "../core/errors.ts";

export interface LatencyRange {
  /** Fewest ms a message takes (≥ 1: no message arrives in zero virtual time). */
  min: number;
  /** Most ms a message takes. */
  max: number;
}

/**
 * The default one-way latency of a reliable link. A KV operation takes about four one-way trips
 * (clerk → leader → followers → leader → clerk), so 2–8 ms gives ≈20 ms per operation: about 50
 * sequential operations per second per client, the Go labs' rate (TestBasic3A's sample run: 903
 * operations in 15.5 s, 17 ms each), so the ported tests build histories of the same size.
 */
export const DEFAULT_LATENCY: LatencyRange = { min: 2, max: 8 };

export function checkLatency(range: LatencyRange, what: string): LatencyRange {
  const { min, max } = range;
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1 || max < min) {
    throw new UsageError(
      `${what} must be whole milliseconds with 1 ≤ min ≤ max (no message may arrive in zero ` +
        `virtual time), got min ${min}, max ${max}`,
    );
  }
  return { min, max };
}

export class FaultModel {
  reliable = true;
  longReordering = false;
  longDelays = false;
  /** Probability that a delivered request is delivered a second time (opt-in). */
  duplicateProbability = 0;
  private readonly cuts = new Set<string>();
  private readonly linkLatency = new Map<string, LatencyRange>();

  constructor(private baseLatency: LatencyRange = DEFAULT_LATENCY) {
    checkLatency(baseLatency, "the network latency");
  }

  setLatency(range: LatencyRange): void {
    this.baseLatency = checkLatency(range, "the network latency");
  }

  /** Cuts (or heals) the one-way link from → to: messages in that direction are lost. */
  setCut(from: string, to: string, cut: boolean): void {
    if (cut) this.cuts.add(`${from}->${to}`);
    else this.cuts.delete(`${from}->${to}`);
  }

  isCut(from: string | undefined, to: string): boolean {
    return from !== undefined && this.cuts.size > 0 && this.cuts.has(`${from}->${to}`);
  }

  setLinkLatency(from: string, to: string, range: LatencyRange | undefined): void {
    if (range === undefined) this.linkLatency.delete(`${from}->${to}`);
    else this.linkLatency.set(`${from}->${to}`, checkLatency(range, `the latency of ${from}->${to}`));
  }

  /** One-way latency of a message from → to. */
  latency(rng: NetworkDraws, from: string | undefined, to: string | undefined): number {
    const range =
      (from !== undefined && to !== undefined && this.linkLatency.size > 0 && this.linkLatency.get(`${from}->${to}`)) ||
      this.baseLatency;
    // As RandomStream.between(min, max) draws it.
    return range.min === range.max ? range.min : range.min + rng.int(range.max - range.min + 1, "latency");
  }

  /** Extra delay of a request on an unreliable network (labrpc: rand % 27). */
  requestJitter(rng: NetworkDraws): number {
    return this.reliable ? 0 : rng.int(27, "jitter");
  }

  /** Whether an unreliable network loses this request or reply (labrpc: 100 in 1000). */
  loses(rng: NetworkDraws): boolean {
    return !this.reliable && rng.int(1000, "loss") < 100;
  }

  /** Extra delay of a reply under long reordering (labrpc: 600 in 900 → 200 + rand(1 + rand(2000))). */
  replyHoldBack(rng: NetworkDraws): number {
    if (!this.longReordering || rng.int(900, "hold-back") >= 600) return 0;
    return 200 + rng.int(1 + rng.int(2000, "hold-back-ms"), "hold-back-ms");
  }

  /** When a call to an unreachable server fails (labrpc: rand % 7000 with long delays, else % 100). */
  unreachableTimeout(rng: NetworkDraws): number {
    return this.longDelays ? rng.int(7000, "unreachable-ms") : rng.int(100, "unreachable-ms");
  }

  duplicates(rng: NetworkDraws): boolean {
    return this.duplicateProbability > 0 && rng.chance(this.duplicateProbability, "duplicate");
  }
}
