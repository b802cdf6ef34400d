// `npm run bench -- viz [--test NAME] [--seed N] [--passes N] [--generate-only]`: the debugger page
// of the largest trace in the labs (TestSnapshotRecoverManyClients3B, seed 1, by default): what
// generating it costs, and how it behaves in headless Chromium.
//
// What generating the page adds to the replay is measured in child processes
// (support/viz-pass.ts), never in this one: PASSES pairs of one "replay" process (the run as
// `simlab replay` makes it, keeping its journal, nothing printed) and one "page" process (the run
// as `simlab viz` makes it, observed, then the page's data, its bundled script, the HTML and the
// file), the order reversed every other pair (R P, P R, R P, …). Each process starts from nothing,
// so neither is charged the other's garbage, its heap or its JIT's state, and they do the same
// work but the page's. A pair's difference is page minus replay, in wall seconds (timed around the
// process) and in CPU seconds (the process's own and its children's, esbuild's included, from
// /proc: support/cpu-time.ts). The figures are the medians over the pairs, with the smallest and
// largest difference beside them: a spread wider than the median says the machine was too busy
// for the figure to mean much. (The earlier way, an observed run minus a journal-keeping run in
// one process, the minimum of three CPU figures each, came out negative twice: the two minimums
// are of two different ten-second runs whose CPU time moves by a second with the load, and the
// minimum of each cancels none of that; runs in one process also share a heap that grows with
// every report kept.)
//
//   load_avg            the one-minute load average before the first pair and after the last
//   generate_s          median of the pairs' wall differences (the issue's "adds ≤ 1 s to the
//                       replay"); generate_cpu_s the same in CPU seconds; *_spread_s [min, max]
//   parts_s             the page process's steps, medians in wall seconds: observing (its run minus
//                       the replay process's run), data, bundle (esbuild), html (packing, gzip,
//                       base64), write; parts_cpu_s the same in CPU seconds (bundle: Node's
//                       share only, the rest is esbuild's own process)
//   replay_s            the replay process's run, median wall seconds
//   viz_command_s       the whole `simlab viz TEST --seed N` command, and replay_command_s the whole
//                       `simlab replay TEST --seed N` (output to /dev/null, its columns printed), as
//                       a student runs them (each a median of 3, wall time)
//   file_mb             the HTML file's size
//   first_paint_ms      from navigation to the first complete frame (data inflated and parsed,
//                       indexes built, every view drawn, two animation frames later)
//   pan_*_ms            frames of a drag across a window a tenth of the run wide (redraw of the base
//                       layer, forced to finish with a one-pixel readback)
//   step_*_ms           cursor steps (→ key): overlay layer, state table, event list
//
// --generate-only stops after the generation figures (no commands, no browser).
// Targets on our 2-core machine: first paint ≤ 2 s, pan median ≤ 33 ms, step ≤ 16 ms, file
// ≤ 15 MB, generating the page ≤ 1 s more than the replay.
import { execFileSync } from "node:child_process";
import { openSync, closeSync, statSync, mkdirSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { browserMissing, launchChromium } from "../tests/viz/browser.ts";
import { endedChildrenCpuSeconds } from "./support/cpu-time.ts";
import { median, numberOption } from "./support/repetitions.ts";
import type { PassSteps } from "./support/viz-pass.ts";

const FRAMES = 30;
const REPEATS = 3;

interface Pass extends PassSteps {
  wall: number;
  cpu: number;
}

/** One pass of support/viz-pass.ts in a child process, timed from outside. */
function pass(mode: "replay" | "page", name: string, seed: number, out: string): Pass {
  const cpuBefore = endedChildrenCpuSeconds();
  const started = performance.now();
  const stdout = execFileSync(process.execPath, ["--import", "tsx", join("bench", "support", "viz-pass.ts"), mode, name, String(seed), out], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 1 << 26,
  });
  const wall = (performance.now() - started) / 1000;
  const cpuAfter = endedChildrenCpuSeconds();
  const steps = JSON.parse(stdout.trim().split("\n").pop()!) as PassSteps;
  // Without /proc, the child's own count (esbuild's process left out).
  const cpu = cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : Object.values(steps.steps).reduce((sum, s) => sum + s.cpu, 0);
  return { ...steps, wall, cpu };
}

const round = (x: number): number => Number(x.toFixed(2));
const spread = (xs: number[]): [number, number] => [round(Math.min(...xs)), round(Math.max(...xs))];

