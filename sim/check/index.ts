// The public API of the linearizability checker. See checker.ts for how it works.
export { unknownOutput, MalformedHistoryError, type UnknownOutput, type Observed, type Operation, type HistoryEvent } from "./history.ts";
export type { Model } from "./model.ts";
export { HistoryRecorder, type HistoryObserver, type OperationHandle } from "./recorder.ts";
export { kvModel, type KvInput, type KvOutput, type KvValue } from "./models/kv.ts";
export { registerModel, type RegisterInput, type RegisterOutput, type RegisterState } from "./models/register.ts";
export {
  checkOperations,
  checkEvents,
  defaultBudget,
  type CheckOptions,
  type CheckResult,
  type Failure,
  type Verdict,
} from "./checker.ts";
export type { CheckedOperation } from "./ordered-history.ts";
export { HistoryFormatError } from "./formats/format-error.ts";
export { parseJepsenLog } from "./formats/jepsen-log.ts";
export { parseKvEdn } from "./formats/kv-edn.ts";
export { parseJsonLines, kvHistoryToJsonLines, registerHistoryToJsonLines } from "./formats/json-lines.ts";
export { parseHistory } from "./formats/parse-history.ts";
export type { ParsedHistory } from "./formats/history-file.ts";
