// Errors a person reads: each says what went wrong, with the seed, the virtual time, the node, and
// the last events before it happened.
import { formatEntry, type JournalEntry } from "./journal.ts";

export interface SimFailureContext {
  seed: number;
  /** Virtual time in ms when it happened. */
  time: number;
  /** The node whose code was running, if any. */
  node: string | undefined;
  /** The most recent journal entries, oldest first. */
  recent: JournalEntry[];
}

export class SimulationError extends Error {
  override name = "SimulationError";
  readonly headline: string;

  constructor(
    headline: string,
    readonly context: SimFailureContext,
    options?: { cause?: unknown },
  ) {
    super(describeFailure(headline, context, options?.cause), options);
    this.headline = headline;
  }
}

export function describeFailure(headline: string, ctx: SimFailureContext, cause?: unknown): string {
  const lines = [headline];
  const where = ctx.node === undefined ? "" : `, node ${ctx.node}`;
  lines.push(`  seed ${ctx.seed}, virtual time ${formatVirtualTime(ctx.time)}${where}`);
  if (cause instanceof Error && cause.stack) {
    const frames = cause.stack.split("\n").slice(1, 6).map((l) => "  " + l.trim());
    if (frames.length > 0) lines.push("  where:", ...frames.map((f) => "  " + f));
  }
  if (ctx.recent.length > 0) {
    lines.push(`  last ${ctx.recent.length} events:`);
    for (const e of ctx.recent) lines.push("  " + formatEntry(e));
  }
  return lines.join("\n");
}

export function formatVirtualTime(ms: number): string {
  return `${(ms / 1000).toFixed(3)} s`;
}

/**
 * The caller's mistake, as a sentence that says what was wrong and what to do instead: simlab's API
 * used where it cannot work, or bad input to the simlab CLI (which prints it as one line and exits
 * with code 2).
 */
export class UsageError extends Error {
  override name = "UsageError";
}
