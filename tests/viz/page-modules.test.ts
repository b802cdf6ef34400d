// The debugger page's pure modules, in Node: the time axis, the row layout, level of detail,
// hit-testing, the verdict overlay's geometry, stepping the cursor, deep links, payload text.
import { describe, expect, it } from "vitest";
import { EventKind, type PageData } from "../../sim/trace/viz/page-data.ts";
import { shortPayload } from "../../sim/trace/viz/payload-text.ts";
import { formatPlace, parsePlace } from "../../sim/trace/viz/page/deep-link.ts";
import { distanceToSegment, hitTest } from "../../sim/trace/viz/page/hit-test.ts";
import { CLIENT_ROW_HEIGHT, GROUP_HEADING_HEIGHT, layOut, NODE_ROW_HEIGHT, rowAt } from "../../sim/trace/viz/page/layout.ts";
import { bundleArrows, countPerColumn, drawsEach, markHeight } from "../../sim/trace/viz/page/level-of-detail.ts";
import { HOLD_SLOTS, holdSlots } from "../../sim/trace/viz/page/hold-lanes.ts";
import { messagesInFlight } from "../../sim/trace/viz/page/state-at.ts";
import { Stepper } from "../../sim/trace/viz/page/stepping.ts";
import { TimeAxis } from "../../sim/trace/viz/page/time-axis.ts";
import { Trace } from "../../sim/trace/viz/page/trace.ts";
import { firstError, overlayOf } from "../../sim/trace/viz/page/verdict-overlay.ts";

/** Two nodes and two clients: a few log lines, one send, and an illegal key "k". */
function smallTrace(): Trace {
  const data: PageData = {
    header: { test: "T", seed: 1, passed: false, failure: null, replay: null, viz: null, virtualMs: 100, schedulerEvents: 0, journalHash: null, faults: "reliable", slowMs: 35, timeUnit: "virtual ms" },
    strings: ["vote", "a", "b", "commit", "commits through index 3", "get(\"k\")", "\"x\"", "k", "put(\"k\", \"x\")", "ok"],
    rows: [
      { name: "kv-0", kind: "node", group: 0 },
      { name: "kv-1", kind: "node", group: 0 },
      { name: "client 0", kind: "client", group: 1 },
      { name: "client 1", kind: "client", group: 1 },
    ],
    groups: [{ label: "kv" }, { label: "clients" }],
    events: {
      time: Float64Array.from([0, 10, 10, 20, 30, 40, 60, 70]),
      row: Int32Array.from([0, 1, 0, 0, 2, 3, 2, 3]),
      kind: Uint8Array.from([EventKind.log, EventKind.log, EventKind.send, EventKind.log, EventKind.opCall, EventKind.opCall, EventKind.opReturn, EventKind.opReturn]),
      topic: Int32Array.from([0, 0, -1, 3, -1, -1, -1, -1]),
      text: Int32Array.from([1, 2, -1, 4, -1, -1, -1, -1]),
      message: Int32Array.from([-1, -1, 0, -1, -1, -1, -1, -1]),
      op: Int32Array.from([-1, -1, -1, -1, 0, 1, 0, 1]),
    },
    messages: {
      rpc: Int32Array.from([1]), method: Int32Array.from([0]), fromRow: Int32Array.from([0]), toRow: Int32Array.from([1]), sendTime: Float64Array.from([10]), deliverTime: Float64Array.from([15]), respondTime: Float64Array.from([15]), replyTime: Float64Array.from([20]),
      failTime: Float64Array.from([-1]), dropTime: Float64Array.from([-1]), fate: Int32Array.from([0]), reason: Int32Array.from([-1]), flags: Int32Array.from([0]), args: [null], reply: [null], op: Int32Array.from([-1]),
    },
    roles: { row: [0], start: [0], end: [100], term: [1], role: [2] },
    holds: { message: [], time: [] },
    crashes: { row: [], start: [], end: [], restored: [] },
    partitions: { time: [], sides: [], text: [] },
    ops: { row: Int32Array.from([2, 3]), clientId: Int32Array.from([0, 1]), call: Float64Array.from([30, 40]), ret: Float64Array.from([60, 70]), input: Int32Array.from([5, 8]), output: Int32Array.from([6, 9]), key: Int32Array.from([7, 7]), messages: [[], []], path: [[], []], index: Int32Array.from([-1, -1]) },
    verdicts: [{ key: "k", verdict: "illegal", ops: [0, 1], linearization: [1], states: ["\"x\""], initialState: "\"\"", illegalNext: [{ op: 0, rejected: true }] }],
  };
  return new Trace(data);
}

