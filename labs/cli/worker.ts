// A worker process of `simlab sweep` and `simlab check-determinism`: it loads the graders once and
// runs every seed it is sent, so a sweep pays one process start-up per core, not one per seed.
//
// Protocol (IPC messages): the parent sends a WorkOrder (one test, some seeds); the worker answers
// with one RunMessage per seed, in order, then a DoneMessage. Orders are sent one at a time.
import { toTraceRecord, type TraceRecord } from "../../sim/trace/index.ts";
import { findTest } from "./catalog.ts";

export interface WorkOrder {
  part: string;
  test: string;
  seeds: number[];
  keepJournal: boolean;
}

/** What a run reports back: the registry's RunReport, with the journal as plain records. */
export interface RunSummary {
  part: string;
  test: string;
  seed: number;
  passed: boolean;
  virtualMs: number;
  events: number;
  journalHash: string;
  failure?: string;
  journal?: TraceRecord[];
  /** The worker process's id (to show that two runs happened in different processes). */
  pid: number;
}

export type WorkerMessage = { kind: "run"; run: RunSummary } | { kind: "done" };

async function work(order: WorkOrder): Promise<void> {
  const test = await findTest(order.part, order.test);
  for (const seed of order.seeds) {
    const report = await test.run(seed, { keepJournal: order.keepJournal });
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
