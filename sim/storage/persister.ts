// Persister: a node's stable storage, which survives crashes (the Go labs' persister.go).
//
// It holds two byte arrays: the Raft state and the snapshot. Bytes in, bytes out, always copied,
// so nothing a node keeps can change what was saved. The tester gives a restarted node a copy()
// of its old persister, and a crashed incarnation writing to the old one changes nothing the new
// one sees.
//
// Raft saves its whole state on every change, so a persister that copies a long log into a newly
// allocated array each time spends most of its time allocating. It copies into the array it
// already has instead, as long as nobody else holds that array (after copy(), two persisters
// share it until one of them saves).
import { UsageError } from "../core/errors.ts";

const EMPTY = new Uint8Array(0);

export class Persister {
  /** The saved Raft state is the first raftStateLength bytes of raftStateStore. */
  private raftStateStore: Uint8Array = EMPTY;
  private raftStateLength = 0;
  /** Whether raftStateStore is another persister's too (since copy()): then it is never written. */
  private raftStateShared = false;
  private snapshot: Uint8Array = EMPTY;

  /** A new persister holding the same bytes (for a restart). */
  copy(): Persister {
    const p = new Persister();
    p.raftStateStore = this.raftStateStore;
    p.raftStateLength = this.raftStateLength;
    p.snapshot = this.snapshot;
    p.raftStateShared = this.raftStateShared = true;
    return p;
  }

  /**
   * Saves the Raft state and, if given, the snapshot, atomically. Without a snapshot argument the
   * saved snapshot stays as it was.
   */
  save(raftState: Uint8Array, snapshot?: Uint8Array): void {
    // Check both before storing either, so a rejected save changes nothing.
    checkBytes(raftState, "save(raftState)");
    const snap = snapshot === undefined ? this.snapshot : copyOf(checkBytes(snapshot, "save(…, snapshot)"));
    this.storeRaftState(raftState);
    this.snapshot = snap;
  }

  readRaftState(): Uint8Array {
    return copyOf(this.raftStateStore.subarray(0, this.raftStateLength));
  }

  readSnapshot(): Uint8Array {
    return copyOf(this.snapshot);
  }

  /** Bytes of saved Raft state: what a KV server's maxraftstate is measured against. */
  raftStateSize(): number {
    return this.raftStateLength;
  }

  snapshotSize(): number {
    return this.snapshot.byteLength;
  }

  /** Copies the state into the store, which grows (or, far too large, shrinks) to hold it. */
  private storeRaftState(bytes: Uint8Array): void {
    const size = bytes.byteLength;
    const capacity = this.raftStateStore.byteLength;
    if (this.raftStateShared || size > capacity || size < capacity / 4) {
      this.raftStateStore = new Uint8Array(Math.ceil(size * 1.25));
      this.raftStateShared = false;
    }
    this.raftStateStore.set(bytes);
    this.raftStateLength = size;
  }
}

function checkBytes(bytes: Uint8Array, api: string): Uint8Array {
  if (!(bytes instanceof Uint8Array)) {
    throw new UsageError(
      `Persister.${api} needs a Uint8Array, got ${bytes === null ? "null" : typeof bytes}; ` +
        `encode your state with encodeToBytes()`,
    );
  }
  return bytes;
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
