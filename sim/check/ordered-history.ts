// Turns a history (operations with times, or ordered events) into what the search walks: the
// operations numbered 0…n-1 and their call and return entries in real-time order. Operations that
// never returned are closed here, with an unknown output, after every other entry.
import { MalformedHistoryError, unknownOutput, type HistoryEvent, type Observed, type Operation } from "./history.ts";

export interface CheckedOperation<Input, Output> {
  /** The operation's index in the checked operations, or its id in the checked events. */
  id: number;
  clientId: number;
  input: Input;
  output: Observed<Output>;
}

export interface OrderedHistory<Input, Output> {
  operations: CheckedOperation<Input, Output>[];
  /** Entries in real-time order: 2·op for a call, 2·op+1 for a return. */
  order: Int32Array;
}

export function orderOperations<Input, Output>(history: readonly Operation<Input, Output>[]): OrderedHistory<Input, Output> {
  const operations = history.map((op, id): CheckedOperation<Input, Output> => {
    if (Number.isNaN(op.call) || op.call === Infinity || Number.isNaN(op.return)) {
      throw new MalformedHistoryError(`Operation ${id} has call time ${op.call} and return time ${op.return}; times must be numbers, and only the return may be Infinity (never returned).`);
    }
    if (op.return < op.call) {
      throw new MalformedHistoryError(`Operation ${id} returns at ${op.return}, before its call at ${op.call}; check that the recorder's clock never goes backwards.`);
    }
    return { id, clientId: op.clientId, input: op.input, output: op.return === Infinity ? unknownOutput : op.output };
  });
  // Sort by time; at equal times a call comes before a return, so touching intervals overlap.
  const entries = Array.from({ length: history.length * 2 }, (_, i) => i);
  const time = (entry: number): number => {
    const op = history[entry >> 1]!;
    return entry & 1 ? op.return : op.call;
  };
  entries.sort((a, b) => time(a) - time(b) || (a & 1) - (b & 1) || a - b);
  return { operations, order: Int32Array.from(entries) };
}

export function orderEvents<Input, Output>(events: readonly HistoryEvent<Input, Output>[]): OrderedHistory<Input, Output> {
  const operations: CheckedOperation<Input, Output>[] = [];
  const opOfId = new Map<number, number>();
  const returned: boolean[] = [];
  const order: number[] = [];
  events.forEach((event, position) => {
    const op = opOfId.get(event.id);
    if (event.kind === "call") {
      if (op !== undefined) {
        throw new MalformedHistoryError(`Event ${position} calls operation id ${event.id}, which was already called; give every operation its own id.`);
      }
      opOfId.set(event.id, operations.length);
      order.push(2 * operations.length);
      operations.push({ id: event.id, clientId: event.clientId, input: event.input, output: unknownOutput });
      returned.push(false);
    } else {
      if (op === undefined) {
        throw new MalformedHistoryError(`Event ${position} returns operation id ${event.id}, which has not been called; a return must come after its call.`);
      }
      if (returned[op]) {
        throw new MalformedHistoryError(`Event ${position} returns operation id ${event.id} a second time; each operation returns at most once.`);
      }
      returned[op] = true;
      operations[op]!.output = event.output;
      order.push(2 * op + 1);
    }
  });
  returned.forEach((done, op) => {
    if (!done) order.push(2 * op + 1);
  });
  return { operations, order: Int32Array.from(order) };
}
