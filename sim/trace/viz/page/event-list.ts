// The linked event list: every event the filters let through, in time order, one fixed-height
// row each. Only the rows in view exist in the DOM (about fifty, however long the run), so it
// scrolls through a hundred thousand events as easily as through ten. Clicking a row moves the
// cursor there; moving the cursor scrolls the list to it.
import { eventText, rowName } from "./describe.ts";
import { formatTime } from "./time-text.ts";
import type { Trace } from "./trace.ts";

const ROW_HEIGHT = 18;

export class EventList {
  private shown: Int32Array = new Int32Array(0);
  private readonly spacer: HTMLElement;
  private readonly rowsHost: HTMLElement;
  private current = -1;

  constructor(
    private readonly host: HTMLElement,
    private readonly trace: Trace,
    private readonly onPick: (event: number) => void,
  ) {
    this.spacer = document.createElement("div");
    this.spacer.className = "event-list-spacer";
    this.rowsHost = document.createElement("div");
    this.rowsHost.className = "event-list-rows";
    host.append(this.spacer);
    this.spacer.append(this.rowsHost);
    host.addEventListener("scroll", () => this.render());
    this.rowsHost.addEventListener("click", (event) => {
      const row = (event.target as HTMLElement).closest<HTMLElement>("[data-event]");
      if (row !== null) this.onPick(Number(row.dataset.event));
    });
  }

  /** Shows these events (indices, time order). */
  setEvents(events: Int32Array): void {
    this.shown = events;
    this.spacer.style.height = `${events.length * ROW_HEIGHT}px`;
    this.render();
  }

  /** How many events the list holds. */
  get length(): number {
    return this.shown.length;
  }

  /** Marks `event` as the cursor's and scrolls it into view. */
  setCurrent(event: number): void {
    this.current = event;
    const index = this.indexOf(event);
    if (index >= 0) {
      const top = index * ROW_HEIGHT;
      if (top < this.host.scrollTop || top + ROW_HEIGHT > this.host.scrollTop + this.host.clientHeight) {
        this.host.scrollTop = Math.max(0, top - this.host.clientHeight / 2);
      }
    }
    this.render();
  }

  /** Where `event` is in the list: events are numbered in time order, so the list is sorted. */
  private indexOf(event: number): number {
    let lo = 0;
    let hi = this.shown.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.shown[mid]! < event) lo = mid + 1;
      else hi = mid;
    }
    return this.shown[lo] === event ? lo : -1;
  }

  private render(): void {
    const first = Math.max(0, Math.floor(this.host.scrollTop / ROW_HEIGHT) - 5);
    const count = Math.ceil(this.host.clientHeight / ROW_HEIGHT) + 10;
    const unit = this.trace.data.header.timeUnit;
    const html: string[] = [];
    for (let i = first; i < Math.min(this.shown.length, first + count); i++) {
      const e = this.shown[i]!;
      const cls = e === this.current ? "event-row current" : "event-row";
      html.push(
        `<div class="${cls}" data-event="${e}" style="top:${i * ROW_HEIGHT}px"><span class="t">${formatTime(this.trace.eventTime[e]!, unit)}</span>` +
          `<span class="n">${escapeHtml(rowName(this.trace, this.trace.eventRow[e]!))}</span><span class="x">${escapeHtml(eventText(this.trace, e))}</span></div>`,
      );
    }
    this.rowsHost.innerHTML = html.join("");
  }
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
}
