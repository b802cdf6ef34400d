// Running a scenario: the body of a lab test made from a Scenario value, and the LabTest of a
// scenario file (what `simlab run --scenario FILE` and tests/scenario/library.test.ts run).
//
// The order of a run, for both services:
//   1. the tester (tests/raft or tests/kvraft Config) starts the servers, as a hand-written test's
//      makeConfig does; then the scenario's network profile is applied on top of the tester's;
//   2. begin() prints the test's line; a kv scenario's clients start;
//   3. the timeline runs, step by step (timeline.ts);
//   4. raft: with `liveness-after-heal`, everything is healed and restarted; kv: always (the
//      clients must finish for their history to be checked), then the clients stop;
//   5. the checks; end() prints the Passed line with its statistics.
// A failure anywhere fails the run through the harness, whose report has the seed, the virtual
// time, what was expected, the recent events and the commands that replay it.
import { resolve, relative } from "node:path";
import { now } from "../../sim/index.ts";
import { defineTest, type TestContext } from "../harness/define-test.ts";
import type { LabTest } from "../registry.ts";
import type { Network, Scenario } from "./format.ts";
import { KvWorld } from "./kv-world.ts";
import { RaftWorld } from "./raft-world.ts";
import { Timeline } from "./timeline.ts";
import type { ScenarioWorld } from "./world.ts";

/** The part of a scenario file's test: "scenario:" and the file's absolute path (a worker loads it from there). */
export const scenarioPartPrefix = "scenario:";

/** The body of a test that runs `scenario`; `title` is its begin() line. */
export function scenarioBody(scenario: Scenario, title = `Scenario: ${scenario.name}`): (t: TestContext) => Promise<void> {
  return async (t) => {
    if (scenario.service === "raft") {
      const world = new RaftWorld(t, scenario);
      const timeline = await prepare(world, scenario.network, false);
      world.cfg.begin(title);
      await timeline.run(scenario.timeline);
      let healedAt: number | undefined;
      if (scenario.checks["liveness-after-heal"] !== undefined) {
        await timeline.healAndRestart();
        healedAt = now();
      }
      await world.checkAtEnd(healedAt);
      world.cfg.end();
    } else {
      const world = new KvWorld(t, scenario);
      const timeline = await prepare(world, scenario.network, true);
      world.cfg.begin(title);
      world.startClients();
      await timeline.run(scenario.timeline);
      await timeline.healAndRestart();
      await world.stopAndWaitForClients(scenario.checks["liveness-after-heal"]);
      await world.checkAtEnd();
      world.cfg.end();
    }
  };
}

/** Applies the network profile beyond what the tester set, and the file's initial cuts. */
async function prepare(world: ScenarioWorld, network: Network, disconnectByCuts: boolean): Promise<Timeline> {
  const net = world.net;
  if (network["long-delays"] !== undefined) net.setLongDelays(network["long-delays"]);
  if (network["long-reordering"]) net.setLongReordering(true);
  if (network.duplication > 0) net.setDuplication(network.duplication);
  if (network.latency !== undefined) net.setLatency(network.latency);
  for (const link of network.links) net.setLinkLatency(link.from, link.to, { min: link.min, max: link.max });
  const timeline = new Timeline(world, disconnectByCuts);
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
    ...defineTest(part, name, (t) => scenarioBody(draw(t.seed), title)(t)),
    scenarioOf: draw,
    runScenario: (scenario, seed, options) => defineTest(part, name, scenarioBody(scenario, title)).run(seed, options),
  };
}

/** The test of a scenario file, named by the scenario; its failures replay with simlab run --scenario. */
export function scenarioFileTest(scenario: Scenario, file: string): LabTest {
  const shown = relative(process.cwd(), resolve(file)) || file;
  const part = `${scenarioPartPrefix}${resolve(file)}`;
  const commands = {
    rerun: (seed: number) => `npx simlab run --scenario ${shown} --seed ${seed}`,
    replay: (seed: number) => `npx simlab replay --scenario ${shown} --seed ${seed}`,
    viz: (seed: number) => `npx simlab viz --scenario ${shown} --seed ${seed}`,
  };
  return {
    ...defineTest(part, scenario.name, scenarioBody(scenario), commands),
    scenarioOf: () => scenario,
    runScenario: (other, seed, options) => defineTest(part, other.name, scenarioBody(other), commands).run(seed, options),
  };
}
