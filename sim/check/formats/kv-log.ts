// Jepsen-style key/value events (get / put / append) into a history for the KV model.
import { unknownOutput } from "../history.ts";
import type { KvInput, KvOutput } from "../models/kv.ts";
import type { LogType, ProcessLog } from "./process-log.ts";

export const kvFunctions = ["get", "put", "append"] as const;
export type KvFunction = (typeof kvFunctions)[number];

export function applyKvEvent(
  log: ProcessLog<KvInput, KvOutput>,
  line: number,
  process: number,
  type: LogType,
  f: KvFunction,
  key: string,
  value: string | null,
): void {
  if (type === "invoke") {
    if (f === "get") {
      if (value !== null) log.error(line, `invoke get needs nil as its value; the value comes with the :ok.`);
      log.invoke(process, f, { op: "get", key }, line);
    } else {
      if (value === null) log.error(line, `invoke ${f} needs a string value, not nil.`);
      log.invoke(process, f, { op: f, key, value }, line);
    }
    return;
  }
  const pending = log.pendingOf(process, f, line);
  if (pending.input.key !== key) {
    log.error(line, `process ${process} completes ${f} on key ${JSON.stringify(key)} but invoked it on key ${JSON.stringify(pending.input.key)} (line ${pending.line}).`);
  }
  if (type === "info") return log.leaveOpen(process);
  if (f === "get") {
    if (type === "fail") return log.complete(process, unknownOutput);
    if (value === null) log.error(line, `ok get needs the string that was read; use "" for an absent key.`);
    return log.complete(process, value);
  }
  if (type === "fail") return log.drop(process);
  return log.complete(process, "");
}
