// What Raft saves to stable storage, and reading it back (Figure 2: "Persistent state on all
// servers ... updated on stable storage before responding to RPCs").
//
// The saved form is the codec's encoding of PersistentState, the whole of it on every save, as the
// Go labs do. That stays cheap as the log grows because log entries are immutable (log.ts): the
// codec encodes each entry once and reuses its text in every later save.
import { decodeFromBytes, encodeToBytes } from "../sim/index.ts";
import type { LogEntry } from "./types.ts";

export interface PersistentState {
  currentTerm: number;
  votedFor: number | null;
  /** The log: the snapshot's last index and term, then the entries after it. */
  snapshotIndex: number;
  snapshotTerm: number;
  entries: readonly LogEntry[];
}

// SOLUTION BEGIN
// TODO(2C): encode currentTerm, votedFor and the log to bytes, and decode them again.
export function encodeState(state: PersistentState): Uint8Array {
  return encodeToBytes(state, "Raft's persistent state");
}

export function decodeState(bytes: Uint8Array): PersistentState | undefined {
  if (bytes.byteLength === 0) return undefined; // a fresh server: nothing saved yet
  return decodeFromBytes<PersistentState>(bytes, "Raft's saved state");
}
// SOLUTION ELSE
// // Until then nothing is saved, and a restarted peer starts afresh, as 2A and 2B allow.
// export function encodeState(state: PersistentState): Uint8Array {
//   return new Uint8Array(0);
// }
//
// export function decodeState(bytes: Uint8Array): PersistentState | undefined {
//   return undefined;
// }
// SOLUTION END
