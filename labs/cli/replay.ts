// simlab replay <test> --seed N: one seed with the whole journal, printed as one column per node
// (or the run of a scenario file: simlab replay --scenario FILE).
// simlab replay --choices FILE: the same for an explored run, from its choice file (choice-file.ts).
import { formatVirtualTime, UsageError } from "../../sim/index.ts";
import { columnsIn, labelOf, matches, renderColumns, selectColumns, shivizRegex, type TraceFilter } from "../../sim/trace/index.ts";
import { selectTarget } from "./catalog.ts";
import { compareWithFile, readChoiceFile, replayChoiceFile } from "./choice-file.ts";
import type { Command } from "./command.ts";
import type { LabTest, RunReport } from "../../tests/registry.ts";
import { exportsFrom } from "./exports.ts";
import { colorLevel, list, readOptions, virtualTime, wholeNumber } from "./options.ts";

const usage = `usage: simlab replay <test> [--seed N] [--nodes LIST] [--topics LIST] [--from T] [--to T]
                     [--width W] [--trace FILE] [--shiviz FILE]
       simlab replay --scenario FILE [--seed N] [the same filters and exports]
       simlab replay --choices FILE [the same options but --seed]

Runs one test for one seed keeping its whole journal, and prints it with one column per node
(raft-0 | raft-1 | raft-2 | tester) and the virtual time on the left, then the test's own lines
and, if it failed, the failure report. A run is a function of its seed: the same seed prints the
same lines every time.

Each row is one journal entry in its node's column: a log line under its topic (vote, role, …),
or a network event — send (a request leaves), deliver (it reaches the server), reply (the answer
is back), drop / reply-drop (lost on the way), rpc-fail (the call failed) — written
"Method #id → peer" (outgoing) or "Method #id ← peer" (incoming); #id links a call's send,
deliver and reply. crash and start mark a node's failure and restart (raft-1#1 is its second
incarnation).

With --choices, the run is an explored one (simlab explore saved it): its test, seed, mutant
and every scheduling choice come from the file, and the last line says whether the replay gave
the journal hash the file recorded.

options:
  --seed N         the seed (default 1)
  --scenario FILE  replay a scenario file's run instead of a test (docs/scenarios.md); its
                   timeline's steps are journaled under the topic "scenario"
  --choices FILE   replay the run a choice file holds (instead of <test> and --seed)
  --nodes LIST     only these columns: names (raft-0,tester) or numbers (0,2 picks raft-0 and
                   raft-2)
  --topics LIST    only these log topics or entry kinds (vote,role,send)
  --from T         only entries at or after this virtual time: 1500 or 1500ms, or 1.5s
  --to T           only entries at or before this virtual time
  --width W        line width (default: the terminal's, or 160 when not a terminal)
  --trace FILE     write every entry as JSON lines: {time, node, kind, topic, detail}; an RPC's
                   detail is {rpc, method, from, to}
  --shiviz FILE    write a ShiViz log (https://bestchai.bitbucket.io/shiviz/) with vector clocks
                   derived from the RPCs; its first line is the parser regex
                   ${shivizRegex}
                   (ShiViz reads it from the file; paste it if you paste the log instead)
The filters change only what is printed; the exports hold every entry. Without --nodes, a node
with no entry left to show gets no column.

Colors follow the terminal; NO_COLOR=1 or a pipe turns them off.
exit code: 0 the test passed, 1 it failed, 2 bad input`;

