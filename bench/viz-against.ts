// `npm run bench -- viz-against [--rev REV] [--repeats N]`: the debugger page's generation in this
// tree against a git revision's (default HEAD: the last commit), for a change that must not change
// the page. For three runs — the largest trace in the labs (TestSnapshotRecoverManyClients3B),
// a KV server that fails its checker with crashes and partitions (TestAckBeforeCommitXV) and a
// scenario that holds messages (scenarios/vote-request-held-past-its-term.yaml), all seed 1 and
// observed once, by this tree — it checks that both make the same page data (its JSON, byte for
// byte, with typed columns written as arrays) and the same HTML, then times building the data
// and the HTML of the largest run with each, in CPU seconds, alternating the two, the minimum of
// N passes (support/cpu-time.ts).
//
// The revision's sim/ is unpacked with `git archive` under .simlab/bench/ (beside this tree's
// node_modules), so this needs a git checkout that has the revision; this tree's sim/ is copied
// there too (treeModules says why).
//
//   identical         per run: {data, html}, whether the revision's page data and HTML are this
//                     tree's (a change of the data's packing changes the HTML alone)
//   data_cpu_s        building the page data of the largest run: {rev, tree}
//   html_cpu_s        writing its HTML: {rev, tree}
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parts } from "../tests/registry.ts";
import { loadScenarioFile } from "../tests/scenario/load.ts";
import { scenarioFileTest } from "../tests/scenario/run-scenario.ts";
import { tests as ackBeforeCommit } from "../tests/viz/fixtures/ack-before-commit-part.ts";
import type { RunFacts } from "../sim/trace/viz/page-model.ts";
import type { PageData } from "../sim/trace/viz/page-data.ts";
import type { LabTest } from "../tests/registry.ts";
import { alternatingMinimum } from "./support/cpu-time.ts";
import { numberOption } from "./support/repetitions.ts";

interface PageMaker {
  runPageData(entries: readonly unknown[], facts: RunFacts): PageData;
  pageHtml(data: PageData): string;
}

/** The revision's page modules, unpacked from git. */
async function revisionModules(rev: string): Promise<{ sha: string; maker: PageMaker }> {
  let sha: string;
  try {
    sha = execFileSync("git", ["rev-parse", "--short", `${rev}^{commit}`], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
  } catch {
    throw new Error(`viz-against: "${rev}" is not a commit of this git checkout; give --rev a commit, branch or tag (git log lists them)`);
  }
  const dir = resolve(".simlab", "bench", `rev-${sha}`);
  if (!existsSync(join(dir, "sim"))) {
    mkdirSync(dir, { recursive: true });
    execFileSync("sh", ["-c", `git archive ${sha} sim | tar -x -C "${dir}"`]);
  }
  return { sha, maker: await pageMakerIn(dir) };
}

/**
 * This tree's page modules, from a copy of its sim/ made now. Not the modules this process ran
 * the tests with: those (sim/core's formatting, the trace filters) have seen every kind of value
 * the run had, and V8 runs them slower than the revision's fresh copies, which would favour the
 * revision by a tenth of a second or more.
 */
async function treeModules(): Promise<PageMaker> {
  const dir = resolve(".simlab", "bench", "tree");
  rmSync(dir, { recursive: true, force: true });
  cpSync("sim", join(dir, "sim"), { recursive: true });
  return pageMakerIn(dir);
}

async function pageMakerIn(dir: string): Promise<PageMaker> {
  const model = (await import(pathToFileURL(join(dir, "sim", "trace", "viz", "page-model.ts")).href)) as Pick<PageMaker, "runPageData">;
  const html = (await import(pathToFileURL(join(dir, "sim", "trace", "viz", "html-page.ts")).href)) as Pick<PageMaker, "pageHtml">;
  return { runPageData: model.runPageData, pageHtml: html.pageHtml };
}

export default async function vizAgainstBench(args: string[]): Promise<Record<string, unknown>> {
  const rev = args.includes("--rev") ? args[args.indexOf("--rev") + 1]! : "HEAD";
  const repeats = numberOption(args, "repeats", 5);
  const { sha, maker: revision } = await revisionModules(rev);
  const mine = await treeModules();

  const scenario = join("scenarios", "vote-request-held-past-its-term.yaml");
  const largest = (await parts["3B"]!()).find((t) => t.name === "TestSnapshotRecoverManyClients3B")!;
  const runs: [string, LabTest][] = [
    [largest.name, largest],
    [ackBeforeCommit[0]!.name, ackBeforeCommit[0]!],
    [scenario, scenarioFileTest(loadScenarioFile(scenario), scenario)],
  ];
  const identical: Record<string, { data: boolean; html: boolean }> = {};
  let timings: Record<string, unknown> = {};
  for (const [label, test] of runs) {
    const report = await test.run(1, { observe: true });
    const facts: RunFacts = {
      test: test.name, seed: 1, passed: report.passed, failure: report.failure ?? null, replay: null, viz: null,
      virtualMs: report.virtualMs, schedulerEvents: report.events, journalHash: report.journalHash,
    };
    const entries = report.journal!;
    const [before, after] = [revision.runPageData(entries, facts), mine.runPageData(entries, facts)];
    const [beforeJson, afterJson] = [dataJson(before), dataJson(after)];
    const sameData = beforeJson === afterJson;
    const sameHtml = revision.pageHtml(before) === mine.pageHtml(after);
    identical[label] = { data: sameData, html: sameHtml };
    const verdict = !sameData ? firstDifference(beforeJson, afterJson) : sameHtml ? "identical" : "the same page data, a different HTML file (a change of how the data is written)";
    console.log(`${label}: ${entries.length} journal entries, page data ${(afterJson.length / 1e6).toFixed(1)} MB as JSON; ${verdict}`);
    if (test !== largest) continue;
    const data = await alternatingMinimum(repeats, { rev: () => revision.runPageData(entries, facts), tree: () => mine.runPageData(entries, facts) });
    const html = await alternatingMinimum(repeats, { rev: () => revision.pageHtml(before), tree: () => mine.pageHtml(after) });
    const s = (x: number): number => Number(x.toFixed(3));
    timings = { data_cpu_s: { rev: s(data.rev.s), tree: s(data.tree.s) }, html_cpu_s: { rev: s(html.rev.s), tree: s(html.tree.s) } };
    console.log(`${label}, CPU s (min of ${repeats}, alternating): data ${s(data.rev.s)} at ${sha}, ${s(data.tree.s)} here; html ${s(html.rev.s)} at ${sha}, ${s(html.tree.s)} here`);
  }
  return { bench: "viz-against", rev: sha, identical, ...timings };
}

/** The page data as JSON, its typed columns (page-data.ts) written as arrays: a revision that kept them in arrays writes the same. */
function dataJson(data: PageData): string {
  return JSON.stringify(data, (_key, value: unknown) => (ArrayBuffer.isView(value) ? Array.from(value as unknown as ArrayLike<number>) : value));
}

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `DIFFERENT from character ${i}: ${JSON.stringify(a.slice(Math.max(0, i - 60), i + 60))} at the revision, ${JSON.stringify(b.slice(Math.max(0, i - 60), i + 60))} here`;
}
