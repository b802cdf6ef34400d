// Exploration finds what seeds miss: keeps-its-vote-in-a-new-term (a server that, on hearing a
// newer term, keeps the vote it cast in the old one) never fails TestInitialElection2A at seeds
// 1–100 (nor at 1–1000: `npm run bench -- explore`), but PCT and bounded DFS make the split vote
// that shows it within a few runs (no leader is ever elected), while the reference passes the same
// runs. Every run they make replays from its recorded choices.
import { describe, expect, it } from "vitest";
import { ReplayChoices } from "../../sim/index.ts";
import { explore, makeStrategy, type StrategyName } from "../../sim/explore/index.ts";
import { parts } from "../registry.ts";
import { mutantNamed } from "./catalog.ts";
import { kills } from "./mutant.ts";

const mutant = mutantNamed("keeps-its-vote-in-a-new-term");

async function initialElection() {
  return (await parts["2A"]!()).find((t) => t.name === "TestInitialElection2A")!;
}

describe("exploring beyond random seeds", () => {
  it("seeds 1–100 miss keeps-its-vote-in-a-new-term in TestInitialElection2A", async () => {
    const test = await initialElection();
    for (let seed = 1; seed <= 100; seed++) expect(kills(await test.run(seed, { substitutes: mutant.substitutes })), `seed ${seed}`).toBe(false);
  }, 120_000);

  for (const [strategy, within] of [["pct", 20], ["dfs", 5]] as [StrategyName, number][]) {
    it(`${strategy} finds it within ${within} runs, and the failing run replays to the same journal hash`, async () => {
      const test = await initialElection();
      const found = await explore(
        makeStrategy(strategy, { seed: 1, depth: 3, bound: 12 }),
        within,
        (seed, choices) => test.run(seed, { choices, substitutes: mutant.substitutes }),
        kills,
      );
      expect(found.failed, `${strategy}: no failure in ${found.runs} runs`).toBeDefined();
      const { seed, choices, result } = found.failed!;
      expect(result.failure).toMatch(/^TestInitialElection2A failed: /);
      const replayed = await test.run(seed, { choices: new ReplayChoices(choices), substitutes: mutant.substitutes });
      expect(replayed.journalHash).toBe(result.journalHash);
      expect(replayed.failure?.split("\n")[0]).toBe(result.failure?.split("\n")[0]);
      // The schedules are ones a correct Raft survives: the same runs pass with the reference.
      const reference = await explore(makeStrategy(strategy, { seed: 1, depth: 3, bound: 12 }), found.runs, (s, c) => test.run(s, { choices: c }), (r) => !r.passed);
      expect(reference.failed?.result.failure, "the reference failed an explored run").toBeUndefined();
    }, 60_000);
  }
});
