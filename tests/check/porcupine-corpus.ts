// The Porcupine test corpus (tests/check/corpus/porcupine, see FORMAT.md there), parsed, with
// each file's expected verdict. Shared by the corpus test and bench/checker.ts.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkEvents, kvModel, parseJepsenLog, parseKvEdn, registerModel, type CheckOptions, type CheckResult } from "../../sim/check/index.ts";

export const corpusDir = join(dirname(fileURLToPath(import.meta.url)), "corpus", "porcupine");

export interface CorpusFile {
  /** Path relative to the corpus folder, e.g. "kv/c50-bad.txt". */
  name: string;
  model: "kv" | "etcd-register";
  expected: boolean | "unknown";
  operations: number;
  /** Checks the parsed history with the file's model. */
  check(options?: CheckOptions): CheckResult<unknown, unknown>;
}

export function loadCorpus(): CorpusFile[] {
  const expected = JSON.parse(readFileSync(join(corpusDir, "expected.json"), "utf8")) as Record<
    string,
    { model: "kv" | "etcd-register"; linearizable: boolean | "unknown" }
  >;
  return Object.entries(expected).map(([name, { model, linearizable }]) => {
    const text = readFileSync(join(corpusDir, name), "utf8");
    if (model === "kv") {
      const events = parseKvEdn(text, name);
      return {
        name,
        model,
        expected: linearizable,
        operations: events.filter((e) => e.kind === "call").length,
        check: (options) => checkEvents(kvModel, events, options) as CheckResult<unknown, unknown>,
      };
    }
    const events = parseJepsenLog(text, name);
    return {
      name,
      model,
      expected: linearizable,
      operations: events.filter((e) => e.kind === "call").length,
      check: (options) => checkEvents(registerModel, events, options) as CheckResult<unknown, unknown>,
    };
  });
}
