// Jepsen register events (read / write / cas) into a history for the register model.
// The value shapes are those of Jepsen's etcd test (see tests/check/corpus/porcupine/FORMAT.md).
import { unknownOutput } from "../history.ts";
import type { RegisterInput, RegisterOutput } from "../models/register.ts";
import type { LogType, ProcessLog } from "./process-log.ts";

export type RegisterLogValue = null | number | readonly [number, number] | "timed-out";

export const registerFunctions = ["read", "write", "cas"] as const;
export type RegisterFunction = (typeof registerFunctions)[number];

export function applyRegisterEvent(
  log: ProcessLog<RegisterInput, RegisterOutput>,
  line: number,
  process: number,
  type: LogType,
  f: RegisterFunction,
  value: RegisterLogValue,
): void {
  const expected: (shape: string) => never = (shape) =>
    log.error(line, `${type} ${f} needs ${shape} as its value, not ${describeValue(value)}.`);
  if (type === "invoke") {
    if (f === "read") {
      if (value !== null) expected("nil");
      log.invoke(process, f, { op: "read" }, line);
    } else if (f === "write") {
      if (typeof value !== "number") expected("an integer");
      log.invoke(process, f, { op: "write", value }, line);
    } else {
      if (!Array.isArray(value)) expected("[from to]");
      const [from, to] = value as readonly [number, number];
      log.invoke(process, f, { op: "cas", from, to }, line);
    }
    return;
  }
  const pending = log.pendingOf(process, f, line);
  if (type === "info") return log.leaveOpen(process);
  if (f === "read") {
    if (type === "fail") return log.complete(process, unknownOutput);
    if (value !== null && typeof value !== "number") expected("nil or an integer");
    return log.complete(process, value);
  }
  if (f === "write") {
    if (type === "fail") return log.drop(process);
    if (pending.input.op === "write" && value !== pending.input.value) {
      expected(`the value invoked on line ${pending.line} (${pending.input.value})`);
    }
    return log.complete(process, "ok");
  }
  if (!Array.isArray(value)) expected("[from to]");
  const [from, to] = value as readonly [number, number];
  if (pending.input.op === "cas" && (from !== pending.input.from || to !== pending.input.to)) {
    expected(`the values invoked on line ${pending.line} ([${pending.input.from} ${pending.input.to}])`);
  }
  log.complete(process, type === "ok");
}

function describeValue(value: RegisterLogValue): string {
  if (value === null) return "nil";
  if (value === "timed-out") return ":timed-out";
  return Array.isArray(value) ? `[${value.join(" ")}]` : String(value);
}
