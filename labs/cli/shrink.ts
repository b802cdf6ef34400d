// simlab shrink <test> --seed N, or simlab shrink --scenario FILE [--seed N]: minimises a failing
// run with fast-check's shrinking (tests/scenario/shrink.ts) and writes the smallest scenario
// found, with its size before and after. The same input shrinks to the same output.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { formatVirtualTime, UsageError } from "../../sim/index.ts";
import { DEFAULT_MAX_RUNS, shrinkScenario, type RunSize } from "../../tests/scenario/shrink.ts";
import { scenarioToYaml } from "../../tests/scenario/write.ts";
import { selectTarget } from "./catalog.ts";
import type { Command } from "./command.ts";
import { describeIoError, readOptions, wholeNumber } from "./options.ts";

const usage = `usage: simlab shrink <test> --seed N [--max-runs R] [--out FILE]
       simlab shrink --scenario FILE [--seed N] [--max-runs R] [--out FILE]

Minimises a failing run: a test whose faults are drawn from the seed as a scenario (the Figure 8
tests, TestFigure82C and TestFigure8Unreliable2C; the 3A/3B partition tests; 4B's
TestConcurrent1/2/3, TestUnreliable2/3, TestPartitionDuringMigration4B and
TestConcurrentCrashLinearizable4B), or a scenario file. fast-check shrinks the
scenario — fewer timeline steps, shorter sleeps, fewer clients and operations, a reliable
network where the failure does not need loss — keeping only candidates that fail the same way: the same check,
with the same message once its numbers are set aside. Each candidate is one run at the same
seed. Writes the smallest scenario found (and, for a test, the seed's own scenario beside it),
with the sizes before and after: actions, virtual time, events.

options:
  --seed N         the failing seed (default 1)
  --scenario FILE  shrink a scenario file's run instead of a test's
  --max-runs R     stop after R runs, keeping the smallest found (default ${DEFAULT_MAX_RUNS})
  --out FILE       where to write the smallest scenario (default .simlab/shrunk/<name>-seed<N>.yaml)

exit code: 0 a smaller failing scenario was written, 2 bad input (or the run does not fail)`;

export const shrinkCommand: Command = {
  name: "shrink",
  summary: "minimise a failing run to the smallest scenario that fails the same way",
  usage,
  async run(args) {
    const { values, positionals } = readOptions("shrink", args, {
      seed: { type: "string" },
      scenario: { type: "string" },
      "max-runs": { type: "string" },
      out: { type: "string" },
    });
    const seed = wholeNumber("--seed", values.seed, 1);
    const maxRuns = wholeNumber("--max-runs", values["max-runs"], DEFAULT_MAX_RUNS, 1);
    const selection = await selectTarget("shrink", values.scenario, positionals, "simlab shrink TestFigure82C --seed 7");
    const test = selection.tests.length === 1 ? selection.tests[0]! : undefined;
    if (test?.scenarioOf === undefined || test.runScenario === undefined) {
      throw new UsageError(
        `shrink needs a test whose faults are drawn as a scenario (TestFigure82C, TestFigure8Unreliable2C, the 3A/3B partition tests, 4B's TestConcurrent1/2/3, TestUnreliable2/3 and our own two) or --scenario FILE; ` +
          `${selection.label} ${test === undefined ? "is a part" : "draws its faults in code"}.`,
      );
    }
    const original = test.scenarioOf(seed);
    const out = String(values.out ?? join(".simlab", "shrunk", `${test.name}-seed${seed}.yaml`));
    const started = performance.now();
    let result;
    try {
      result = await shrinkScenario(original, seed, (scenario, at) => test.runScenario!(scenario, at), maxRuns);
    } catch (error) {
      if (error instanceof Error && error.message.includes("there is no failure to shrink")) {
        throw new UsageError(`${test.name} passes at seed ${seed}: there is no failure to shrink (find a failing seed with simlab sweep).`);
      }
      throw error;
    }
    const seconds = (performance.now() - started) / 1000;

    console.log(`${test.name}, seed ${seed}: fails with "${result.kind}"`);
    for (const line of sizeTable(result.before, result.after)) console.log(line);
    console.log(
      `${result.runs} runs, ${result.shrinks} smaller failing scenarios accepted, in ${seconds.toFixed(1)} s` +
        (result.stoppedAtLimit ? ` (stopped at --max-runs ${maxRuns}; a higher limit may shrink further)` : ""),
    );
    const header = [
      `${result.scenario.name}: the smallest scenario simlab shrink found for ${test.name} at seed ${seed}.`,
      `It fails with: ${result.failure.split("\n")[0]}`,
      `before: ${describeSize(result.before)}; after: ${describeSize(result.after)}.`,
      `Run it: npx simlab run --scenario ${out} --seed ${seed}`,
    ].join("\n");
    write(out, scenarioToYaml(result.scenario, header));
    if (values.scenario === undefined) {
      const full = out.replace(/\.ya?ml$/, "") + "-original.yaml";
      write(full, scenarioToYaml(original, `${test.name} at seed ${seed}, its drawn schedule as a scenario: the same run, event for event.`));
      console.log(`wrote ${full} (the seed's whole scenario)`);
    }
    console.log(`wrote ${out}; run it: npx simlab run --scenario ${out} --seed ${seed}`);
    return 0;
  },
};

function sizeTable(before: RunSize, after: RunSize): string[] {
  const rows: [string, string, string][] = [
    ["", "before", "after"],
    ["actions", String(before.actions), String(after.actions)],
    ["timeline steps", String(before.steps), String(after.steps)],
    ["virtual time", formatVirtualTime(before.virtualMs), formatVirtualTime(after.virtualMs)],
    ["events", String(before.events), String(after.events)],
  ];
  return rows.map(([label, a, b]) => `  ${label.padEnd(15)}${a.padStart(10)}${b.padStart(10)}`);
}

function describeSize(size: RunSize): string {
  return `${size.actions} actions, ${size.steps} steps, ${formatVirtualTime(size.virtualMs)} virtual, ${size.events} events`;
}

function write(file: string, text: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  } catch (error) {
    throw new UsageError(`--out: cannot write ${file}: ${describeIoError(error)}.`);
  }
}
