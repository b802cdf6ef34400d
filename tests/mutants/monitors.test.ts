// Each Figure-2 monitor fails a Raft that breaks its rule, with the messages that prove it, and
// passes the reference on the same run. The broken Rafts are the mutants of tests/mutants/; each
// case names the first test and seed at which the monitor catches one.
import { describe, expect, it } from "vitest";
import { sleep } from "../../sim/index.ts";
import { raftMutants } from "./raft-mutants.ts";
import { testsOf, type Mutant } from "./mutant.ts";
import { makeConfig } from "../raft/config.ts";
import { defineTest } from "../harness/define-test.ts";

function mutant(name: string): Mutant {
  const m = raftMutants.find((x) => x.name === name);
  if (m === undefined) throw new Error(`no mutant ${name}`);
  return m;
}

async function runWith(name: string, test: string, seed: number): Promise<{ mutated?: string; reference?: string }> {
  const m = mutant(name);
  const t = (await testsOf(m)).find((x) => x.name === test);
  if (t === undefined) throw new Error(`no test ${test}`);
  const mutated = await t.run(seed, { substitutes: m.substitutes });
  const reference = await t.run(seed);
  return { mutated: mutated.failure, reference: reference.failure };
}

describe("the Figure-2 monitors fail Rafts that break their rule", () => {
  const cases: [monitor: string, mutant: string, test: string, seed: number, message: RegExp][] = [
    ["one vote per term", "votes-twice-in-a-term", "TestManyElections2A", 1, /a server grants at most one vote per term — server \d voted for server \d and for server \d in term \d+:\n {4}RequestVote #\d+ raft-\d → raft-\d, sent at [\d.]+ s: term \d+.*vote granted\n {4}RequestVote/],
    ["votes only in its own term", "votes-for-older-terms", "TestBackup2B", 2, /a server grants its vote only to a candidate of its current term — server 3 is in term 11 and granted its vote to a candidate of term 4/],
    ["a term never goes back", "does-not-save-the-term", "TestReliableChurn2C", 1, /a server's term never goes back — server \d replied in term \d+ after it had sent term \d+ \(it restarted in between: raft-\d(#\d+)?, then raft-\d#\d+\)/],
    ["a reply carries the request's term", "answers-in-its-old-term", "TestReElection2A", 1, /a server that hears of a higher term adopts it — server 1 answered AppendEntries #\d+, of term 2, in term 1/],
    ["higher terms in replies are adopted", "ignores-terms-in-replies", "TestManyElections2A", 1, /a server that hears of a higher term adopts it — server \d was told of term \d+ in a reply, and later still sent a request in term \d+/],
    ["elected before leading", "counts-refusals-as-votes", "TestManyElections2A", 1, /a server leads a term only after a majority voted for it in that term — server \d acted as leader of term \d+ with \d of 7 votes/],
    ["the commit rule", "commits-entries-of-older-terms", "TestFigure82C", 1, /a leader commits an entry only once a majority holds an entry of its own term at or after it — server 3, leader of term 9, sent leaderCommit 4, but nothing past index 2 is committed/],
  ];
  for (const [monitor, name, test, seed, message] of cases) {
    it(`${monitor}: ${name} fails ${test} at seed ${seed}`, async () => {
      const { mutated, reference } = await runWith(name, test, seed);
      expect(mutated).toMatch(message);
      expect(mutated).toContain(`replay: SEED=${seed} npm test -- `);
      expect(reference).toBeUndefined();
    });
  }

  it("one leader per term: a candidate that does not save its own vote, restarted, votes again in its term", async () => {
    // Server 2 sleeps through the first election; the winner restarts knowing its term but not
    // that it voted for itself; server 2 wakes in term 0, campaigns for term 1 and gets that vote.
    const scenario = defineTest("2C", "TwoLeadersOfOneTerm", async (t) => {
      const cfg = makeConfig(t, 3, false, false);
      cfg.crash1(2);
      const leader = await cfg.checkOneLeader();
      cfg.start1(leader, "applier");
      cfg.crash1(1 - leader);
      cfg.start1(2, "applier");
      cfg.connect(2);
      cfg.connect(leader);
      await sleep(3000);
    });
    const mutated = await scenario.run(7, { substitutes: mutant("does-not-save-its-own-vote").substitutes });
    expect(mutated.failure).toMatch(/at most one leader per term \(Election Safety\) — server 0 and server 2 both acted as leader of term 1:\n {4}AppendEntries #\d+ raft-0 → /);
    expect((await scenario.run(7)).failure).toBeUndefined();
  });
});
