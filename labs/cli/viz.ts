// simlab viz <test> [--seed N] [--out FILE], simlab viz --choices FILE, or simlab viz --history
// FILE: writes the debugger page, one self-contained HTML file, for one seed of a test (replayed
// here, observed), for an explored run from its choice file, or for a saved history alone.
import { mkdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { formatVirtualTime, UsageError } from "../../sim/index.ts";
import { historyPageData, runPageData } from "../../sim/trace/viz/page-model.ts";
import { pageHtml } from "../../sim/trace/viz/html-page.ts";
import type { PageData } from "../../sim/trace/viz/page-data.ts";
import { replayCommand, vizCommand as vizCommandLine } from "../../tests/registry.ts";
import { selectTarget } from "./catalog.ts";
import { compareWithFile, readChoiceFile, replayChoiceFile, replayChoicesCommand, vizChoicesCommand } from "./choice-file.ts";
import { readHistory } from "./check.ts";
import type { Command } from "./command.ts";
import { describeIoError, readOptions, wholeNumber } from "./options.ts";

const usage = `usage: simlab viz <test> [--seed N] [--out FILE]
       simlab viz --scenario FILE [--seed N] [--out FILE]
       simlab viz --choices FILE [--out FILE]
       simlab viz --history FILE [--out FILE]

Replays one seed of a test (a failing seed, usually: its report prints this command) and writes
the debugger page: one HTML file with everything inlined, to open in a browser (file:// works)
or to mail. It shows the nodes' roles and terms, crashes, partitions, every message with its
fate, the clients' operations and the linearizability checker's verdict for each key, on one
time axis; the page's header lists its keys and controls.

With --choices, the page shows an explored run (simlab explore saved it), replayed from its
choice file: its test, seed, mutant and every scheduling choice come from the file.

With --history, the page shows a saved history alone (such as the KV graders' files under
.simlab/histories/): the clients' operations in file order and each key's verdict.

options:
  --seed N          the seed (default 1)
  --scenario FILE   replay a scenario file's run instead of a test (docs/scenarios.md)
  --out FILE        where to write the page (default .simlab/viz/<test>-seed<N>.html, or
                    .simlab/viz/<history file name>-history.html, beside the run's own page)
  --choices FILE    an explored run's choice file (default page .simlab/viz/<file name>.html)
  --history FILE    a key/value history (JSON lines, Porcupine's or Jepsen's format)

exit code: 0 the page was written (whatever the test's verdict), 2 bad input`;

export const vizCommand: Command = {
  name: "viz",
  summary: "write the debugger page (one HTML file) for one seed of a test, or for a history",
  usage,
  async run(args) {
    const { values, positionals } = readOptions("viz", args, {
      seed: { type: "string" },
      out: { type: "string" },
      history: { type: "string" },
      scenario: { type: "string" },
      choices: { type: "string" },
    });
    if (values.choices !== undefined) {
      if (positionals.length > 0 || values.seed !== undefined || values.history !== undefined || values.scenario !== undefined) {
        throw new UsageError(`viz --choices takes no test, --scenario, --seed or --history: the choice file names the run (see simlab viz --help).`);
      }
      const path = String(values.choices);
      const file = readChoiceFile(path);
      const { test, report } = await replayChoiceFile(path, file, { observe: true });
      const out = String(values.out ?? join(".simlab", "viz", `${path.split(/[\\/]/).pop()!.replace(/\.[^.]*$/, "")}.html`));
      const started = performance.now();
      const data = runPageData(report.journal ?? [], {
        test: test.name,
        seed: file.seed,
        passed: report.passed,
        failure: report.failure ?? null,
        replay: replayChoicesCommand(path),
        viz: vizChoicesCommand(path),
        virtualMs: report.virtualMs,
        schedulerEvents: report.events,
        journalHash: report.journalHash,
      });
      const verdict = `${report.passed ? "PASS" : "FAIL"} ${test.name}  (${path}, ${formatVirtualTime(report.virtualMs)} virtual, ${report.events} events; ${compareWithFile(file, report)})`;
      write(out, data, started, `${verdict}; ${data.events.time.length} page events, ${describeVerdicts(data)}`);
      return 0;
    }
    if (values.history !== undefined) {
      if (positionals.length > 0 || values.seed !== undefined) {
        throw new UsageError(`viz --history takes no test and no --seed (see simlab viz --help).`);
      }
      const file = String(values.history);
      const history = readHistory(file);
      if (history.model === "register") throw new UsageError(`viz --history shows key/value histories; ${file} holds register operations.`);
      const started = performance.now();
      const data = historyPageData(history.model === "kv" ? history.events : [], file);
      const out = String(values.out ?? join(".simlab", "viz", `${file.split(/[\\/]/).pop()!.replace(/\.[^.]*$/, "")}-history.html`));
      write(out, data, started, `${file}: ${data.ops.row.length} operations, ${describeVerdicts(data)}`);
      return 0;
    }
    const seed = wholeNumber("--seed", values.seed, 1);
    const selection = await selectTarget("viz", values.scenario, positionals, "simlab viz TestBasic3A --seed 3, or --history FILE");
    if (selection.tests.length !== 1) {
      throw new UsageError(`viz takes one test; part ${selection.label} has ${selection.tests.map((t) => t.name).join(", ")}.`);
    }
    const test = selection.tests[0]!;
    const out = String(values.out ?? join(".simlab", "viz", `${test.name}-seed${seed}.html`));
    const report = await test.run(seed, { observe: true });
    const started = performance.now();
    const data = runPageData(report.journal ?? [], {
      test: test.name,
      seed,
      passed: report.passed,
      failure: report.failure ?? null,
      replay: test.commands?.rerun(seed) ?? replayCommand(test.part, test.name, seed),
      viz: test.commands?.viz(seed) ?? vizCommandLine(test.name, seed),
      virtualMs: report.virtualMs,
      schedulerEvents: report.events,
      journalHash: report.journalHash,
    });
    const verdict = `${report.passed ? "PASS" : "FAIL"} ${test.name}  (seed ${seed}, ${formatVirtualTime(report.virtualMs)} virtual, ${report.events} events, journal hash ${report.journalHash})`;
    write(out, data, started, `${verdict}; ${data.events.time.length} page events, ${describeVerdicts(data)}`);
    return 0;
  },
};

function describeVerdicts(data: PageData): string {
  if (data.verdicts.length === 0) return "no history checked";
  const illegal = data.verdicts.filter((v) => v.verdict !== "ok").map((v) => v.key);
  return illegal.length === 0 ? `${data.verdicts.length} keys, all linearizable` : `keys not linearizable: ${illegal.join(", ")}`;
}

function write(out: string, data: PageData, started: number, summary: string): void {
  const html = pageHtml(data);
  try {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, html);
  } catch (error) {
    throw new UsageError(`--out: cannot write ${out}: ${describeIoError(error)}.`);
  }
  const megabytes = (statSync(out).size / 1e6).toFixed(1);
  console.log(summary);
  console.log(`viz: wrote ${out} (${megabytes} MB, made in ${((performance.now() - started) / 1000).toFixed(2)} s); open ${pathToFileURL(resolve(out)).href}`);
}
