// sim/trace: reading a journal — the per-node column printer, filters, exports (JSON lines,
// ShiViz) and the first difference between two runs.
export { rpcOf, toTraceRecord, jsonLine, type RpcFields, type TraceRecord } from "./record.ts";
export { columnOf, columnsIn, labelOf, matches, selectColumns, type TraceFilter } from "./filter.ts";
export { renderColumns, describe, type ColumnOptions } from "./columns.ts";
export { toShiviz, shivizEvents, shivizRegex, shivizDelimiter, type ShivizRun } from "./shiviz.ts";
export { firstDifference, describeSide, type JournalDifference } from "./diff.ts";
