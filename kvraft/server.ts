// KVServer: a key/value service replicated with Raft (the Go lab's server.go).
//
// Every operation — Get too — goes through the Raft log, so every replica applies the same
// operations in the same order, and a leader cut off in a minority can never answer with stale
// data. A server answers a clerk only once the operation it submitted has been applied; if a
// different operation shows up at that log index, or the term moves on, it lost leadership and
// says so (the clerk retries elsewhere).
//
// Exactly once: a retried Put/Append carries the same (clientId, seq). The duplicate table keeps,
// per clerk, only the highest seq applied — a clerk has one operation outstanding at a time, so
// that is all it takes — and it travels in snapshots, so a restarted server still knows it.
import {
  Channel,
  TIMEOUT,
  type Persister,
  decodeFromBytes,
  encodeToBytes,
  go,
  log,
} from "../sim/index.ts";
import { make, type Raft } from "../raft/raft.ts";
import type { ApplyMsg, Peer } from "../raft/types.ts";
import type { Err, GetArgs, GetReply, KvRpcHandlers, PutAppendArgs, PutAppendReply } from "./common.ts";
// SOLUTION BEGIN
// TODO(3A, 3B): each stub below throws notImplemented() until you replace it with your code.
// SOLUTION ELSE
// import { notImplemented } from "../sim/index.ts";
// SOLUTION END

// SOLUTION BEGIN
// TODO(3A): what goes into the Raft log: enough to apply the operation and to recognize it.
/** An operation as it travels through the Raft log. */
interface Op {
  kind: "Get" | "Put" | "Append";
  key: string;
  value: string;
  clientId: number;
  seq: number;
}

interface Result {
  err: Err;
  value: string;
}

/** A handler waiting for the operation it submitted at `index` in `term`. */
interface Waiter {
  op: Op;
  term: number;
  result: Channel<Result>;
}

/** What a snapshot holds (3B): the data and the duplicate table, as of log index `lastIncludedIndex`. */
interface SnapshotContents {
  lastIncludedIndex: number;
  data: [string, string][];
  lastSeq: [number, number][];
}

/** The reply to a handler whose operation this server can no longer see through: try another. */
const WRONG_LEADER: Result = Object.freeze({ err: "ErrWrongLeader", value: "" });

/** How long a handler waits between checks that it still leads. */
const LEADERSHIP_CHECK_MS = 100;
/** How long a handler waits for its operation before telling the clerk to try elsewhere. */
const GIVE_UP_MS = 2000;
// SOLUTION END

/**
 * Starts a KV server. `servers` are the Raft peers (this server is servers[me]); `persister` holds
 * Raft's state and the snapshot; snapshot when Raft's saved state nears `maxraftstate` bytes
 * (-1: never). Must return quickly: start long-running work with go().
 */
export function startKVServer(servers: Peer[], me: number, persister: Persister, maxraftstate: number): KVServer {
  return new KVServer(servers, me, persister, maxraftstate);
}

export class KVServer implements KvRpcHandlers {
  /** This server's Raft peer (the tester registers it as the "Raft" service). */
  readonly rf: Raft;
  private readonly applyCh = new Channel<ApplyMsg>(0, "applyCh");
  private dead = false;
  // SOLUTION BEGIN
  // TODO(3A): the key/value data, the duplicate table, and the handlers waiting for their ops.
  private data = new Map<string, string>();
  /** Per clerk, the highest seq of a Put/Append already applied. */
  private lastSeq = new Map<number, number>();
  /** Index of the last log entry applied to `data`. */
  private lastAppliedIndex = 0;
  private readonly waiters = new Map<number, Waiter>();
  /** Raft's saved size right after the last snapshot: the log it could not trim. */
  private sizeAfterSnapshot = 0;
  // SOLUTION END

  constructor(
    servers: Peer[],
    private readonly me: number,
    private readonly persister: Persister,
    private readonly maxraftstate: number,
  ) {
    // SOLUTION BEGIN
    // TODO(3B): restore the snapshot a previous incarnation saved.
    this.restore(persister.readSnapshot());
    // SOLUTION END
    this.rf = make(servers, me, persister, this.applyCh);
    // SOLUTION BEGIN
    // TODO(3A): apply what Raft commits.
    go(() => this.applier());
    // SOLUTION END
  }

  /** Get RPC handler. */
  async get(args: GetArgs): Promise<GetReply> {
    // SOLUTION BEGIN
    // TODO(3A)
    const r = await this.submit({ kind: "Get", key: args.key, value: "", clientId: args.clientId, seq: args.seq });
    return { err: r.err, value: r.value };
    // SOLUTION ELSE
    // throw notImplemented("KVServer.get (3A)");
    // SOLUTION END
  }

  /** Put and Append RPC handler. */
  async putAppend(args: PutAppendArgs): Promise<PutAppendReply> {
    // SOLUTION BEGIN
    // TODO(3A)
    const r = await this.submit({ kind: args.op, key: args.key, value: args.value, clientId: args.clientId, seq: args.seq });
    return { err: r.err };
    // SOLUTION ELSE
    // throw notImplemented("KVServer.putAppend (3A)");
    // SOLUTION END
  }

