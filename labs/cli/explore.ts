// simlab explore <test> --strategy pct|dfs|random [--runs N]: instead of trying seed after seed,
// a search strategy makes each run's scheduling choices (sim/explore/); the first run that fails
// is saved as a choice file (choice-file.ts), which replay, viz and check-determinism open.
// With --scenario FILE it explores a scenario file's run. Beside a failing run's choice file it
// writes the run's scenario (same name, .yaml): a scenario file's own copy, which the choice file
// then names (so the pair replays even if the original is edited), or, for a test whose faults are
// drawn as a scenario, the schedule that seed drew.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { formatVirtualTime, UsageError } from "../../sim/index.ts";
import { scenarioPartPrefix } from "../../tests/registry.ts";
import { scenarioToYaml } from "../../tests/scenario/write.ts";
import { DEFAULT_BOUND, DEFAULT_DEPTH, explore, makeStrategy, strategyNames, type StrategyName } from "../../sim/explore/index.ts";
import { selectTarget, selectTests } from "./catalog.ts";
import { choiceFilePath, replayChoicesCommand, vizChoicesCommand, writeChoiceFile } from "./choice-file.ts";
import type { Command } from "./command.ts";
import { loadMutant } from "./mutant-option.ts";
import { describeIoError, readOptions, wholeNumber } from "./options.ts";
import { Progress } from "./progress.ts";

const DEFAULT_RUNS = 1000;

const usage = `usage: simlab explore <test> [--strategy pct|dfs|random] [--runs N] [--seed S] [--depth D]
                      [--bound K] [--mutant NAME] [--out FILE]
       simlab explore --scenario FILE [same options]

Runs one test again and again, each run's scheduling choices made by a search strategy rather
than by the seed: which of the events due at one instant runs next, when each message arrives
within the network's latency, and (dfs, random) whether an unreliable network loses it. The
checks run at every step, as in every run: the Figure-2 monitors on each message, the reference's
invariants at each event, the test's own checks. The first run that fails is saved as a choice
file, which replays exactly (simlab replay --choices FILE, simlab viz --choices FILE,
simlab check-determinism --choices FILE). Beside it goes the run's scenario (FILE.yaml): with
--scenario, a copy of the file, which the choice file names; for a test whose faults are drawn
as a scenario (TestFigure82C, the 3A/3B partition tests), the schedule of the failing seed.

strategies:
  pct      priorities per node, D-1 priority change points a run (Burckhardt et al., 2010): the
           highest-priority node's events run first and its messages arrive fastest (default)
  dfs      bounded depth-first search over the first K choices of a run, every alternative of
           each, all runs at one seed: for small tests
  random   every choice uniform, same-instant order included

options:
  --strategy S    pct, dfs or random (default pct)
  --runs N        the most runs to make (default ${DEFAULT_RUNS})
  --seed S        pct, random: run i uses seed S+i-1; dfs: every run uses seed S (default 1)
  --depth D       pct: the bug depth, D-1 change points a run (default ${DEFAULT_DEPTH})
  --bound K       dfs: how many of the first choices are searched (default ${DEFAULT_BOUND})
  --mutant NAME   run the test against one of simlab's deliberately broken Rafts or KV servers
                  (tests/mutants/) instead of the reference
  --scenario FILE explore a scenario file's run instead of a test's
  --out FILE      where to save the failing run's choice file
                  (default .simlab/choices/<test>[-<mutant>]-<strategy>-run<N>.json)

exit code: 0 no run failed, 1 a run failed (its choice file is saved), 2 bad input`;

