// What Raft saves to stable storage, and reading it back (Figure 2: "Persistent state on all
// servers ... updated on stable storage before responding to RPCs").
//
// The saved form is JSON: {"currentTerm":…,"votedFor":…,"snapshotIndex":…,"snapshotTerm":…,
// "entries":[…]}. The entries arrive already encoded (encoded-entries.ts), so saving costs a copy
// of bytes rather than encoding the whole log again.
import { decodeFromBytes, encodeToBytes } from "../sim/index.ts";
import type { LogEntry } from "./types.ts";

export interface PersistentState {
  currentTerm: number;
  votedFor: number | null;
  /** The log: the snapshot's last index and term, then the entries after it. */
  snapshotIndex: number;
  snapshotTerm: number;
  entries: LogEntry[];
}

// SOLUTION BEGIN
// TODO(2C): encode currentTerm, votedFor and the log to bytes, and decode them again.
const ENTRIES_OPEN = new TextEncoder().encode(`,"entries":[`);
const ENTRIES_CLOSE = new TextEncoder().encode("]}");

/** Encodes the state; `entries` is the inside of the entries' JSON array, already encoded. */
export function encodeState(state: Omit<PersistentState, "entries">, entries: Uint8Array): Uint8Array {
  const head = encodeToBytes(state, "Raft's persistent state");
  // `head` ends with "}"; reopen the object to add the entries.
  const open = ENTRIES_OPEN;
  const out = new Uint8Array(head.byteLength - 1 + open.byteLength + entries.byteLength + ENTRIES_CLOSE.byteLength);
  let at = 0;
  out.set(head.subarray(0, head.byteLength - 1), at);
  at += head.byteLength - 1;
  out.set(open, at);
  at += open.byteLength;
  out.set(entries, at);
  at += entries.byteLength;
  out.set(ENTRIES_CLOSE, at);
  return out;
}

export function decodeState(bytes: Uint8Array): PersistentState | undefined {
  if (bytes.byteLength === 0) return undefined; // a fresh server: nothing saved yet
  return decodeFromBytes<PersistentState>(bytes, "Raft's saved state");
}
// SOLUTION END
