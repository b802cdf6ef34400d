// One pass of `npm run bench -- viz`'s generation measurement (bench/viz.ts), in a process of its
// own: `node --import tsx bench/support/viz-pass.ts MODE TEST SEED OUT`.
//
//   MODE replay   the run as `simlab replay` makes it (keepJournal), and nothing else: the replay
//                 without the page (its printing of the columns left out, since the page does
//                 not need it)
//   MODE page     the run as `simlab viz` makes it (observe), then the page's data, the bundled
//                 script, the HTML and the file OUT, as labs/cli/viz.ts does
//
// It prints one JSON line: each step's wall and CPU seconds (process.cpuUsage() of this process;
// esbuild's own process, which the bundling step waits for, is in the parent's count of this
// process's children) and the run's journal hash. The parent (bench/viz.ts) times the whole
// process from outside, so start-up and module loading, the same in both modes, cancel out.
import { writeFileSync } from "node:fs";
import { parts, replayCommand, vizCommand } from "../../tests/registry.ts";
import { runPageData } from "../../sim/trace/viz/page-model.ts";
import { pageHtml, pageScript } from "../../sim/trace/viz/html-page.ts";
import { cpuSeconds } from "./cpu-time.ts";

export interface PassSteps {
  mode: "replay" | "page";
  journalHash: string;
  events: number;
  messages: number;
  /** Seconds per step, in the order they ran: run, then (page only) data, bundle, html, write. */
  steps: Record<string, { wall: number; cpu: number }>;
}

const [mode, name, seedText, out] = process.argv.slice(2);
if ((mode !== "replay" && mode !== "page") || name === undefined || seedText === undefined || (mode === "page" && out === undefined)) {
  console.error("usage: node --import tsx bench/support/viz-pass.ts replay|page TEST SEED [OUT (page)]");
  process.exit(2);
}
const seed = Number(seedText);
const part = /(\d[A-Z])$/.exec(name)?.[1] ?? "";
const test = (await parts[part]?.())?.find((t) => t.name === name);
if (test === undefined) {
  console.error(`viz-pass: no test ${name} (its part is the name's last two characters, such as 3B)`);
  process.exit(2);
}

const steps: PassSteps["steps"] = {};
async function step<T>(label: string, work: () => Promise<T> | T): Promise<T> {
  const [wall, cpu] = [performance.now(), cpuSeconds()];
  const value = await work();
  steps[label] = { wall: (performance.now() - wall) / 1000, cpu: cpuSeconds() - cpu };
  return value;
}

const report = await step("run", () => test.run(seed, mode === "page" ? { observe: true } : { keepJournal: true }));
let events = 0;
let messages = 0;
if (mode === "page") {
  const data = await step("data", () =>
    runPageData(report.journal ?? [], {
      test: name, seed, passed: report.passed, failure: report.failure ?? null, replay: replayCommand(part, name, seed),
      viz: vizCommand(name, seed), virtualMs: report.virtualMs, schedulerEvents: report.events, journalHash: report.journalHash,
    }),
  );
  await step("bundle", () => pageScript());
  const html = await step("html", () => pageHtml(data));
  await step("write", () => writeFileSync(out!, html));
  events = data.events.time.length;
  messages = data.messages.rpc.length;
}
const result: PassSteps = { mode, journalHash: report.journalHash, events, messages, steps };
console.log(JSON.stringify(result));
