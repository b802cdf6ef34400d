// Reads a history file in any format we know, telling the format from the content:
//   a line starting with {"      JSON lines (json-lines.ts)
//   a line starting with {:      Porcupine's key/value EDN logs (kv-edn.ts)
//   a line starting with INFO    Jepsen's etcd register logs (jepsen-log.ts)
// An empty file is an empty history, which fits any model.
import { HistoryFormatError } from "./format-error.ts";
import type { ParsedHistory } from "./history-file.ts";
import { parseJepsenLog } from "./jepsen-log.ts";
import { parseJsonLines } from "./json-lines.ts";
import { parseKvEdn } from "./kv-edn.ts";

export function parseHistory(text: string, source: string): ParsedHistory {
  const lines = text.split("\n");
  const first = lines.findIndex((line) => line.trim() !== "");
  if (first === -1) return { model: undefined, events: [] };
  const start = lines[first]!.trim();
  if (start.startsWith('{"')) return parseJsonLines(text, source);
  if (start.startsWith("{:")) return { model: "kv", events: parseKvEdn(text, source) };
  if (start.startsWith("INFO")) return { model: "register", events: parseJepsenLog(text, source) };
  throw new HistoryFormatError(
    source,
    first + 1,
    `cannot tell the format: expected JSON lines ({"process": …}), Porcupine key/value EDN ({:process …}) or a Jepsen log (INFO jepsen.util - …).`,
  );
}
