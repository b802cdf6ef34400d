// `--trace out.jsonl` and `--shiviz out.log`, shared by run and replay: both files hold every
// journal entry (filters only change what replay prints).
import type { JournalEntry } from "../../sim/index.ts";
import { jsonLine, toShiviz } from "../../sim/trace/index.ts";
import { outputFile } from "./options.ts";

export interface ExportedRun {
  test: string;
  seed: number;
  journal: readonly JournalEntry[];
}

export interface Exports {
  /** True when some export needs the runs' journals. */
  wanted: boolean;
  /** Writes the files; returns one line per file written, for the user. */
  write(runs: readonly ExportedRun[]): string[];
}

/** Checks the paths before the runs (so a bad path fails at once) and writes them after. */
export function exportsFrom(values: Record<string, string | boolean | undefined>): Exports {
  const trace = outputFile("--trace", values.trace);
  const shiviz = outputFile("--shiviz", values.shiviz);
  return {
    wanted: trace !== undefined || shiviz !== undefined,
    write(runs) {
      const written: string[] = [];
      const events = runs.reduce((sum, run) => sum + run.journal.length, 0);
      if (trace !== undefined) {
        // With several tests in one file, each line also names its test.
        const lines = runs.flatMap((run) => run.journal.map((entry) => jsonLine(entry, runs.length > 1 ? { test: run.test } : undefined)));
        trace(lines.length === 0 ? "" : `${lines.join("\n")}\n`);
        written.push(`trace: ${events} events as JSON lines in ${values.trace}`);
      }
      if (shiviz !== undefined) {
        shiviz(toShiviz(runs.map((run) => ({ name: `${run.test} seed ${run.seed}`, entries: run.journal }))));
        written.push(`shiviz: ${events} events in ${values.shiviz} (open it at https://bestchai.bitbucket.io/shiviz/; the parser regex is its first line)`);
      }
      return written;
    },
  };
}
