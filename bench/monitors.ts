// `npm run bench -- monitors [--pairs N] [--rounds R] [--labs lab2,lab3]`: what the Figure-2 monitors
// (tests/harness/monitors/) cost the lab 2 and lab 3 tests. The target is at most 10% more CPU.
//
// Method. Each lab's tests run at seed 1, in this process, as passes: one pass is every test of the
// lab, R times over (default 3: lab 2's tests take 0.7 s of CPU once, too short to time alone). A pair is one pass watched and one unwatched (figure2Monitoring.on), in alternating
// order (on/off, then off/on), so that a warming JIT or a change of load favours neither; two
// pairs warm up first and are not counted. A pass is timed in CPU seconds of this process
// (cpu-time.ts). The figure is the median of the pairs' ratios, with the middle half of them and
// the ratio of the fastest passes beside it: this VM's passes vary by a few percent, and the
// spread says how far to trust the median. On a loaded machine a whole pass is rarely left alone,
// so each test is also timed on its own: "per-test min" sums each test's least CPU time over every
// round of every pass, watched and unwatched (the least disturbed run of each), and compares the sums. Every test must pass both ways with the same journal
// hash, events and virtual time (a watched run is the same run); the bench fails if one does not.
import { figure2Monitoring } from "../tests/harness/monitors/figure2.ts";
import { parts, type LabTest } from "../tests/registry.ts";
import { cpuSeconds } from "./support/cpu-time.ts";
import { median, numberOption } from "./support/repetitions.ts";

const LABS: Record<string, readonly string[]> = { lab2: ["2A", "2B", "2C", "2D"], lab3: ["3A", "3B"] };
const WARM_UP_PAIRS = 2;
const MAX_PAIRS = 200;
const MAX_ROUNDS = 20;

export default async function monitorsBench(args: string[]): Promise<Record<string, unknown>> {
  const pairs = numberOption(args, "pairs", 8);
  if (!Number.isInteger(pairs) || pairs < 1 || pairs > MAX_PAIRS) {
    throw new Error(`--pairs must be a whole number from 1 to ${MAX_PAIRS}, got ${String(pairs)}`);
  }
  const rounds = numberOption(args, "rounds", 3);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > MAX_ROUNDS) {
    throw new Error(`--rounds must be a whole number from 1 to ${MAX_ROUNDS}, got ${String(rounds)}`);
  }
  const labsAt = args.indexOf("--labs");
  const labs = labsAt >= 0 ? (args[labsAt + 1] ?? "").split(",") : Object.keys(LABS);
  for (const lab of labs) {
    if (LABS[lab] === undefined) throw new Error(`--labs: no lab "${lab}"; the labs are ${Object.keys(LABS).join(", ")}`);
  }
  const result: Record<string, unknown> = { bench: "monitors", pairs, rounds };
  console.log(
    `${"lab".padEnd(5)} ${"median".padStart(7)} ${"middle half".padStart(17)} ${"min/min".padStart(8)} ${"per-test min".padStart(13)} ${"watched s".padStart(10)} ${"unwatched s".padStart(12)}`,
  );
  for (const lab of labs) {
    const tests: LabTest[] = [];
    for (const part of LABS[lab]!) tests.push(...(await parts[part]!()));
    const cost = await pairedCost(tests, pairs, rounds);
    console.log(
      `${lab.padEnd(5)} ${percent(cost.median).padStart(7)} ${`${percent(cost.q25)} … ${percent(cost.q75)}`.padStart(17)} ` +
        `${percent(cost.minOverMin).padStart(8)} ${percent(cost.perTestMin).padStart(13)} ${cost.watchedMinS.toFixed(2).padStart(10)} ${cost.unwatchedMinS.toFixed(2).padStart(12)}`,
    );
    result[`${lab}_cost`] = round(cost.median);
    result[`${lab}_cost_q25`] = round(cost.q25);
    result[`${lab}_cost_q75`] = round(cost.q75);
    result[`${lab}_cost_min_over_min`] = round(cost.minOverMin);
    result[`${lab}_cost_per_test_min`] = round(cost.perTestMin);
    result[`${lab}_tests`] = tests.length;
  }
  return result;
}

interface PairedCost {
  median: number;
  q25: number;
  q75: number;
  minOverMin: number;
  /** Each test's least CPU seconds, summed, watched over unwatched, minus 1. */
  perTestMin: number;
  watchedMinS: number;
  unwatchedMinS: number;
}

async function pairedCost(tests: readonly LabTest[], pairs: number, rounds: number): Promise<PairedCost> {
  const reference = new Map<string, string>();
  const least: Least = { true: new Map(), false: new Map() };
  const ratios: number[] = [];
  const watched: number[] = [];
  const unwatched: number[] = [];
  for (let i = 0; i < WARM_UP_PAIRS + pairs; i++) {
    const order = i % 2 === 0 ? [true, false] : [false, true];
    const seconds: Record<string, number> = {};
    for (const on of order) seconds[String(on)] = await pass(tests, rounds, on, reference, i < WARM_UP_PAIRS ? undefined : least);
    if (i < WARM_UP_PAIRS) continue;
    watched.push(seconds.true!);
    unwatched.push(seconds.false!);
    ratios.push(seconds.true! / seconds.false!);
  }
  const sorted = [...ratios].sort((a, b) => a - b);
  const at = (f: number) => sorted[Math.round(f * (sorted.length - 1))]! - 1;
  const watchedMinS = Math.min(...watched);
  const unwatchedMinS = Math.min(...unwatched);
  const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  const perTestMin = sum(least.true) / sum(least.false) - 1;
  return { median: median(ratios) - 1, q25: at(0.25), q75: at(0.75), minOverMin: watchedMinS / unwatchedMinS - 1, perTestMin, watchedMinS, unwatchedMinS };
}

/** Per test, the least CPU seconds one run of it took, watched (true) and unwatched (false). */
type Least = Record<"true" | "false", Map<string, number>>;

/** One pass: every test at seed 1, `rounds` times over, watched or not; its CPU seconds (each test's least kept in `least`). */
async function pass(tests: readonly LabTest[], rounds: number, on: boolean, reference: Map<string, string>, least: Least | undefined): Promise<number> {
  figure2Monitoring.on = on;
  try {
    const started = cpuSeconds();
    for (let round = 0; round < rounds; round++) for (const test of tests) {
      const testStarted = cpuSeconds();
      const report = await test.run(1);
      const seconds = cpuSeconds() - testStarted;
      const kept = least?.[String(on) as "true" | "false"];
      if (kept !== undefined && seconds < (kept.get(test.name) ?? Infinity)) kept.set(test.name, seconds);
      const outcome = `${report.journalHash} ${report.events} ${report.virtualMs}`;
      if (!report.passed) throw new Error(`${test.name} failed at seed 1 ${on ? "with" : "without"} the monitors`);
      const before = reference.get(test.name);
      if (before === undefined) reference.set(test.name, outcome);
      else if (before !== outcome) {
        throw new Error(`${test.name} ran differently with the monitors ${on ? "on" : "off"} (${outcome}, before ${before}): watching must not change a run`);
      }
    }
    return cpuSeconds() - started;
  } finally {
    figure2Monitoring.on = true;
  }
}

function percent(x: number): string {
  return `${x >= 0 ? "+" : ""}${(100 * x).toFixed(1)}%`;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
