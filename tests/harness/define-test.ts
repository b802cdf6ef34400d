// Defines a lab test: a body run in a fresh simulation for each seed. The body gets a TestContext
// `t`, the analogue of Go's *testing.T: each lab's makeConfig(t, …) builds its tester on t.sim and
// registers its cleanup with t.defer() (Go: `defer cfg.cleanup()`). Any failure becomes a report
// that names the seed, the virtual time, what was expected, the recent events and the two
// commands that replay it (under vitest, and with the whole journal in `simlab replay`).
import { Simulation, type SimulationOptions } from "../../sim/index.ts";
import {
  replayCommand,
  simlabReplayCommand,
  vizCommand,
  type LabTest,
  type ReplayCommands,
  type RunOptions,
  type RunReport,
} from "../registry.ts";
import type { Substitutes } from "./substitutes.ts";

export interface TestContext {
  readonly sim: Simulation;
  readonly part: string;
  /** The 6.824 test name, e.g. "TestBackup2B". */
  readonly name: string;
  readonly seed: number;
  /** Prints one line of the test's own output ("Test (2A): …", "  ... Passed --"). */
  print(line: string): void;
  /** Code to run instead of the reference solutions (meta-tests); empty in a normal run. */
  readonly substitutes: Substitutes;
  /** Runs `cleanup` when the body ends, passed or not, latest first (Go's defer). */
  defer(cleanup: (passed: boolean) => void): void;
}

/**
 * A safety valve in virtual time. Every 6.824 test must finish within 120 s, which the testers
 * check when a test ends; this stops a run that would never get there (a clerk retrying forever
 * against a broken server) without waiting for the wall-clock watchdog.
 */
export const MAX_VIRTUAL_MS = 180_000;

/** A lab test's commands: npm test, simlab replay and simlab viz by its name. */
function labTestCommands(part: string, name: string): ReplayCommands {
  return {
    rerun: (seed) => replayCommand(part, name, seed),
    replay: (seed) => simlabReplayCommand(name, seed),
    viz: (seed) => vizCommand(name, seed),
  };
}

export function defineTest(
  part: string,
  name: string,
  body: (t: TestContext) => Promise<void>,
  commands: ReplayCommands = labTestCommands(part, name),
): LabTest {
  return {
    part,
    name,
    commands,
    run: (seed, options = {}) => runTest(part, name, seed, options, { maxVirtualTimeMs: MAX_VIRTUAL_MS }, body, commands),
  };
}

async function runTest(
  part: string,
  name: string,
  seed: number,
  options: RunOptions,
  simulationOptions: Omit<SimulationOptions, "seed">,
  body: (t: TestContext) => Promise<void>,
  commands: ReplayCommands,
): Promise<RunReport> {
  const sim = new Simulation({
    ...simulationOptions,
    seed,
    keepJournal: options.keepJournal ?? false,
    maxEvents: options.maxEvents,
    observe: options.observe ?? false,
    choices: options.choices,
  });
  const cleanups: ((passed: boolean) => void)[] = [];
  const t: TestContext = {
    sim,
    part,
    name,
    seed,
    print: options.print ?? (() => {}),
    substitutes: options.substitutes ?? {},
    defer: (cleanup) => void cleanups.push(cleanup),
  };
  const report: RunReport = { part, test: name, seed, passed: false, virtualMs: 0, events: 0, journalHash: "" };
  try {
    await sim.run(async () => {
      let passed = false;
      try {
        await body(t);
        passed = true;
      } finally {
        for (const cleanup of cleanups.reverse()) cleanup(passed);
      }
    });
    report.passed = true;
  } catch (err) {
    const text = err instanceof Error ? err.message : String(err);
    if (options.replayWith !== undefined) {
      report.failure =
        `${name} failed: ${text}\n  replay: ${options.replayWith.replay}   (every event of the run, one column per node)` +
        `\n     viz: ${options.replayWith.viz}   (the run on one page, in a browser)`;
    } else {
      report.failure =
        `${name} failed: ${text}\n  replay: ${commands.rerun(seed)}\n` +
        `      or: ${commands.replay(seed)}   (every event of the run, one column per node)`;
      report.failure += `\n     viz: ${commands.viz(seed)}   (the run on one page, in a browser)`;
    }
  }
  report.virtualMs = sim.now;
  report.events = sim.events;
  report.journalHash = sim.journal.hash;
  if (options.keepJournal || options.observe) report.journal = sim.journal.all;
  return report;
}
