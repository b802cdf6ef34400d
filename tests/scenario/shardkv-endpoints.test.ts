// The names of a shardkv scenario's links and message patterns (shardkv-endpoints.ts): each
// mistake is a sentence at its line (an unknown gid, a server out of range, an unknown name, a
// link named twice), raft and kv scenarios keep their numbers, and a good file reads back the same.
import { describe, expect, it } from "vitest";
import { parseScenario, ScenarioError } from "./load.ts";
import { linkMembers, memberLabel } from "./shardkv-endpoints.ts";
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

describe("shardkv names in links, cuts and message patterns", () => {
  it("reports an unknown gid, a server out of range, an unknown name, a link named twice, and misplaced raft steps", () => {
    const text = `service: shardkv
servers: 3
network:
  links:
    - {from: 101, to: 102, min: 50, max: 60}
    - {from: "101-2", to: {gid: 102, server: 0}, min: 5, max: 5}
    - {from: 103, to: master, min: 5, max: 5}
  cuts:
    - {from: "master-3", to: 100}
    - {from: clerk-0, to: 100}
timeline:
  - join: [100]
  - cut: {from: {gid: 100, server: 4}, to: 101}
  - hold: {rpc: InstallShard, from: 100, to: 104}
  - expect: {server: 0, term: 1}
  - expect-group: {gid: 101, serving: [1, 2], receiving: [2]}
  - expect-group: {gid: 101, server: 3, config: 1}
`;
    expect(problemsOf(text)).toEqual([
      "bad.yaml:6: network.links[1] names the link 101-2 → 102-0 again (network.links[0] named it); each link's latency is given once.",
      "bad.yaml:7: there is no group 103: the groups are 100, 101, 102 (a gid alone names every server of its group).",
      "bad.yaml:9: there is no shardmaster server 3: they are master-0…master-2.",
      'bad.yaml:10: unknown server name "clerk-0": a shardkv scenario names a group (101), one of its servers ("101-0" or {gid: 101, server: 0}), master or "master-0"; clerks have no name (their messages are neither cut nor matched).',
      "bad.yaml:13: there is no server 4 in group 100: its servers are 0…2.",
      "bad.yaml:14: there is no group 104: the groups are 100, 101, 102 (a gid alone names every server of its group).",
      "bad.yaml:15: expect reads a Raft server of a raft scenario; a shardkv scenario reads a group with expect-group: {gid: 101, config: 2, serving: [0, 1]}.",
      "bad.yaml:16: shard 2 is listed twice; a shard has one status at a time.",
      "bad.yaml:17: there is no server 3: the servers are 0…2.",
    ]);
  });

  it("a raft or kv scenario keeps its servers' numbers and Raft's RPCs", () => {
    const text = `service: raft
servers: 3
network:
  cuts: [{from: "101-0", to: 1}]
timeline:
  - hold: {rpc: InstallShard, from: 0}
  - cut: {from: 0, to: master}
  - expect-group: {gid: 101, config: 1}
`;
    expect(problemsOf(text)).toEqual([
      'bad.yaml:4: "101-0" names a server by group, as a shardkv scenario does; a raft scenario\'s servers are numbers 0…2.',
      "bad.yaml:6: InstallShard is not a Raft RPC; a raft scenario's patterns see Raft's RPCs between servers: AppendEntries, RequestVote, InstallSnapshot.",
      "bad.yaml:7: \"master\" names a server by group, as a shardkv scenario does; a raft scenario's servers are numbers 0…2.",
      "bad.yaml:8: expect-group is a shardkv action (lab 4); this scenario's service is raft.",
    ]);
  });

  it("a good file reads back the same from its written form, and a group stands for its servers", () => {
    const text = `service: shardkv
servers: 2
network:
  links: [{from: 101, to: "102-1", min: 40, max: 40}]
  cuts: [{from: master, to: {gid: 100, server: 1}}]
timeline:
  - join: [100]
  - cut: {from: "100-0", to: 101, cut: false}
  - hold: {rpc: ShardKV.pullShard, from: 100, count: 2}
  - drop: {rpc: Query, to: "master-1"}
  - expect-group: {gid: 100, config: 1, serving: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]}
`;
    const scenario = parseScenario(text, "good.yaml");
    expect(parseScenario(scenarioToYaml(scenario), "good.yaml")).toEqual(scenario);
    expect(linkMembers(101, "102-1", 2).map(([a, b]) => `${memberLabel(a)}->${memberLabel(b)}`)).toEqual(["101-0->102-1", "101-1->102-1"]);
    expect(linkMembers(101, 101, 2).map(([a, b]) => `${memberLabel(a)}->${memberLabel(b)}`)).toEqual(["101-0->101-1", "101-1->101-0"]);
    expect(linkMembers("master", "master-0", 2).map(([a, b]) => `${memberLabel(a)}->${memberLabel(b)}`)).toEqual(["master-1->master-0", "master-2->master-0"]);
  });
});
