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

/**
 * Encodes the state; `entries` is the inside of the entries' JSON array, already encoded. The
 * bytes are written into `scratch` (grown when too small) to spare the garbage collector one large
 * array per save; the result is a view of it, valid until the next call — the persister copies it.
 */
export function encodeState(
  state: Omit<PersistentState, "entries">,
  entries: Uint8Array,
  scratch: { bytes: Uint8Array },
): Uint8Array {
  const head = encodeToBytes(state, "Raft's persistent state");
  const size = head.byteLength - 1 + ENTRIES_OPEN.byteLength + entries.byteLength + ENTRIES_CLOSE.byteLength;
  if (scratch.bytes.byteLength < size) scratch.bytes = new Uint8Array(Math.max(size, 2 * scratch.bytes.byteLength));
  const out = scratch.bytes;
  // `head` ends with "}"; reopen the object to add the entries.
  let at = 0;
  out.set(head.subarray(0, head.byteLength - 1), at);
  at += head.byteLength - 1;
  out.set(ENTRIES_OPEN, at);
  at += ENTRIES_OPEN.byteLength;
  out.set(entries, at);
  at += entries.byteLength;
  out.set(ENTRIES_CLOSE, at);
  return out.subarray(0, size);
}

export function decodeState(bytes: Uint8Array): PersistentState | undefined {
  if (bytes.byteLength === 0) return undefined; // a fresh server: nothing saved yet
  return decodeFromBytes<PersistentState>(bytes, "Raft's saved state");
}
// SOLUTION END
