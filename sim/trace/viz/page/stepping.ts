// Moving the time cursor: to the next or previous event, globally or on one row, or to the next
// event of a kind a debugging reader jumps between — a message sent, a role change, a fault
// (crash, restart, partition change, drop, a request a script held), an operation's return, a violation (an "illegal
// next" operation of an illegal key). Each kind's events are indexed once, so a step is a
// binary search however long the run. Pure.
import { EventKind } from "../page-data.ts";
import { Trace } from "./trace.ts";

export type StepKind = "event" | "message" | "role" | "fault" | "return" | "violation";

/** Where the cursor is: a time, and the event it sits on (-1 between events). */
export interface Cursor {
  time: number;
  event: number;
}

const faultKinds: ReadonlySet<number> = new Set([EventKind.crash, EventKind.restart, EventKind.partition, EventKind.drop, EventKind.replyDrop, EventKind.faults, EventKind.hold]);

export class Stepper {
  private readonly byKind: Record<Exclude<StepKind, "event">, Int32Array>;
  private readonly all: Int32Array;

  constructor(private readonly trace: Trace) {
    const pick = (keep: (kind: number, event: number) => boolean): Int32Array => {
      const out: number[] = [];
      for (let i = 0; i < trace.eventCount; i++) if (keep(trace.eventKind[i]!, i)) out.push(i);
      return Int32Array.from(out);
    };
    const violating = new Set(trace.data.verdicts.flatMap((v) => v.illegalNext.map((n) => n.op)));
    const ops = trace.data.events.op;
    this.all = Int32Array.from({ length: trace.eventCount }, (_, i) => i);
    this.byKind = {
      message: pick((kind) => kind === EventKind.send),
      role: pick((kind) => kind === EventKind.role),
      fault: pick((kind) => faultKinds.has(kind)),
      return: pick((kind) => kind === EventKind.opReturn),
      violation: pick((kind, i) => kind === EventKind.opCall && violating.has(ops[i]!)),
    };
  }

  /** The events of a kind, in time order. */
  events(kind: StepKind): Int32Array {
    return kind === "event" ? this.all : this.byKind[kind];
  }

  /**
   * The cursor `count` steps after (or, negative, before) `cursor` among `candidates` (events in
   * time order; every event when absent). Stays put when there is nothing that way.
   */
  step(cursor: Cursor, count: number, candidates: Int32Array = this.all): Cursor {
    if (candidates.length === 0 || count === 0) return cursor;
    const { eventTime } = this.trace;
    // Events at one instant are ordered by index: compare (time, index).
    const after = (e: number): boolean => eventTime[e]! > cursor.time || (eventTime[e]! === cursor.time && e > cursor.event);
    let lo = 0;
    let hi = candidates.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (after(candidates[mid]!)) hi = mid;
      else lo = mid + 1;
    }
    // lo: the first candidate after the cursor. The one at the cursor, if any, is lo - 1.
    const atCursor = lo > 0 && candidates[lo - 1] === cursor.event ? lo - 1 : -1;
    let target: number;
    if (count > 0) target = lo + count - 1;
    else target = (atCursor >= 0 ? atCursor : lo) + count;
    target = Math.max(0, Math.min(candidates.length - 1, target));
    const event = candidates[target]!;
    if ((count > 0 && !after(event)) || (count < 0 && after(event))) return cursor;
    return { time: eventTime[event]!, event };
  }

  /** The cursor on the last event at or before `time` (or at `time` with no event). */
  at(time: number): Cursor {
    const i = Trace.lowerBound(this.trace.eventTime, time + 1e-9) - 1;
    return i >= 0 && this.trace.eventTime[i] === time ? { time, event: i } : { time, event: -1 };
  }
}