  /** The tester is done with this server. */
  kill(): void {
    this.dead = true;
    this.rf.kill();
  }

  killed(): boolean {
    return this.dead;
  }

  // SOLUTION BEGIN
  // TODO(3A): submit each operation to Raft and answer once it is applied; apply what Raft
  //   commits, in order and once each. TODO(3B): snapshot when Raft's state nears maxraftstate,
  //   and restore a snapshot.
  /** Submits `op` to Raft and waits until it is applied, or until this server is clearly not leader. */
  private async submit(op: Op): Promise<Result> {
    const { index, term, isLeader } = this.rf.start(op);
    if (!isLeader) return WRONG_LEADER;
    const waiter: Waiter = { op, term, result: new Channel<Result>(1) };
    void this.waiters.get(index)?.result.send(WRONG_LEADER); // a stale waiter
    this.waiters.set(index, waiter);
    for (let waited = 0; waited < GIVE_UP_MS; waited += LEADERSHIP_CHECK_MS) {
      const r = await waiter.result.recvWithin(LEADERSHIP_CHECK_MS);
      if (r !== TIMEOUT && r !== undefined) return r;
      const now = this.rf.getState();
      if (now.term !== term || !now.isLeader) break; // leadership lost: the op may never commit
    }
    if (this.waiters.get(index) === waiter) this.waiters.delete(index);
    return WRONG_LEADER;
  }

  /** Applies committed operations and installed snapshots, in log order. */
  private async applier(): Promise<void> {
    for await (const msg of this.applyCh) {
      if (this.killed()) return;
      if (msg.snapshotValid) {
        if (msg.snapshotIndex <= this.lastAppliedIndex) continue;
        this.restore(msg.snapshot);
        for (const [index, w] of this.waiters) {
          if (index > msg.snapshotIndex) continue;
          this.waiters.delete(index);
          void w.result.send(WRONG_LEADER);
        }
        continue;
      }
      if (msg.commandIndex <= this.lastAppliedIndex) continue;
      this.lastAppliedIndex = msg.commandIndex;
      const op = msg.command as Op;
      const result = this.apply(op);
      const waiter = this.waiters.get(msg.commandIndex);
      if (waiter !== undefined) {
        this.waiters.delete(msg.commandIndex);
        // A different op at our index means we lost leadership and it was overwritten.
        const ours = waiter.op.clientId === op.clientId && waiter.op.seq === op.seq;
        void waiter.result.send(ours ? result : WRONG_LEADER);
      }
      this.snapshotIfLogIsLarge(msg.commandIndex);
    }
  }

  /** Applies one op to the data; a Put/Append seen before (a retry) is not applied again. */
  private apply(op: Op): Result {
    if (op.kind === "Get") {
      const value = this.data.get(op.key);
      return value === undefined ? { err: "ErrNoKey", value: "" } : { err: "OK", value };
    }
    if (op.seq > (this.lastSeq.get(op.clientId) ?? 0)) {
      this.data.set(op.key, op.kind === "Put" ? op.value : (this.data.get(op.key) ?? "") + op.value);
      this.lastSeq.set(op.clientId, op.seq);
    } else {
      log("dup", `ignores a repeat of ${op.kind} seq ${op.seq} from client ${op.clientId}`);
    }
    return { err: "OK", value: "" };
  }

  /**
   * 3B: when Raft's saved state reaches maxraftstate, snapshot and let Raft trim its log. Entries
   * not yet applied cannot be trimmed; when they alone exceed maxraftstate (many clients), wait
   * until the log has grown by half of maxraftstate again, rather than snapshot after every op.
   */
  private snapshotIfLogIsLarge(index: number): void {
    if (this.maxraftstate < 0) return;
    const size = this.persister.raftStateSize();
    if (size < this.maxraftstate || size < this.sizeAfterSnapshot + this.maxraftstate / 2) return;
    const contents: SnapshotContents = { lastIncludedIndex: index, data: [...this.data], lastSeq: [...this.lastSeq] };
    this.rf.snapshot(index, encodeToBytes(contents, "the KV snapshot"));
    this.sizeAfterSnapshot = this.persister.raftStateSize();
  }

  private restore(snapshot: Uint8Array): void {
    if (snapshot.byteLength === 0) return;
    let contents: SnapshotContents;
    try {
      contents = decodeFromBytes<SnapshotContents>(snapshot, "the snapshot");
      if (!Number.isInteger(contents.lastIncludedIndex) || !Array.isArray(contents.data) || !Array.isArray(contents.lastSeq)) {
        throw new Error("it lacks lastIncludedIndex, data or lastSeq");
      }
    } catch (err) {
      throw new Error(`KV server ${this.me} cannot restore its snapshot: ${(err as Error).message}`);
    }
    this.data = new Map(contents.data);
    this.lastSeq = new Map(contents.lastSeq);
    this.lastAppliedIndex = contents.lastIncludedIndex;
  }
  // SOLUTION END
}
