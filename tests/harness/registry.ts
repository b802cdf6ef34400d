// The test registry. A test is defined once, as a function of a seed; vitest files and the simlab
// CLI (run, sweep, replay) both call it, so `simlab sweep` runs thousands of seeds without paying
// a vitest start-up per seed.
import type { JournalEntry } from "../../sim/index.ts";

export interface RunOptions {
  /** Keep every journal entry in the report (for replay and exports). */
  keepJournal?: boolean;
  /** Called with each line the test prints (its "Test: …" and "Passed --" lines). */
  print?: (line: string) => void;
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

export interface LabTest {
  /** "2A", "3B", … */
  part: string;
  /** The 6.824 name, e.g. "TestInitialElection2A". */
  name: string;
  run(seed: number, options?: RunOptions): Promise<RunReport>;
}

/** The command that replays one seed of one test under vitest. */
export function replayCommand(part: string, name: string, seed: number): string {
  return `SEED=${seed} npm test -- ${part} -t "${name}$"`;
}
