// simlab run <part|test> [--seed N]: one seed of every test of a part (or of one test), through
// the registry — the same tests `npm test` runs, without vitest. simlab run --scenario FILE runs
// the run a scenario file describes (docs/scenarios.md).
import { formatVirtualTime } from "../../sim/index.ts";
import { selectTarget } from "./catalog.ts";
import type { Command } from "./command.ts";
import { exportsFrom, type ExportedRun } from "./exports.ts";
import { readOptions, wholeNumber } from "./options.ts";

const usage = `usage: simlab run <part|test> [--seed N] [--trace FILE] [--shiviz FILE]
       simlab run --scenario FILE [--seed N] [--trace FILE] [--shiviz FILE]

Runs every test of a part (2A, 2B, …) or one test by its 6.824 name (TestBackup2B) for one
seed, printing each test's lines and PASS or FAIL; a failure prints its whole report.
With --scenario, runs the scenario file instead (docs/scenarios.md): the seed draws whatever
the file leaves random.

options:
  --seed N         the seed (default 1, as in \`npm test\`)
  --scenario FILE  a scenario file (YAML or JSON), e.g. scenarios/figure8-short.yaml
  --trace FILE     write every journal entry as JSON lines (time, node, kind, topic, detail;
                   with several tests, each line also names its test)
  --shiviz FILE    write a ShiViz log (vector clocks from the RPCs); see simlab replay --help

exit code: 0 all passed, 1 some test failed, 2 bad input`;

export const runCommand: Command = {
  name: "run",
  summary: "run one seed of a part's tests (or of one test)",
  usage,
  async run(args) {
    const { values, positionals } = readOptions(
      "run",
      args,
      { seed: { type: "string" }, trace: { type: "string" }, shiviz: { type: "string" }, scenario: { type: "string" } },
    );
    const seed = wholeNumber("--seed", values.seed, 1);
    const exports = exportsFrom(values);
    const selection = await selectTarget("run", values.scenario, positionals, "simlab run 2A");

    let failed = 0;
    const exported: ExportedRun[] = [];
    for (const test of selection.tests) {
      const report = await test.run(seed, { keepJournal: exports.wanted, print: (line) => console.log(line) });
      const verdict = report.passed ? "PASS" : "FAIL";
      console.log(`${verdict} ${test.name}  (seed ${seed}, ${formatVirtualTime(report.virtualMs)} virtual, ${report.events} events)`);
      if (!report.passed) {
        failed++;
        console.log(report.failure);
      }
      if (report.journal !== undefined) exported.push({ test: test.name, seed, journal: report.journal });
    }
    for (const line of exports.write(exported)) console.log(line);
    if (selection.tests.length > 1) {
      console.log(`${selection.label}: ${selection.tests.length - failed} passed, ${failed} failed (seed ${seed})`);
    }
    return failed > 0 ? 1 : 0;
  },
};
