// The configuration a snapshot covers, kept on stable storage (5E's M8; 5F's N6). Once a snapshot
// covers every config entry up to some index, the log no longer says which configuration holds
// there: the Configuration's base (membership.ts) does. A server must find it again when it
// restarts, so it is saved with the Raft state: ConfigurationStore hands lab 2's Raft a persister
// whose save() puts the base in front of the Raft state, and whose readRaftState() takes it off
// again. (InstallSnapshot carries the base too: Configuration.restrict() adds it to the request.)
//
//   const store = new ConfigurationStore(persister, () => configuration.snapshotBase());
//   store.saved()       → the base the last run saved, or undefined
//   store.persister     → what Raft is given in place of `persister`
//   store.resave()      → save the Raft state again, with the base as it is now (after an install)
//
// The saved bytes: while the base is the initial configuration (index 0) they are the Raft state
// itself, byte for byte, so that a run whose snapshots cover no config entry saves what lab 2's
// Raft saves. Otherwise MARKER, the base's length (4 bytes, big-endian), the base (the codec's
// encoding), then the Raft state.
import { type Persister, decodeFromBytes, encodeToBytes } from "../sim/index.ts";
import type { SnapshotBase } from "./membership.ts";

/** What starts saved bytes that carry a base: a NUL and "CFG" (a Raft state the codec encodes starts with "{"). */
const MARKER = [0x00, 0x43, 0x46, 0x47];
const HEADER = MARKER.length + 4;

export class ConfigurationStore {
  /** The persister to hand the Raft: it saves the base with every Raft state. */
  readonly persister: Persister;
  /** The Raft state of the last save, to save again with a new base. */
  private lastRaftState: Uint8Array | undefined;

  constructor(
    private readonly underlying: Persister,
    private readonly base: () => SnapshotBase,
  ) {
    const store = Object.create(underlying) as Persister;
    store.save = (raftState: Uint8Array, snapshot?: Uint8Array) => {
      this.lastRaftState = raftState;
      underlying.save(this.framed(raftState), snapshot);
    };
    store.readRaftState = () => this.split(underlying.readRaftState()).raftState;
    store.readSnapshot = () => underlying.readSnapshot();
    store.raftStateSize = () => underlying.raftStateSize();
    store.snapshotSize = () => underlying.snapshotSize();
    this.persister = store;
  }

  /** The base the last run saved, if it saved one. */
  saved(): SnapshotBase | undefined {
    return this.split(this.underlying.readRaftState()).base;
  }

  /** Saves the last Raft state again, with the base as it is now (the snapshot is kept). */
  resave(): void {
    if (this.lastRaftState !== undefined) this.underlying.save(this.framed(this.lastRaftState));
  }

  private framed(raftState: Uint8Array): Uint8Array {
    const base = this.base();
    if (base.index === 0) return raftState;
    const encoded = encodeToBytes(base, "the configuration a snapshot covers");
    const bytes = new Uint8Array(HEADER + encoded.byteLength + raftState.byteLength);
    bytes.set(MARKER, 0);
    new DataView(bytes.buffer).setUint32(MARKER.length, encoded.byteLength);
    bytes.set(encoded, HEADER);
    bytes.set(raftState, HEADER + encoded.byteLength);
    return bytes;
  }

  private split(bytes: Uint8Array): { base: SnapshotBase | undefined; raftState: Uint8Array } {
    if (bytes.byteLength < HEADER || MARKER.some((b, k) => bytes[k] !== b)) return { base: undefined, raftState: bytes };
    const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(MARKER.length);
    const base = decodeFromBytes<SnapshotBase>(bytes.subarray(HEADER, HEADER + length), "the saved configuration");
    return { base, raftState: bytes.slice(HEADER + length) };
  }
}
