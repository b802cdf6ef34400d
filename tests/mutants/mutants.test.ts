// CI's share of the mutation score (`npm run bench -- mutants` is the whole of it): each mutant
// against the test and seed that killed it when the bench last ran, which must still fail it with
// the same check. A mutant no longer killed there means a grader lost a check, or the mutant's
// bug no longer bites — either way, run the bench.
import { describe, expect, it } from "vitest";
import { kvMutants } from "./kv-mutants.ts";
import { kills, testsOf } from "./mutant.ts";
import { raftMutants } from "./raft-mutants.ts";
import { raft5Mutants } from "./raft5-mutants.ts";
import { sessionMutants } from "./session-mutants.ts";

const mutants = [...raftMutants, ...raft5Mutants, ...kvMutants, ...sessionMutants];

describe("every mutant is killed where the bench found it killed", () => {
  it("each mutant either names its killer or says why no test could kill it", () => {
    for (const m of mutants) expect(m.killedBy !== undefined || m.equivalent !== undefined, m.name).toBe(true);
    expect(new Set(mutants.map((m) => m.name)).size).toBe(mutants.length);
  });

  for (const m of mutants) {
    const by = m.killedBy;
    if (by === undefined) continue;
    it(`${m.name}: ${by.test} fails at seed ${by.seed}`, async () => {
      const test = (await testsOf(m)).find((t) => t.name === by.test);
      expect(test, `${by.test} is not a test of ${m.parts.join(", ")}`).toBeDefined();
      const report = await test!.run(by.seed, { substitutes: m.substitutes });
      expect(kills(report), report.failure ?? "the test passed").toBe(true);
      expect(report.failure).toMatch(by.check);
    });
  }
});
