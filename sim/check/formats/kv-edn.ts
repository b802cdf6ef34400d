// Porcupine's key/value logs: one EDN map per line, keys in a fixed order, any whitespace run
// between tokens:
//   {:process P, :type :invoke|:ok|:fail|:info, :f :get|:put|:append, :key "K", :value nil|"S"}
// Strings contain no escaped quotes.
import type { HistoryEvent } from "../history.ts";
import type { KvInput, KvOutput } from "../models/kv.ts";
import { applyKvEvent, kvFunctions, type KvFunction } from "./kv-log.ts";
import { ProcessLog, type LogType } from "./process-log.ts";

const linePattern =
  /^\{\s*:process\s+(\d+)\s*,\s*:type\s+:(invoke|ok|fail|info)\s*,\s*:f\s+:(\S+?)\s*,\s*:key\s+"([^"]*)"\s*,\s*:value\s+(nil|"[^"]*")\s*\}$/;

export function parseKvEdn(text: string, source: string): HistoryEvent<KvInput, KvOutput>[] {
  const log: ProcessLog<KvInput, KvOutput> = new ProcessLog(source);
  text.split("\n").forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === "") return;
    const match = linePattern.exec(raw.trim());
    if (match === null) {
      log.error(line, `expected {:process P, :type :T, :f :F, :key "K", :value V}, found ${JSON.stringify(raw.trim().slice(0, 80))}.`);
    }
    const [, process, type, f, key, value] = match;
    if (!(kvFunctions as readonly string[]).includes(f!)) {
      log.error(line, `unknown operation :${f}; a key/value log has :get, :put and :append.`);
    }
    applyKvEvent(log, line, Number(process), type as LogType, f as KvFunction, key!, value === "nil" ? null : value!.slice(1, -1));
  });
  return log.finish();
}
