// network.links and network.cuts in shardkv scenarios reach the tester's real servers: a one-way
// cut between two groups stalls a shard's migration in one direction only (the pushes, or only
// their replies), heal restores it, and a slow link between groups shows in virtual time, on
// that link alone.
import { describe, expect, it } from "vitest";
import type { JournalEntry } from "../../sim/index.ts";
import { parseScenario } from "../scenario/load.ts";
import { scenarioFileTest } from "../scenario/run-scenario.ts";

async function run(text: string) {
  const report = await scenarioFileTest(parseScenario(text, "links.yaml"), "links.yaml").run(1, { keepJournal: true });
  return report;
}

/** 101 serves every shard, then 102 joins and is given five of them, from 101. */
const migration = (network: string, after: string): string =>
  `service: shardkv\nservers: 3\nnetwork:\n${network}\ntimeline:\n  - join: [101]\n  - sleep: 1s\n  - join: [102]\n  - sleep: 2s\n${after}`;

const moved = "[5, 6, 7, 8, 9]";

describe("links and cuts between shardkv groups", () => {
  it("a cut from 101 to 102 keeps 101's pushes from arriving: 102 waits for its shards until heal", async () => {
    const report = await run(
      migration(
        "  cuts: [{from: 101, to: 102}]",
        `  - expect-group: {gid: 102, config: 2, serving: [], receiving: ${moved}}\n  - expect-group: {gid: 101, config: 2, sending: ${moved}}\n  - heal\n  - sleep: 1s\n  - expect-group: {gid: 102, serving: ${moved}, receiving: []}\n  - expect-group: {gid: 101, sending: []}\n`,
      ),
    );
    expect(report.passed, report.failure).toBe(true);
    const cut = report.journal!.filter((e) => e.kind === "drop" && String(e.detail).startsWith("ShardKV.installShard"));
    expect(cut.length).toBeGreaterThan(0);
  }, 60_000);

  it("a cut from 102 to 101 lets the pushes in but not 102's answers: 102 serves, 101 keeps sending", async () => {
    const report = await run(
      migration(
        "  cuts: [{from: 102, to: 101}]",
        `  - expect-group: {gid: 102, config: 2, serving: ${moved}, receiving: []}\n  - expect-group: {gid: 101, config: 2, sending: ${moved}}\n  - heal\n  - sleep: 1s\n  - expect-group: {gid: 101, sending: []}\n`,
      ),
    );
    expect(report.passed, report.failure).toBe(true);
  }, 60_000);

  it("the timeline's cut and restore do the same between named servers", async () => {
    const report = await run(
      `service: shardkv\nservers: 3\ntimeline:\n  - join: [101]\n  - sleep: 1s\n  - cut: {from: 101, to: 102}\n  - join: [102]\n  - sleep: 2s\n  - expect-group: {gid: 102, receiving: ${moved}}\n  - cut: {from: 101, to: 102, cut: false}\n  - sleep: 1s\n  - expect-group: {gid: 102, serving: ${moved}, receiving: []}\n`,
    );
    expect(report.passed, report.failure).toBe(true);
  }, 60_000);

  it("a 400 ms link from 101 to 102 delays every push by exactly 400 ms, and nothing else", async () => {
    const report = await run(migration("  links: [{from: 101, to: 102, min: 400, max: 400}]", `  - expect-group: {gid: 102, serving: ${moved}}\n`));
    expect(report.passed, report.failure).toBe(true);
    const journal = report.journal!;
    const pushes = transit(journal, (method, from, to) => method === "ShardKV.installShard" && from.startsWith("server-101-") && to.startsWith("server-102-"));
    expect(pushes.length).toBeGreaterThan(0);
    expect(new Set(pushes)).toEqual(new Set([400]));
    const inside101 = transit(journal, (method, from, to) => method === "Raft.appendEntries" && from.startsWith("server-101-") && to.startsWith("server-101-"));
    expect(Math.max(...inside101)).toBeLessThanOrEqual(8);
  }, 60_000);
});

/** The virtual ms from send to deliver of every delivered request that `which` selects. */
function transit(journal: readonly JournalEntry[], which: (method: string, from: string, to: string) => boolean): number[] {
  const sent = new Map<number, number>();
  const times: number[] = [];
  for (const e of journal) {
    const note = e.detail as { rpc?: number; method?: string; from?: string; to?: string } | undefined;
    if (note?.rpc === undefined || note.method === undefined) continue;
    const from = note.from!.split("#")[0]!;
    const to = note.to!.split("#")[0]!;
    if (e.kind === "send" && which(note.method, from, to)) sent.set(note.rpc, e.time);
    if (e.kind === "deliver" && sent.has(note.rpc)) times.push(e.time - sent.get(note.rpc)!);
  }
  return times;
}
