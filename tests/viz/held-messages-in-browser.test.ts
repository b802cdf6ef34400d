// The debugger page of a run whose script holds messages (scenarios/vote-request-held-past-its-term.yaml,
// seed 1: RequestVotes and AppendEntries held on the wire, then delivered or dropped by the
// script), in headless Chromium. As in page-in-browser.test.ts, every check reads the page's own
// state — what its last frame drew, its inspector, its cursor — not pixels.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { EventKind, Fate } from "../../sim/trace/viz/page-data.ts";
import { formatTime } from "../../sim/trace/viz/page/time-text.ts";
import { browserMissing, launchChromium } from "./browser.ts";
import { artifactsDir, type FixturePage } from "./fixture-page.ts";
import { scenarioPage } from "./scenario-page.ts";

const missing = browserMissing();
const SCENARIO = join(import.meta.dirname, "..", "..", "scenarios", "vote-request-held-past-its-term.yaml");

interface Stats {
  holds: number[];
  drops: number[];
  arrows: number;
}
interface PageState {
  cursor: { time: number; event: number };
  selection: { kind: string; id?: number };
  inspector: string;
}

describe.skipIf(missing !== undefined)("the debugger page draws the messages a script held", () => {
  let browser: Browser;
  let page: Page;
  let fixture: FixturePage;
  const problems: string[] = [];
  const stats = (): Promise<Stats> => page.evaluate(() => (window.simlabViz.stats as () => Stats)());
  const state = (): Promise<PageState> => page.evaluate(() => (window.simlabViz.state as () => PageState)());
  const show = (from: number, to: number): Promise<void> => page.evaluate(([a, b]) => (window.simlabViz.show as (x: number, y: number) => void)(a!, b!), [from, to]);
  const locate = (kind: string, id: number): Promise<{ x: number; y: number } | undefined> =>
    page.evaluate(([k, i]) => (window.simlabViz.locate as (k: string, i: number) => { x: number; y: number } | undefined)(k as string, i as number), [kind, id] as const);
  const at = (t: number): string => formatTime(t, "virtual ms");
  /** The held messages, with when each was held. */
  const held = (): { message: number; time: number }[] => fixture.data.holds.message.map((message, k) => ({ message, time: fixture.data.holds.time[k]! }));

  beforeAll(async () => {
    fixture = await scenarioPage(SCENARIO, 1);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") problems.push(`console ${message.type()}: ${message.text()}`);
    });
    await page.goto(pathToFileURL(fixture.file).href);
    await page.waitForFunction(() => document.body.dataset.ready === "true" || document.body.dataset.error !== undefined, null, { timeout: 30_000 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("has the holds in its data: a hold event for each, on the sender's lane", () => {
    const { data } = fixture;
    expect(fixture.report.passed).toBe(true);
    expect(data.holds.message.length).toBeGreaterThan(10);
    const holdEvents = [...data.events.kind.keys()].filter((i) => data.events.kind[i] === EventKind.hold);
    expect(holdEvents.map((e) => data.events.message[e])).toEqual(data.holds.message);
    for (const e of holdEvents) {
      const message = data.events.message[e]!;
      expect(data.events.row[e]).toBe(data.messages.fromRow[message]);
      expect(data.events.time[e]).toBe(data.messages.sendTime[message]);
    }
  });

  it("draws a held request that the script delivered as a bar until its delivery, and says so in the inspector", async () => {
    const m = fixture.data.messages;
    const delivered = held().find(({ message }) => m.deliverTime[message]! >= 0)!;
    expect(delivered).toBeDefined();
    const message = delivered.message;
    expect(m.deliverTime[message]! - delivered.time).toBeGreaterThan(1000); // held over a second
    await show(delivered.time - 100, m.deliverTime[message]! + 100);
    const drawn = await stats();
    expect(drawn.holds).toContain(message);
    expect(drawn.drops).not.toContain(message);
    const point = await locate("message", message);
    expect(point).toBeDefined();
    await page.mouse.click(point!.x, point!.y);
    const { selection, inspector } = await state();
    expect(selection).toEqual({ kind: "message", id: message });
    expect(inspector).toContain(`held\tby the script from ${at(delivered.time)}; delivered at ${at(m.deliverTime[message]!)}`);
    expect(inspector).toContain("fate\tanswered");
    expect(inspector).not.toContain("slow");
  });

  it("ends a held request that the script dropped in a cross at the bar's end", async () => {
    const m = fixture.data.messages;
    const dropped = held().find(({ message }) => m.fate[message] === Fate.requestDropped && m.dropTime[message]! >= 0)!;
    expect(dropped).toBeDefined();
    const message = dropped.message;
    await show(dropped.time - 100, m.dropTime[message]! + 100);
    const drawn = await stats();
    expect(drawn.holds).toContain(message);
    expect(drawn.drops).toContain(message);
    const point = await locate("message", message);
    await page.mouse.click(point!.x, point!.y);
    const { selection, inspector } = await state();
    expect(selection).toEqual({ kind: "message", id: message });
    expect(inspector).toContain(`held\tby the script from ${at(dropped.time)}; dropped at ${at(m.dropTime[message]!)} (dropped by the script)`);
    expect(inspector).toContain("request dropped");
  });

  it("steps onto a hold with the fault key, and names it in the event's inspector", async () => {
    const { data } = fixture;
    const first = data.events.kind.indexOf(EventKind.hold);
    const faults = new Set<number>([EventKind.crash, EventKind.restart, EventKind.partition, EventKind.drop, EventKind.replyDrop, EventKind.faults, EventKind.hold]);
    // The fault step before the first hold, or the start: "f" from there lands on the hold.
    let before = -1;
    for (let i = first - 1; i >= 0 && before < 0; i--) if (faults.has(data.events.kind[i]!)) before = i;
    await page.locator("#cursor-time").click();
    if (before >= 0) await page.evaluate((e) => (window.simlabViz.cursorTo as (e: number) => void)(e), before);
    else await page.keyboard.press("Home");
    await page.keyboard.press("f");
    const { cursor } = await state();
    expect(cursor.event).toBe(first);
    await page.evaluate((e) => (window.simlabViz.select as (s: { kind: string; id: number }) => void)({ kind: "event", id: e }), first);
    const message = data.events.message[first]!;
    const { inspector } = await state();
    expect(inspector).toContain(`hold Raft.requestVote #${data.messages.rpc[message]} → ${data.rows[data.messages.toRow[message]!]!.name}`);
  });

  it("reports no page errors, and leaves a screenshot", async () => {
    const m = fixture.data.messages;
    await show(500, m.sendTime.at(-1)!);
    await page.screenshot({ path: join(artifactsDir, "vote-request-held-past-its-term-seed1.png") });
    expect(problems).toEqual([]);
  });
});
