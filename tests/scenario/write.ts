// Writing a scenario back out as a file: the inverse of load.ts, so that a scenario drawn from a
// seed (a nemesis test's schedule) or found by simlab shrink can be saved, read, edited and run
// with simlab run --scenario. parseScenario(scenarioToYaml(s)) gives back s.
//
// Only what differs from the format's defaults is written, and each timeline step takes one line
// (`- crash: leader`, `- restart-if-few-up: {server: 2, below: 3}`).
import { stringify } from "yaml";
import { bareActions, type Checks, type Network, type Scenario, type Step } from "./format.ts";

export function scenarioToYaml(scenario: Scenario, comment?: string): string {
  const head: Record<string, unknown> = { name: scenario.name };
  if (scenario.description !== undefined) head.description = scenario.description;
  head.service = scenario.service;
  head.servers = scenario.servers;
  if (scenario.snapshots !== false) head.snapshots = scenario.snapshots;
  const network = networkChanges(scenario.network);
  if (Object.keys(network).length > 0) head.network = network;
  const workload = scenario.workload;
  // An explicit ops list draws nothing: its mix is only the format's default, left out (load.ts refuses one).
  if (workload !== undefined) head.workload = workload.ops === undefined ? workload : { clients: workload.clients, think: workload.think, ops: workload.ops };
  if (scenario["generic-test"] !== undefined) head["generic-test"] = scenario["generic-test"];
  if (scenario.shardkv !== undefined) head.shardkv = scenario.shardkv;
  const checks = checksGiven(scenario.checks);

  const lines: string[] = [];
  if (comment !== undefined) lines.push(...comment.split("\n").map((line) => `# ${line}`.trimEnd()));
  lines.push(stringify(head, { flowCollectionPadding: false }).trimEnd());
  lines.push(scenario.timeline.length === 0 ? "timeline: []" : "timeline:");
  for (const step of scenario.timeline) lines.push(`  - ${stepText(step)}`);
  if (Object.keys(checks).length > 0) lines.push(stringify({ checks }).trimEnd());
  return `${lines.join("\n")}\n`;
}

function stepText(step: Step): string {
  if (step.argument === true && bareActions.includes(step.action)) return step.action;
  const value = stringify(step.argument, { flowCollectionPadding: false, collectionStyle: "flow" }).trim();
  return `${step.action}: ${value}`;
}

function networkChanges(network: Network): Partial<Network> {
  const changed: Partial<Network> = {};
  if (!network.reliable) changed.reliable = false;
  if (network["long-reordering"]) changed["long-reordering"] = true;
  if (network["long-delays"] !== undefined) changed["long-delays"] = network["long-delays"];
  if (network.duplication > 0) changed.duplication = network.duplication;
  if (network.latency !== undefined) changed.latency = network.latency;
  if (network.links.length > 0) changed.links = network.links;
  if (network.cuts.length > 0) changed.cuts = network.cuts;
  return changed;
}

function checksGiven(checks: Checks): Partial<Checks> {
  const given: Partial<Checks> = {};
  for (const [key, value] of Object.entries(checks) as [keyof Checks, Checks[keyof Checks]][]) {
    if (value !== false && value !== undefined) (given as Record<string, unknown>)[key] = value;
  }
  return given;
}
