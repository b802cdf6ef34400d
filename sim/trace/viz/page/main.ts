/// <reference lib="dom" />
// The debugger page's entry point (bundled into the HTML file, with page.css, by ../html-page.ts). It reads the
// run's data from the page, builds the views, and wires the reader's input to them:
//
//   mouse     wheel zooms about the pointer (shift+wheel pans), drag pans, click selects what is
//             under the pointer (an operation, an arrow, an event), the overview brushes a window
//   keys      → ← (n p, j k) step one event, shift ×10; ] [ one event of the focused row;
//             m M message, r R role change, f F fault, o O operation return, v V violation;
//             Home End; space plays and pauses; + − zoom; e jumps to the first error
//
// The URL hash keeps the cursor, the selection, the window and the filters (deep-link.ts).
// window.simlabViz exposes what the page drew and where, for the browser tests and the benchmark.
import type { PageData } from "../page-data.ts";
import { unpackPageData } from "../packed-data.ts";
import { eventText, operationText } from "./describe.ts";
import { formatPlace, parsePlace, type Place } from "./deep-link.ts";
import { escapeHtml, EventList } from "./event-list.ts";
import { Filter, kindGroups } from "./filters.ts";
import { distanceToSegment, hitTest, type Hit } from "./hit-test.ts";
import { inspectorHtml, type Selected } from "./inspector.ts";
import { middleOf } from "./layout.ts";
import { OverviewView } from "./overview-view.ts";
import { StateTable } from "./state-table.ts";
import { Stepper, type StepKind } from "./stepping.ts";
import { TimeAxis } from "./time-axis.ts";
import { formatTime } from "./time-text.ts";
import { RULER_HEIGHT, TimelineView, type ViewState } from "./timeline-view.ts";
import { Trace } from "./trace.ts";
import { firstError } from "./verdict-overlay.ts";

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

async function readData(): Promise<PageData> {
  const text = atob(($("simlab-data").textContent ?? "").trim());
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return unpackPageData(new Uint8Array(await new Response(stream).arrayBuffer()));
}

