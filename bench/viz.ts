// `npm run bench -- viz [--test NAME] [--seed N]`: the debugger page of the largest trace in the
// labs (TestSnapshotRecoverManyClients3B, seed 1, by default), measured in headless Chromium.
//
//   generate_s      what writing the page adds to a run that keeps its journal, in CPU seconds
//                   (support/cpu-time.ts): the observed run's extra over a journal-keeping run of
//                   the same seed (observe_extra_s; the two alternate), plus building the page's
//                   data (data_s) and the HTML (html_s) — after a warm-up run, each the minimum
//                   of REPEATS passes, so that other work on the machine does not count
//   viz_command_s   the whole `simlab viz TEST --seed N` command, and replay_command_s the whole
//                   `simlab replay TEST --seed N` (output to /dev/null), as a student runs them:
//                   the page against the per-node columns (each a median of 3, wall time, so
//                   only comparable with each other on a loaded machine)
//   file_mb         the HTML file's size
//   first_paint_ms  from navigation to the first complete frame (data inflated and parsed,
//                   indexes built, every view drawn, two animation frames later)
//   pan_*_ms        frames of a drag across a window a tenth of the run wide (redraw of the base
//                   layer, forced to finish with a one-pixel readback)
//   step_*_ms       cursor steps (→ key): overlay layer, state table, event list
//
// Targets on our 2-core machine: first paint ≤ 2 s, pan median ≤ 33 ms, step ≤ 16 ms, file
// ≤ 15 MB, generating the page ≤ 1 s more than the replay.
import { execFileSync } from "node:child_process";
import { openSync, closeSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parts } from "../tests/registry.ts";
import { replayCommand, vizCommand } from "../tests/registry.ts";
import { runPageData } from "../sim/trace/viz/page-model.ts";
import type { PageData } from "../sim/trace/viz/page-data.ts";
import { pageHtml } from "../sim/trace/viz/html-page.ts";
import { browserMissing, launchChromium } from "../tests/viz/browser.ts";
import { alternatingMinimum } from "./support/cpu-time.ts";
import { median, numberOption } from "./support/repetitions.ts";

const FRAMES = 30;
const REPEATS = 3;

