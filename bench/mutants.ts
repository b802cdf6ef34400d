// `npm run bench -- mutants [--seeds K] [names…]`: the mutation score. Every mutant of
// tests/mutants/ (a deliberately broken Raft or KV server) runs against every test of its parts,
// seed after seed (1..K, default 20), until some test fails on it: killed, by that test at that
// seed. One that no test fails at any of the K seeds survived. Mutants that no test could ever
// kill with this reference are listed with the reason and left out of the score. The last line is
// the JSON, with the score = killed / (mutants − those left out).
import { kvMutants } from "../tests/mutants/kv-mutants.ts";
import { kills, testsOf, type Mutant } from "../tests/mutants/mutant.ts";
import { raftMutants } from "../tests/mutants/raft-mutants.ts";
import { raft5Mutants } from "../tests/mutants/raft5-mutants.ts";
import { sessionMutants } from "../tests/mutants/session-mutants.ts";

const DEFAULT_SEEDS = 20;

interface Verdict {
  mutant: Mutant;
  killedBy?: { test: string; seed: number; check: string };
  /** A failure from the reference's own invariant(), which does not count. */
  invariantOnly?: { test: string; seed: number };
  runs: number;
}

export default async function mutantsBench(args: string[]): Promise<Record<string, unknown>> {
  const seedsAt = args.indexOf("--seeds");
  const seeds = seedsAt >= 0 ? Number(args[seedsAt + 1]) : DEFAULT_SEEDS;
  const names = args.filter((a, i) => !a.startsWith("--") && args[i - 1] !== "--seeds");
  const mutants = [...raftMutants, ...raft5Mutants, ...kvMutants, ...sessionMutants].filter((m) => names.length === 0 || names.includes(m.name));
  const started = performance.now();
  console.log(`${"mutant".padEnd(40)} ${"verdict".padEnd(10)} ${"by".padEnd(48)} check`);
  const verdicts: Verdict[] = [];
  for (const mutant of mutants) {
    const verdict = await hunt(mutant, seeds);
    verdicts.push(verdict);
    console.log(describe(verdict));
  }
  const equivalent = verdicts.filter((v) => v.mutant.equivalent !== undefined && v.killedBy === undefined).length;
  const killed = verdicts.filter((v) => v.killedBy !== undefined).length;
  const counted = verdicts.length - equivalent;
  const survivors = verdicts.filter((v) => v.killedBy === undefined && v.mutant.equivalent === undefined).map((v) => v.mutant.name);
  if (survivors.length > 0) console.log(`\nsurvived: ${survivors.join(", ")}`);
  return {
    bench: "mutants",
    seeds,
    mutants: verdicts.length,
    equivalent,
    killed,
    survived: survivors.length,
    score: counted === 0 ? 1 : Number((killed / counted).toFixed(3)),
    wall_s: Number(((performance.now() - started) / 1000).toFixed(1)),
  };
}

/** Runs the mutant against every test of its parts, seed after seed, until one kills it. */
async function hunt(mutant: Mutant, seeds: number): Promise<Verdict> {
  const tests = await testsOf(mutant);
  const verdict: Verdict = { mutant, runs: 0 };
  for (let seed = 1; seed <= seeds; seed++) {
    for (const test of tests) {
      const report = await test.run(seed, { substitutes: mutant.substitutes });
      verdict.runs++;
      if (kills(report)) {
        verdict.killedBy = { test: test.name, seed, check: firstLine(report.failure ?? "") };
        return verdict;
      }
      if (!report.passed && verdict.invariantOnly === undefined) verdict.invariantOnly = { test: test.name, seed };
    }
  }
  return verdict;
}

function describe(v: Verdict): string {
  const name = v.mutant.name.padEnd(40);
  if (v.killedBy !== undefined) {
    return `${name} ${"killed".padEnd(10)} ${`${v.killedBy.test} @ seed ${v.killedBy.seed}`.padEnd(48)} ${v.killedBy.check}`;
  }
  if (v.mutant.equivalent !== undefined) return `${name} ${"not counted".padEnd(10)} ${"".padEnd(48)} ${v.mutant.equivalent}`;
  const invariant = v.invariantOnly === undefined ? "" : ` (only the reference's own invariant failed: ${v.invariantOnly.test} @ seed ${v.invariantOnly.seed})`;
  return `${name} ${"SURVIVED".padEnd(10)} ${`${v.runs} runs`.padEnd(48)} ${v.mutant.bug}${invariant}`;
}

/** The failure's first line, without the test's name: the check that failed. */
function firstLine(failure: string): string {
  const line = failure.split("\n")[0] ?? "";
  const text = line.replace(/^\S+ failed: /, "");
  return text.length > 110 ? `${text.slice(0, 110)}…` : text;
}
