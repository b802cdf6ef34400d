// Jepsen's etcd register test log, one event per line, fields separated by any whitespace:
//   INFO  jepsen.util - <process> <:invoke|:ok|:fail|:info> <:read|:write|:cas> <value>
// where value is nil, an integer, [from to], or :timed-out.
import type { HistoryEvent } from "../history.ts";
import type { RegisterInput, RegisterOutput } from "../models/register.ts";
import { ProcessLog, type LogType } from "./process-log.ts";
import { applyRegisterEvent, registerFunctions, type RegisterFunction, type RegisterLogValue } from "./register-log.ts";

const linePattern = /^INFO\s+jepsen\.util\s+-\s+(\d+)\s+:(invoke|ok|fail|info)\s+:(\S+)\s+(.*?)\s*$/;
const integer = /^-?\d+$/;
const pair = /^\[\s*(-?\d+)\s+(-?\d+)\s*\]$/;

export function parseJepsenLog(text: string, source: string): HistoryEvent<RegisterInput, RegisterOutput>[] {
  const log: ProcessLog<RegisterInput, RegisterOutput> = new ProcessLog(source);
  text.split("\n").forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === "") return;
    const match = linePattern.exec(raw.trim());
    if (match === null) {
      log.error(line, `expected "INFO jepsen.util - <process> :<type> :<f> <value>", found ${JSON.stringify(raw.trim().slice(0, 80))}.`);
    }
    const [, process, type, f, value] = match;
    if (!(registerFunctions as readonly string[]).includes(f!)) {
      log.error(line, `unknown operation :${f}; a register log has :read, :write and :cas.`);
    }
    applyRegisterEvent(log, line, Number(process), type as LogType, f as RegisterFunction, parseValue(value!, line, log));
  });
  return log.finish();
}

function parseValue(text: string, line: number, log: ProcessLog<RegisterInput, RegisterOutput>): RegisterLogValue {
  if (text === "nil") return null;
  if (text === ":timed-out") return "timed-out";
  if (integer.test(text)) return Number(text);
  const match = pair.exec(text);
  if (match !== null) return [Number(match[1]), Number(match[2])];
  return log.error(line, `cannot read the value ${JSON.stringify(text)}; expected nil, an integer, [from to] or :timed-out.`);
}
