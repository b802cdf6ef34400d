// Our own histories as JSON lines in Jepsen's shape, one event per line, in time order:
//   {"process":0,"type":"invoke","f":"append","key":"k","value":"x","time":12}
//   {"process":0,"type":"ok","f":"append","key":"k","value":"x","time":15}
// Fields:
//   process  the client id (a non-negative integer)
//   type     "invoke"; "ok" (completed); "fail" (definitely had no effect); "info" (outcome
//            unknown: may take effect at any time after the call, so the operation stays open)
//   f        "get" | "put" | "append" (KV model, with "key") or "read" | "write" | "cas" (register)
//   value    get: null on invoke, the string read on ok. put/append: the string, on both lines.
//            read: null on invoke, the integer read (null when absent) on ok. write: the integer.
//            cas: [from, to] on every line; ok means it applied, fail that the value was not from.
//   time     optional; when the time is known. Lines must be in time order.
// Operations that never returned are written as an "info" line without a time at the end.
import { unknownOutput, type Operation } from "../history.ts";
import type { KvInput, KvOutput } from "../models/kv.ts";
import type { RegisterInput, RegisterOutput } from "../models/register.ts";
import { HistoryFormatError } from "./format-error.ts";
import { applyKvEvent, kvFunctions, type KvFunction } from "./kv-log.ts";
import type { ParsedHistory } from "./history-file.ts";
import { ProcessLog, type LogType } from "./process-log.ts";
import { applyRegisterEvent, registerFunctions, type RegisterFunction, type RegisterLogValue } from "./register-log.ts";

export interface JsonLineEvent {
  process: number;
  type: LogType;
  f: string;
  key?: string;
  value: unknown;
  time?: number;
}

export function kvHistoryToJsonLines(history: readonly Operation<KvInput, KvOutput>[]): string {
  return toJsonLines(history, (op, type) => ({
    f: op.input.op,
    key: op.input.key,
    value: op.input.op === "get" ? (type === "ok" ? op.output : null) : op.input.value,
  }));
}

export function registerHistoryToJsonLines(history: readonly Operation<RegisterInput, RegisterOutput>[]): string {
  return toJsonLines(history, (op, type) => {
    const input = op.input;
    switch (input.op) {
      case "read":
        return { f: "read", value: type === "ok" ? op.output : null };
      case "write":
        return { f: "write", value: input.value };
      case "cas":
        return { f: "cas", value: [input.from, input.to] };
    }
  });
}

function toJsonLines<Input, Output>(
  history: readonly Operation<Input, Output>[],
  fields: (op: Operation<Input, Output>, type: LogType) => { f: string; key?: string; value: unknown },
): string {
  const lines: { time: number; isReturn: number; index: number; process: number; text: string }[] = [];
  history.forEach((op, index) => {
    const line = (type: LogType, time: number | undefined): string =>
      JSON.stringify({ process: op.clientId, type, ...fields(op, type), time } satisfies JsonLineEvent);
    lines.push({ time: op.call, isReturn: 0, index, process: op.clientId, text: line("invoke", op.call) });
    const finished = op.return !== Infinity;
    const type: LogType = op.output === unknownOutput ? "info" : op.output === false ? "fail" : "ok";
    lines.push({ time: op.return, isReturn: 1, index, process: op.clientId, text: line(type, finished ? op.return : undefined) });
  });
  // At one instant calls go before returns (intervals are closed: such operations overlap) —
  // except that a client's own return must come before its next call, or the file would show the
  // client with two operations in flight.
  lines.sort((a, b) => a.time - b.time || a.isReturn - b.isReturn || a.index - b.index);
  const ordered: typeof lines = [];
  for (let start = 0; start < lines.length; ) {
    let end = start;
    while (end < lines.length && lines[end]!.time === lines[start]!.time) end++;
    const group = lines.slice(start, end);
    const calls = group.filter((l) => l.isReturn === 0);
    const returnsFirst = group.filter(
      (l) => l.isReturn === 1 && calls.some((c) => c.process === l.process && c.index !== l.index),
    );
    ordered.push(...returnsFirst, ...group.filter((l) => !returnsFirst.includes(l)));
    start = end;
  }
  return ordered.map((line) => line.text + "\n").join("");
}

