// The timeline: two stacked canvases over the rows. The base canvas holds what changes only with
// the window or the filters — the ruler, partition tints, lanes, crash hatching, role bands,
// event ticks, operation bars, message arrows and the verdict overlay — and is redrawn only then.
// The overlay canvas holds the cursor, the selection and the followed path, so stepping the cursor
// never repaints an arrow. Everything drawn is cut to the window first (binary searches) and
// aggregated where it would crowd (level-of-detail.ts). Each frame leaves its counts in `stats`,
// which the browser tests and the benchmark read.
import { EventKind, Fate, MessageFlag, Role } from "../page-data.ts";
import { colors, nameColor, partitionTint, termColor } from "./colors.ts";
import type { Filter } from "./filters.ts";
import type { DrawnSegment } from "./hit-test.ts";
import { layOut, middleOf, type Layout, type RowBox } from "./layout.ts";
import { ARROW_BUDGET, bundleArrows, countPerColumn, drawsEach, markHeight, TextWidths } from "./level-of-detail.ts";
import type { Cursor } from "./stepping.ts";
import type { TimeAxis } from "./time-axis.ts";
import { formatTime } from "./time-text.ts";
import { Trace } from "./trace.ts";
import { overlayOf, type Overlay } from "./verdict-overlay.ts";

/** Height of the ruler above the rows. */
export const RULER_HEIGHT = 20;

/** What the views share: the cursor, the selection, and what is highlighted because of it. */
export interface ViewState {
  cursor: Cursor;
  selectedOp: number;
  selectedMessage: number;
  selectedEvent: number;
  /** Events of the followed operation's path, and its messages. */
  pathEvents: ReadonlySet<number>;
  pathMessages: ReadonlySet<number>;
  /** The key whose verdict is overlaid, or undefined. */
  overlayKey: string | undefined;
}

export interface FrameStats {
  /** Rows drawn, by name. */
  lanes: string[];
  roleSpans: number;
  crashes: number;
  partitionTints: number;
  /** Log events drawn one by one, and pixel columns drawn as aggregates. */
  ticks: number;
  tickColumns: number;
  arrows: number;
  arrowBundles: number;
  /** Messages whose drop was drawn as a cross. */
  drops: number[];
  /** Messages drawn waiting on a hold bar (a script held them). */
  holds: number[];
  opBars: number;
  overlay: { key: string; points: number; illegalNext: number } | null;
  /** How long the last base and overlay draws took (ms). */
  baseMs: number;
  overlayMs: number;
}

export class TimelineView {
  readonly base: HTMLCanvasElement;
  readonly top: HTMLCanvasElement;
  layout: Layout;
  /** The arrows the last frame drew, for hit-testing (in the rows' coordinates: y from the top of the first row, below the ruler). */
  segments: DrawnSegment[] = [];
  stats: FrameStats = emptyStats();
  private baseDirty = true;
  private overlayDirty = true;
  private frame = 0;
  private readonly widths: TextWidths;
  private overlay: Overlay | undefined;
  private width = 0;
  private height = 0;

  constructor(
    host: HTMLElement,
    private readonly trace: Trace,
    private readonly axis: TimeAxis,
    private readonly filter: Filter,
    private readonly state: ViewState,
  ) {
    this.base = document.createElement("canvas");
    this.top = document.createElement("canvas");
    this.base.className = "timeline-base";
    this.top.className = "timeline-top";
    host.append(this.base, this.top);
    const ctx = this.base.getContext("2d")!;
    ctx.font = "11px system-ui, sans-serif";
    this.widths = new TextWidths((text) => ctx.measureText(text).width);
    this.layout = layOut(trace.data.rows, trace.data.groups, filter.hidden);
  }

  /** Fits the canvases to `width` CSS pixels and the rows' height; redraws. */
  resize(width: number): void {
    this.layout = layOut(this.trace.data.rows, this.trace.data.groups, this.filter.hidden);
    this.width = Math.max(100, Math.floor(width));
    this.height = RULER_HEIGHT + this.layout.height + 4;
    this.axis.width = this.width;
    const dpr = window.devicePixelRatio || 1;
    for (const canvas of [this.base, this.top]) {
      canvas.width = Math.round(this.width * dpr);
      canvas.height = Math.round(this.height * dpr);
      canvas.style.width = `${this.width}px`;
      canvas.style.height = `${this.height}px`;
    }
    this.redraw();
  }

