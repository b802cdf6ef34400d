// A choice file: one explored run, saved so that it replays exactly. `simlab explore` writes one
// for the run that failed; `simlab replay --choices FILE`, `simlab viz --choices FILE` and
// `simlab check-determinism --choices FILE` run it again.
//
// It is JSON: the test (part and 6.824 name), the seed of the nodes' own streams, the mutant the
// test ran against (or null), the strategy and its settings that made the run, what the run gave
// (passed, virtual ms, events, journal hash, the failure's first line) and `choices`, every choice
// of two or more alternatives the run made, in order, as [kind, alternatives, taken]:
//   ["order", 3, 1]     of 3 events due at one instant, the second in FIFO order ran next;
//   ["latency", 7, 0]   a message took its link's shortest latency.
// The run is replayed with ReplayChoices (sim/core/choices.ts), so it must ask the same choices:
// if the code has changed since, the replay fails saying where it parted from the file.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { choiceKinds, ReplayChoices, UsageError, type RecordedChoice } from "../../sim/index.ts";
import type { LabTest, RunOptions, RunReport } from "../../tests/registry.ts";
import { findTest } from "./catalog.ts";
import { describeIoError } from "./options.ts";
import { loadMutant } from "./mutant-option.ts";

export const choiceFileFormat = "simlab-choices/1";

export interface ChoiceFile {
  format: typeof choiceFileFormat;
  part: string;
  test: string;
  seed: number;
  mutant: string | null;
  strategy: string;
  settings: Record<string, number>;
  passed: boolean;
  virtualMs: number;
  events: number;
  journalHash: string;
  failure: string | null;
  choices: RecordedChoice[];
}

/** Where explore saves a failing run: .simlab/choices/<test>[-<mutant>]-<strategy>-run<N>.json. */
export function choiceFilePath(test: string, mutant: string | null, strategy: string, run: number): string {
  return join(".simlab", "choices", `${test}${mutant === null ? "" : `-${mutant}`}-${strategy}-run${run}.json`);
}

export function replayChoicesCommand(path: string): string {
  return `npx simlab replay --choices ${path}`;
}

export function vizChoicesCommand(path: string): string {
  return `npx simlab viz --choices ${path}`;
}

export function writeChoiceFile(path: string, file: ChoiceFile): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    // One choice per line: a file of thousands of choices stays readable and diffable.
    const { choices, ...head } = file;
    const body = choices.map((choice) => `    ${JSON.stringify(choice)}`).join(",\n");
    const headText = JSON.stringify(head, null, 2).replace(/\n}$/, "");
    writeFileSync(path, `${headText},\n  "choices": [\n${body}\n  ]\n}\n`);
  } catch (error) {
    throw new UsageError(`cannot write the choice file ${path}: ${describeIoError(error)}.`);
  }
}

/** Reads and checks a choice file; anything wrong with it is a UsageError naming the file. */
export function readChoiceFile(path: string): ChoiceFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(`--choices: cannot read ${path}: ${describeIoError(error)}.`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new UsageError(`--choices: ${path} is not JSON; a choice file is what simlab explore writes.`);
  }
  const file = data as Partial<ChoiceFile> | null;
  const bad = (what: string): UsageError => new UsageError(`--choices: ${path} is not a choice file: ${what} (simlab explore writes them).`);
  if (typeof file !== "object" || file === null) throw bad("it holds no object");
  if (file.format !== choiceFileFormat) throw bad(`its format is ${JSON.stringify(file.format)}, not "${choiceFileFormat}"`);
  if (typeof file.part !== "string" || typeof file.test !== "string") throw bad("it names no part and test");
  if (!Number.isSafeInteger(file.seed) || file.seed! < 0) throw bad("its seed is not a whole number");
  if (file.mutant !== null && typeof file.mutant !== "string") throw bad("its mutant is neither a name nor null");
  if (!Array.isArray(file.choices)) throw bad("it has no list of choices");
  file.choices.forEach((choice, i) => {
    const [kind, n, value] = Array.isArray(choice) ? choice : [];
    if (!choiceKinds.includes(kind!) || !Number.isInteger(n) || n! < 2 || !Number.isInteger(value) || value! < 0 || value! >= n!) {
      throw bad(`choice #${i} is ${JSON.stringify(choice)}, not [kind, alternatives ≥ 2, taken 0 … alternatives-1] with a kind among ${choiceKinds.join(", ")}`);
    }
  });
  return file as ChoiceFile;
}

/** Runs a choice file's run again: its test, seed and mutant, every choice from the file. */
export async function replayChoiceFile(path: string, file: ChoiceFile, options: RunOptions = {}): Promise<{ test: LabTest; report: RunReport }> {
  const test = await findTest(file.part, file.test);
  const substitutes = file.mutant === null ? {} : (await loadMutant(file.mutant)).substitutes;
  const report = await test.run(file.seed, {
    ...options,
    substitutes,
    choices: new ReplayChoices(file.choices),
    replayWith: { replay: replayChoicesCommand(path), viz: vizChoicesCommand(path) },
  });
  return { test, report };
}

/** One line on whether a replay matched the run the file recorded. */
export function compareWithFile(file: ChoiceFile, report: RunReport): string {
  return report.journalHash === file.journalHash
    ? `same run as the choice file: journal hash ${report.journalHash}`
    : `NOT the run the choice file recorded: journal hash ${report.journalHash}, the file says ${file.journalHash} (the code has changed since it was written)`;
}