export function parseJsonLines(text: string, source: string): ParsedHistory {
  const events = text.split("\n").flatMap((raw, index) => {
    if (raw.trim() === "") return [];
    const line = index + 1;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new HistoryFormatError(source, line, `this line is not valid JSON: ${JSON.stringify(raw.trim().slice(0, 80))}.`);
    }
    return [{ line, event: checkShape(parsed, source, line) }];
  });
  if (events.length === 0) return { model: undefined, events: [] };
  const isKv = (kvFunctions as readonly string[]).includes(events[0]!.event.f);
  let lastTime = -Infinity;
  for (const { line, event } of events) {
    if (event.time !== undefined) {
      if (event.time < lastTime) {
        throw new HistoryFormatError(source, line, `time ${event.time} is earlier than the line before (${lastTime}); lines must be in time order.`);
      }
      lastTime = event.time;
    }
  }
  if (isKv) {
    const log: ProcessLog<KvInput, KvOutput> = new ProcessLog(source);
    for (const { line, event } of events) {
      if (!(kvFunctions as readonly string[]).includes(event.f)) {
        log.error(line, `f ${JSON.stringify(event.f)} is not a key/value operation (get, put, append), but the first line was one.`);
      }
      if (typeof event.key !== "string") log.error(line, `a key/value event needs a string "key".`);
      if (event.value !== null && typeof event.value !== "string") log.error(line, `"value" must be a string or null here.`);
      applyKvEvent(log, line, event.process, event.type, event.f as KvFunction, event.key, event.value);
    }
    return { model: "kv", events: log.finish() };
  }
  const log: ProcessLog<RegisterInput, RegisterOutput> = new ProcessLog(source);
  for (const { line, event } of events) {
    if (!(registerFunctions as readonly string[]).includes(event.f)) {
      log.error(line, `f ${JSON.stringify(event.f)} is not a register operation (read, write, cas)${line === events[0]!.line ? " or a key/value one (get, put, append)" : ", but the first line was one"}.`);
    }
    applyRegisterEvent(log, line, event.process, event.type, event.f as RegisterFunction, registerValue(event.value, log, line));
  }
  return { model: "register", events: log.finish() };
}

function checkShape(parsed: unknown, source: string, line: number): JsonLineEvent {
  const fail = (problem: string): never => {
    throw new HistoryFormatError(source, line, problem);
  };
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return fail(`expected a JSON object.`);
  const event = parsed as Record<string, unknown>;
  const { process, type, f, key, value, time } = event;
  if (typeof process !== "number" || !Number.isInteger(process) || process < 0) fail(`"process" must be a non-negative integer.`);
  if (type !== "invoke" && type !== "ok" && type !== "fail" && type !== "info") fail(`"type" must be "invoke", "ok", "fail" or "info", not ${JSON.stringify(type)}.`);
  if (typeof f !== "string") fail(`"f" must name the operation, as a string.`);
  if (time !== undefined && typeof time !== "number") fail(`"time", when present, must be a number.`);
  if (!("value" in event)) fail(`"value" is missing; use null when there is none.`);
  return { process: process as number, type: type as LogType, f: f as string, ...(key === undefined ? {} : { key: key as string }), value, ...(time === undefined ? {} : { time: time as number }) };
}

function registerValue(value: unknown, log: ProcessLog<RegisterInput, RegisterOutput>, line: number): RegisterLogValue {
  if (value === null || (typeof value === "number" && Number.isInteger(value))) return value;
  if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === "number" && Number.isInteger(v))) {
    return [value[0] as number, value[1] as number];
  }
  return log.error(line, `"value" must be null, an integer or [from, to] for a register operation.`);
}
