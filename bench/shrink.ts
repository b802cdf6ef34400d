// `npm run bench -- shrink [--max-runs R]`: simlab shrink on a fixed failing fixture —
// TestFigure8BrokenCommitXS at seed 1 (TestFigure82C's drawn schedule against a Raft that commits
// entries of older terms; tests/scenario/fixtures/broken-commit-part.ts) — its wall time, its
// runs, and the scenario's size before and after (actions, timeline steps, virtual time, events).
// The sizes and runs are deterministic (the same input shrinks to the same output); only the wall
// time depends on the machine.
import { tests } from "../tests/scenario/fixtures/broken-commit-part.ts";
import { DEFAULT_MAX_RUNS, shrinkScenario } from "../tests/scenario/shrink.ts";
import { numberOption } from "./support/repetitions.ts";

const seed = 1;

export default async function shrinkBench(args: string[]): Promise<Record<string, unknown>> {
  const maxRuns = numberOption(args, "max-runs", DEFAULT_MAX_RUNS);
  const test = tests[0]!;
  const started = performance.now();
  const result = await shrinkScenario(test.scenarioOf!(seed), seed, (scenario, at) => test.runScenario!(scenario, at), maxRuns);
  const wallSeconds = (performance.now() - started) / 1000;

  const row = (label: string, before: number | string, after: number | string): string =>
    `${label.padEnd(16)}${String(before).padStart(10)}${String(after).padStart(10)}`;
  console.log(`${test.name}, seed ${seed}: ${result.kind}`);
  console.log(row("", "before", "after"));
  console.log(row("actions", result.before.actions, result.after.actions));
  console.log(row("timeline steps", result.before.steps, result.after.steps));
  console.log(row("virtual ms", result.before.virtualMs, result.after.virtualMs));
  console.log(row("events", result.before.events, result.after.events));
  console.log(`${result.runs} runs (limit ${maxRuns}), ${result.shrinks} accepted, ${wallSeconds.toFixed(1)} s wall`);
  return {
    bench: "shrink",
    wall_s: Math.round(wallSeconds * 100) / 100,
    runs: result.runs,
    accepted: result.shrinks,
    actions_before: result.before.actions,
    actions_after: result.after.actions,
    steps_before: result.before.steps,
    steps_after: result.after.steps,
    virtual_ms_before: result.before.virtualMs,
    virtual_ms_after: result.after.virtualMs,
    events_before: result.before.events,
    events_after: result.after.events,
  };
}