  /** The window or the filters changed: redraw both layers at the next frame. */
  redraw(): void {
    this.baseDirty = true;
    this.overlayDirty = true;
    this.schedule();
  }

  /** The cursor or the selection changed: redraw the overlay layer only. */
  redrawOverlay(): void {
    this.overlayDirty = true;
    this.schedule();
  }

  /** Draws now whatever is due (the tests and the benchmark call it to time one frame). */
  drawNow(): void {
    if (this.frame !== 0) cancelAnimationFrame(this.frame);
    this.frame = 0;
    if (this.baseDirty) this.drawBase();
    if (this.overlayDirty) this.drawTop();
  }

  /** The y of a row's middle on the canvas, or undefined when hidden. */
  rowMiddle(row: number): number | undefined {
    const box = this.layout.boxOf[row];
    return box === undefined ? undefined : RULER_HEIGHT + middleOf(box);
  }

  /** The verdict overlay drawn, if any. */
  get drawnOverlay(): Overlay | undefined {
    return this.overlay;
  }

  private schedule(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.drawNow();
    });
  }

  private context(canvas: HTMLCanvasElement): CanvasRenderingContext2D {
    const ctx = canvas.getContext("2d")!;
    const dpr = window.devicePixelRatio || 1;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, this.width, this.height);
    ctx.font = "11px system-ui, sans-serif";
    ctx.textBaseline = "middle";
    return ctx;
  }

  // --- the base layer --------------------------------------------------------------------------

  private drawBase(): void {
    const started = performance.now();
    this.baseDirty = false;
    const ctx = this.context(this.base);
    const stats = emptyStats();
    this.stats = stats;
    this.segments = [];
    this.drawRuler(ctx);
    ctx.save();
    ctx.translate(0, RULER_HEIGHT);
    // Group headings: a rule above each group (the labels beside the canvas name it).
    ctx.strokeStyle = colors.lane;
    for (const heading of this.layout.headings) {
      ctx.beginPath();
      ctx.moveTo(0, heading.top + 8.5);
      ctx.lineTo(this.width, heading.top + 8.5);
      ctx.stroke();
    }
    for (const box of this.layout.boxes) {
      const info = this.trace.data.rows[box.row]!;
      stats.lanes.push(info.name);
      if (info.kind === "node") this.drawNodeLane(ctx, box, stats);
      else this.drawClientRow(ctx, box, stats);
    }
    this.drawArrows(ctx, stats);
    this.drawVerdictOverlay(ctx, stats);
    ctx.restore();
    stats.baseMs = performance.now() - started;
  }

  private drawRuler(ctx: CanvasRenderingContext2D): void {
    const { from, to } = this.axis.window;
    const step = niceStep((to - from) / Math.max(1, this.width / 110));
    ctx.strokeStyle = colors.lane;
    ctx.fillStyle = colors.mutedText;
    ctx.beginPath();
    for (let t = Math.ceil(from / step) * step; t <= to; t += step) {
      const x = Math.round(this.axis.x(t)) + 0.5;
      ctx.moveTo(x, RULER_HEIGHT - 6);
      ctx.lineTo(x, RULER_HEIGHT);
      ctx.fillText(formatTime(t, this.trace.data.header.timeUnit, step), x + 3, 8);
    }
    ctx.moveTo(0, RULER_HEIGHT - 0.5);
    ctx.lineTo(this.width, RULER_HEIGHT - 0.5);
    ctx.stroke();
  }

  private drawNodeLane(ctx: CanvasRenderingContext2D, box: RowBox, stats: FrameStats): void {
    const { data } = this.trace;
    const { from, to } = this.axis.window;
    const mid = middleOf(box);
    const x = (t: number): number => this.axis.x(t);
    // Partition tint: the spans during which this row was on a side other than 0.
    const p = data.partitions;
    for (let k = Math.max(0, Trace.lowerBound(p.time, from) - 1); k < p.time.length && p.time[k]! <= to; k++) {
      const side = p.sides[k]![box.row] ?? -1;
      if (side <= 0) continue;
      const end = k + 1 < p.time.length ? p.time[k + 1]! : this.trace.end;
      ctx.fillStyle = partitionTint(side);
      ctx.fillRect(x(p.time[k]!), box.top, x(end) - x(p.time[k]!), box.height);
      stats.partitionTints++;
    }
    ctx.strokeStyle = colors.lane;
    ctx.beginPath();
    ctx.moveTo(0, mid + 0.5);
    ctx.lineTo(this.width, mid + 0.5);
    ctx.stroke();
    // Crashes: hatched from crash to restart.
    const c = data.crashes;
    for (let k = 0; k < c.row.length; k++) {
      if (c.row[k] !== box.row || c.end[k]! < from || c.start[k]! > to) continue;
      this.hatch(ctx, x(c.start[k]!), box.top + 2, x(c.end[k]!) - x(c.start[k]!), box.height - 4);
      stats.crashes++;
    }
    // Role bands: thin for a follower, striped for a candidate, solid for a leader, in the term's colour.
    const r = data.roles;
    for (const span of this.trace.rolesOfRow[box.row]!) {
      if (r.end[span]! < from || r.start[span]! > to) continue;
      const x1 = x(r.start[span]!);
      const x2 = Math.max(x1 + 1, x(r.end[span]!));
      const color = termColor(r.term[span]!);
      ctx.fillStyle = color;
      if (r.role[span] === Role.leader) ctx.fillRect(x1, mid - 5, x2 - x1, 10);
      else if (r.role[span] === Role.candidate) this.stripes(ctx, x1, mid - 4, x2 - x1, 8, color);
      else {
        ctx.globalAlpha = 0.55;
        ctx.fillRect(x1, mid - 1.5, x2 - x1, 3);
        ctx.globalAlpha = 1;
      }
      const label = `T${r.term[span]}`;
      if (this.widths.fits(label, x2 - x1 - 4)) {
        ctx.fillStyle = r.role[span] === Role.leader ? "#fff" : colors.text;
        ctx.fillText(label, Math.max(x1, 0) + 2, r.role[span] === Role.leader ? mid : mid - 9);
      }
      stats.roleSpans++;
    }
    this.drawTicks(ctx, box, stats);
  }

  /** Log lines as ticks above the lane, or per-column marks when there are too many. */
  private drawTicks(ctx: CanvasRenderingContext2D, box: RowBox, stats: FrameStats): void {
    const trace = this.trace;
    const events = trace.eventsOfRow[box.row]!;
    const { from, to } = this.axis.window;
    const lo = trace.lowerBoundEvents(events, from);
    const hi = trace.lowerBoundEvents(events, to + 1e-9);
    const shown: number[] = [];
    for (let i = lo; i < hi; i++) {
      const e = events[i]!;
      if (trace.eventKind[e] === EventKind.log && this.filter.showsEvent(e)) shown.push(e);
    }
    const topY = box.top + 3;
    if (drawsEach(shown.length, this.width / 3)) {
      for (const e of shown) {
        ctx.fillStyle = nameColor(trace.text(trace.data.events.topic[e]!));
        ctx.fillRect(Math.round(this.axis.x(trace.eventTime[e]!)), topY, 1.5, 6);
      }
      stats.ticks += shown.length;
      return;
    }
    const columns = countPerColumn(shown.map((e) => trace.eventTime[e]!), (t) => this.axis.x(t), this.width);
    ctx.fillStyle = colors.density;
    for (let column = 0; column < columns.length; column++) {
      const count = columns[column]!;
      if (count === 0) continue;
      const h = markHeight(count, 9);
      ctx.fillRect(column, topY + 9 - h, 1, h);
      stats.tickColumns++;
    }
  }

  private drawClientRow(ctx: CanvasRenderingContext2D, box: RowBox, stats: FrameStats): void {
    const { data } = this.trace;
    const o = data.ops;
    const { from, to } = this.axis.window;
    const ops = this.trace.opsOfRow[box.row]!;
    const mid = middleOf(box);
    ctx.strokeStyle = colors.lane;
    ctx.beginPath();
    ctx.moveTo(0, mid + 0.5);
    ctx.lineTo(this.width, mid + 0.5);
    ctx.stroke();
    // A client has one operation at a time: start at the last one called before the window.
    let lo = 0;
    let hi = ops.length;
    while (lo < hi) {
      const m = (lo + hi) >>> 1;
      if (o.call[ops[m]!]! < from) lo = m + 1;
      else hi = m;
    }
    const overlayKey = this.state.overlayKey === undefined ? -1 : this.trace.strings.indexOf(this.state.overlayKey);
    let lastRight = -Infinity;
    for (let k = Math.max(0, lo - 1); k < ops.length && o.call[ops[k]!]! <= to; k++) {
      const op = ops[k]!;
      if (!this.filter.showsOp(op)) continue;
      const ret = o.ret[op]! < 0 ? this.trace.end : o.ret[op]!;
      if (ret < from) continue;
      const x1 = this.axis.x(o.call[op]!);
      const x2 = Math.max(x1 + 1, this.axis.x(ret));
      // Bars narrower than a pixel merge into the one before.
      if (x2 < lastRight + 1) continue;
      const left = Math.max(x1, lastRight);
      lastRight = x2;
      const greyed = overlayKey >= 0 && o.key[op] !== overlayKey;
      ctx.fillStyle = greyed ? colors.opGreyed : o.ret[op]! < 0 ? colors.opUnknown : colors.opOk;
      ctx.fillRect(left, box.top + 3, x2 - left, box.height - 6);
      stats.opBars++;
      if (x2 - left < 40) continue; // no label fits
      const label = `${this.trace.text(o.input[op]!)}${o.ret[op]! >= 0 && this.trace.text(o.output[op]!) !== "ok" ? ` → ${this.trace.text(o.output[op]!)}` : ""}`;
      if (this.widths.fits(label, x2 - left - 6)) {
        ctx.fillStyle = colors.text;
        ctx.fillText(label, left + 3, mid);
      }
    }
  }

  /** Requests and replies as arrows between rows (or bundles of them past ARROW_BUDGET). */
  private drawArrows(ctx: CanvasRenderingContext2D, stats: FrameStats): void {
    const trace = this.trace;
    const m = trace.data.messages;
    const { from, to } = this.axis.window;
    const first = Trace.lowerBound(trace.messageSendTimes, from - trace.longestFlight);
    const last = Trace.lowerBound(trace.messageSendTimes, to + 1e-9);
    const visible: number[] = [];
    for (let k = first; k < last; k++) {
      const message = trace.messagesBySend[k]!;
      if (trace.messageEnds[message]! < from || !this.filter.showsMessage(message)) continue;
      if (this.rowMiddle(m.fromRow[message]!) === undefined) continue;
      visible.push(message);
    }
    const y = (row: number): number | undefined => this.rowMiddle(row)! - RULER_HEIGHT;
    if (visible.length > ARROW_BUDGET) {
      const withTarget = visible.filter((message) => m.toRow[message]! >= 0 && this.layout.boxOf[m.toRow[message]!] !== undefined);
      const bundles = bundleArrows(
        withTarget.map((message) => m.fromRow[message]!),
        withTarget.map((message) => m.toRow[message]!),
        withTarget.map((message) => this.axis.x(m.sendTime[message]!)),
      );
      // One path per width (1, 2, 3 or 4 px: how many messages a bundle stands for, logarithmically).
      const byWidth = [new Path2D(), new Path2D(), new Path2D(), new Path2D()];
      for (const bundle of bundles) {
        const path = byWidth[Math.min(3, Math.floor(Math.log2(bundle.count) / 2))]!;
        path.moveTo(bundle.x, y(bundle.fromRow)!);
        path.lineTo(bundle.x + 3, y(bundle.toRow)!);
      }
      ctx.strokeStyle = "rgba(60, 60, 90, 0.3)";
      byWidth.forEach((path, k) => {
        ctx.lineWidth = k + 1;
        ctx.stroke(path);
      });
      ctx.lineWidth = 1;
      stats.arrowBundles = bundles.length;
      return;
    }
    // Drawn in batches: one path per style, stroked once (a stroke per arrow costs ten times more).
    const batch = new ArrowBatch();
    for (const message of visible) this.drawMessage(batch, message, stats);
    batch.draw(ctx);
  }

  private drawMessage(batch: ArrowBatch, message: number, stats: FrameStats): void {
    const m = this.trace.data.messages;
    const x = (t: number): number => this.axis.x(t);
    const fromY = this.rowMiddle(m.fromRow[message]!)! - RULER_HEIGHT;
    const toBox = m.toRow[message]! >= 0 ? this.layout.boxOf[m.toRow[message]!] : undefined;
    const toY = toBox === undefined ? undefined : middleOf(toBox);
    const flags = m.flags[message]!;
    const color = flags & MessageFlag.toCrashed ? colors.toCrashed : nameColor(this.trace.text(m.method[message]!));
    const fate = m.fate[message]!;
    const segment = (leg: 0 | 1, x1: number, y1: number, x2: number, y2: number, slow: boolean): void => {
      batch.line(slow ? colors.slow : color, leg === 1, slow, x1, y1, x2, y2);
      this.segments.push({ message, leg, x1, y1, x2, y2 });
    };
    const sendX = x(m.sendTime[message]!);
    const heldAt = this.trace.heldAt[message]!;
    if (heldAt >= 0) {
      // Held by a script: it waits on a bar beside the sender's lane, leaning toward the receiver,
      // until the script delivers it (an arrow from the bar) or drops it (a cross at the bar's end).
      const lean = toY === undefined || toY > fromY ? 1 : -1;
      const barY = fromY + lean * (5 + 4 * this.trace.holdSlot[message]!);
      const holdX = x(heldAt);
      const releaseX = Math.max(holdX + 2, x(this.trace.heldUntil[message]!));
      batch.held(holdX, releaseX, barY);
      this.segments.push({ message, leg: 0, x1: holdX, y1: barY, x2: releaseX, y2: barY });
      segment(0, sendX, fromY, holdX, barY, false);
      stats.holds.push(message);
      if (m.deliverTime[message]! >= 0 && toY !== undefined) {
        const deliverX = x(m.deliverTime[message]!);
        segment(0, releaseX, barY, deliverX, toY, false);
        batch.head(color, releaseX, barY, deliverX, toY);
        if (flags & MessageFlag.reordered) batch.ring(deliverX, toY);
      } else if (fate === Fate.requestDropped) {
        batch.cross(releaseX, barY);
        stats.drops.push(message);
      }
    } else if (m.deliverTime[message]! >= 0 && toY !== undefined) {
      const deliverX = x(m.deliverTime[message]!);
      segment(0, sendX, fromY, deliverX, toY, (flags & MessageFlag.slow) !== 0);
      batch.head(color, sendX, fromY, deliverX, toY);
      if (flags & MessageFlag.reordered) batch.ring(deliverX, toY);
    } else if (fate === Fate.requestDropped) {
      // The request stops where it was lost: part of the way to its target.
      const dropX = Math.max(sendX + 6, x(m.dropTime[message]! >= 0 ? m.dropTime[message]! : m.failTime[message]!));
      const endY = toY === undefined ? fromY + 8 : fromY + (toY - fromY) * 0.45;
      segment(0, sendX, fromY, dropX, endY, false);
      batch.cross(dropX, endY);
      stats.drops.push(message);
    }
    stats.arrows++;
    if (toY === undefined || m.respondTime[message]! < 0) return;
    const respondX = x(m.respondTime[message]!);
    if (m.replyTime[message]! >= 0) {
      const replyX = x(m.replyTime[message]!);
      segment(1, respondX, toY, replyX, fromY, (flags & MessageFlag.slowReply) !== 0);
      batch.head(color, respondX, toY, replyX, fromY);
    } else if (fate === Fate.replyDropped) {
      const dropX = Math.max(respondX + 6, x(m.dropTime[message]! >= 0 ? m.dropTime[message]! : m.failTime[message]!));
      const endY = toY + (fromY - toY) * 0.45;
      segment(1, respondX, toY, dropX, endY, false);
      batch.cross(dropX, endY);
      stats.drops.push(message);
    }
  }

  private drawVerdictOverlay(ctx: CanvasRenderingContext2D, stats: FrameStats): void {
    const key = this.state.overlayKey;
    const verdict = key === undefined ? undefined : this.trace.data.verdicts.find((v) => v.key === key);
    this.overlay = verdict === undefined || verdict.verdict === "ok" ? undefined : overlayOf(this.trace, verdict);
    if (this.overlay === undefined) return;
    const yOf = (row: number): number | undefined => {
      const box = this.layout.boxOf[row];
      return box === undefined ? undefined : middleOf(box);
    };
    ctx.strokeStyle = colors.linearization;
    ctx.fillStyle = colors.linearization;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    let started = false;
    for (const point of this.overlay.points) {
      const py = yOf(point.row);
      if (py === undefined) continue;
      const px = this.axis.x(point.time);
      if (started) ctx.lineTo(px, py);
      else ctx.moveTo(px, py);
      started = true;
    }
    ctx.stroke();
    for (const point of this.overlay.points) {
      const py = yOf(point.row);
      if (py === undefined) continue;
      ctx.beginPath();
      ctx.arc(this.axis.x(point.time), py, 3, 0, 2 * Math.PI);
      ctx.fill();
    }
    ctx.lineWidth = 2;
    for (const next of this.overlay.illegalNext) {
      const py = yOf(next.row);
      if (py === undefined) continue;
      const px = this.axis.x(next.time);
      ctx.strokeStyle = colors.illegalNext;
      ctx.strokeRect(px - 4, py - 7, 8, 14);
      this.cross(ctx, px, py);
    }
    ctx.lineWidth = 1;
    stats.overlay = { key: this.overlay.key, points: this.overlay.points.length, illegalNext: this.overlay.illegalNext.length };
  }

  // --- the overlay layer -----------------------------------------------------------------------

  private drawTop(): void {
    const started = performance.now();
    this.overlayDirty = false;
    const ctx = this.context(this.top);
    const { data } = this.trace;
    const { pathEvents, pathMessages, selectedMessage, selectedOp, selectedEvent } = this.state;
    // The followed path: a ring on each of its events, its messages drawn bold.
    ctx.strokeStyle = colors.path;
    ctx.lineWidth = 2;
    for (const event of pathEvents) {
      const y = this.rowMiddle(this.trace.eventRow[event]!);
      if (y === undefined) continue;
      ctx.beginPath();
      ctx.arc(this.axis.x(this.trace.eventTime[event]!), y, 5, 0, 2 * Math.PI);
      ctx.stroke();
    }
    for (const segment of this.segments) {
      const selected = segment.message === selectedMessage;
      if (!selected && !pathMessages.has(segment.message)) continue;
      ctx.strokeStyle = selected ? colors.selection : colors.path;
      ctx.lineWidth = selected ? 3 : 2;
      ctx.beginPath();
      ctx.moveTo(segment.x1, segment.y1 + RULER_HEIGHT);
      ctx.lineTo(segment.x2, segment.y2 + RULER_HEIGHT);
      ctx.stroke();
    }
    if (selectedOp >= 0) {
      const y = this.rowMiddle(data.ops.row[selectedOp]!);
      if (y !== undefined) {
        const x1 = this.axis.x(data.ops.call[selectedOp]!);
        const ret = data.ops.ret[selectedOp]! < 0 ? this.trace.end : data.ops.ret[selectedOp]!;
        ctx.strokeStyle = colors.selection;
        ctx.strokeRect(x1 - 1, y - 8, Math.max(2, this.axis.x(ret) - x1 + 2), 16);
      }
    }
    if (selectedEvent >= 0) {
      const y = this.rowMiddle(this.trace.eventRow[selectedEvent]!);
      if (y !== undefined) {
        ctx.strokeStyle = colors.selection;
        ctx.strokeRect(this.axis.x(this.trace.eventTime[selectedEvent]!) - 4, y - 10, 8, 20);
      }
    }
    // The cursor.
    const cx = Math.round(this.axis.x(this.state.cursor.time)) + 0.5;
    ctx.strokeStyle = colors.cursor;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(cx, 0);
    ctx.lineTo(cx, this.height);
    ctx.stroke();
    this.stats.overlayMs = performance.now() - started;
  }

  // --- marks -----------------------------------------------------------------------------------

  private cross(ctx: CanvasRenderingContext2D, x: number, y: number): void {
    ctx.save();
    ctx.setLineDash([]);
    ctx.strokeStyle = colors.drop;
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(x - 4, y - 4);
    ctx.lineTo(x + 4, y + 4);
    ctx.moveTo(x + 4, y - 4);
    ctx.lineTo(x - 4, y + 4);
    ctx.stroke();
    ctx.restore();
  }

  private hatch(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number): void {
    const left = Math.max(x, -h);
    const right = Math.min(x + w, this.width + h);
    if (right <= left) return;
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, y, right - left, h);
    ctx.clip();
    ctx.fillStyle = "rgba(0, 0, 0, 0.05)";
    ctx.fillRect(left, y, right - left, h);
    ctx.strokeStyle = colors.crashHatch;
    ctx.beginPath();
    for (let sx = left - h - ((left - h) % 8); sx < right; sx += 8) {
      ctx.moveTo(sx, y + h);
      ctx.lineTo(sx + h, y);
    }
    ctx.stroke();
    ctx.restore();
  }

  private stripes(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, color: string): void {
    ctx.save();
    ctx.beginPath();
    ctx.rect(x, y, w, h);
    ctx.clip();
    ctx.globalAlpha = 0.25;
    ctx.fillStyle = color;
    ctx.fillRect(x, y, w, h);
    ctx.globalAlpha = 1;
    ctx.strokeStyle = color;
    ctx.lineWidth = 2;
    ctx.beginPath();
    const start = Math.max(x, -h);
    const end = Math.min(x + w, this.width);
    for (let sx = start - h - ((start - h) % 6); sx < end; sx += 6) {
      ctx.moveTo(sx, y + h);
      ctx.lineTo(sx + h, y);
    }
    ctx.stroke();
    ctx.restore();
  }
}

