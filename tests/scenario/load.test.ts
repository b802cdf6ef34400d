// A bad scenario file gets every mistake at once, each with its file and line and what was
// expected; a misspelled key or action gets the nearest name; never a stack trace (exit code 2).
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { simlab } from "../cli/simlab.ts";
import { parseScenario, ScenarioError } from "./load.ts";
import { scenarioToYaml } from "./write.ts";

function problemsOf(text: string): string[] {
  try {
    parseScenario(text, "bad.yaml");
  } catch (error) {
    if (error instanceof ScenarioError) return error.problems;
    throw error;
  }
  throw new Error("the scenario was accepted");
}

const badFile = `service: raft
servers: 3
netwrok:
  reliable: false
timeline:
  - crsh: 1
  - sleep: fast
  - partition: [[0, 1], [1, 2]]
  - crash: 7
  - heal: yes
  - one
checks:
  linearizable: true
`;

describe("scenario validation", () => {
  it("reports every mistake, in line order, with what was expected", () => {
    expect(problemsOf(badFile)).toEqual([
      'bad.yaml:3: unknown key "netwrok" at the top level; did you mean network?',
      expect.stringMatching(/^bad\.yaml:6: unknown action "crsh" \(did you mean crash\?\); the actions are sleep, crash, /),
      'bad.yaml:7: sleep: expected a duration: whole milliseconds (1500) or a string such as "1500ms" or "1.5s".',
      "bad.yaml:8: server 1 is in two groups; each server belongs to exactly one.",
      "bad.yaml:9: there is no server 7: the servers are 0…2.",
      "bad.yaml:10: heal takes no argument: write it alone, - heal.",
      "bad.yaml:11: one needs an argument, e.g. - one: 3.",
      "bad.yaml:13: linearizable checks a kv history; a raft scenario has none.",
    ]);
  });

  it("names what is missing and what a field must be", () => {
    expect(problemsOf("servers: 3\n")).toEqual([expect.stringMatching(/^bad\.yaml:1: service: .*"raft" or "kv" or "shardkv"\.$/)]);
    expect(problemsOf("service: kv\nservers: 3\ntimeline:\n  - start-all\nworkload:\n  clients: 2\n  mix: {put: 1}\n")).toEqual([
      "bad.yaml:4: start-all is a raft action; a kv scenario's commands come from its workload.",
      "bad.yaml:7: without `keys` each client appends to its own key and checks every value, so it does no puts; give `keys: N` for puts.",
    ]);
  });

  it("checks message-level steps: their patterns, servers and service", () => {
    const text = `service: kv
servers: 3
timeline:
  - hold: {from: 0, rpc: AppendEntry}
  - deliver: {to: 5, count: 0}
  - drop: {rpc: RequestVote, whom: 1}
  - elect: 1
  - expect: {server: 1}
  - unhold: 2
`;
    expect(problemsOf(text)).toEqual([
      'bad.yaml:4: hold: rpc: expected AppendEntries, RequestVote, InstallSnapshot, or in a shardkv scenario also InstallShard, Query or a wire method "Service.method".',
      "bad.yaml:5: deliver: count: Too small: expected number to be >=1.",
      'bad.yaml:6: drop: unknown key "whom" in its argument.',
      "bad.yaml:7: elect is a raft action; a kv scenario's commands come from its workload.",
      "bad.yaml:8: expect: expect needs something to check: role, term, applied or voted-for.",
      "bad.yaml:9: unhold takes no argument: write it alone, - unhold.",
    ]);
  });

  it("checks a generic-test scenario: its actions, its network and its checks", () => {
    const text = `service: kv
servers: 5
network: {reliable: false, latency: {min: 1, max: 2}}
generic-test: {part: 3A, clients: 2, crash: false, partitions: true, random-keys: false}
timeline:
  - round
  - partition: [[0, 1], [2], [3, 4]]
  - crash: 1
checks: {linearizable: true}
`;
    expect(problemsOf(text)).toEqual([
      "bad.yaml:3: generic-test runs GenericTest's network: only network.reliable applies, not latency.",
      "bad.yaml:7: GenericTest's partitioner makes two groups.",
      "bad.yaml:8: a generic-test timeline is its partitioner's schedule: only round, partition, sleep, not crash.",
      "bad.yaml:9: generic-test does GenericTest's own checks (appends, log sizes, linearizability); leave out checks.",
    ]);
    expect(problemsOf("service: raft\nservers: 3\ntimeline:\n  - round\n")).toEqual(["bad.yaml:4: round marks a round of generic-test; this scenario has none."]);
  });

  it("checks an explicit ops list: clients that exist, a value for each write and none for a read, no drawing besides", () => {
    const text = `service: kv
servers: 3
workload:
  clients: 2
  mix: {get: 1}
  ops:
    - {client: 0, op: put, key: 1, value: a}
    - {client: 2, op: get, key: x}
    - {client: 1, op: get, key: x, value: a}
    - {client: 1, op: append, key: x}
    - {client: 0, op: put, key: x, value: b, expect: b}
`;
    expect(problemsOf(text)).toEqual([
      "bad.yaml:5: workload.mix is for drawn operations; with an explicit ops list, leave it out.",
      "bad.yaml:8: there is no client 2: the clients are 0…1.",
      "bad.yaml:9: a get has no value; give the value it must return as expect.",
      "bad.yaml:10: append needs a value: {client: 1, op: append, key: x, value: x}.",
      "bad.yaml:11: expect is what a get must return; a put has none.",
    ]);
    expect(problemsOf("service: kv\nservers: 3\nworkload:\n  clients: 1\n  ops:\n    - {client: 0, op: delete, key: x}\n")).toEqual([
      'bad.yaml:6: workload.ops.0.op: expected "get" or "put" or "append".',
    ]);
    const good = parseScenario("service: kv\nservers: 3\nworkload:\n  clients: 1\n  ops:\n    - {client: 0, op: put, key: 1, value: 2}\n    - {client: 0, op: get, key: 1, expect: 2}\n", "good.yaml");
    expect(good.workload!.ops).toEqual([
      { client: 0, op: "put", key: "1", value: "2" },
      { client: 0, op: "get", key: "1", expect: "2" },
    ]);
    expect(parseScenario(scenarioToYaml(good), "good.yaml")).toEqual(good);
  });

  it("checks partition-group's isolate: a server of the group or leader, and either sides or isolate", () => {
    const text = `service: shardkv
servers: 3
timeline:
  - join: [100]
  - partition-group: {gid: 100, isolate: leader}
  - partition-group: {gid: 101, isolate: 2}
  - partition-group: {gid: 100, isolate: 5}
  - partition-group: {gid: 100, sides: [[0, 1], [2]], isolate: leader}
  - partition-group: {gid: 100}
  - partition-group: {gid: 100, isolate: leadr}
`;
    expect(problemsOf(text)).toEqual([
      "bad.yaml:7: there is no server 5: the servers are 0…2.",
      "bad.yaml:8: partition-group: give either sides ([[0, 1], [2]]) or isolate (a server, or leader), exactly one of them.",
      "bad.yaml:9: partition-group: give either sides ([[0, 1], [2]]) or isolate (a server, or leader), exactly one of them.",
      expect.stringMatching(/^bad\.yaml:10: partition-group: isolate: expected .*"leader"\.$/),
    ]);
    expect(problemsOf('service: shardkv\nservers: 1\ntimeline:\n  - partition-group: {gid: 100, isolate: leader}\n')).toEqual([
      "bad.yaml:4: partition-group isolate needs a group of two servers or more: with one, there is nobody to cut it off from.",
    ]);
    const good = parseScenario(text.split("\n").slice(0, 6).join("\n"), "good.yaml");
    expect(good.timeline[1]).toEqual({ action: "partition-group", argument: { gid: 100, isolate: "leader" } });
    expect(parseScenario(scenarioToYaml(good), "good.yaml")).toEqual(good);
  });

  it("checks a shardkv scenario: its gids, its group's servers, its clients and where they start", () => {
    const text = `service: shardkv
servers: 3
shardkv: {clients: appenders, keys: 4, count: 6}
network: {cuts: [{from: "101-0", to: "101-7"}]}
timeline:
  - start-clients
  - join: [100, 103]
  - crash: 1
  - partition-group: {gid: 101, sides: [[0, 1], [1]]}
  - crash-server: {gid: 102, server: 5}
  - jion: [101]
  - one: 3
  - start-clients
checks:
  agreement: true
`;
    expect(problemsOf(text)).toEqual([
      "bad.yaml:3: appenders append to a key each (the tester then knows each key's value): count may be at most keys.",
      "bad.yaml:4: there is no server 7 in group 101: its servers are 0…2.",
      "bad.yaml:6: start-clients Puts every key first, which needs a group: join one before it (- join: [100]).",
      "bad.yaml:7: there is no group 103: the groups are 100, 101, 102.",
      "bad.yaml:8: crash names a server by one number; a shardkv scenario names a group's servers: crash-server: {gid: 101, server: 0}, or crash-group: 101.",
      "bad.yaml:9: server 1 is in two sides; each server belongs to exactly one.",
      "bad.yaml:9: server 2 is in no side; each server belongs to exactly one.",
      "bad.yaml:10: there is no server 5: the servers are 0…2.",
      expect.stringMatching(/^bad\.yaml:11: unknown action "jion" \(did you mean join\?\); the actions are /),
      "bad.yaml:12: one is a raft action; a shardkv scenario's commands come from its clients (the shardkv block).",
      "bad.yaml:13: start-clients starts the clients once; the timeline has it twice.",
      "bad.yaml:15: agreement is a raft and kv check; a shardkv scenario checks its clients (linearizable, shards-served, liveness-after-heal).",
    ]);
    expect(problemsOf("service: kv\nservers: 3\ntimeline:\n  - join: [100]\nshardkv: {clients: random}\n")).toEqual([
      "bad.yaml:4: join is a shardkv action (lab 4); this scenario's service is kv.",
      "bad.yaml:5: the shardkv block gives a shardkv scenario's clients; this scenario's service is not shardkv.",
    ]);
    expect(problemsOf("service: shardkv\nservers: 3\nshardkv: {clients: random}\ntimeline:\n  - join: [100]\n")).toEqual([
      "bad.yaml:3: the clients start at a start-clients step, once a group has joined: the timeline has none.",
    ]);
  });

  it("reports YAML syntax errors with their line", () => {
    expect(problemsOf("service: raft\nservers: [3\n")[0]).toMatch(/^bad\.yaml:\d+: not valid YAML: /);
  });

  it("simlab run --scenario prints them and exits with 2, without a stack trace", () => {
    const dir = mkdtempSync(join(tmpdir(), "simlab-scenario-"));
    const file = join(dir, "bad.yaml");
    writeFileSync(file, badFile);
    const { status, stdout, stderr } = simlab(["run", "--scenario", file]);
    expect(status).toBe(2);
    expect(stdout).toBe("");
    // The file is named as the user would name it: relative to the working folder.
    expect(stderr).toContain(`simlab: ${relative(process.cwd(), file)} has 8 mistakes:`);
    expect(stderr).not.toMatch(/^\s+at /m);
    const missing = join(dir, "missing.yaml");
    expect(simlab(["run", "--scenario", missing]).stderr).toBe(`simlab: cannot read the scenario ${relative(process.cwd(), missing)}: there is no such file.\n`);
    expect(simlab(["run", "2A", "--scenario", file]).stderr).toContain("run takes a part or test, or --scenario FILE, not both");
  });
});
