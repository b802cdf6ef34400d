// Choice sources (sim/core/choices.ts): the seeded source changes nothing, a recorded run replays
// to the same journal hash, and a replay that parts from its file fails with a sentence.
import { describe, expect, it } from "vitest";
import {
  Network,
  RecordingChoices,
  ReplayChoices,
  SeededChoices,
  Server,
  Service,
  Simulation,
  randomInt,
  sleep,
  type ChoiceSource,
  type RecordedChoice,
} from "../../sim/index.ts";
import { parts } from "../registry.ts";
import { UniformChoices } from "../../sim/explore/random.ts";

/** Three servers pinging each other on an unreliable network, each starting after a randomInt() wait. */
async function pingRun(seed: number, choices?: ChoiceSource): Promise<{ hash: string; order: string[] }> {
  const sim = new Simulation({ seed, choices, keepJournal: true });
  const order: string[] = [];
  await sim.run(async () => {
    const net = new Network(sim);
    net.setReliable(false);
    const nodes = [0, 1, 2].map((i) => sim.createNode(`s${i}`));
    nodes.forEach((node, i) => net.addServer(i, new Server(node, [new Service("P", { ping: (n: number) => n + 1 })])));
    for (const [i, node] of nodes.entries()) {
      sim.go(async () => {
        await sleep(randomInt(20));
        order.push(`start ${i}`);
        for (let round = 0; round < 5; round++) {
          const end = net.makeEnd(`${i}->${(i + 1) % 3}#${round}`, i);
          net.connect(end, (i + 1) % 3);
          net.enable(end, true);
          order.push(`${i}: ${String(await end.call("P.ping", round))}`);
        }
      }, node);
    }
    await sleep(2000);
  });
  return { hash: sim.journal.hash, order };
}

describe("choice sources", () => {
  it("SeededChoices makes the default run's choices: the same journal hash", async () => {
    for (const seed of [1, 2, 3]) expect((await pingRun(seed, new SeededChoices())).hash).toBe((await pingRun(seed)).hash);
  });

  it("a uniform source changes the run; recorded, it replays to the same hash and order", async () => {
    const plain = await pingRun(1);
    const recording = new RecordingChoices(new UniformChoices(7));
    const explored = await pingRun(1, recording);
    expect(explored.hash).not.toBe(plain.hash);
    expect(recording.recorded.some(([kind]) => kind === "order")).toBe(true);
    expect(recording.recorded.some(([kind]) => kind === "latency")).toBe(true);
    expect(recording.recorded.some(([kind]) => kind === "draw")).toBe(true);
    const replay = new ReplayChoices(recording.recorded);
    const replayed = await pingRun(1, replay);
    expect(replayed.hash).toBe(explored.hash);
    expect(replayed.order).toEqual(explored.order);
    expect(replay.used).toBe(recording.recorded.length);
  });

  it("a replay that runs out of choices, or meets a different one, fails naming the choice", async () => {
    const recording = new RecordingChoices(new UniformChoices(7));
    await pingRun(1, recording);
    const short = recording.recorded.slice(0, 5);
    await expect(pingRun(1, new ReplayChoices(short))).rejects.toThrow(/the choice file ran out: the run asked for choice #5 .* holds only 5 choices/);
    const wrong: RecordedChoice[] = recording.recorded.map(([, n, v], i) => (i === 2 ? ["loss", n + 1, v] : recording.recorded[i]!));
    await expect(pingRun(1, new ReplayChoices(wrong))).rejects.toThrow(/parted from its choice file at choice #2: the file has loss of/);
  });

  it("every lab part keeps its journal hash under SeededChoices (one test each, seed 1)", async () => {
    const sample: Record<string, string> = {
      "2A": "TestReElection2A",
      "2B": "TestFailAgree2B",
      "2C": "TestFigure8Unreliable2C",
      "2D": "TestSnapshotInstallUnreliable2D",
      "2X": "TestCandidateCountsVotesOfThisElectionOnly2X",
      "3A": "TestUnreliableOneKey3A",
      "3B": "TestSnapshotUnreliable3B",
      "4A": "TestUnreliable4A",
      "4B": "TestUnreliable1",
    };
    for (const [part, name] of Object.entries(sample)) {
      const tests = await parts[part]!();
      const test = tests.find((t) => t.name === name);
      if (test === undefined) throw new Error(`part ${part} has no test ${name}`);
      const plain = await test.run(1);
      const seeded = await test.run(1, { choices: new SeededChoices() });
      expect(seeded.journalHash, `${test.name}`).toBe(plain.journalHash);
      expect(seeded.events, `${test.name}`).toBe(plain.events);
    }
  });
});