/** Arrows gathered by style, then drawn with one stroke or fill per style. */
class ArrowBatch {
  private readonly lines = new Map<string, { color: string; dashed: boolean; heavy: boolean; path: Path2D }>();
  private readonly heads = new Map<string, Path2D>();
  private readonly crosses = new Path2D();
  private readonly rings = new Path2D();
  private readonly holdBars = new Path2D();

  line(color: string, dashed: boolean, heavy: boolean, x1: number, y1: number, x2: number, y2: number): void {
    const key = `${color}${dashed ? "-" : ""}${heavy ? "+" : ""}`;
    let style = this.lines.get(key);
    if (style === undefined) this.lines.set(key, (style = { color, dashed, heavy, path: new Path2D() }));
    style.path.moveTo(x1, y1);
    style.path.lineTo(x2, y2);
  }

  /** An arrowhead at (x2, y2), pointing along the line from (x1, y1). */
  head(color: string, x1: number, y1: number, x2: number, y2: number): void {
    let path = this.heads.get(color);
    if (path === undefined) this.heads.set(color, (path = new Path2D()));
    const angle = Math.atan2(y2 - y1, x2 - x1);
    path.moveTo(x2, y2);
    path.lineTo(x2 - 6 * Math.cos(angle - 0.4), y2 - 6 * Math.sin(angle - 0.4));
    path.lineTo(x2 - 6 * Math.cos(angle + 0.4), y2 - 6 * Math.sin(angle + 0.4));
    path.closePath();
  }

