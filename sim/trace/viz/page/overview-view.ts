// The overview strip: the whole run at once — each node lane's event density, grey bands where
// nodes were down or partitioned, red ticks at violations — with the timeline's window drawn on it.
// Dragging on it brushes a new window; a click centres the window there. Drawn once per resize;
// the window box is redrawn on its own canvas.
import { EventKind } from "../page-data.ts";
import { colors } from "./colors.ts";
import { countPerColumn, markHeight } from "./level-of-detail.ts";
import type { TimeAxis } from "./time-axis.ts";
import type { Trace } from "./trace.ts";

const HEIGHT = 46;

export class OverviewView {
  private readonly base: HTMLCanvasElement;
  private readonly box: HTMLCanvasElement;
  private width = 0;

  constructor(
    host: HTMLElement,
    private readonly trace: Trace,
    private readonly axis: TimeAxis,
    /** Called with a new window when the reader brushes or clicks. */
    private readonly onWindow: (from: number, to: number) => void,
  ) {
    this.base = document.createElement("canvas");
    this.box = document.createElement("canvas");
    this.base.className = "overview-base";
    this.box.className = "overview-box";
    host.append(this.base, this.box);
    let dragFrom: number | undefined;
    this.box.addEventListener("pointerdown", (event) => {
      dragFrom = event.offsetX;
      this.box.setPointerCapture(event.pointerId);
    });
    this.box.addEventListener("pointerup", (event) => {
      if (dragFrom === undefined) return;
      const start = dragFrom;
      dragFrom = undefined;
      const a = this.timeAt(start);
      if (Math.abs(event.offsetX - start) < 3) {
        const half = this.axis.span / 2;
        this.onWindow(a - half, a + half);
      } else {
        this.onWindow(a, this.timeAt(event.offsetX));
      }
    });
  }

  private timeAt(x: number): number {
    return this.trace.start + (x / this.width) * (this.trace.end - this.trace.start);
  }

  private xOf(time: number): number {
    return ((time - this.trace.start) / (this.trace.end - this.trace.start)) * this.width;
  }

  resize(width: number): void {
    this.width = Math.max(100, Math.floor(width));
    const dpr = window.devicePixelRatio || 1;
    for (const canvas of [this.base, this.box]) {
      canvas.width = Math.round(this.width * dpr);
      canvas.height = Math.round(HEIGHT * dpr);
      canvas.style.width = `${this.width}px`;
      canvas.style.height = `${HEIGHT}px`;
    }
    this.drawBase();
    this.drawWindow();
  }

  private drawBase(): void {
    const ctx = this.base.getContext("2d")!;
    const dpr = window.devicePixelRatio || 1;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, this.width, HEIGHT);
    const { data } = this.trace;
    const nodeRows = data.rows.flatMap((info, row) => (info.kind === "node" ? [row] : []));
    const laneHeight = (HEIGHT - 6) / Math.max(1, nodeRows.length);
    // Down or partitioned: grey bands.
    ctx.fillStyle = "rgba(0, 0, 0, 0.12)";
    nodeRows.forEach((row, k) => {
      for (let c = 0; c < data.crashes.row.length; c++) {
        if (data.crashes.row[c] !== row) continue;
        ctx.fillRect(this.xOf(data.crashes.start[c]!), k * laneHeight, this.xOf(data.crashes.end[c]!) - this.xOf(data.crashes.start[c]!), laneHeight);
      }
      for (let p = 0; p < data.partitions.time.length; p++) {
        if ((data.partitions.sides[p]![row] ?? 0) <= 0) continue;
        const end = p + 1 < data.partitions.time.length ? data.partitions.time[p + 1]! : this.trace.end;
        ctx.fillRect(this.xOf(data.partitions.time[p]!), k * laneHeight, this.xOf(end) - this.xOf(data.partitions.time[p]!), laneHeight);
      }
    });
    ctx.fillStyle = colors.density;
    nodeRows.forEach((row, k) => {
      const events = this.trace.eventsOfRow[row]!;
      const times = new Float64Array(events.length);
      for (let i = 0; i < events.length; i++) times[i] = this.trace.eventTime[events[i]!]!;
      const columns = countPerColumn(times, (t) => this.xOf(t), this.width);
      for (let x = 0; x < columns.length; x++) {
        const h = markHeight(columns[x]!, laneHeight - 1);
        if (h > 0) ctx.fillRect(x, (k + 1) * laneHeight - h, 1, h);
      }
    });
    // Violations: the calls of illegal-next operations.
    ctx.fillStyle = colors.illegalNext;
    for (const verdict of data.verdicts) {
      for (const { op } of verdict.illegalNext) ctx.fillRect(this.xOf(data.ops.call[op]!) - 1, HEIGHT - 6, 2, 6);
    }
    // Crashes: grey ticks at the bottom, so a glance finds them.
    ctx.fillStyle = colors.crashHatch;
    for (let i = 0; i < this.trace.eventCount; i++) {
      if (this.trace.eventKind[i] === EventKind.crash) ctx.fillRect(this.xOf(this.trace.eventTime[i]!), HEIGHT - 3, 1, 3);
    }
  }

  /** Draws the timeline's window as a box. */
  drawWindow(): void {
    const ctx = this.box.getContext("2d")!;
    const dpr = window.devicePixelRatio || 1;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, this.width, HEIGHT);
    const x1 = this.xOf(this.axis.window.from);
    const x2 = Math.max(x1 + 2, this.xOf(this.axis.window.to));
    ctx.fillStyle = "rgba(49, 130, 189, 0.12)";
    ctx.fillRect(x1, 0, x2 - x1, HEIGHT);
    ctx.strokeStyle = "#3182bd";
    ctx.strokeRect(x1 + 0.5, 0.5, x2 - x1 - 1, HEIGHT - 1);
  }
}
