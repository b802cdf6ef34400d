// The debugger page of a scenario file's run (scenarios/*.yaml), made the way `simlab viz
// --scenario FILE --seed N` makes it, for the page's tests: the run, its page data and the HTML
// file under .simlab/artifacts/.
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { loadScenarioFile } from "../scenario/load.ts";
import { scenarioFileTest } from "../scenario/run-scenario.ts";
import { pageHtml } from "../../sim/trace/viz/html-page.ts";
import { runPageData } from "../../sim/trace/viz/page-model.ts";
import { artifactsDir, type FixturePage } from "./fixture-page.ts";

export async function scenarioPage(file: string, seed: number): Promise<FixturePage> {
  const test = scenarioFileTest(loadScenarioFile(file), file);
  const report = await test.run(seed, { observe: true });
  const data = runPageData(report.journal!, {
    test: test.name,
    seed,
    passed: report.passed,
    failure: report.failure ?? null,
    replay: test.commands?.rerun(seed) ?? null,
    viz: test.commands?.viz(seed) ?? null,
    virtualMs: report.virtualMs,
    schedulerEvents: report.events,
    journalHash: report.journalHash,
  });
  mkdirSync(artifactsDir, { recursive: true });
  const out = join(artifactsDir, `${basename(file, ".yaml")}-seed${seed}.html`);
  writeFileSync(out, pageHtml(data));
  return { report, data, file: out };
}