export default async function vizBench(args: string[]): Promise<Record<string, unknown>> {
  const name = args.includes("--test") ? args[args.indexOf("--test") + 1]! : "TestSnapshotRecoverManyClients3B";
  const seed = numberOption(args, "seed", 1);
  const part = /(\d[A-Z])$/.exec(name)?.[1] ?? "3B";
  const test = (await parts[part]!()).find((t) => t.name === name);
  if (test === undefined) throw new Error(`no test ${name} in part ${part}`);
  const missing = browserMissing();
  if (missing !== undefined) throw new Error(`the viz benchmark needs a browser: ${missing}`);

  // One run to warm the JIT up. The generation steps are CPU minimums (alternatingMinimum); the
  // commands, each a process of its own, a median of REPEATS in wall time.
  await test.run(seed);
  const seconds = async <T>(work: () => Promise<T> | T): Promise<{ value: T; s: number }> => {
    const runs: number[] = [];
    let value: T | undefined;
    for (let i = 0; i < REPEATS; i++) {
      const started = performance.now();
      value = await work();
      runs.push((performance.now() - started) / 1000);
    }
    return { value: value!, s: median(runs) };
  };
  const runs = await alternatingMinimum(REPEATS, {
    plain: () => test.run(seed, { keepJournal: true }),
    observed: () => test.run(seed, { observe: true }),
  });
  const [plain, plainS, observed, observedS] = [runs.plain.value, runs.plain.s, runs.observed.value, runs.observed.s];
  const dir = join(".simlab", "bench");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}-seed${seed}.html`);
  const pageData = (): PageData =>
    runPageData(observed.journal!, {
      test: name, seed, passed: observed.passed, failure: observed.failure ?? null, replay: replayCommand(part, name, seed),
      viz: vizCommand(name, seed), virtualMs: observed.virtualMs, schedulerEvents: observed.events, journalHash: observed.journalHash,
    });
  const data = pageData();
  const steps = await alternatingMinimum(REPEATS, { data: pageData, html: () => pageHtml(data) });
  const [dataS, htmlS] = [steps.data.s, steps.html.s];
  writeFileSync(file, steps.html.value);
  if (observed.journalHash !== plain.journalHash) throw new Error("observing changed the run's journal hash");

  // The two commands as a student types them, each in its own process (start-up included).
  const cli = join("labs", "cli", "simlab.mjs");
  const command = async (words: string[]): Promise<number> => {
    const out = openSync("/dev/null", "w");
    try {
      return (await seconds(() => execFileSync(process.execPath, [cli, ...words], { stdio: ["ignore", out, "inherit"] }))).s;
    } finally {
      closeSync(out);
    }
  };
  const replayCommandS = await command(["replay", name, "--seed", String(seed)]);
  const vizCommandS = await command(["viz", name, "--seed", String(seed), "--out", join(dir, `${name}-seed${seed}-command.html`)]);

  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(() => document.body.dataset.ready === "true" || document.body.dataset.error !== undefined, null, { timeout: 60_000 });
    const firstPaint = await page.evaluate(
      () => new Promise<number>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now())))),
    );
    const pans = await page.evaluate((frames) => {
      const viz = window.simlabViz as { trace: { start: number; end: number }; show(a: number, b: number): void; pan(dx: number): void; timeline: { base: HTMLCanvasElement } };
      const span = (viz.trace.end - viz.trace.start) / 10;
      viz.show(viz.trace.start + span, viz.trace.start + 2 * span);
      const ctx = viz.timeline.base.getContext("2d")!;
      const times: number[] = [];
      for (let i = 0; i < frames; i++) {
        const t0 = performance.now();
        viz.pan(40);
        ctx.getImageData(0, 0, 1, 1);
        times.push(performance.now() - t0);
      }
      return times;
    }, FRAMES);
    const steps = await page.evaluate((frames) => {
      const viz = window.simlabViz as { timeline: { drawNow(): void; top: HTMLCanvasElement } };
      const ctx = viz.timeline.top.getContext("2d")!;
      const times: number[] = [];
      for (let i = 0; i < frames; i++) {
        const t0 = performance.now();
        document.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowRight", bubbles: true }));
        viz.timeline.drawNow();
        void document.getElementById("state")!.offsetHeight; // the table's layout, too
        ctx.getImageData(0, 0, 1, 1);
        times.push(performance.now() - t0);
      }
      return times;
    }, FRAMES);
    const result = {
      bench: "viz",
      test: name,
      events: data.events.time.length,
      messages: data.messages.rpc.length,
      file_mb: Number((statSync(file).size / 1e6).toFixed(2)),
      replay_s: Number(plainS.toFixed(2)),
      generate_s: Number((observedS - plainS + dataS + htmlS).toFixed(2)),
      observe_extra_s: Number((observedS - plainS).toFixed(2)),
      data_s: Number(dataS.toFixed(2)),
      html_s: Number(htmlS.toFixed(2)),
      replay_command_s: Number(replayCommandS.toFixed(2)),
      viz_command_s: Number(vizCommandS.toFixed(2)),
      first_paint_ms: Math.round(firstPaint),
      pan_median_ms: Number(median(pans).toFixed(1)),
      pan_worst_ms: Number(Math.max(...pans).toFixed(1)),
      step_median_ms: Number(median(steps).toFixed(1)),
      step_worst_ms: Number(Math.max(...steps).toFixed(1)),
    };
    console.log(`${name} seed ${seed}: ${result.events} events, ${result.messages} messages; page ${result.file_mb} MB in ${file}`);
    console.log(`generate ${result.generate_s} s of CPU (observing +${result.observe_extra_s} s, data ${result.data_s} s, html ${result.html_s} s) on a ${result.replay_s} s replay`);
    console.log(`commands: simlab viz ${result.viz_command_s} s, simlab replay ${result.replay_command_s} s`);
    console.log(`first paint ${result.first_paint_ms} ms; pan median ${result.pan_median_ms} ms, worst ${result.pan_worst_ms} ms; cursor step median ${result.step_median_ms} ms, worst ${result.step_worst_ms} ms`);
    return result;
  } finally {
    await browser.close();
  }
}