describe("the time axis", () => {
  it("maps times to pixels and back, and zooms about the pointer", () => {
    const axis = new TimeAxis(0, 1000, undefined, 500);
    expect(axis.x(500)).toBe(250);
    expect(axis.time(250)).toBe(500);
    const pivot = axis.time(100);
    axis.zoomAt(100, 0.5);
    expect(axis.span).toBe(500);
    expect(axis.time(100)).toBeCloseTo(pivot);
  });

  it("never leaves the run", () => {
    const axis = new TimeAxis(0, 1000, undefined, 500);
    axis.zoomAt(0, 0.1);
    axis.panBy(-10_000);
    expect(axis.window.from).toBe(0);
    axis.panBy(1e9);
    expect(axis.window.to).toBe(1000);
    axis.zoomAt(250, 100);
    expect(axis.window).toEqual({ from: 0, to: 1000 });
    axis.reveal(10);
    expect(axis.window.from).toBe(0);
  });
});

describe("the row layout", () => {
  it("stacks groups under headings, skips hidden rows, and finds the row under a y", () => {
    const trace = smallTrace();
    const layout = layOut(trace.data.rows, trace.data.groups, new Set([1]));
    expect(layout.boxes.map((b) => b.row)).toEqual([0, 2, 3]);
    expect(layout.headings.map((h) => h.label)).toEqual(["kv", "clients"]);
    expect(layout.height).toBe(2 * GROUP_HEADING_HEIGHT + NODE_ROW_HEIGHT + 2 * CLIENT_ROW_HEIGHT);
    expect(rowAt(layout, GROUP_HEADING_HEIGHT + 1)).toBe(0);
    expect(rowAt(layout, layout.boxOf[3]!.top + 1)).toBe(3);
    expect(rowAt(layout, 1)).toBe(-1);
    expect(layout.boxOf[1]).toBeUndefined();
  });
});

