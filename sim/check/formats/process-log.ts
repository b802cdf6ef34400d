// Jepsen's log semantics, shared by every text format we read. Each line is an event of a
// "process" (a logical client) that has at most one operation in flight:
//   invoke  the process starts an operation
//   ok      it completed with this output
//   fail    it definitely did not take effect: a read returns nothing (unknown output, which is
//           the same as no effect), any other operation is dropped from the history
//   info    indeterminate: it may take effect at any time after its call, even after the log
//           ends. The operation stays open (the checker closes it at the end), and Jepsen retires
//           the process number.
// Line order is real-time order.
import type { HistoryEvent, Observed } from "../history.ts";
import { HistoryFormatError } from "./format-error.ts";

/** The type of a log line: what happened to the process's operation. */
export type LogType = "invoke" | "ok" | "fail" | "info";

interface Pending<Input> {
  id: number;
  f: string;
  input: Input;
  line: number;
}

export class ProcessLog<Input, Output> {
  private readonly events: HistoryEvent<Input, Output>[] = [];
  private readonly pending = new Map<number, Pending<Input>>();
  private readonly dropped = new Set<number>();
  private nextId = 0;

  constructor(private readonly source: string) {}

  invoke(process: number, f: string, input: Input, line: number): void {
    const earlier = this.pending.get(process);
    if (earlier !== undefined) {
      this.error(line, `process ${process} invokes ${f} while its ${earlier.f} from line ${earlier.line} has not completed; a process has one operation in flight at a time.`);
    }
    const id = this.nextId++;
    this.pending.set(process, { id, f, input, line });
    this.events.push({ kind: "call", id, clientId: process, input });
  }

  /** The operation a completion line closes; checks that it exists and has the same f. */
  pendingOf(process: number, f: string, line: number): Pending<Input> {
    const pending = this.pending.get(process);
    if (pending === undefined) {
      this.error(line, `process ${process} completes ${f} but has no operation in flight; every completion needs an earlier :invoke from the same process.`);
    }
    if (pending.f !== f) {
      this.error(line, `process ${process} completes ${f} but its operation in flight (line ${pending.line}) is ${pending.f}.`);
    }
    return pending;
  }

  complete(process: number, output: Observed<Output>): void {
    const pending = this.pending.get(process)!;
    this.pending.delete(process);
    this.events.push({ kind: "return", id: pending.id, clientId: process, output });
  }

  /** The operation definitely did not happen: remove it. */
  drop(process: number): void {
    this.dropped.add(this.pending.get(process)!.id);
    this.pending.delete(process);
  }

  /** The outcome is unknown: leave the operation open and retire the process's slot. */
  leaveOpen(process: number): void {
    this.pending.delete(process);
  }

  error(line: number, problem: string): never {
    throw new HistoryFormatError(this.source, line, problem);
  }

  /** The events; operations still in flight stay open for the checker to close. */
  finish(): HistoryEvent<Input, Output>[] {
    if (this.dropped.size === 0) return this.events;
    return this.events.filter((event) => !this.dropped.has(event.id));
  }
}
