// The visible window of time and its mapping to canvas pixels: zooming about a point, panning,
// and keeping the window inside the run. Pure: the views hold one and redraw when it changes.

export interface Window {
  /** The first and last visible time (virtual ms, or positions for a history). */
  from: number;
  to: number;
}

/** The shortest window one may zoom to. */
export const MIN_SPAN = 0.5;

export class TimeAxis {
  constructor(
    /** The run's extent: the window never leaves it. */
    readonly start: number,
    readonly end: number,
    public window: Window = { from: start, to: end },
    /** The pixel width the window maps to. */
    public width = 1000,
  ) {
    this.window = this.clamp(window);
  }

  get span(): number {
    return this.window.to - this.window.from;
  }

  x(time: number): number {
    return ((time - this.window.from) / this.span) * this.width;
  }

  time(x: number): number {
    return this.window.from + (x / this.width) * this.span;
  }

  /** Time per pixel. */
  get msPerPixel(): number {
    return this.span / this.width;
  }

  /** Zooms by `factor` (< 1 zooms in) keeping the time under pixel `x` where it is. */
  zoomAt(x: number, factor: number): void {
    const pivot = this.time(x);
    const span = Math.max(MIN_SPAN, Math.min(this.end - this.start, this.span * factor));
    const from = pivot - (x / this.width) * span;
    this.window = this.clamp({ from, to: from + span });
  }

  /** Moves the window by `dx` pixels (positive: later times come into view). */
  panBy(dx: number): void {
    const shift = dx * this.msPerPixel;
    this.window = this.clamp({ from: this.window.from + shift, to: this.window.to + shift });
  }

  /** Shows exactly [from, to] (kept inside the run, at least MIN_SPAN long). */
  show(from: number, to: number): void {
    this.window = this.clamp({ from: Math.min(from, to), to: Math.max(from, to) });
  }

  /** Moves the window, keeping its span, so that `time` is visible (centred if it was not). */
  reveal(time: number): void {
    if (time >= this.window.from && time <= this.window.to) return;
    const half = this.span / 2;
    this.window = this.clamp({ from: time - half, to: time + half });
  }

  private clamp({ from, to }: Window): Window {
    const whole = this.end - this.start;
    let span = Math.max(Math.min(to - from, whole), Math.min(MIN_SPAN, whole));
    if (!(span > 0)) span = 1;
    let start = Math.max(this.start, Math.min(from, this.end - span));
    if (!Number.isFinite(start)) start = this.start;
    return { from: start, to: start + span };
  }
}
