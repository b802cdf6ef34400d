// Running a scenario: the body of a lab test made from a Scenario value, and the LabTest of a
// scenario file (what `simlab run --scenario FILE` and tests/scenario/library.test.ts run).
//
// The order of a run, for every service:
//   1. the tester (tests/raft, tests/kvraft or tests/shardkv Config) starts the servers, as a hand-written test's
//      makeConfig does; then the scenario's network profile is applied on top of the tester's;
//   2. begin() prints the test's line; a kv scenario's clients start;
//   3. the timeline runs, step by step (timeline.ts);
//   4. raft: with `liveness-after-heal`, everything is healed and restarted; kv and shardkv:
//      always (the clients must finish for their history to be checked), then the clients stop;
//   5. the checks; end() prints the Passed line with its statistics.
// A failure anywhere fails the run through the harness, whose report has the seed, the virtual
// time, what was expected, the recent events and the commands that replay it.
import { existsSync } from "node:fs";
import { relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { now } from "../../sim/index.ts";
import { defineTest, type TestContext } from "../harness/define-test.ts";
import { scenarioPartPrefix, type LabTest, type ReplayCommands, type RunOptions, type RunReport } from "../registry.ts";
import type { Network, Scenario } from "./format.ts";
import { Timeline } from "./timeline.ts";
import { namesOf, type MakeWorld, type ScenarioWorld } from "./world.ts";

/** Each service's world, in its lab's grader folder (world.ts). */
const worldModules: Record<Scenario["service"], string> = {
  raft: "../raft/scenario-world.ts",
  kv: "../kvraft/scenario-world.ts",
  shardkv: "../shardkv/scenario-world.ts",
};

/**
 * Loads the world of a service. It is loaded before the run, never inside it: a simulated task
 * must not wait on real I/O. A student repository without the lab gets a sentence, not a crash.
 */
async function loadWorld(service: Scenario["service"]): Promise<WorldModule> {
  const url = new URL(worldModules[service], import.meta.url);
  if (!existsSync(fileURLToPath(url))) {
    throw new Error(
      `a ${service} scenario runs on ${worldModules[service].replace("../", "tests/")}, the lab's tester, which this repository does not have`,
    );
  }
  // A computed specifier: the type checker must not require a lab that is not handed out.
  return (await import(url.href)) as WorldModule;
}

/** What a world module exports: its world, and (kv) the runner of a generic-test scenario. */
interface WorldModule {
  makeWorld: MakeWorld;
  runGenericTest?: (t: TestContext, scenario: Scenario) => Promise<void>;
}

/** The body of a test that runs `scenario` on `makeWorld`; `title` is its begin() line. */
function scenarioBody(scenario: Scenario, module: WorldModule, title: string): (t: TestContext) => Promise<void> {
  return async (t) => {
    if (scenario["generic-test"] !== undefined) {
      // GenericTest prints its own title and does its own checks (tests/kvraft/kv-nemesis.ts).
      await module.runGenericTest!(t, scenario);
      return;
    }
    const world = module.makeWorld(t, scenario);
    const timeline = await prepare(world, scenario.network);
    world.begin(title);
    world.startWorkload?.();
    await timeline.run(scenario.timeline);
    let healedAt: number | undefined;
    if (world.healsAtEnd || scenario.checks["liveness-after-heal"] !== undefined) {
      await timeline.healAndRestart();
      healedAt = now();
    }
    await world.finish(healedAt);
    world.end();
  };
}

/** Runs `scenario` as the test `part`/`name` at `seed`, its world loaded first. */
async function runScenario(
  part: string,
  name: string,
  title: string,
  scenario: Scenario,
  seed: number,
  options: RunOptions | undefined,
  commands?: ReplayCommands,
): Promise<RunReport> {
  const module = await loadWorld(scenario.service);
  return defineTest(part, name, scenarioBody(scenario, module, title), commands).run(seed, options);
}

/** Applies the network profile beyond what the tester set, and the file's initial cuts. */
async function prepare(world: ScenarioWorld, network: Network): Promise<Timeline> {
  const net = world.net;
  if (network["long-delays"] !== undefined) net.setLongDelays(network["long-delays"]);
  if (network["long-reordering"]) net.setLongReordering(true);
  if (network.duplication > 0) net.setDuplication(network.duplication);
  if (network.latency !== undefined) net.setLatency(network.latency);
  for (const link of network.links) {
    for (const from of namesOf(world, link.from)) for (const to of namesOf(world, link.to)) if (from !== to) net.setLinkLatency(from, to, { min: link.min, max: link.max });
  }
  const timeline = new Timeline(world);
  for (const cut of network.cuts) await timeline.step({ action: "cut", argument: { ...cut, cut: true } });
  return timeline;
}

/**
 * A lab test whose faults are a scenario drawn from the seed (nemesis as data): it runs
 * `draw(seed)` and says so through LabTest.scenarioOf, so a failing seed can be written out as
 * a scenario file and shrunk.
 */
export function nemesisTest(part: string, name: string, title: string, draw: (seed: number) => Scenario): LabTest {
  return {
    part,
    name,
    run: (seed, options) => runScenario(part, name, title, draw(seed), seed, options),
    scenarioOf: draw,
    runScenario: (scenario, seed, options) => runScenario(part, name, title, scenario, seed, options),
  };
}

/** The test of a scenario file, named by the scenario; its failures replay with simlab run --scenario. */
export function scenarioFileTest(scenario: Scenario, file: string): LabTest {
  const shown = relative(process.cwd(), resolve(file)) || file;
  const part = `${scenarioPartPrefix}${resolve(file)}`;
  const title = (other: Scenario): string => `Scenario: ${other.name}`;
  const commands: ReplayCommands = {
    rerun: (seed) => `npx simlab run --scenario ${shown} --seed ${seed}`,
    replay: (seed) => `npx simlab replay --scenario ${shown} --seed ${seed}`,
    viz: (seed) => `npx simlab viz --scenario ${shown} --seed ${seed}`,
  };
  return {
    part,
    name: scenario.name,
    commands,
    run: (seed, options) => runScenario(part, scenario.name, title(scenario), scenario, seed, options, commands),
    scenarioOf: () => scenario,
    runScenario: (other, seed, options) => runScenario(part, other.name, title(other), other, seed, options, commands),
  };
}
