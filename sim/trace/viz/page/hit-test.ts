// What is under the pointer, found from the data rather than the DOM: the row from the layout,
// then a binary search in that row's operations or events, or the nearest arrow the last frame
// drew. Pure.
import type { Layout } from "./layout.ts";
import { rowAt } from "./layout.ts";
import type { TimeAxis } from "./time-axis.ts";
import { Trace } from "./trace.ts";

/** How near (pixels) the pointer must be to an event or an arrow. */
export const HIT_SLOP = 5;

/** One straight piece of an arrow the timeline drew: a request (leg 0) or a reply (leg 1); y as the layout's (from the first row's top). */
export interface DrawnSegment {
  message: number;
  leg: 0 | 1;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export type Hit =
  | { kind: "op"; op: number }
  | { kind: "message"; message: number; leg: 0 | 1 }
  | { kind: "event"; event: number }
  | { kind: "row"; row: number };

export function distanceToSegment(px: number, py: number, s: DrawnSegment): number {
  const dx = s.x2 - s.x1;
  const dy = s.y2 - s.y1;
  const length2 = dx * dx + dy * dy;
  const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - s.x1) * dx + (py - s.y1) * dy) / length2));
  return Math.hypot(px - (s.x1 + t * dx), py - (s.y1 + t * dy));
}

/** What is at (x, y): an arrow, an operation bar, an event tick, or just a row. */
export function hitTest(trace: Trace, layout: Layout, axis: TimeAxis, segments: readonly DrawnSegment[], x: number, y: number): Hit | undefined {
  const row = rowAt(layout, y);
  const time = axis.time(x);
  const slop = HIT_SLOP * axis.msPerPixel;
  // Arrows first: they are thin, and one crossing a bar is what the pointer aims at.
  let nearest: DrawnSegment | undefined;
  let nearestDistance = HIT_SLOP;
  for (const segment of segments) {
    const d = distanceToSegment(x, y, segment);
    if (d <= nearestDistance) [nearest, nearestDistance] = [segment, d];
  }
  if (nearest !== undefined) return { kind: "message", message: nearest.message, leg: nearest.leg };
  if (row >= 0 && trace.data.rows[row]!.kind === "client") {
    const ops = trace.opsOfRow[row]!;
    const calls = trace.data.ops.call;
    // A client has one operation at a time: the last one called before the pointer.
    let lo = 0;
    let hi = ops.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (calls[ops[mid]!]! <= time + slop) lo = mid + 1;
      else hi = mid;
    }
    const op = ops[lo - 1];
    if (op !== undefined) {
      const ret = trace.data.ops.ret[op]! < 0 ? trace.end : trace.data.ops.ret[op]!;
      if (time <= ret + slop) return { kind: "op", op };
    }
  }
  if (row < 0) return undefined;
  const events = trace.eventsOfRow[row]!;
  const at = trace.lowerBoundEvents(events, time - slop);
  let best = -1;
  for (let i = at; i < events.length && trace.eventTime[events[i]!]! <= time + slop; i++) {
    if (best < 0 || Math.abs(trace.eventTime[events[i]!]! - time) < Math.abs(trace.eventTime[best]! - time)) best = events[i]!;
  }
  return best >= 0 ? { kind: "event", event: best } : { kind: "row", row };
}