export const exploreCommand: Command = {
  name: "explore",
  summary: "search a test's schedules (PCT, bounded DFS, random) and save a failing run's choices",
  usage,
  async run(args) {
    const { values, positionals } = readOptions(
      "explore",
      args,
      {
        strategy: { type: "string" },
        runs: { type: "string" },
        seed: { type: "string" },
        depth: { type: "string" },
        bound: { type: "string" },
        mutant: { type: "string" },
        out: { type: "string" },
        scenario: { type: "string" },
      },
    );
    if (values.scenario === undefined && positionals.length !== 1) {
      throw new UsageError(
        positionals.length === 0
          ? `explore needs one test, e.g. simlab explore TestFailAgree2B --strategy pct (see simlab explore --help).`
          : `explore takes one test, but got ${positionals.length} arguments: ${positionals.join(" ")} (see simlab explore --help).`,
      );
    }
    const strategyName = String(values.strategy ?? "pct");
    if (!(strategyNames as readonly string[]).includes(strategyName)) {
      throw new UsageError(`--strategy needs one of ${strategyNames.join(", ")}, not "${strategyName}".`);
    }
    const runs = wholeNumber("--runs", values.runs, DEFAULT_RUNS, 1);
    const seed = wholeNumber("--seed", values.seed, 1);
    const depth = wholeNumber("--depth", values.depth, DEFAULT_DEPTH, 1);
    const bound = wholeNumber("--bound", values.bound, DEFAULT_BOUND, 1);
    if (values.depth !== undefined && strategyName !== "pct") throw new UsageError(`--depth is PCT's; --strategy ${strategyName} does not take it.`);
    if (values.bound !== undefined && strategyName !== "dfs") throw new UsageError(`--bound is DFS's; --strategy ${strategyName} does not take it.`);
    const selection =
      values.scenario === undefined ? await selectTests(positionals[0]!) : await selectTarget("explore", values.scenario, positionals, "simlab explore --scenario FILE");
    if (selection.tests.length !== 1) {
      throw new UsageError(`explore takes one test; part ${selection.label} has ${selection.tests.map((t) => t.name).join(", ")}.`);
    }
    const test = selection.tests[0]!;
    const mutant = values.mutant === undefined ? undefined : await loadMutant(String(values.mutant));
    // A scenario file's test runs lab 2's tester (raft), lab 3's (kv) or lab 4B's (shardkv): a mutant of those parts fits.
    const scenarioParts = { raft: ["2A", "2B", "2C", "2D"], kv: ["3A", "3B"], shardkv: ["4B"] };
    const fitsParts = test.part.startsWith(scenarioPartPrefix) ? scenarioParts[test.scenarioOf!(1).service] : [test.part];
    if (mutant !== undefined && !mutant.parts.some((part) => fitsParts.includes(part))) {
      const what = test.part.startsWith(scenarioPartPrefix) ? `a ${test.scenarioOf!(1).service} scenario` : `a test of part ${test.part}`;
      throw new UsageError(`mutant ${mutant.name} is a broken ${mutant.parts.join("/")} server; ${test.name} is ${what}.`);
    }
    const mutantName = mutant?.name ?? null;
    const strategy = makeStrategy(strategyName as StrategyName, { seed, depth, bound });
    const settings = Object.entries(strategy.settings).map(([k, v]) => `${k} ${v}`).join(", ");
    const pathOf = (run: number): string => (values.out === undefined ? choiceFilePath(test.name, mutantName, strategyName, run) : String(values.out));
    console.log(`explore ${test.name}${mutant === undefined ? "" : ` against mutant ${mutant.name}`}: strategy ${strategyName} (${settings}), at most ${runs} runs`);

    const started = performance.now();
    const progress = new Progress(runs, process.stderr);
    const exploration = await explore(
      strategy,
      runs,
      async (runSeed, choices, run) => {
        const path = pathOf(run);
        const report = await test.run(runSeed, {
          choices,
          substitutes: mutant?.substitutes ?? {},
          replayWith: { replay: replayChoicesCommand(path), viz: vizChoicesCommand(path) },
        });
        progress.update(report.passed);
        return report;
      },
      (report) => !report.passed,
    );
    const seconds = (performance.now() - started) / 1000;
    progress.finish(seconds, 1);
    const wall = seconds.toFixed(1);
    const failed = exploration.failed;
    if (failed === undefined) {
      const why = exploration.exhausted ? `every run the strategy could make (${exploration.runs})` : `${exploration.runs} runs`;
      console.log(`no failure in ${why} of ${test.name} (${wall} s)`);
      return 0;
    }
    const report = failed.result;
    const path = pathOf(failed.run);
    const scenarioPath = `${path.replace(/\.json$/, "")}.yaml`;
    const isScenarioFile = test.part.startsWith(scenarioPartPrefix);
    if (test.scenarioOf !== undefined) {
      const comment = isScenarioFile
        ? `${test.name}: the scenario of the explored run in ${path} (a copy, which that choice file names).`
        : `${test.name} at seed ${failed.seed}: the fault schedule of the explored run in ${path}, as a scenario.`;
      writeScenarioFile(scenarioPath, scenarioToYaml(test.scenarioOf(failed.seed), `${comment}\nThe choices replay it exactly: npx simlab replay --choices ${path}`));
    }
    writeChoiceFile(path, {
      format: "simlab-choices/1",
      part: isScenarioFile ? `${scenarioPartPrefix}${resolve(scenarioPath)}` : test.part,
      test: test.name,
      seed: failed.seed,
      mutant: mutantName,
      strategy: strategyName,
      settings: { ...strategy.settings },
      passed: report.passed,
      virtualMs: report.virtualMs,
      events: report.events,
      journalHash: report.journalHash,
      failure: (report.failure ?? "").split("\n")[0]!,
      choices: failed.choices,
    });
    console.log(
      `FAIL ${test.name} at run ${failed.run} of ${runs} (seed ${failed.seed}, ${formatVirtualTime(report.virtualMs)} virtual, ` +
        `${report.events} events, ${failed.choices.length} choices, journal hash ${report.journalHash}; ${wall} s)`,
    );
    console.log(report.failure);
    console.log(`choice file: ${path}`);
    if (test.scenarioOf !== undefined) console.log(`scenario: ${scenarioPath}`);
    return 1;
  },
};

function writeScenarioFile(path: string, text: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  } catch (error) {
    throw new UsageError(`cannot write the scenario ${path}: ${describeIoError(error)}.`);
  }
}
