// Journal entries as plain data: what `--trace out.jsonl` writes (one JSON object per line) and what
// worker processes send back. An RPC note becomes its fields {rpc, method, from, to}; any other
// detail becomes JSON (functions, cycles and bigints as strings), `undefined` becomes null.
import type { JournalEntry } from "../core/index.ts";
import { rpcKinds } from "../net/index.ts";

export interface TraceRecord {
  time: number;
  node: string;
  kind: string;
  topic: string;
  detail: unknown;
}

/** The fields of the network's RPC note (sim/net RpcNote), in an entry or a parsed record. */
export interface RpcFields {
  rpc: number;
  method: string;
  from: string;
  to: string;
  /** Why it was dropped or failed (drop, reply-drop, rpc-fail). */
  reason?: string;
}

/** The RPC note of a network entry, whether it is the live object or its parsed fields. */
export function rpcOf(entry: JournalEntry | TraceRecord): RpcFields | undefined {
  if (!rpcKinds.has(entry.kind)) return undefined;
  const d = entry.detail as Partial<RpcFields> | null | undefined;
  if (d === null || typeof d !== "object") return undefined;
  if (typeof d.rpc !== "number" || typeof d.method !== "string" || typeof d.from !== "string" || typeof d.to !== "string") return undefined;
  // The note itself when it has exactly the fields' types (the network's always does): this runs
  // for every message entry of a journal, and a copy each time was most of the cost.
  if (d.reason === undefined || typeof d.reason === "string") return d as RpcFields;
  return { rpc: d.rpc, method: d.method, from: d.from, to: d.to };
}

export function toTraceRecord(entry: JournalEntry): TraceRecord {
  return { time: entry.time, node: entry.node, kind: entry.kind, topic: entry.topic, detail: plain(entry.detail) };
}

/** One JSON line (no newline) for an entry; `extra` fields (e.g. the test's name) come first. */
export function jsonLine(entry: JournalEntry, extra?: Record<string, unknown>): string {
  return JSON.stringify({ ...extra, ...toTraceRecord(entry) });
}

/** A JSON-safe copy of a detail. */
function plain(value: unknown): unknown {
  const seen = new Set<object>();
  const copy = (v: unknown): unknown => {
    if (v === undefined) return null;
    if (typeof v === "bigint") return `${v}n`;
    if (typeof v === "function") return `[function ${v.name || "anonymous"}]`;
    if (typeof v === "symbol") return v.toString();
    if (typeof v === "number" && !Number.isFinite(v)) return String(v);
    if (v === null || typeof v !== "object") return v;
    if (seen.has(v)) return "[cycle]";
    seen.add(v);
    try {
      if (v instanceof Uint8Array) return { bytes: Array.from(v) };
      if (Array.isArray(v)) return v.map(copy);
      if (v instanceof Map) return { map: [...v].map(([k, x]) => [copy(k), copy(x)]) };
      if (v instanceof Set) return { set: [...v].map(copy) };
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = copy(x);
      return out;
    } finally {
      seen.delete(v);
    }
  };
  return copy(value);
}