async function main(): Promise<void> {
  const started = performance.now();
  const timings: Record<string, number> = {};
  const mark = (name: string): void => void (timings[name] = Math.round(performance.now() - started));
  const data = await readData();
  mark("data");
  const trace = new Trace(data);
  mark("indexes");
  const axis = new TimeAxis(trace.start, trace.end);
  const filter = new Filter(trace);
  const stepper = new Stepper(trace);
  const illegal = data.verdicts.find((v) => v.verdict !== "ok");
  const state: ViewState = {
    cursor: { time: trace.start, event: -1 },
    selectedOp: -1,
    selectedMessage: -1,
    selectedEvent: -1,
    pathEvents: new Set(),
    pathMessages: new Set(),
    overlayKey: illegal?.key,
  };
  let selected: Selected = { kind: "none" };
  let focusedRow = -1;

  renderHeader(trace);
  const timeline = new TimelineView($("timeline"), trace, axis, filter, state);
  const overview = new OverviewView($("overview"), trace, axis, (from, to) => {
    axis.show(from, to);
    viewChanged();
  });
  const list = new EventList($("events"), trace, (event) => moveCursor({ time: trace.eventTime[event]!, event }, true));
  const table = new StateTable($("state"), trace);

  const labels = $("labels");
  const renderLabels = (): void => {
    labels.style.height = `${timeline.layout.height + RULER_HEIGHT}px`;
    labels.innerHTML =
      timeline.layout.headings.map((h) => `<div class="group-label" style="top:${RULER_HEIGHT + h.top}px">${escapeHtml(h.label)}</div>`).join("") +
      timeline.layout.boxes
        .map((box) => {
          const info = data.rows[box.row]!;
          const cls = `row-label ${info.kind}${box.row === focusedRow ? " focused" : ""}`;
          return `<div class="${cls}" data-row="${box.row}" title="click: focus this row for ] and [; alt-click: hide it" style="top:${RULER_HEIGHT + middleOf(box) - 8}px">${escapeHtml(info.name)}</div>`;
        })
        .join("");
  };
  labels.addEventListener("click", (event) => {
    const label = (event.target as HTMLElement).closest<HTMLElement>("[data-row]");
    if (label === null) return;
    const row = Number(label.dataset.row);
    if (event.altKey) {
      filter.hidden.add(row);
      filtersChanged();
    } else {
      focusedRow = focusedRow === row ? -1 : row;
      renderLabels();
    }
  });

  const resize = (): void => {
    const width = $("timeline").clientWidth;
    timeline.resize(width);
    overview.resize(width);
    renderLabels();
  };

  // --- the cursor, the selection, the window -----------------------------------------------

  const placeNow = (): Place => {
    const place: Place = { cursor: state.cursor.time, from: axis.window.from, to: axis.window.to };
    if (selected.kind !== "none") place.selection = selected;
    if (filter.hidden.size > 0) place.hidden = [...filter.hidden];
    if (filter.kinds.size < Object.keys(kindGroups).length) place.kinds = [...filter.kinds];
    if (state.overlayKey !== undefined) place.key = state.overlayKey;
    if (filter.topics !== undefined) place.topics = [...filter.topics].map((id) => trace.text(id));
    if (filter.methods !== undefined) place.methods = [...filter.methods].map((id) => trace.text(id));
    return place;
  };
  let hashTimer = 0;
  const saveHash = (): void => {
    clearTimeout(hashTimer);
    hashTimer = window.setTimeout(() => history.replaceState(null, "", formatPlace(placeNow()) || location.pathname), 200);
  };

  function moveCursor(cursor: ViewState["cursor"], reveal: boolean): void {
    state.cursor = cursor;
    if (reveal && (cursor.time < axis.window.from || cursor.time > axis.window.to)) {
      axis.reveal(cursor.time);
      viewChanged();
    }
    timeline.redrawOverlay();
    if (cursor.event >= 0) list.setCurrent(cursor.event);
    table.show(cursor.time);
    $("cursor-time").textContent = `cursor ${formatTime(cursor.time, data.header.timeUnit)}${cursor.event >= 0 ? ` — ${eventText(trace, cursor.event)}` : ""}`;
    saveHash();
  }

  function viewChanged(): void {
    timeline.redraw();
    overview.drawWindow();
    saveHash();
  }

  function select(next: Selected): void {
    selected = next;
    state.selectedOp = next.kind === "op" ? next.id : -1;
    state.selectedMessage = next.kind === "message" ? next.id : -1;
    state.selectedEvent = next.kind === "event" ? next.id : -1;
    if (next.kind === "op") {
      state.pathEvents = new Set(data.ops.path[next.id]);
      state.pathMessages = new Set(data.ops.messages[next.id]);
      const key = trace.text(data.ops.key[next.id]!);
      const verdict = data.verdicts.find((v) => v.key === key);
      if (verdict !== undefined && verdict.verdict !== "ok" && state.overlayKey !== key) {
        state.overlayKey = key;
        ($("key-select") as HTMLSelectElement).value = key;
        timeline.redraw();
      }
    } else {
      state.pathEvents = new Set();
      state.pathMessages = new Set();
    }
    $("inspector").innerHTML = inspectorHtml(trace, next);
    timeline.redrawOverlay();
    saveHash();
  }

  function filtersChanged(): void {
    filter.update();
    const shown: number[] = [];
    for (let e = 0; e < trace.eventCount; e++) if (filter.showsEvent(e)) shown.push(e);
    list.setEvents(Int32Array.from(shown));
    resize();
    saveHash();
  }

  // --- the toolbar ---------------------------------------------------------------------------

  renderToolbar(trace, filter, state);
  $("toolbar").addEventListener("change", (event) => {
    const target = event.target as HTMLInputElement;
    if (target.dataset.kind !== undefined) {
      if (target.checked) filter.kinds.add(target.dataset.kind);
      else filter.kinds.delete(target.dataset.kind);
    } else if (target.id === "key-select") {
      state.overlayKey = target.value === "" ? undefined : target.value;
      filter.key = undefined;
    } else if (target.id === "key-only") {
      filter.key = target.checked && state.overlayKey !== undefined ? trace.strings.indexOf(state.overlayKey) : undefined;
    } else if (target.id === "topics") {
      const names = target.value.split(",").map((s) => s.trim()).filter((s) => s !== "");
      filter.topics = names.length === 0 ? undefined : new Set(names.map((name) => trace.strings.indexOf(name)));
    } else if (target.id === "methods") {
      const chosen = [...(target as unknown as HTMLSelectElement).selectedOptions].map((o) => Number(o.value));
      filter.methods = chosen.length === 0 ? undefined : new Set(chosen);
    } else if (target.dataset.showRow !== undefined) {
      const row = Number(target.dataset.showRow);
      if (target.checked) filter.hidden.delete(row);
      else filter.hidden.add(row);
    }
    filtersChanged();
  });
  $("toolbar").addEventListener("click", (event) => {
    const button = (event.target as HTMLElement).closest<HTMLElement>("button");
    if (button === null) return;
    switch (button.id) {
      case "first-error":
        jumpToFirstError();
        break;
      case "zoom-out":
        axis.show(trace.start, trace.end);
        viewChanged();
        break;
      case "play":
        togglePlay();
        break;
      case "search-next":
      case "search-previous":
        search(button.id === "search-next" ? 1 : -1);
        break;
      case "export-png":
        exportPng();
        break;
    }
  });

  function jumpToFirstError(): void {
    const first = firstError(trace);
    if (first === undefined) return;
    state.overlayKey = first.key;
    ($("key-select") as HTMLSelectElement).value = first.key;
    const ops = data.ops;
    const ret = ops.ret[first.op]! < 0 ? trace.end : ops.ret[first.op]!;
    const span = Math.max(ret - ops.call[first.op]!, 50) * 6;
    axis.show(first.time - span / 2, first.time + span / 2);
    select({ kind: "op", id: first.op });
    moveCursor(stepper.at(first.time), false);
    viewChanged();
  }

  function search(direction: 1 | -1): void {
    const text = ($("search") as HTMLInputElement).value;
    if (text === "") return;
    let pattern: RegExp;
    try {
      pattern = new RegExp(text, "i");
    } catch {
      $("search-status").textContent = "not a regular expression";
      return;
    }
    const from = state.cursor.event >= 0 ? state.cursor.event : stepper.at(state.cursor.time).event;
    for (let k = 1; k <= trace.eventCount; k++) {
      const e = (from + direction * k + trace.eventCount * 2) % trace.eventCount;
      const message = data.events.message[e]!;
      const payloads = message >= 0 ? `${trace.payloadText(message, "args") ?? ""} ${trace.payloadText(message, "reply") ?? ""}` : "";
      if (!filter.showsEvent(e) || !(pattern.test(eventText(trace, e)) || pattern.test(payloads))) continue;
      $("search-status").textContent = "";
      moveCursor({ time: trace.eventTime[e]!, event: e }, true);
      select({ kind: "event", id: e });
      return;
    }
    $("search-status").textContent = "no match";
  }

  let playing = 0;
  function togglePlay(): void {
    if (playing !== 0) {
      cancelAnimationFrame(playing);
      playing = 0;
      $("play").textContent = "play";
      return;
    }
    $("play").textContent = "pause";
    let last = performance.now();
    let owed = 0;
    const tick = (now: number): void => {
      const speed = 2 ** Number(($("speed") as HTMLInputElement).value); // events per second
      owed += ((now - last) / 1000) * speed;
      last = now;
      const steps = Math.floor(owed);
      owed -= steps;
      if (steps > 0) moveCursor(stepper.step(state.cursor, steps), true);
      playing = requestAnimationFrame(tick);
    };
    playing = requestAnimationFrame(tick);
  }

  function exportPng(): void {
    const canvas = document.createElement("canvas");
    canvas.width = timeline.base.width;
    canvas.height = timeline.base.height;
    const ctx = canvas.getContext("2d")!;
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(timeline.base, 0, 0);
    ctx.drawImage(timeline.top, 0, 0);
    const link = document.createElement("a");
    link.download = `${data.header.test}-seed${data.header.seed ?? ""}.png`;
    link.href = canvas.toDataURL("image/png");
    link.click();
  }

  // --- links in the panels -------------------------------------------------------------------

  for (const panel of ["inspector", "state"]) {
    $(panel).addEventListener("click", (event) => {
      const link = (event.target as HTMLElement).closest<HTMLElement>("a[data-event], a[data-message]");
      if (link === null) return;
      event.preventDefault();
      if (link.dataset.event !== undefined) {
        const e = Number(link.dataset.event);
        moveCursor({ time: trace.eventTime[e]!, event: e }, true);
      } else {
        const m = Number(link.dataset.message);
        select({ kind: "message", id: m });
        moveCursor(stepper.at(data.messages.sendTime[m]!), true);
      }
    });
  }

  // --- the pointer on the timeline -----------------------------------------------------------

  const surface = timeline.top;
  let drag: { x: number; moved: boolean } | undefined;
  surface.addEventListener("pointerdown", (event) => {
    drag = { x: event.offsetX, moved: false };
    surface.setPointerCapture(event.pointerId);
  });
  surface.addEventListener("pointermove", (event) => {
    if (drag !== undefined && (event.buttons & 1) === 1) {
      const dx = event.offsetX - drag.x;
      if (Math.abs(dx) > 2 || drag.moved) {
        drag.moved = true;
        axis.panBy(-dx);
        drag.x = event.offsetX;
        viewChanged();
      }
      return;
    }
    const hit = hitTest(trace, timeline.layout, axis, timeline.segments, event.offsetX, event.offsetY - RULER_HEIGHT);
    surface.title = describeHit(hit);
  });
  surface.addEventListener("pointerup", (event) => {
    const wasDrag = drag?.moved === true;
    drag = undefined;
    if (wasDrag) return;
    const hit = hitTest(trace, timeline.layout, axis, timeline.segments, event.offsetX, event.offsetY - RULER_HEIGHT);
    pick(hit, event.offsetX);
  });
  surface.addEventListener(
    "wheel",
    (event) => {
      event.preventDefault();
      if (event.shiftKey) axis.panBy(event.deltaY);
      else axis.zoomAt(event.offsetX, Math.exp(event.deltaY * 0.002));
      viewChanged();
    },
    { passive: false },
  );

  function describeHit(hit: Hit | undefined): string {
    if (hit === undefined) return "";
    if (hit.kind === "op") return operationText(trace, hit.op);
    if (hit.kind === "message") return eventText(trace, trace.data.events.message.indexOf(hit.message));
    if (hit.kind === "event") return eventText(trace, hit.event);
    return "";
  }

  function pick(hit: Hit | undefined, x: number): void {
    if (hit === undefined || hit.kind === "row") {
      moveCursor(stepper.at(axis.time(x)), false);
      return;
    }
    if (hit.kind === "op") select({ kind: "op", id: hit.op });
    else if (hit.kind === "message") select({ kind: "message", id: hit.message });
    else select({ kind: "event", id: hit.event });
    if (hit.kind === "event") moveCursor({ time: trace.eventTime[hit.event]!, event: hit.event }, false);
  }

  // --- keys ----------------------------------------------------------------------------------

  const stepKeys: Record<string, StepKind> = { m: "message", r: "role", f: "fault", o: "return", v: "violation" };
  document.addEventListener("keydown", (event) => {
    if ((event.target as HTMLElement).closest("input, select, textarea") !== null) return;
    const key = event.key;
    const lower = key.toLowerCase();
    let handled = true;
    if (key === "ArrowRight" || lower === "n" || lower === "j") moveCursor(stepper.step(state.cursor, event.shiftKey ? 10 : 1), true);
    else if (key === "ArrowLeft" || lower === "p" || lower === "k") moveCursor(stepper.step(state.cursor, event.shiftKey ? -10 : -1), true);
    else if ((key === "]" || key === "[") && focusedRow >= 0) moveCursor(stepper.step(state.cursor, key === "]" ? 1 : -1, trace.eventsOfRow[focusedRow]), true);
    else if (stepKeys[lower] !== undefined) moveCursor(stepper.step(state.cursor, key === lower ? 1 : -1, stepper.events(stepKeys[lower]!)), true);
    else if (key === "Home") moveCursor(stepper.step({ time: -Infinity, event: -1 }, 1), true);
    else if (key === "End") moveCursor(stepper.step({ time: Infinity, event: trace.eventCount }, -1), true);
    else if (key === " ") togglePlay();
    else if (key === "+" || key === "=") {
      axis.zoomAt(axis.x(state.cursor.time), 0.5);
      viewChanged();
    } else if (key === "-") {
      axis.zoomAt(axis.x(state.cursor.time), 2);
      viewChanged();
    } else if (lower === "e") jumpToFirstError();
    else handled = false;
    if (handled) event.preventDefault();
  });

  // --- start ---------------------------------------------------------------------------------

  const place = parsePlace(location.hash);
  if (place.hidden !== undefined) filter.hidden = new Set(place.hidden.filter((row) => row < data.rows.length));
  if (place.kinds !== undefined) filter.kinds = new Set(place.kinds.filter((kind) => kind in kindGroups));
  if (place.key !== undefined && data.verdicts.some((v) => v.key === place.key)) state.overlayKey = place.key;
  if (place.topics !== undefined) filter.topics = new Set(place.topics.map((name) => trace.strings.indexOf(name)));
  if (place.methods !== undefined) filter.methods = new Set(place.methods.map((name) => trace.strings.indexOf(name)));
  if (place.from !== undefined && place.to !== undefined) axis.show(place.from, place.to);
  syncToolbar(trace, filter, state);
  mark("views");
  filtersChanged();
  mark("filters");
  window.addEventListener("resize", resize);
  if (place.selection !== undefined) select(place.selection);
  else $("inspector").innerHTML = inspectorHtml(trace, selected);
  moveCursor(place.cursor !== undefined ? stepper.at(place.cursor) : { time: trace.start, event: -1 }, false);
  timeline.drawNow();
  mark("drawn");
  const firstPaintMs = performance.now() - started;

  window.simlabViz = {
    ready: true,
    firstPaintMs,
    /** Milliseconds from the script's start to each stage of loading. */
    timings,
    trace,
    axis,
    timeline,
    stats: () => timeline.stats,
    state: () => ({
      cursor: { ...state.cursor },
      selection: selected,
      window: { ...axis.window },
      overlayKey: state.overlayKey,
      inspector: $("inspector").innerText,
      eventListLength: list.length,
      focusedRow,
    }),
    /** Where (in page pixels) to click to hit an operation, a message's request or an event. */
    locate: (kind: "op" | "message" | "event", id: number) => {
      const rect = timeline.top.getBoundingClientRect();
      if (kind === "op") {
        const y = timeline.rowMiddle(data.ops.row[id]!);
        if (y === undefined) return undefined;
        // The point of the bar farthest from any arrow (a click on an arrow selects the arrow).
        const ret = data.ops.ret[id]! < 0 ? trace.end : data.ops.ret[id]!;
        let best = { x: axis.x(data.ops.call[id]!), room: -1 };
        for (let k = 1; k < 20; k++) {
          const x = axis.x(data.ops.call[id]! + ((ret - data.ops.call[id]!) * k) / 20);
          const room = Math.min(Infinity, ...timeline.segments.map((s) => distanceToSegment(x, y - RULER_HEIGHT, s)));
          if (room > best.room) best = { x, room };
        }
        return { x: rect.left + best.x, y: rect.top + y };
      }
      if (kind === "message") {
        const s = timeline.segments.find((segment) => segment.message === id && segment.leg === 0);
        if (s === undefined) return undefined;
        // The point of its request farthest from other messages' arrows (a long one, such as a
        // held request's bar, is crossed by many).
        const others = timeline.segments.filter((segment) => segment.message !== id);
        let best = { x: (s.x1 + s.x2) / 2, y: (s.y1 + s.y2) / 2, room: -1 };
        for (let k = 1; k < 20; k++) {
          const x = s.x1 + ((s.x2 - s.x1) * k) / 20;
          const y = s.y1 + ((s.y2 - s.y1) * k) / 20;
          const room = Math.min(Infinity, ...others.map((other) => distanceToSegment(x, y, other)));
          if (room > best.room) best = { x, y, room };
        }
        return { x: rect.left + best.x, y: rect.top + RULER_HEIGHT + best.y };
      }
      const y = timeline.rowMiddle(trace.eventRow[id]!);
      return y === undefined ? undefined : { x: rect.left + axis.x(trace.eventTime[id]!), y: rect.top + y };
    },
    show: (from: number, to: number) => {
      axis.show(from, to);
      timeline.redraw();
      overview.drawWindow();
      timeline.drawNow();
    },
    /** Pans by dx pixels as a drag does, and draws the frame now. */
    pan: (dx: number) => {
      axis.panBy(dx);
      viewChanged();
      timeline.drawNow();
    },
    select,
    /** Puts the cursor on an event. */
    cursorTo: (event: number) => moveCursor({ time: trace.eventTime[event]!, event }, true),
  };
  document.body.dataset.ready = "true";
}

