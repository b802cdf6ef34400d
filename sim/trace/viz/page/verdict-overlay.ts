// Porcupine's picture of an illegal key, on the page's real-time axis: the longest partial
// linearization as points joined in order, one per operation, each inside its operation's
// interval (at its call, or later if the one before it is later); the key's other operations
// greyed; and a red mark on every "illegal next" operation. Pure geometry in time and rows.
import type { KeyVerdict } from "../page-data.ts";
import type { Trace } from "./trace.ts";

export interface OverlayPoint {
  op: number;
  row: number;
  time: number;
}

export interface Overlay {
  key: string;
  points: OverlayPoint[];
  /** Operations of the key not in the linearization. */
  greyed: number[];
  illegalNext: { op: number; row: number; time: number; rejected: boolean }[];
}

/** The overlay of `verdict`; an operation that never returned is open until the run's end. */
export function overlayOf(trace: Trace, verdict: KeyVerdict): Overlay {
  const ops = trace.data.ops;
  const points: OverlayPoint[] = [];
  let previous = -Infinity;
  for (const op of verdict.linearization) {
    const call = ops.call[op]!;
    const ret = ops.ret[op]! < 0 ? trace.end : ops.ret[op]!;
    const time = Math.min(ret, Math.max(call, previous));
    points.push({ op, row: ops.row[op]!, time });
    previous = time;
  }
  const placed = new Set(verdict.linearization);
  return {
    key: verdict.key,
    points,
    greyed: verdict.ops.filter((op) => !placed.has(op)),
    illegalNext: verdict.illegalNext.map(({ op, rejected }) => ({ op, row: ops.row[op]!, time: ops.call[op]!, rejected })),
  };
}

/** Porcupine's "jump to first error": the earliest illegal-next mark of any illegal key, or undefined. */
export function firstError(trace: Trace): { key: string; op: number; time: number } | undefined {
  let best: { key: string; op: number; time: number } | undefined;
  for (const verdict of trace.data.verdicts) {
    for (const { op } of verdict.illegalNext) {
      const time = trace.data.ops.call[op]!;
      if (best === undefined || time < best.time) best = { key: verdict.key, op, time };
    }
  }
  return best;
}