  /** A drop: a red cross. */
  cross(x: number, y: number): void {
    this.crosses.moveTo(x - 4, y - 4);
    this.crosses.lineTo(x + 4, y + 4);
    this.crosses.moveTo(x + 4, y - 4);
    this.crosses.lineTo(x - 4, y + 4);
  }

  /** A request a script held: a bar from when it was held to when it was let go, with a stop mark at its start. */
  held(x1: number, x2: number, y: number): void {
    this.holdBars.moveTo(x1, y);
    this.holdBars.lineTo(x2, y);
    this.holdBars.moveTo(x1, y - 3);
    this.holdBars.lineTo(x1, y + 3);
  }

  /** A reordered delivery: a small ring at the arrow's head. */
  ring(x: number, y: number): void {
    this.rings.moveTo(x + 4, y);
    this.rings.arc(x, y, 4, 0, 2 * Math.PI);
  }

  draw(ctx: CanvasRenderingContext2D): void {
    for (const { color, dashed, heavy, path } of this.lines.values()) {
      ctx.strokeStyle = color;
      ctx.lineWidth = heavy ? 2.2 : 1;
      ctx.setLineDash(dashed ? [4, 3] : []);
      ctx.stroke(path);
    }
    ctx.setLineDash([]);
    ctx.strokeStyle = colors.held;
    ctx.lineWidth = 3;
    ctx.stroke(this.holdBars);
    for (const [color, path] of this.heads) {
      ctx.fillStyle = color;
      ctx.fill(path);
    }
    ctx.lineWidth = 1;
    ctx.strokeStyle = colors.slow;
    ctx.stroke(this.rings);
    ctx.lineWidth = 2;
    ctx.strokeStyle = colors.drop;
    ctx.stroke(this.crosses);
    ctx.lineWidth = 1;
  }
}

function emptyStats(): FrameStats {
  return { lanes: [], roleSpans: 0, crashes: 0, partitionTints: 0, ticks: 0, tickColumns: 0, arrows: 0, arrowBundles: 0, drops: [], holds: [], opBars: 0, overlay: null, baseMs: 0, overlayMs: 0 };
}

/** A round step (1, 2 or 5 times a power of ten) of at least `rough`. */
export function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(rough, 1e-6)));
  for (const m of [1, 2, 5, 10]) if (m * power >= rough) return m * power;
  return 10 * power;
}
