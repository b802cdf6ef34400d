// The exploration loop: ask the strategy for a run, make it with its choices recorded, tell the
// strategy what the run asked, and stop at the first run that fails or when `maxRuns` (or the
// strategy: bounded DFS ends) runs out. What a run is, and what failing means, is the caller's
// (`simlab explore` runs a lab test; `npm run bench -- explore` counts a mutant killed).
import { RecordingChoices, type ChoiceSource, type RecordedChoice } from "../core/index.ts";
import type { Strategy } from "./strategy.ts";

export interface ExploredRun<R> {
  /** 1 for the first run. */
  run: number;
  seed: number;
  result: R;
  /** Every choice of two or more alternatives the run made, in order: its choice file's list. */
  choices: RecordedChoice[];
}

export interface Exploration<R> {
  /** How many runs were made. */
  runs: number;
  /** The first run that failed, if any did. */
  failed?: ExploredRun<R>;
  /** True when the strategy had no run left to try before maxRuns (bounded DFS searched its whole tree). */
  exhausted: boolean;
}

export async function explore<R>(
  strategy: Strategy,
  maxRuns: number,
  runOnce: (seed: number, choices: ChoiceSource, run: number) => Promise<R>,
  failedRun: (result: R) => boolean,
): Promise<Exploration<R>> {
  for (let run = 1; run <= maxRuns; run++) {
    const next = strategy.next();
    if (next === undefined) return { runs: run - 1, exhausted: true };
    const recording = new RecordingChoices(next.choices);
    const result = await runOnce(next.seed, recording, run);
    strategy.finished(recording.recorded);
    if (failedRun(result)) return { runs: run, exhausted: false, failed: { run, seed: next.seed, result, choices: recording.recorded } };
  }
  return { runs: maxRuns, exhausted: false };
}
