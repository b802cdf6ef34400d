// The fault schedules of lab 3's partition tests (GenericTest with partitions: 3A's
// TestManyPartitions*, TestPersistPartition*, 3B's TestSnapshotUnreliableRecoverConcurrentPartition*),
// drawn from the seed as a scenario value before the run, then run by the scenario runner: a
// `generic-test` scenario (tests/scenario/format.ts) is GenericTest itself, its partitioner
// following the timeline. So a failing seed can be written out as an equivalent scenario file,
// edited, and shrunk (simlab shrink).
//
// The schedule keeps Go's shape and numbers, round by round: the partitioner starts 1 s into a
// round and, until the clients stop at 6 s, puts each server on one of two sides at random (a
// side may be empty) and waits 1 s + 0–199 ms; its last wait ends past the 6 s. A partition is
// made only at a moment before the 6 s (at exactly 6 s, Go's loop would most likely see `done`).
// What changed from Go's loop: the draws come from their own stream ("nemesis/kv-partitions"),
// not the tester's, which the clients' keys and operations still use; so a seed's journal
// differs from the hand-written loop's, while the faults have the same distribution.
import { RandomStream } from "../../sim/index.ts";
import type { LabTest } from "../registry.ts";
import type { GenericTestParameters, Scenario, Step } from "../scenario/format.ts";
import { nemesisTest } from "../scenario/run-scenario.ts";
import type { PartitionPhase } from "./generic-test.ts";
import { electionTimeout } from "./generic-test.ts";

/** GenericTest's rounds, and how long its clients run in each once the partitioner has started. */
const ROUNDS = 3;
const PARTITIONED_MS = 5000;

/** What a 3A/3B partition test passes GenericTest, besides its part and `partitions: true`. */
export interface GenericTestShape extends Omit<GenericTestParameters, "part" | "partitions"> {
  servers: number;
  unreliable: boolean;
  /** GenericTest's maxraftstate (-1: no snapshots). */
  maxraftstate: number;
}

/** The lab test `name` of `part`: GenericTest with partitions, its schedule drawn as a scenario. */
export function partitionTest(part: "3A" | "3B", name: string, shape: GenericTestShape): LabTest {
  return nemesisTest(part, name, name, (seed) => genericTestScenario(part, name, shape, seed));
}

/** The scenario of one seed of a GenericTest with partitions. */
export function genericTestScenario(part: "3A" | "3B", name: string, shape: GenericTestShape, seed: number): Scenario {
  const rand = new RandomStream(seed, "nemesis/kv-partitions");
  const timeline: Step[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    timeline.push({ action: "round", argument: true });
    for (let elapsed = 0; elapsed < PARTITIONED_MS; ) {
      const groups: number[][] = [[], []];
      for (let j = 0; j < shape.servers; j++) groups[rand.int(2)]!.push(j);
      const ms = electionTimeout + rand.int(200);
      timeline.push({ action: "partition", argument: groups }, { action: "sleep", argument: ms });
      elapsed += ms;
    }
  }
  const { clients, crash } = shape;
  return {
    name: `${name}-seed${seed}`,
    description: `the partition schedule of ${name} at seed ${seed}`,
    service: "kv",
    servers: shape.servers,
    snapshots: shape.maxraftstate === -1 ? false : shape.maxraftstate,
    network: { reliable: !shape.unreliable, "long-reordering": false, duplication: 0, links: [], cuts: [] },
    timeline,
    "generic-test": { part, clients, crash, partitions: true, "random-keys": shape["random-keys"] },
    checks: { "one-leader": false, agreement: false, linearizable: false },
  };
}

/** A generic-test timeline as the partitioner's schedule, one list of phases per round. */
export function partitionSchedule(timeline: readonly Step[]): PartitionPhase[][] {
  const rounds: PartitionPhase[][] = [];
  let phases: PartitionPhase[] | undefined;
  for (const step of timeline) {
    if (step.action === "round" || phases === undefined) rounds.push((phases = []));
    if (step.action === "partition") phases.push({ groups: [step.argument[0] ?? [], step.argument[1] ?? []], ms: 0 });
    if (step.action === "sleep") {
      const last = phases[phases.length - 1];
      if (last === undefined) phases.push({ ms: step.argument });
      else phases[phases.length - 1] = { ...last, ms: last.ms + step.argument };
    }
  }
  return rounds;
}
