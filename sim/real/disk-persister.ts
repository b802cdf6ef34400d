// DiskPersister: a Persister (sim/storage) whose state lives in a file, so that it survives the
// process: real mode's stable storage.
//
//   const persister = DiskPersister.open("DATA/node-1");   // reads what the last run saved
//   const rf = make(peers, me, persister, applyCh);         // Raft uses it as any Persister
//
// Crash safety. save() returns only once the new state is on disk, and a kill -9 (or a power
// cut) at any instant leaves either the old state or the new one, never a mixture:
//   1. write the whole new state to `state.tmp`,
//   2. fsync it (the bytes are on the disk, not only in the page cache),
//   3. rename it over `state` (atomic on POSIX file systems: a reader sees one file or the other),
//   4. fsync the directory (the rename itself is on the disk).
// Raft answers an RPC, and the KV server a clerk, only after the save() that made the change
// durable, so whatever was acknowledged is in `state`. A `state.tmp` left by a crash between 1
// and 3 is ignored and overwritten by the next save.
//
// The file: "SLP1" · raft-state length (u32 BE) · snapshot length (u32 BE) · CRC-32 of the two
// parts (u32 BE) · raft state · snapshot. open() refuses a file that is short, has another
// magic, or whose CRC does not match, with a sentence saying which file and what to do — a
// damaged disk is not silently an empty node.
//
// DiskPersister.open(dir, { fsync: false }) skips steps 2 and 4: the rename still makes every
// save atomic and a kill -9 still loses nothing (the kernel keeps the written pages of a dead
// process), but a power cut or a kernel crash may. It is there to measure what fsync costs
// (`npm run bench -- real`), not for data anyone wants to keep.
//
// The copy in memory (the Persister it extends) answers reads, so readRaftState() and
// raftStateSize() cost what they cost in a simulation. Every save writes the whole state, as the
// Go labs' persister does; the KV server's snapshots keep it small.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { Persister } from "../storage/index.ts";
import { UsageError } from "../core/errors.ts";

const MAGIC = "SLP1";
const HEADER_BYTES = 16;
export const STATE_FILE = "state";
const TEMPORARY_FILE = "state.tmp";

export class DiskPersister extends Persister {
  private constructor(
    readonly directory: string,
    private readonly fsync: boolean,
  ) {
    super();
  }

  /** Opens (creating if needed) the directory `directory` and loads the state saved there. */
  static open(directory: string, options: { fsync?: boolean } = {}): DiskPersister {
    mkdirSync(directory, { recursive: true });
    const persister = new DiskPersister(directory, options.fsync ?? true);
    const path = join(directory, STATE_FILE);
    if (existsSync(path)) {
      const { raftState, snapshot } = readStateFile(path);
      // Fill the copy in memory without writing the file again.
      Persister.prototype.save.call(persister, raftState, snapshot);
    }
    return persister;
  }

  override save(raftState: Uint8Array, snapshot?: Uint8Array): void {
    super.save(raftState, snapshot); // checks the arguments, and keeps the copy reads answer from
    this.writeDurably(raftState, snapshot ?? super.readSnapshot());
  }

  override copy(): Persister {
    throw new UsageError(
      `a DiskPersister is its directory (${this.directory}); to restart a node, start its process again with the same directory.`,
    );
  }

  private writeDurably(raftState: Uint8Array, snapshot: Uint8Array): void {
    const header = Buffer.alloc(HEADER_BYTES);
    header.write(MAGIC, 0, "latin1");
    header.writeUInt32BE(raftState.byteLength, 4);
    header.writeUInt32BE(snapshot.byteLength, 8);
    header.writeUInt32BE(crc32(snapshot, crc32(raftState)), 12);
    const temporary = join(this.directory, TEMPORARY_FILE);
    const fd = openSync(temporary, "w");
    try {
      writeAll(fd, header);
      writeAll(fd, raftState);
      writeAll(fd, snapshot);
      if (this.fsync) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, join(this.directory, STATE_FILE));
    if (!this.fsync) return;
    const dir = openSync(this.directory, "r");
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let offset = 0; offset < bytes.byteLength; ) offset += writeSync(fd, bytes, offset);
}

function readStateFile(path: string): { raftState: Uint8Array; snapshot: Uint8Array } {
  const bytes = readFileSync(path);
  const damaged = (why: string): UsageError =>
    new UsageError(`${path} is damaged (${why}); it is not a state file simlab wrote intact. Move the node's directory aside to start that node empty.`);
  if (bytes.byteLength < HEADER_BYTES || bytes.toString("latin1", 0, 4) !== MAGIC) throw damaged("no SLP1 header");
  const raftLength = bytes.readUInt32BE(4);
  const snapshotLength = bytes.readUInt32BE(8);
  if (bytes.byteLength !== HEADER_BYTES + raftLength + snapshotLength) {
    throw damaged(`${bytes.byteLength} bytes, but the header says ${HEADER_BYTES + raftLength + snapshotLength}`);
  }
  const raftState = bytes.subarray(HEADER_BYTES, HEADER_BYTES + raftLength);
  const snapshot = bytes.subarray(HEADER_BYTES + raftLength);
  if (crc32(snapshot, crc32(raftState)) !== bytes.readUInt32BE(12)) throw damaged("its checksum does not match");
  return { raftState: new Uint8Array(raftState), snapshot: new Uint8Array(snapshot) };
}
