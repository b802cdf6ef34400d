// Records what clients do during a simulation, for the checker:
//
//   const history = new HistoryRecorder<KvInput, KvOutput>(() => sim.now);
//   const op = history.begin(clientId, { op: "get", key: "k" });
//   const value = await clerk.get("k");
//   history.end(op, value);
//   ...
//   checkOperations(kvModel, history.operations());
//
// An operation that is never ended (its client crashed, or gave up) stays open to the end of the
// history: it may or may not have taken effect, at any time after its call.
//
// An observer, if given, hears of each call and return as it is recorded (the KV testers note
// them in the journal of an observed run, for the debugger page).
import { MalformedHistoryError, unknownOutput, type Operation } from "./history.ts";

/** Names one begun operation, to end it with. */
export type OperationHandle = number & { readonly __operationHandle: unique symbol };

/** Hears of each operation as it is recorded; `handle` is its index in operations(). */
export interface HistoryObserver<Input, Output> {
  called(handle: number, operation: Readonly<Operation<Input, Output>>): void;
  returned(handle: number, operation: Readonly<Operation<Input, Output>>): void;
}

export class HistoryRecorder<Input, Output> {
  private readonly recorded: Operation<Input, Output>[] = [];
  private readonly ended: boolean[] = [];
  private lastTime = -Infinity;

  /** `clock` gives the current (virtual) time; it must never go backwards. */
  constructor(
    private readonly clock: () => number,
    private readonly observer?: HistoryObserver<Input, Output>,
  ) {}

  begin(clientId: number, input: Input): OperationHandle {
    const call = this.now();
    const operation: Operation<Input, Output> = { clientId, input, call, output: unknownOutput, return: Infinity };
    this.recorded.push(operation);
    this.ended.push(false);
    this.observer?.called(this.recorded.length - 1, operation);
    return (this.recorded.length - 1) as OperationHandle;
  }

  end(handle: OperationHandle, output: Output): void {
    const op = this.recorded[handle];
    if (op === undefined) {
      throw new MalformedHistoryError(`Operation handle ${handle} was not returned by begin() on this recorder.`);
    }
    if (this.ended[handle]) {
      throw new MalformedHistoryError(`Operation ${handle} (client ${op.clientId}) was already ended at time ${op.return}; end each operation once.`);
    }
    this.ended[handle] = true;
    op.return = this.now();
    op.output = output;
    this.observer?.returned(handle, op);
  }

  /** A copy of the history so far; open operations have an unknown output and return at Infinity. */
  operations(): Operation<Input, Output>[] {
    return this.recorded.map((op) => ({ ...op }));
  }

  private now(): number {
    const time = this.clock();
    if (!(time >= this.lastTime)) {
      throw new MalformedHistoryError(`The recorder's clock went from ${this.lastTime} back to ${time}; give it a clock that never goes backwards.`);
    }
    this.lastTime = time;
    return time;
  }
}
