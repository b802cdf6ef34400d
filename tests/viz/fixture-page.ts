// The debugger page of the fixture run (TestAckBeforeCommitXV, seed 1: fixtures/), made the way
// `simlab viz` makes it, for the page's tests. The run is made once per test file.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { RunReport } from "../registry.ts";
import { replayCommand, vizCommand } from "../registry.ts";
import { pageHtml } from "../../sim/trace/viz/html-page.ts";
import { runPageData } from "../../sim/trace/viz/page-model.ts";
import type { PageData } from "../../sim/trace/viz/page-data.ts";
import { tests } from "./fixtures/ack-before-commit-part.ts";

export const FIXTURE_SEED = 1;

export interface FixturePage {
  report: RunReport;
  data: PageData;
  /** The HTML file, under .simlab/artifacts/ (kept, with the screenshots, after the tests). */
  file: string;
}

export const artifactsDir = join(import.meta.dirname, "..", "..", ".simlab", "artifacts");

export async function fixturePage(): Promise<FixturePage> {
  const test = tests[0]!;
  const report = await test.run(FIXTURE_SEED, { observe: true });
  const data = runPageData(report.journal!, {
    test: test.name,
    seed: FIXTURE_SEED,
    passed: report.passed,
    failure: report.failure ?? null,
    replay: replayCommand(test.part, test.name, FIXTURE_SEED),
    viz: vizCommand(test.name, FIXTURE_SEED),
    virtualMs: report.virtualMs,
    schedulerEvents: report.events,
    journalHash: report.journalHash,
  });
  mkdirSync(artifactsDir, { recursive: true });
  const file = join(artifactsDir, `${test.name}-seed${FIXTURE_SEED}.html`);
  writeFileSync(file, pageHtml(data));
  return { report, data, file };
}
