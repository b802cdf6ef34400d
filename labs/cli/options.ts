// Reading a command's options: unknown options, numbers, virtual times and output files are
// checked here and reported as one-line UsageErrors (exit code 2).
import { closeSync, openSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { supportsColor } from "chalk";
import { UsageError } from "../../sim/index.ts";
import { findLab, labs, type Lab } from "../course/manifest.ts";

/** How many positional arguments a command takes, and what to call them when the count is wrong. */
export interface PositionalRule {
  min: number;
  max: number;
  /** E.g. "one part or test, e.g. simlab run 2A". */
  what: string;
}

/**
 * Parses a command's arguments with node:util's parseArgs (every command goes through here), and
 * checks the number of positional arguments against `positionals` when it is given.
 */
export function readOptions<T extends NonNullable<ParseArgsConfig["options"]>>(
  command: string,
  args: string[],
  options: T,
  positionals?: PositionalRule,
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    // Node's messages go on over several lines; their first sentence is enough.
    const message = (error as Error).message;
    const first = message.split("\n")[0]!.split(". ")[0]!.replace(/\.$/, "");
    const dash = /'(--[\w-]+)' argument is ambiguous/.exec(message);
    const hint = dash ? `; a value that starts with a dash is written ${dash[1]}=VALUE` : "";
    throw new UsageError(`${first}${hint} (see simlab ${command} --help).`);
  }
  if (positionals !== undefined) checkPositionals(command, parsed.positionals, positionals);
  return { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals };
}

/** Checks the number of positional arguments (for a command whose rule depends on its options). */
export function checkPositionals(command: string, given: readonly string[], rule: PositionalRule): void {
  const count = given.length;
  if (count < rule.min || count > rule.max) {
    throw new UsageError(
      count < rule.min
        ? `${command} needs ${rule.what} (see simlab ${command} --help).`
        : `${command} takes ${rule.what}, but got ${count} arguments: ${given.join(" ")} (see simlab ${command} --help).`,
    );
  }
}

/** A whole number ≥ min given as an option's value. */
export function wholeNumber(option: string, text: string | boolean | undefined, fallback: number, min = 0): number {
  if (text === undefined) return fallback;
  const raw = String(text).trim();
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min) {
    throw new UsageError(`${option} needs a whole number${min > 0 ? ` ≥ ${min}` : " ≥ 0"}, not "${text}".`);
  }
  return value;
}

/** A virtual time: "1500" or "1500ms" (milliseconds), "1.5s" (seconds). */
export function virtualTime(option: string, text: string | boolean | undefined): number | undefined {
  if (text === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(String(text).trim());
  if (match === null) throw new UsageError(`${option} needs a virtual time such as 1500, 1500ms or 1.5s, not "${text}".`);
  const value = Number(match[1]);
  return match[2] === "s" ? Math.round(value * 1000) : value;
}

/** A comma-separated list ("0,2" or "vote,append"). */
export function list(option: string, text: string | boolean | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const items = String(text).split(",").map((item) => item.trim()).filter((item) => item !== "");
  if (items.length === 0) throw new UsageError(`${option} needs a comma-separated list, not "${text}".`);
  return items;
}

/** Default worker count: every core. */
export function defaultJobs(): number {
  return availableParallelism();
}

/**
 * Checks now that an output file can be written, so a typo in a path fails before a long run;
 * returns a function that writes the file's content.
 */
export function outputFile(option: string, path: string | boolean | undefined): ((content: string) => void) | undefined {
  if (path === undefined) return undefined;
  const file = String(path);
  try {
    closeSync(openSync(file, "w"));
  } catch (error) {
    throw new UsageError(`${option}: cannot write ${file}: ${describeIoError(error)}.`);
  }
  return (content) => writeFileSync(file, content);
}

export function describeIoError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "its folder does not exist";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "it is a folder";
  return (error as Error).message;
}

/** Color for stdout: none under NO_COLOR or when stdout is not a terminal (chalk's own rules otherwise). */
export function colorLevel(): 0 | 1 | 2 | 3 {
  if ((process.env.NO_COLOR ?? "") !== "") return 0;
  return supportsColor === false ? 0 : supportsColor.level;
}

/** The options of the commands that run many seeds in worker processes (sweep, check-determinism). */
export const seedRangeOptions = { seeds: { type: "string" }, from: { type: "string" }, jobs: { type: "string" } } as const;

/**
 * Reads seedRangeOptions: --seeds N (`defaultSeeds` when absent; required when that is undefined),
 * --from S (default 1) and --jobs J (default one per core). Every seed S … S+N-1 must be a safe
 * integer.
 */
export function readSeedRange(
  command: string,
  values: Record<string, string | boolean | undefined>,
  defaultSeeds: number | undefined,
): { from: number; count: number; workers: number } {
  if (values.seeds === undefined && defaultSeeds === undefined) {
    throw new UsageError(`${command} needs --seeds N, how many seeds to run (see simlab ${command} --help).`);
  }
  const count = wholeNumber("--seeds", values.seeds, defaultSeeds ?? 0, 1);
  const from = wholeNumber("--from", values.from, 1);
  if (!Number.isSafeInteger(from + count - 1)) {
    throw new UsageError(`--from ${from} with --seeds ${count} goes past the largest seed, ${Number.MAX_SAFE_INTEGER}.`);
  }
  const workers = wholeNumber("--jobs", values.jobs, defaultJobs(), 1);
  return { from, count, workers };
}

/** --labs 2,3: labs of the course (labs/course/manifest.ts), in the course's order; all of them when absent. */
export function labList(option: string, text: string | boolean | undefined): Lab[] {
  const numbers = list(option, text)?.map((item) => wholeNumber(option, item, 0));
  if (numbers === undefined) return [...labs];
  for (const number of numbers) {
    if (findLab(number) === undefined) {
      throw new UsageError(`${option}: there is no lab ${number}; the labs are ${labs.map((lab) => lab.number).join(", ")}.`);
    }
  }
  return labs.filter((lab) => numbers.includes(lab.number));
}
