// The debugger page in a real browser (headless Chromium): the fixture's page (a KV server that
// acknowledges writes before they commit; fixture-page.ts) opened from file://. Every check reads
// what the page drew or shows (its frame counts, its inspector, its cursor), not pixels; the
// screenshot is kept in .simlab/artifacts/ for a person to look at.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { EventKind, Fate } from "../../sim/trace/viz/page-data.ts";
import { browserMissing, launchChromium } from "./browser.ts";
import { artifactsDir, fixturePage, type FixturePage } from "./fixture-page.ts";

const missing = browserMissing();

interface Stats {
  lanes: string[];
  crashes: number;
  drops: number[];
  arrows: number;
  opBars: number;
  roleSpans: number;
  partitionTints: number;
  overlay: { key: string; points: number; illegalNext: number } | null;
}
interface PageState {
  cursor: { time: number; event: number };
  selection: { kind: string; id?: number };
  inspector: string;
  overlayKey: string | undefined;
}

describe.skipIf(missing !== undefined)("the debugger page in Chromium", () => {
  let browser: Browser;
  let page: Page;
  let fixture: FixturePage;
  const problems: string[] = [];
  const stats = (): Promise<Stats> => page.evaluate(() => (window.simlabViz.stats as () => Stats)());
  const state = (): Promise<PageState> => page.evaluate(() => (window.simlabViz.state as () => PageState)());
  const show = (from: number, to: number): Promise<void> => page.evaluate(([a, b]) => (window.simlabViz.show as (x: number, y: number) => void)(a!, b!), [from, to]);
  const locate = (kind: string, id: number): Promise<{ x: number; y: number } | undefined> =>
    page.evaluate(([k, i]) => (window.simlabViz.locate as (k: string, i: number) => { x: number; y: number } | undefined)(k as string, i as number), [kind, id] as const);

  beforeAll(async () => {
    fixture = await fixturePage();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
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

  it("opens from file:// and draws a lane for every node and a row for every client", async () => {
    expect(await page.evaluate(() => document.body.dataset.error ?? "")).toBe("");
    const { lanes, roleSpans, opBars } = await stats();
    expect(lanes).toEqual(fixture.data.rows.map((row) => row.name));
    expect(lanes).toEqual(expect.arrayContaining(["kv-0", "kv-4", "tester", "client 0", "client 4"]));
    expect(roleSpans).toBeGreaterThan(10);
    expect(opBars).toBeGreaterThan(10);
    const header = await page.locator("header").innerText();
    expect(header).toContain("TestAckBeforeCommitXV, seed 1 FAIL");
    expect(header).toContain("npx simlab viz TestAckBeforeCommitXV --seed 1");
  });

  it("hatches the crashes, and a crash's event tells what the restart restored", async () => {
    expect((await stats()).crashes).toBe(fixture.data.crashes.row.length);
    expect(fixture.data.crashes.row.length).toBeGreaterThan(0);
    const crash = fixture.data.events.kind.findIndex((kind) => kind === EventKind.crash);
    const time = fixture.data.events.time[crash]!;
    await show(time - 200, time + 200);
    const at = await locate("event", crash);
    expect(at).toBeDefined();
    await page.mouse.click(at!.x, at!.y);
    const { selection, inspector } = await state();
    expect(selection).toEqual({ kind: "event", id: crash });
    expect(inspector).toContain("crashes");
    expect(inspector).toMatch(/restart restored\s+\d+ bytes of Raft state/);
  });

  it("ends a dropped request in a cross, and its inspector says why", async () => {
    const m = fixture.data.messages;
    const dropped = m.fate.findIndex((fate, i) => fate === Fate.requestDropped && m.dropTime[i]! >= 0 && m.toRow[i]! >= 0);
    expect(dropped).toBeGreaterThanOrEqual(0);
    await show(m.sendTime[dropped]! - 30, m.sendTime[dropped]! + 30);
    const drawn = await stats();
    expect(drawn.arrows).toBeGreaterThan(0);
    expect(drawn.drops).toContain(dropped);
    const at = await locate("message", dropped);
    expect(at).toBeDefined();
    await page.mouse.click(at!.x, at!.y);
    const { selection, inspector } = await state();
    expect(selection).toEqual({ kind: "message", id: dropped });
    expect(inspector).toContain("request dropped");
    expect(inspector).toContain("lost");
    // Its arguments, written as JSON by the page from the data (payload-text.ts cuts only large ones).
    expect(inspector).toContain(`arguments\t${JSON.stringify(m.args[dropped])}`);
  });

  it("overlays the illegal key's longest partial linearization and its illegal-next operations", async () => {
    await show(-Infinity, Infinity);
    const illegal = fixture.data.verdicts.find((v) => v.verdict === "illegal")!;
    expect(illegal).toBeDefined();
    await page.selectOption("#key-select", illegal.key);
    expect(fixture.report.failure).toContain(`key "${illegal.key}"`);
    const { overlay } = await stats();
    expect(overlay).toEqual({ key: illegal.key, points: illegal.linearization.length, illegalNext: illegal.illegalNext.length });
    expect(illegal.linearization.length).toBeGreaterThan(0);
    expect(await page.locator("header").innerText()).toContain(`not linearizable: ${fixture.data.verdicts.filter((v) => v.verdict === "illegal").map((v) => v.key).join(", ")}`);
  });

  it("jumps to the first error, and clicking an operation shows it, its verdict and its path through the servers", async () => {
    await page.click("#first-error");
    const jumped = await state();
    expect(jumped.selection.kind).toBe("op");
    const op = jumped.selection.id!;
    const illegalNext = fixture.data.verdicts.flatMap((v) => v.illegalNext.map((n) => n.op));
    expect(illegalNext).toContain(op);
    expect(jumped.inspector).toContain("illegal next");
    // Click another operation, one with a path: the inspector follows it.
    const followed = fixture.data.ops.path.findIndex((path, i) => path.length >= 5 && fixture.data.ops.ret[i]! >= 0);
    const { call, ret } = fixture.data.ops;
    await show(call[followed]! - 20, ret[followed]! + 20);
    const at = await locate("op", followed);
    await page.mouse.click(at!.x, at!.y);
    const { selection, inspector } = await state();
    expect(selection).toEqual({ kind: "op", id: followed });
    expect(inspector).toContain(fixture.data.strings[fixture.data.ops.input[followed]!]!);
    expect(inspector).toContain("followed through the servers");
    expect(inspector).toMatch(/leader appends index \d+/);
    expect(inspector).toMatch(/applies index \d+/);
    expect(await page.locator("#inspector ul.path li").count()).toBe(fixture.data.ops.path[followed]!.length);
  });

  it("steps the cursor by event, by message, by fault and by violation", async () => {
    const kinds = fixture.data.events.kind;
    const press = async (key: string): Promise<PageState["cursor"]> => {
      await page.keyboard.press(key);
      return (await state()).cursor;
    };
    await page.locator("#cursor-time").click();
    expect((await press("Home")).event).toBe(0);
    expect((await press("ArrowRight")).event).toBe(1);
    expect((await press("Shift+ArrowRight")).event).toBe(11);
    expect((await press("ArrowLeft")).event).toBe(10);
    // From an event the next of which is not a send, "m" must skip to the first send after it.
    const start = kinds.findIndex((_, i) => i > 10 && kinds[i + 1] !== EventKind.send && kinds.indexOf(EventKind.send, i + 1) > i + 1);
    await page.evaluate((e) => (window.simlabViz.cursorTo as (e: number) => void)(e), start);
    const firstAfter = (from: number, wanted: readonly number[]): number => kinds.findIndex((kind, i) => i > from && wanted.includes(kind));
    const message = await press("m");
    expect(message.event).toBe(firstAfter(start, [EventKind.send]));
    const faults = [EventKind.crash, EventKind.restart, EventKind.partition, EventKind.drop, EventKind.replyDrop, EventKind.faults];
    const fault = await press("f");
    expect(fault.event).toBe(firstAfter(message.event, faults));
    expect((await press("Shift+F")).event).toBeLessThan(fault.event);
    const violations = new Set(fixture.data.verdicts.flatMap((v) => v.illegalNext.map((n) => n.op)));
    const violation = await press("v");
    expect(violation.event).toBe(kinds.findIndex((kind, i) => i > fault.event - 1 && kind === EventKind.opCall && violations.has(fixture.data.events.op[i]!)));
    expect((await press("End")).event).toBe(kinds.length - 1);
    expect(await page.locator("#events .event-row.current").count()).toBe(1);
  });

  it("keeps the cursor and the selection in the URL hash", async () => {
    await page.waitForTimeout(400); // the hash is written 200 ms after the last change
    const url = page.url();
    const { cursor } = await state();
    expect(url).toContain(`#t=${cursor.time}`);
    const again = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await again.goto(url);
    await again.waitForFunction(() => document.body.dataset.ready === "true");
    const restored = await again.evaluate(() => (window.simlabViz.state as () => PageState)());
    expect(restored.cursor.time).toBe(cursor.time);
    await again.close();
  });

  it("reports no page errors, and leaves a screenshot", async () => {
    await show(-Infinity, Infinity);
    await page.click("#first-error");
    await page.screenshot({ path: join(artifactsDir, "TestAckBeforeCommitXV-seed1.png") });
    expect(problems).toEqual([]);
  });
});
