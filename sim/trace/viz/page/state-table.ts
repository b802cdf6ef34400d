// The state table at the cursor: one line per node (state-at.ts), the fields the last step
// changed highlighted, and the messages in flight.
import { escapeHtml } from "./event-list.ts";
import { messageName, rowName } from "./describe.ts";
import { changedFields, messagesInFlight, stateAt, type NodeState } from "./state-at.ts";
import type { Trace } from "./trace.ts";

/** How many messages in flight the table lists by name. */
const LISTED_IN_FLIGHT = 12;

export class StateTable {
  private previous = new Map<number, NodeState>();

  constructor(
    private readonly host: HTMLElement,
    private readonly trace: Trace,
  ) {}

  show(time: number): void {
    const states = stateAt(this.trace, time);
    const cell = (state: NodeState, field: keyof NodeState, text: string): string =>
      `<td class="${changedFields(this.previous.get(state.row), state).has(field) ? "changed" : ""}">${escapeHtml(text)}</td>`;
    const rows = states.map(
      (s) =>
        `<tr data-row="${s.row}"><th>${escapeHtml(s.name)}</th>${cell(s, "role", s.role || "—")}${cell(s, "term", s.term === null ? "—" : String(s.term))}` +
        `${cell(s, "side", s.side < 0 ? "—" : s.side === 0 ? "main" : `cut off (${s.side})`)}${cell(s, "committed", s.committed === null ? "—" : String(s.committed))}` +
        `${cell(s, "applied", s.applied === null ? "—" : String(s.applied))}${cell(s, "inFlight", String(s.inFlight))}</tr>`,
    );
    const flying = messagesInFlight(this.trace, time);
    const m = this.trace.data.messages;
    const listed = flying
      .slice(0, LISTED_IN_FLIGHT)
      .map((x) => `<li><a href="#" data-message="${x}">${escapeHtml(messageName(this.trace, x))} ${escapeHtml(rowName(this.trace, m.fromRow[x]!))} → ${escapeHtml(rowName(this.trace, m.toRow[x]!))}</a></li>`)
      .join("");
    this.host.innerHTML =
      `<table class="state"><tr><th>node</th><th>role</th><th>term</th><th>partition</th><th>commit</th><th>apply</th><th>sent, in flight</th></tr>${rows.join("")}</table>` +
      `<p class="in-flight">${flying.length} message${flying.length === 1 ? "" : "s"} in flight${flying.length > LISTED_IN_FLIGHT ? ` (the first ${LISTED_IN_FLIGHT})` : ""}:</p><ul class="links">${listed}</ul>`;
    this.previous = new Map(states.map((s) => [s.row, s]));
  }
}
