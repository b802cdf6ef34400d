// The test registry: what a lab test is, what one run of it reports, and every lab part the
// graders define. A test is defined once, as a function of a seed (harness/define-test.ts);
// vitest files and the simlab CLI (run, sweep, replay, check-determinism) both find it here, so
// `simlab sweep` runs thousands of seeds without paying a vitest start-up per seed.
//
// Loading is lazy so that `simlab run 2A` does not load (or need) the Lab 3 graders. A part whose
// module is not written yet fails with a PartUnavailableError naming the file, not a crash.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ChoiceSource, JournalEntry } from "../sim/index.ts";
import type { Substitutes } from "./harness/substitutes.ts";
import type { Scenario } from "./scenario/format.ts";

export interface RunOptions {
  /** Keep every journal entry in the report (for replay and exports). */
  keepJournal?: boolean;
  /** Record observations for the debugger page too (simlab viz); implies keepJournal. */
  observe?: boolean;
  /** Called with each line the test prints (its "Test: …" and "Passed --" lines). */
  print?: (line: string) => void;
  /** Code to run instead of the reference solutions (the graders' meta-tests use broken ones). */
  substitutes?: Substitutes;
  /** Where the run's scheduling choices come from (SimulationOptions.choices); default: FIFO and the seeded streams. */
  choices?: ChoiceSource | undefined;
  /**
   * How a failure says to replay the run, when its seed alone does not (a run made with choices):
   * the simlab replay and viz commands of its choice file.
   */
  replayWith?: { replay: string; viz: string } | undefined;
  /** The run's events budget (SimulationOptions.maxEvents; simlab grade gives each test one). */
  maxEvents?: number | undefined;
}

export interface RunReport {
  part: string;
  test: string;
  seed: number;
  passed: boolean;
  /** Virtual milliseconds the run took. */
  virtualMs: number;
  /** Events dispatched. */
  events: number;
  /** Stable hash of the run: same code and seed ⇒ same hash. */
  journalHash: string;
  /** The whole failure report (what was expected, seed, time, recent events, replay command). */
  failure?: string;
  /** Every journal entry, when RunOptions.keepJournal was set. */
  journal?: JournalEntry[];
}

/** The commands a failure report prints to replay one seed of a test. */
export interface ReplayCommands {
  /** Under vitest (a lab test), or however the test is run again (a scenario: simlab run --scenario). */
  rerun(seed: number): string;
  /** With the whole journal, one column per node. */
  replay(seed: number): string;
  /** The debugger page. */
  viz(seed: number): string;
}

export interface LabTest {
  /** "2A", "3B", … (a scenario file's test: "scenario:" and the file's path). */
  part: string;
  /** The 6.824 name, e.g. "TestInitialElection2A". */
  name: string;
  /** How a failure says to replay it (defineTest's tests have them; the default is by name). */
  commands?: ReplayCommands;
  /**
   * For a test whose fault schedule is drawn from the seed as a scenario (nemesis as data): the
   * scenario a seed draws. Running it (tests/scenario/) is running the test at that seed.
   */
  scenarioOf?: (seed: number) => Scenario;
  /** Runs another scenario the way this test runs its own (its title, its substitutes): simlab shrink's candidates. */
  runScenario?: (scenario: Scenario, seed: number, options?: RunOptions) => Promise<RunReport>;
  run(seed: number, options?: RunOptions): Promise<RunReport>;
}

/** The part of a scenario file's test: "scenario:" and the file's absolute path (a worker loads the file from there). */
export const scenarioPartPrefix = "scenario:";

/** The command that replays one seed of one test under vitest. */
export function replayCommand(part: string, name: string, seed: number): string {
  return `SEED=${seed} npm test -- ${part} -t "${name}$"`;
}

/** The command that replays one seed of one test with its whole journal, one column per node. */
export function simlabReplayCommand(name: string, seed: number): string {
  return `npx simlab replay ${name} --seed ${seed}`;
}

/** The command that writes the debugger page of one seed of one test. */
export function vizCommand(name: string, seed: number): string {
  return `npx simlab viz ${name} --seed ${seed}`;
}

export type PartLoader = () => Promise<LabTest[]>;

/** A part whose grader module is missing or does not export `tests`. */
export class PartUnavailableError extends Error {
  override name = "PartUnavailableError";
}

/** Loads `tests` from a grader module given relative to this file. */
export function gradersOf(part: string, modulePath: string): PartLoader {
  return async () => {
    const url = new URL(modulePath, import.meta.url);
    const file = fileURLToPath(url);
    const shown = `tests/${modulePath.replace(/^\.\//, "")}`;
    if (!existsSync(file)) {
      throw new PartUnavailableError(`part ${part} is not available: its grader ${shown} does not exist yet.`);
    }
    // A computed specifier: the type checker must not require modules that are not written yet.
    const module = (await import(url.href)) as { tests?: unknown };
    if (!Array.isArray(module.tests)) {
      throw new PartUnavailableError(`part ${part} is not available: ${shown} does not export \`tests: LabTest[]\`.`);
    }
    return module.tests as LabTest[];
  };
}

/** Every lab part, in the order the labs are taught. */
export const parts: Readonly<Record<string, PartLoader>> = {
  "2A": gradersOf("2A", "./raft/2A.ts"),
  "2B": gradersOf("2B", "./raft/2B.ts"),
  "2C": gradersOf("2C", "./raft/2C.ts"),
  "2D": gradersOf("2D", "./raft/2D.ts"),
  "2X": gradersOf("2X", "./raft/2X.ts"),
  "3A": gradersOf("3A", "./kvraft/3A.ts"),
  "3B": gradersOf("3B", "./kvraft/3B.ts"),
  "4A": gradersOf("4A", "./shardmaster/4A.ts"),
  "4B": gradersOf("4B", "./shardkv/4B.ts"),
  "5A": gradersOf("5A", "./raft5/5A.ts"),
  "5B": gradersOf("5B", "./raft5/5B.ts"),
  "5C": gradersOf("5C", "./raft5/5C.ts"),
  "5D": gradersOf("5D", "./raft5/5D.ts"),
  "5E": gradersOf("5E", "./raft5/5E.ts"),
  "5F": gradersOf("5F", "./raft5/5F.ts"),
  "5G": gradersOf("5G", "./raft5/5G.ts"),
  "5H": gradersOf("5H", "./raft5/5H.ts"),
};
