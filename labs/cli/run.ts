// simlab run <part|test> [--seed N]: one seed of every test of a part (or of one test), through
// the registry — the same tests `npm test` runs, without vitest.
import { formatVirtualTime } from "../../sim/index.ts";
import { selectTests } from "./catalog.ts";
import type { Command } from "./command.ts";
import { exportsFrom, type ExportedRun } from "./exports.ts";
import { readOptions, wholeNumber } from "./options.ts";

const usage = `usage: simlab run <part|test> [--seed N] [--trace FILE] [--shiviz FILE]

Runs every test of a part (2A, 2B, …) or one test by its 6.824 name (TestBackup2B) for one
seed, printing each test's lines and PASS or FAIL; a failure prints its whole report.

options:
  --seed N         the seed (default 1, as in \`npm test\`)
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
      { seed: { type: "string" }, trace: { type: "string" }, shiviz: { type: "string" } },
      { min: 1, max: 1, what: "one part or test, e.g. simlab run 2A" },
    );
    const seed = wholeNumber("--seed", values.seed, 1);
    const exports = exportsFrom(values);
    const selection = await selectTests(positionals[0]!);

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