describe("level of detail", () => {
  it("counts events per pixel column and draws each only when they fit", () => {
    const columns = countPerColumn([0, 0.2, 0.9, 5, 12], (t) => t, 10);
    expect([...columns]).toEqual([3, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
    expect(drawsEach(10, 10)).toBe(true);
    expect(drawsEach(11, 10)).toBe(false);
    expect(markHeight(0, 9)).toBe(0);
    expect(markHeight(1, 9)).toBeGreaterThan(0);
    expect(markHeight(1_000_000, 9)).toBe(9);
  });

  it("bundles arrows per node pair and bucket of pixels", () => {
    const bundles = bundleArrows([0, 0, 0, 1], [1, 1, 1, 0], [1, 2, 30, 2]);
    expect(bundles.map((b) => [b.fromRow, b.toRow, b.count]).sort()).toEqual([[0, 1, 1], [0, 1, 2], [1, 0, 1]]);
  });
});

describe("hit-testing", () => {
  it("measures the distance to a segment", () => {
    const segment = { message: 0, leg: 0 as const, x1: 0, y1: 0, x2: 10, y2: 0 };
    expect(distanceToSegment(5, 3, segment)).toBe(3);
    expect(distanceToSegment(-4, 3, segment)).toBe(5);
  });

  it("finds an operation bar, an arrow, an event, or just the row", () => {
    const trace = smallTrace();
    const layout = layOut(trace.data.rows, trace.data.groups, new Set());
    const axis = new TimeAxis(0, 100, undefined, 100);
    const mid = (row: number): number => layout.boxOf[row]!.top + layout.boxOf[row]!.height / 2;
    expect(hitTest(trace, layout, axis, [], 45, mid(2))).toEqual({ kind: "op", op: 0 });
    expect(hitTest(trace, layout, axis, [], 20, mid(2))).toEqual({ kind: "row", row: 2 });
    const arrow = { message: 0, leg: 0 as const, x1: 10, y1: mid(0), x2: 15, y2: mid(1) };
    expect(hitTest(trace, layout, axis, [arrow], 12, (mid(0) + mid(1)) / 2)).toEqual({ kind: "message", message: 0, leg: 0 });
    expect(hitTest(trace, layout, axis, [], 21, mid(0))).toEqual({ kind: "event", event: 3 });
  });
});

describe("the verdict overlay", () => {
  it("puts each linearized operation inside its interval, in order, and marks the illegal next ones", () => {
    const trace = smallTrace();
    const overlay = overlayOf(trace, trace.data.verdicts[0]!);
    expect(overlay.points).toEqual([{ op: 1, row: 3, time: 40 }]);
    expect(overlay.greyed).toEqual([0]);
    expect(overlay.illegalNext).toEqual([{ op: 0, row: 2, time: 30, rejected: true }]);
    expect(firstError(trace)).toEqual({ key: "k", op: 0, time: 30 });
  });

  it("moves a point later when the operation before it was placed later", () => {
    const trace = smallTrace();
    const overlay = overlayOf(trace, { ...trace.data.verdicts[0]!, linearization: [1, 0], states: ["a", "b"] });
    expect(overlay.points.map((p) => p.time)).toEqual([40, 40]);
  });
});

describe("stepping the cursor", () => {
  it("steps by event, by kind, and stays put at the ends", () => {
    const trace = smallTrace();
    const stepper = new Stepper(trace);
    let cursor = stepper.step({ time: -Infinity, event: -1 }, 1);
    expect(cursor).toEqual({ time: 0, event: 0 });
    cursor = stepper.step(cursor, 1);
    expect(cursor).toEqual({ time: 10, event: 1 });
    cursor = stepper.step(cursor, 1);
    expect(cursor.event).toBe(2);
    expect(stepper.step(cursor, -2).event).toBe(0);
    expect(stepper.step({ time: 0, event: 0 }, 1, stepper.events("message")).event).toBe(2);
    expect(stepper.step({ time: 0, event: 0 }, 1, stepper.events("return")).event).toBe(6);
    expect(stepper.step({ time: 0, event: 0 }, 1, stepper.events("violation")).event).toBe(4);
    const last = { time: 70, event: 7 };
    expect(stepper.step(last, 1)).toEqual(last);
    expect(stepper.step({ time: 25, event: -1 }, -1)).toEqual({ time: 20, event: 3 });
    expect(stepper.step({ time: 0, event: 0 }, 1, trace.eventsOfRow[0]).event).toBe(2);
    expect(stepper.at(10)).toEqual({ time: 10, event: 2 });
  });
});

describe("held messages", () => {
  it("give each request held at once on one link a slot of its own, free again when it is let go", () => {
    const link = (start: number, end: number, fromRow = 0, toRow = 1) => ({ fromRow, toRow, start, end });
    const slots = holdSlots([link(0, 50), link(10, 20), link(10, 20, 1, 0), link(20, 30), link(25, 60), link(26, 60), link(27, 60), link(28, 60)]);
    // The other link starts at slot 0; at 20 the second slot is free again; past four the last slot is shared.
    expect([...slots]).toEqual([0, 1, 0, 1, 2, 3, HOLD_SLOTS - 1, HOLD_SLOTS - 1]);
  });

  it("keep a request held until its delivery, or to the end of the run when the script never lets go", () => {
    const data = structuredClone(smallTrace().data);
    // Message 0 as before; message 1: held at 30 and delivered at 80; message 2: held at 40, never released.
    const ints = (...values: number[]): Int32Array => Int32Array.from(values);
    const times = (...values: number[]): Float64Array => Float64Array.from(values);
    data.messages = {
      rpc: ints(1, 2, 3), method: ints(0, 0, 0), fromRow: ints(0, 0, 0), toRow: ints(1, 1, 1), sendTime: times(10, 30, 40),
      deliverTime: times(15, 80, -1), respondTime: times(15, 80, -1), replyTime: times(20, 84, -1), failTime: times(-1, -1, -1), dropTime: times(-1, -1, -1),
      fate: ints(0, 0, 3), reason: ints(-1, -1, -1), flags: ints(0, 0, 0), args: [null, null, null], reply: [null, null, null], op: ints(-1, -1, -1),
    };
    data.holds = { message: [1, 2], time: [30, 40] };
    const trace = new Trace(data);
    expect([...trace.heldAt]).toEqual([-1, 30, 40]);
    expect([...trace.heldUntil]).toEqual([-1, 80, trace.end]);
    expect([...trace.holdSlot]).toEqual([0, 0, 1]);
    expect(trace.messageEnds[2]).toBe(trace.end);
    expect(messagesInFlight(trace, 90)).toEqual([2]);
    expect(messagesInFlight(trace, 50)).toEqual([1, 2]);
  });
});

describe("deep links", () => {
  it("round-trip the cursor, selection, window and filters, and ignore what is malformed", () => {
    const place = { cursor: 12.5, selection: { kind: "op" as const, id: 3 }, from: 10, to: 20, hidden: [1, 4], kinds: ["log", "ops"], key: "a b", topics: ["vote"], methods: ["Raft.requestVote"] };
    expect(parsePlace(formatPlace(place))).toEqual(place);
    expect(parsePlace("#t=abc&sel=nope:3&from=5&to=1&hide=x,2&%zz=1")).toEqual({ hidden: [2] });
    expect(formatPlace({})).toBe("");
  });
});

describe("payloads", () => {
  it("keeps short payloads whole and cuts long strings, arrays and byte arrays, saying how much", () => {
    const vote = { term: 3, voteGranted: true };
    expect(shortPayload(vote)).toBe(vote);
    const text = JSON.stringify(shortPayload({ entries: Array.from({ length: 50 }, (_, i) => ({ term: 1, command: "x".repeat(3 * i) })), data: new Uint8Array(2000) }));
    expect(text).toContain("more…");
    expect(text).toContain("<2000 bytes>");
    expect(text).toContain("(147 chars)");
    expect(text.length).toBeLessThan(1000);
  });
});
