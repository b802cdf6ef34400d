// What reading a history file gives: its events, and the model its operations belong to, told from
// their names (get/put/append: kv; read/write/cas: register). A file without operations fits any
// model. parse-history.ts reads every format into this; json-lines.ts returns it too, because one
// JSON-lines file may hold either kind of operation.
import type { HistoryEvent } from "../history.ts";
import type { KvInput, KvOutput } from "../models/kv.ts";
import type { RegisterInput, RegisterOutput } from "../models/register.ts";

export type ParsedHistory =
  | { model: "kv"; events: HistoryEvent<KvInput, KvOutput>[] }
  | { model: "register"; events: HistoryEvent<RegisterInput, RegisterOutput>[] }
  | { model: undefined; events: [] };
