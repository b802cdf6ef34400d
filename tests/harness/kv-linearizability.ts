// The linearizability step of the KV tests (lab 3's GenericTest, and lab 4B's tests that check
// a history): porcupine's role in Go, simlab's checker (sim/check) here, with two differences from
// Go, both deliberate:
//   - No 1 s wall-clock timeout. The check runs under the checker's default work budget, so its
//     verdict is the same on every machine, and an "unknown" verdict FAILS the test (porcupine's
//     timeout printed "assuming history is ok" and passed).
//   - On an illegal history, instead of an HTML visualization in a temp file, the failure names
//     the key, shows the operations around the violation and saves the history as JSON lines under
//     .simlab/histories/<test>-seed<seed>.jsonl (replay it with `simlab check <file>`).
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { now } from "../../sim/index.ts";
import {
  checkOperations,
  defaultBudget,
  HistoryRecorder,
  kvHistoryToJsonLines,
  kvModel,
  unknownOutput,
  type CheckResult,
  type KvInput,
  type KvOutput,
  type Operation,
} from "../../sim/check/index.ts";
import { CHECK_NOTE } from "../../sim/trace/viz/verdicts.ts";
import type { TestContext } from "./define-test.ts";
import { observeOperations } from "./observe.ts";
import { fail } from "./failure.ts";

/** Totals over this process, for the benchmarks (bench/support/lab-suite.ts). */
export const checkStats = { operationsChecked: 0, checks: 0, checkMs: 0 };

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * The real clock, taken before any run: inside a run the determinism guard makes performance.now()
 * virtual. Used only to time the checker for the bench; it never affects a run.
 */
const realNow = performance.now.bind(performance);

/**
 * A new operation log on historyClock(). In an observed run (`simlab viz`) each call and return is
 * noted in the journal too (tests/harness/observe.ts), for the page's client rows and verdicts.
 */
export function newOpLog(t: TestContext): HistoryRecorder<KvInput, KvOutput> {
  return new HistoryRecorder<KvInput, KvOutput>(historyClock(), observeOperations(t.sim));
}

/**
 * The operation log's clock: virtual time, plus a millionth of a millisecond for every reading
 * already taken at the same virtual instant. The simulation runs the events of one instant in a
 * definite order, so this is still real (simulated) time order: an operation whose return was
 * recorded before another's call really finished first. Without it, a clerk's return and its next
 * call share a timestamp, the checker treats them as overlapping (sound, only weaker), and the
 * saved JSON lines put the call before the return, which `simlab check` refuses to read back.
 */
export function historyClock(): () => number {
  let last = -1;
  let sub = 0;
  return () => {
    const t = now();
    if (t === last) sub++;
    else {
      last = t;
      sub = 0;
    }
    return t + sub / 1_000_000;
  };
}

/** How many operations of the failing key's longest accepted order the failure message shows. */
const SHOWN_PREFIX = 12;

/**
 * Checks the history under the checker's default budget. Illegal fails the test with the key, the
 * operations around the violation and the saved history's path; unknown fails it too.
 */
export function checkLinearizable(t: TestContext, operations: Operation<KvInput, KvOutput>[]): void {
  const started = realNow();
  const res = checkOperations(kvModel, operations);
  checkStats.checkMs += realNow() - started;
  checkStats.checks++;
  checkStats.operationsChecked += operations.length;
  // For the debugger page (observed runs only): a run whose history was found linearizable
  // spares the page checking every key again (sim/trace/viz/verdicts.ts).
  t.sim.note(CHECK_NOTE, { verdict: res.verdict, operations: operations.length });
  if (res.verdict === "ok") return;

  const saved = saveHistory(t, operations);
  if (res.verdict === "unknown") {
    fail(
      `linearizability check gave no verdict: the checker's budget of ${defaultBudget} search steps ran out ` +
        `(${res.steps} steps over ${res.partitions} keys, ${operations.length} operations). ` +
        `An unknown verdict is not a pass.\n${saved}`,
    );
  }
  fail(`history is not linearizable\n${describeViolation(res, operations)}\n${saved}`);
}


function saveHistory(t: TestContext, operations: Operation<KvInput, KvOutput>[]): string {
  const dir = join(repoRoot, ".simlab", "histories");
  const file = join(dir, `${t.name}-seed${t.seed}.jsonl`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, kvHistoryToJsonLines(operations));
  } catch (err) {
    return `info: failed to save the history to ${file}: ${(err as Error).message}`;
  }
  const shown = relative(process.cwd(), file) || file;
  return `info: wrote the history (${operations.length} operations) to ${shown}; check it again with: npx simlab check ${shown}`;
}

function describeViolation(res: CheckResult<KvInput, KvOutput>, operations: Operation<KvInput, KvOutput>[]): string {
  const failure = res.failure!;
  const describe = (op: { id: number; clientId: number; input: KvInput; output: KvOutput | typeof unknownOutput }): string => {
    const orig = operations[op.id];
    const span = orig === undefined ? "" : `[${fmtTime(orig.call)} – ${fmtTime(orig.return)}] `;
    const what =
      op.input.op === "get" && op.output !== unknownOutput
        ? `get(${JSON.stringify(op.input.key)}) -> ${shorten(JSON.stringify(op.output))}`
        : kvModel.describeOperation(op.input, op.output);
    return `${span}client ${String(op.clientId).padEnd(3)} ${what}`;
  };
  const lines: string[] = [];
  lines.push(`key ${JSON.stringify(failure.partition)}: its operations cannot be put in any order that explains what the clients saw.`);
  const order = failure.longestPartialLinearization;
  const from = Math.max(0, order.length - SHOWN_PREFIX);
  lines.push(
    `Longest order the model accepts: ${order.length} operations` +
      (from > 0 ? ` (the last ${order.length - from} shown)` : "") +
      `, from state ${failure.initialState}:`,
  );
  for (let k = from; k < order.length; k++) {
    const { operation, stateAfter } = order[k]!;
    lines.push(`  ${String(k + 1).padStart(5)}. ${describe(operation)}   => ${shorten(stateAfter)}`);
  }
  lines.push("None of the operations that could come next works:");
  for (const { operation, rejectedByModel } of failure.stuck) {
    const why = rejectedByModel ? "the model rejects it in this state" : "accepted, but no order of the rest can follow it";
    lines.push(`         ${describe(operation)}   (${why})`);
  }
  return lines.join("\n");
}

function fmtTime(ms: number): string {
  return ms === Infinity ? "never" : `${(ms / 1000).toFixed(3)}s`;
}

/** States are whole values (kilobytes after many appends): show their ends. */
function shorten(state: string): string {
  return state.length > 120 ? `${state.slice(0, 30)} …(${state.length} chars)… ${state.slice(-70)}` : state;
}