declare global {
  interface Window {
    simlabViz: Record<string, unknown>;
  }
}

function renderHeader(trace: Trace): void {
  const h = trace.data.header;
  const verdict = h.passed ? `<span class="pass">PASS</span>` : `<span class="fail">FAIL</span>`;
  const illegal = trace.data.verdicts.filter((v) => v.verdict !== "ok").map((v) => v.key);
  const commands = [h.replay, h.viz].filter((c): c is string => c !== null).map((c) => `<code>${escapeHtml(c)}</code>`).join(" ");
  $("header").innerHTML =
    `<h1>${escapeHtml(h.test)}${h.seed === null ? "" : `, seed ${h.seed}`} ${verdict}</h1>` +
    `<p class="facts">${h.timeUnit === "virtual ms" ? `${formatTime(h.virtualMs, h.timeUnit)} virtual, ${h.schedulerEvents} scheduler events, journal hash ${escapeHtml(h.journalHash ?? "—")}; network ${escapeHtml(h.faults)}; ` : "time axis: position in the file; "}` +
    `${trace.eventCount} events, ${trace.data.messages.rpc.length} messages, ${trace.data.ops.row.length} client operations; ` +
    `keys: ${trace.data.verdicts.length === 0 ? "none checked" : illegal.length === 0 ? "all linearizable" : `<b>not linearizable: ${illegal.map(escapeHtml).join(", ")}</b>`}</p>` +
    (commands === "" ? "" : `<p class="commands">replay: ${commands}</p>`) +
    (h.failure === null ? "" : `<details class="failure"><summary>failure report</summary><pre>${escapeHtml(h.failure)}</pre></details>`) +
    `<p class="legend"><span class="l leader">leader</span><span class="l candidate">candidate</span><span class="l follower">follower</span> (coloured by term) · ` +
    `<span class="l crash">down</span> · <span class="l cut">partitioned</span> · arrows: request solid, reply dashed, ✕ dropped, thick orange slow, ring reordered, grey to a crashed node, purple bar held by a script until delivered or dropped · ` +
    `bars: <span class="l ok">returned</span> <span class="l unknown">never returned</span> · blue dots: the longest linearization, red boxes: illegal next</p>` +
    `<p class="keys">keys: → ← step (shift ×10) · ] [ focused row · m message · r role · f fault · o return · v violation (shift: back) · Home End · space play · + − zoom · e first error</p>`;
}

