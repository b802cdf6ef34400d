// simlab check <file> [--model kv|register]: is a recorded history linearizable?
import { readFileSync } from "node:fs";
import {
  checkEvents,
  defaultBudget,
  HistoryFormatError,
  kvModel,
  parseHistory,
  registerModel,
  type CheckOptions,
  type CheckResult,
  type Model,
  type ParsedHistory,
} from "../../sim/check/index.ts";
import { UsageError } from "../../sim/index.ts";
import type { Command } from "./command.ts";
import { readOptions } from "./options.ts";

const exitCodes = { ok: 0, illegal: 1, unknown: 3 } as const;
const modelNames = ["kv", "register"] as const;
type ModelName = (typeof modelNames)[number];

const usage = `usage: simlab check <file> [--model kv|register] [--budget STEPS] [--time-limit MS]

Checks whether the history in <file> is linearizable. The format is told from the content:
JSON lines (simlab's own export, Jepsen's invoke/ok/fail/info shape), Porcupine's key/value
EDN logs, or Jepsen etcd logs.

options:
  --model kv|register   the model to check against; by default the one the file's operations
                        belong to (get/put/append: kv, read/write/cas: register)
  --budget STEPS        the search's work budget (default ${defaultBudget}); the same budget
                        gives the same verdict on every machine
  --time-limit MS       also stop after this much wall-clock time

exit code: 0 linearizable, 1 not linearizable, 3 unknown (the budget ran out), 2 bad input`;

export const checkCommand: Command = {
  name: "check",
  summary: "check a recorded history for linearizability",
  usage,
  async run(args) {
    const { file, model, options } = readArguments(args);
    const history = readHistory(file);
    const modelName = model ?? history.model ?? "kv";
    if (history.model !== undefined && history.model !== modelName) {
      throw new UsageError(`${file} holds ${history.model} operations, but --model ${modelName} was given; drop --model or pass --model ${history.model}.`);
    }
    if (history.model === "register") return report(file, registerModel, checkEvents(registerModel, history.events, options));
    if (history.model === "kv") return report(file, kvModel, checkEvents(kvModel, history.events, options));
    // An empty file: nothing to order, under either model.
    return modelName === "register"
      ? report(file, registerModel, checkEvents(registerModel, [], options))
      : report(file, kvModel, checkEvents(kvModel, [], options));
  },
};

function readArguments(args: string[]): { file: string; model: ModelName | undefined; options: CheckOptions } {
  const { values, positionals } = readOptions("check", args, {
    model: { type: "string" },
    budget: { type: "string" },
    "time-limit": { type: "string" },
  });
  // Unlike the other commands, check says how many files it got.
  if (positionals.length !== 1) {
    throw new UsageError(`check needs exactly one history file, got ${positionals.length} (see simlab check --help).`);
  }
  const model = values.model as string | undefined;
  if (model !== undefined && !(modelNames as readonly string[]).includes(model)) {
    throw new UsageError(`unknown model "${model}"; use --model kv or --model register.`);
  }
  const options: CheckOptions = {};
  if (values.budget !== undefined) options.budget = positiveInteger("--budget", String(values.budget));
  if (values["time-limit"] !== undefined) options.timeLimitMs = positiveInteger("--time-limit", String(values["time-limit"]));
  return { file: positionals[0]!, model: model as ModelName | undefined, options };
}

/** A count of steps or milliseconds; unlike wholeNumber (options.ts), it accepts 1e7 for 10000000. */
function positiveInteger(option: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new UsageError(`${option} needs a positive whole number, not "${text}".`);
  return value;
}

/** Reads and parses a history file; a missing or malformed file is the user's error (UsageError). */
export function readHistory(file: string): ParsedHistory {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === "ENOENT" ? `cannot read ${file}: there is no such file.` : `cannot read ${file}: ${(error as Error).message}.`);
  }
  try {
    return parseHistory(text, file);
  } catch (error) {
    if (error instanceof HistoryFormatError) throw new UsageError(error.message);
    throw error;
  }
}

function report<State, Input, Output>(file: string, model: Model<State, Input, Output>, result: CheckResult<Input, Output>): number {
  const parts = result.partitions === 1 ? "1 part" : `${result.partitions} parts`;
  const verdicts = { ok: "linearizable", illegal: "NOT linearizable", unknown: "unknown (the search budget ran out before a verdict)" };
  console.log(`${file}: ${verdicts[result.verdict]}  [${model.name} model, ${parts}, ${result.steps} search steps]`);
  const failure = result.failure;
  if (failure !== undefined) {
    const describe = (op: { clientId: number; input: Input; output: Parameters<typeof model.describeOperation>[1] }): string =>
      `client ${String(op.clientId).padEnd(3)} ${model.describeOperation(op.input, op.output)}`;
    console.log("");
    console.log(failure.partition === undefined ? "The history cannot be ordered." : `Partition ${JSON.stringify(failure.partition)} cannot be ordered.`);
    console.log(`Longest order the model accepts (${failure.longestPartialLinearization.length} operations), from state ${failure.initialState}:`);
    failure.longestPartialLinearization.forEach(({ operation, stateAfter }, index) => {
      console.log(`  ${String(index + 1).padStart(4)}. ${describe(operation)}   => ${stateAfter}`);
    });
    console.log("None of the operations that could come next works:");
    for (const { operation, rejectedByModel } of failure.stuck) {
      const why = rejectedByModel ? "the model rejects it in this state" : "accepted, but no order of the rest can follow it";
      console.log(`        ${describe(operation)}   (${why})`);
    }
  }
  return exitCodes[result.verdict];
}
