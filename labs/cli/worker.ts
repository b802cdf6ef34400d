// A worker process of `simlab sweep` and `simlab check-determinism`: it loads the graders once and
// runs every seed it is sent, so a sweep pays one process start-up per core, not one per seed.
//
// Protocol (IPC messages): the parent sends a WorkOrder (some runs: test and seed); the worker answers
// with "begin" as each run starts (its test loaded: the real-time limit of a run counts from here,
// not from a busy machine's process start-up) and "run" when it ends, in order, then "done".
// Orders are sent one at a time. When the channel closes (the parent stopped it, or the parent
// died, e.g. a `simlab worker` killed with kill -9), the process ends at once, mid-run or not.
import { toTraceRecord, type TraceRecord } from "../../sim/trace/index.ts";
import { findTest } from "./catalog.ts";
import type { RunReport } from "../../tests/registry.ts";

export interface WorkOrder {
  runs: { part: string; test: string; seed: number; maxEvents: number | undefined; choicesFile: string | undefined }[];
  keepJournal: boolean;
}

/** What a run reports back: the registry's RunReport, with the journal as plain records. */
export interface RunSummary extends Omit<RunReport, "journal"> {
  journal?: TraceRecord[];
  /** The worker process's id (to show that two runs happened in different processes). */
  pid: number;
  /**
   * Set when the run did not end by itself (pool.ts): its worker process ended, the real-time
   * limit stopped it, or it was never run because too many workers had died.
   */
  ended?: "worker ended" | "real-time limit" | "not run";
}

export type WorkerMessage = { kind: "begin" } | { kind: "run"; run: RunSummary } | { kind: "done" };

async function work(order: WorkOrder): Promise<void> {
  for (const { part, test: name, seed, maxEvents, choicesFile } of order.runs) {
    const test = choicesFile === undefined ? await findTest(part, name) : undefined;
    send({ kind: "begin" });
    const report =
      test !== undefined
        ? await test.run(seed, { keepJournal: order.keepJournal, maxEvents })
        : await replayInWorker(choicesFile!, { keepJournal: order.keepJournal, maxEvents });
    const run: RunSummary = {
      part: report.part,
      test: report.test,
      seed: report.seed,
      passed: report.passed,
      virtualMs: report.virtualMs,
      events: report.events,
      journalHash: report.journalHash,
      pid: process.pid,
    };
    if (report.failure !== undefined) run.failure = report.failure;
    if (report.journal !== undefined) run.journal = report.journal.map(toTraceRecord);
    send({ kind: "run", run });
  }
  send({ kind: "done" });
}

/**
 * check-determinism --choices: a choice file's run. Loaded only then, so that a sweep's workers
 * start without the CLI's option and file code (the pool's real-time limit includes start-up).
 */
async function replayInWorker(path: string, options: { keepJournal: boolean; maxEvents: number | undefined }): Promise<RunReport> {
  const { readChoiceFile, replayChoiceFile } = await import("./choice-file.ts");
  return (await replayChoiceFile(path, readChoiceFile(path), options)).report;
}

function send(message: WorkerMessage): void {
  process.send!(message);
}

let queue: Promise<void> = Promise.resolve();
process.on("message", (order: WorkOrder) => {
  queue = queue.then(() => work(order)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(70);
  });
});
process.on("disconnect", () => process.exit(0));