export const replayCommand: Command = {
  name: "replay",
  summary: "rerun one seed of a test and print its journal as per-node columns",
  usage,
  async run(args) {
    const { values, positionals } = readOptions(
      "replay",
      args,
      {
        seed: { type: "string" },
        nodes: { type: "string" },
        topics: { type: "string" },
        from: { type: "string" },
        to: { type: "string" },
        width: { type: "string" },
        trace: { type: "string" },
        shiviz: { type: "string" },
        scenario: { type: "string" },
        choices: { type: "string" },
      },
    );
    if (values.choices !== undefined && (positionals.length > 0 || values.seed !== undefined || values.scenario !== undefined)) {
      throw new UsageError(`replay --choices takes no test, --scenario or --seed: the choice file names the run (see simlab replay --help).`);
    }
    const nodes = list("--nodes", values.nodes);
    const topics = list("--topics", values.topics);
    const fromMs = virtualTime("--from", values.from);
    const toMs = virtualTime("--to", values.to);
    if (fromMs !== undefined && toMs !== undefined && fromMs > toMs) {
      throw new UsageError(`--from ${values.from} is after --to ${values.to}.`);
    }
    const width = wholeNumber("--width", values.width, process.stdout.isTTY ? process.stdout.columns : 160, 40);
    const exports = exportsFrom(values);
    const printed: string[] = [];
    const runOptions = { keepJournal: true, print: (line: string) => printed.push(line) };
    let seed: number;
    let test: LabTest;
    let report: RunReport;
    let matchesFile: string | undefined;
    if (values.choices !== undefined) {
      const path = String(values.choices);
      const file = readChoiceFile(path);
      ({ test, report } = await replayChoiceFile(path, file, runOptions));
      seed = file.seed;
      matchesFile = `${path}${file.mutant === null ? "" : ` (mutant ${file.mutant})`}: ${compareWithFile(file, report)}`;
    } else {
      seed = wholeNumber("--seed", values.seed, 1);
      const selection = await selectTarget("replay", values.scenario, positionals, "simlab replay TestReElection2A --seed 3");
      if (selection.tests.length !== 1) {
        throw new UsageError(
          `replay takes one test; part ${selection.label} has ${selection.tests.map((t) => t.name).join(", ")}.`,
        );
      }
      test = selection.tests[0]!;
      report = await test.run(seed, runOptions);
    }
    const journal = report.journal ?? [];

    const allColumns = columnsIn(journal);
    const filter: TraceFilter = {};
    let columns = allColumns;
    if (nodes !== undefined) {
      const { selected, unmatched } = selectColumns(nodes, allColumns);
      if (unmatched.length > 0) {
        throw new UsageError(`--nodes ${unmatched.join(",")}: no such node in this run; the nodes are ${allColumns.join(", ")}.`);
      }
      filter.nodes = selected;
      columns = allColumns.filter((column) => selected.has(column));
    }
    if (topics !== undefined) {
      filter.topics = new Set(topics);
      const seen = new Set(journal.flatMap((entry) => [labelOf(entry), entry.kind]));
      const unseen = topics.filter((topic) => !seen.has(topic));
      if (unseen.length > 0) {
        console.error(`simlab: note: no entries with topic or kind ${unseen.join(", ")} in this run (present: ${[...seen].sort().join(", ")})`);
      }
    }
    if (fromMs !== undefined) filter.fromMs = fromMs;
    if (toMs !== undefined) filter.toMs = toMs;

    const shown = journal.filter((entry) => matches(entry, filter));
    // Without --nodes, a node with nothing left to show after the filters gets no column.
    if (nodes === undefined) columns = columnsIn(shown);
    console.log(`${test.name}, seed ${seed}: ${shown.length} of ${journal.length} journal entries`);
    for (const line of renderColumns(shown, { width, columns, colorLevel: colorLevel() })) console.log(line);
    console.log("");
    for (const line of printed) console.log(line);
    console.log(`${report.passed ? "PASS" : "FAIL"} ${test.name}  (seed ${seed}, ${formatVirtualTime(report.virtualMs)} virtual, ${report.events} events, journal hash ${report.journalHash})`);
    if (!report.passed) console.log(report.failure);
    if (matchesFile !== undefined) console.log(matchesFile);
    for (const line of exports.write([{ test: test.name, seed, journal }])) console.log(line);
    return report.passed ? 0 : 1;
  },
};
