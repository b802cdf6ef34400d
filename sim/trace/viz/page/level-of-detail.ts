// What the timeline draws when too much falls on too few pixels (docs/visual-debugger.md,
// "Staying responsive"): a lane with more than one event per pixel gets one mark per pixel column
// whose height says how many events it holds; more messages in view than ARROW_BUDGET become one
// stroke per node pair and bucket of pixels, as thick as the messages it stands for; a label is
// drawn only where it fits. Pure: counts and decisions, no drawing.

/** Above this many messages in view, arrows are aggregated (measured: a message costs about 30 µs
 * to draw here, its two legs spanning many rows, so a thousand keep a frame near 30 ms). */
export const ARROW_BUDGET = 1000;
/** Width, in pixels, of one bucket of aggregated arrows. */
export const ARROW_BUCKET_PX = 6;

/** Whether `count` events spread over `width` pixels are drawn one by one. */
export function drawsEach(count: number, width: number): boolean {
  return count <= width;
}

/**
 * Events per pixel column: `times` are the events' times (ascending), `x` maps a time to a pixel.
 * Events outside [0, width) are not counted.
 */
export function countPerColumn(times: ArrayLike<number>, x: (time: number) => number, width: number): Uint32Array {
  const columns = new Uint32Array(Math.max(0, Math.ceil(width)));
  for (let i = 0; i < times.length; i++) {
    const column = Math.floor(x(times[i]!));
    if (column >= 0 && column < columns.length) columns[column]!++;
  }
  return columns;
}

/** The height of a column's mark for `count` events, at most `full` pixels: logarithmic, so one event still shows. */
export function markHeight(count: number, full: number): number {
  return count === 0 ? 0 : Math.min(full, 2 + Math.log2(count) * (full / 8));
}

export interface ArrowBundle {
  fromRow: number;
  toRow: number;
  /** The bucket's left pixel. */
  x: number;
  count: number;
}

/** Aggregates arrows (fromRow, toRow, x of the send) into bundles per node pair and bucket of pixels. */
export function bundleArrows(fromRows: ArrayLike<number>, toRows: ArrayLike<number>, xs: ArrayLike<number>): ArrowBundle[] {
  const bundles = new Map<number, ArrowBundle>();
  for (let i = 0; i < xs.length; i++) {
    const bucket = Math.floor(xs[i]! / ARROW_BUCKET_PX);
    // Rows and buckets are small whole numbers: one number keys a bundle (no string per arrow).
    const key = (fromRows[i]! + 1) * 1e9 + (toRows[i]! + 1) * 1e5 + bucket;
    const bundle = bundles.get(key);
    if (bundle === undefined) bundles.set(key, { fromRow: fromRows[i]!, toRow: toRows[i]!, x: bucket * ARROW_BUCKET_PX, count: 1 });
    else bundle.count++;
  }
  return [...bundles.values()];
}

/** Measures text once per string (canvas measureText is the slow part of drawing labels). */
export class TextWidths {
  private readonly widths = new Map<string, number>();

  constructor(private readonly measure: (text: string) => number) {}

  of(text: string): number {
    let width = this.widths.get(text);
    if (width === undefined) this.widths.set(text, (width = this.measure(text)));
    return width;
  }

  /** Whether `text` fits in `room` pixels. */
  fits(text: string, room: number): boolean {
    return room > 8 && this.of(text) <= room;
  }
}