export default async function vizBench(args: string[]): Promise<Record<string, unknown>> {
  const name = args.includes("--test") ? args[args.indexOf("--test") + 1]! : "TestSnapshotRecoverManyClients3B";
  const seed = numberOption(args, "seed", 1);
  const passes = numberOption(args, "passes", 5);
  if (!Number.isInteger(passes) || passes < 1) throw new Error(`--passes ${passes}: give a whole number of pairs, 1 or more (5 by default)`);
  const generateOnly = args.includes("--generate-only");
  if (!generateOnly) {
    const missing = browserMissing();
    if (missing !== undefined) throw new Error(`the viz benchmark needs a browser: ${missing} (--generate-only measures the generation alone)`);
  }
  const dir = join(".simlab", "bench");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}-seed${seed}.html`);

  const loadBefore = loadavg()[0]!;
  const pairs: { replay: Pass; page: Pass }[] = [];
  for (let i = 0; i < passes; i++) {
    const order: ("replay" | "page")[] = i % 2 === 0 ? ["replay", "page"] : ["page", "replay"];
    const done: Partial<Record<"replay" | "page", Pass>> = {};
    for (const mode of order) done[mode] = pass(mode, name, seed, file);
    const { replay, page } = done as { replay: Pass; page: Pass };
    if (page.journalHash !== replay.journalHash) throw new Error(`observing changed the run's journal hash (${replay.journalHash} → ${page.journalHash})`);
    pairs.push({ replay, page });
    console.log(
      `pair ${i + 1}/${passes}: page ${page.wall.toFixed(2)} s wall, ${page.cpu.toFixed(2)} s CPU; replay ${replay.wall.toFixed(2)} s, ${replay.cpu.toFixed(2)} s; ` +
        `adds ${(page.wall - replay.wall).toFixed(2)} s wall, ${(page.cpu - replay.cpu).toFixed(2)} s CPU`,
    );
  }
  const wallDiffs = pairs.map((p) => p.page.wall - p.replay.wall);
  const cpuDiffs = pairs.map((p) => p.page.cpu - p.replay.cpu);
  const partMedians = (measure: "wall" | "cpu"): Record<string, number> => {
    const out: Record<string, number> = { observing: round(median(pairs.map((p) => p.page.steps.run![measure] - p.replay.steps.run![measure]))) };
    for (const label of ["data", "bundle", "html", "write"]) out[label] = round(median(pairs.map((p) => p.page.steps[label]![measure])));
    return out;
  };
  const generation = {
    bench: "viz",
    test: name,
    events: pairs[0]!.page.events,
    messages: pairs[0]!.page.messages,
    file_mb: Number((statSync(file).size / 1e6).toFixed(2)),
    passes,
    load_avg: [round(loadBefore), round(loadavg()[0]!)],
    replay_s: round(median(pairs.map((p) => p.replay.steps.run!.wall))),
    generate_s: round(median(wallDiffs)),
    generate_spread_s: spread(wallDiffs),
    generate_cpu_s: round(median(cpuDiffs)),
    generate_cpu_spread_s: spread(cpuDiffs),
    parts_s: partMedians("wall"),
    parts_cpu_s: partMedians("cpu"),
  };
  const parts = (p: Record<string, number>): string => Object.entries(p).map(([k, v]) => `${k} ${v}`).join(", ");
  console.log(`${name} seed ${seed}: ${generation.events} events, ${generation.messages} messages; page ${generation.file_mb} MB in ${file}`);
  console.log(
    `generating the page adds ${generation.generate_s} s wall (pairs ${generation.generate_spread_s.join("–")}), ${generation.generate_cpu_s} s CPU ` +
      `(${generation.generate_cpu_spread_s.join("–")}) to a ${generation.replay_s} s replay, median of ${passes} pairs`,
  );
  console.log(`  wall: ${parts(generation.parts_s)}; CPU: ${parts(generation.parts_cpu_s)}`);
  const [low, high] = generation.generate_spread_s;
  if (high - low > Math.abs(generation.generate_s)) {
    console.log(
      `  note: the pairs' differences spread over ${round(high - low)} s, more than their median: the machine was too busy ` +
        `(load average ${generation.load_avg.join(" → ")} on ${availableParallelism()} cores) for this figure to mean much; measure on a quiet machine`,
    );
  }
  if (generateOnly) return generation;

  const seconds = <T>(work: () => T): number => {
    const runs: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      const started = performance.now();
      work();
      runs.push((performance.now() - started) / 1000);
    }
    return median(runs);
  };

  // The two commands as a student types them, each in its own process (start-up included).
  const cli = join("labs", "cli", "simlab.mjs");
  const command = (words: string[]): number => {
    const out = openSync("/dev/null", "w");
    try {
      return seconds(() => execFileSync(process.execPath, [cli, ...words], { stdio: ["ignore", out, "inherit"] }));
    } finally {
      closeSync(out);
    }
  };
  const replayCommandS = command(["replay", name, "--seed", String(seed)]);
  const vizCommandS = command(["viz", name, "--seed", String(seed), "--out", join(dir, `${name}-seed${seed}-command.html`)]);

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
      ...generation,
      replay_command_s: round(replayCommandS),
      viz_command_s: round(vizCommandS),
      first_paint_ms: Math.round(firstPaint),
      pan_median_ms: Number(median(pans).toFixed(1)),
      pan_worst_ms: Number(Math.max(...pans).toFixed(1)),
      step_median_ms: Number(median(steps).toFixed(1)),
      step_worst_ms: Number(Math.max(...steps).toFixed(1)),
    };
    console.log(`commands: simlab viz ${result.viz_command_s} s, simlab replay ${result.replay_command_s} s`);
    console.log(`first paint ${result.first_paint_ms} ms; pan median ${result.pan_median_ms} ms, worst ${result.pan_worst_ms} ms; cursor step median ${result.step_median_ms} ms, worst ${result.step_worst_ms} ms`);
    return result;
  } finally {
    await browser.close();
  }
}