function renderToolbar(trace: Trace, filter: Filter, state: ViewState): void {
  const { data } = trace;
  const kinds = Object.keys(kindGroups).map((name) => `<label><input type="checkbox" data-kind="${name}" ${filter.kinds.has(name) ? "checked" : ""}>${name}</label>`).join("");
  const methods = [...new Set(data.messages.method)].sort((a, b) => trace.text(a).localeCompare(trace.text(b)));
  const keys = data.verdicts.map((v) => `<option value="${escapeHtml(v.key)}">${escapeHtml(v.key)} (${v.verdict})</option>`).join("");
  const rows = data.rows.map((info, row) => `<label><input type="checkbox" data-show-row="${row}" checked>${escapeHtml(info.name)}</label>`).join("");
  $("toolbar").innerHTML =
    `<span class="group">${kinds}</span>` +
    `<details class="group"><summary>rows</summary><div class="rows">${rows}</div></details>` +
    `<label class="group">topics <input id="topics" placeholder="all (e.g. vote,append)" size="16"></label>` +
    `<label class="group">RPCs <select id="methods" multiple size="1">${methods.map((m) => `<option value="${m}">${escapeHtml(trace.text(m))}</option>`).join("")}</select></label>` +
    `<label class="group">key <select id="key-select"><option value="">none</option>${keys}</select></label>` +
    `<label class="group"><input type="checkbox" id="key-only">only this key</label>` +
    `<button id="first-error" ${data.verdicts.some((v) => v.illegalNext.length > 0) ? "" : "disabled"}>jump to first error</button>` +
    `<span class="group"><input id="search" placeholder="search (regex)" size="14"><button id="search-previous">◀</button><button id="search-next">▶</button><span id="search-status"></span></span>` +
    `<button id="zoom-out">whole run</button><button id="play">play</button><input id="speed" type="range" min="0" max="14" value="5" title="speed: events per second, logarithmic">` +
    `<button id="export-png">PNG</button><span id="cursor-time"></span>`;
  ($("key-select") as HTMLSelectElement).value = state.overlayKey ?? "";
}

/** Puts the filters read from the URL into the toolbar's controls. */
function syncToolbar(trace: Trace, filter: Filter, state: ViewState): void {
  for (const input of document.querySelectorAll<HTMLInputElement>("[data-kind]")) input.checked = filter.kinds.has(input.dataset.kind!);
  for (const input of document.querySelectorAll<HTMLInputElement>("[data-show-row]")) input.checked = !filter.hidden.has(Number(input.dataset.showRow));
  ($("key-select") as HTMLSelectElement).value = state.overlayKey ?? "";
  if (filter.topics !== undefined) ($("topics") as HTMLInputElement).value = [...filter.topics].map((id) => trace.text(id)).join(",");
  for (const option of ($("methods") as HTMLSelectElement).options) option.selected = filter.methods?.has(Number(option.value)) ?? false;
}

main().catch((error: unknown) => {
  document.body.dataset.error = String(error);
  const banner = document.createElement("pre");
  banner.className = "load-error";
  banner.textContent = `The page could not be shown: ${error instanceof Error ? error.stack ?? error.message : String(error)}`;
  document.body.prepend(banner);
});
