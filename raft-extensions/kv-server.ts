// Lab 5C's KV server: lab 3's key/value service on the extended Raft, with Gets served by a read
// mode instead of always through the log. Puts and Appends go through the log exactly as in lab 3
// (kvraft/server.ts, whose RPCs, errors and clerk this server shares: kvraft/common.ts and
// kvraft/client.ts work with it unchanged). Lab 3B's snapshots are not repeated here:
// maxraftstate must be -1.
//
//   startKVServer(servers, me, persister, -1, { readMode: "readIndex" })
//
// Read modes:
//   - "log":       a Get is a log entry, as in lab 3 (the baseline: one append per read);
//   - "readIndex": the leader asks its Raft for a read index (readIndex()), waits until it has
//                  applied that far, and reads its own data; no log entry;
//   - "follower":  any server does the same: a follower's readIndex() asks the leader for the
//                  index, and the follower answers from its own data once it has applied it;
//   - "lease":     the leader answers from its lease (leaseRead(): no message while the lease
//                  holds, ReadIndex when it does not), once it has applied the index; this mode
//                  switches on the Raft's leaseReads and the CheckQuorum they need (5D);
//   - "stale":     any server answers from its own data at once. Not linearizable: the grader's
//                  control, which the linearizability checker must catch.
// A read that cannot be confirmed answers ErrWrongLeader, so that the clerk tries another server.
//
// Exactly once for Puts and Appends as in lab 3: a retried one carries the same (clientId, seq), and
// the server keeps the highest seq applied per clerk. A leader's no-op (types.ts) is applied as
// nothing, but it advances the applied index a read may wait for.
import { Channel, TIMEOUT, type Persister, UsageError, go, log } from "../sim/index.ts";
import type { ApplyMsg, Peer } from "../raft/types.ts";
import type { Err, GetArgs, GetReply, KvRpcHandlers, PutAppendArgs, PutAppendReply } from "../kvraft/common.ts";
import { make, type ExtendedRaft } from "./extended-raft.ts";
import { isNoOp, type RaftOptions } from "./types.ts";
// SOLUTION BEGIN
// TODO(5C): the Get of each read mode (readIndex, follower) below.
// SOLUTION ELSE
// import { notImplemented } from "../sim/index.ts";
// SOLUTION END

/** How Gets are served (above). */
export type ReadMode = "log" | "readIndex" | "follower" | "lease" | "stale";

export interface KvServerOptions {
  readMode: ReadMode;
  /** The extended Raft's options (none by default). */
  raft?: RaftOptions;
  /** Makes the Raft (default: the extended Raft's make; the graders' substitutes pass another). */
  makeRaft?: typeof make;
}

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

/** A handler waiting for the operation it submitted at an index, in `term`. */
interface Waiter {
  op: Op;
  term: number;
  result: Channel<Result>;
}

const WRONG_LEADER: Result = Object.freeze({ err: "ErrWrongLeader", value: "" });
/** How long a handler waits between checks that it still leads. */
const LEADERSHIP_CHECK_MS = 100;
/** How long a handler waits for its operation, or a read for its index to be applied, before telling the clerk to try elsewhere. */
const GIVE_UP_MS = 2000;

/** Starts a lab-5 KV server (as lab 3's startKVServer, with the read mode). */
export function startKVServer(servers: Peer[], me: number, persister: Persister, maxraftstate: number, options: KvServerOptions): ReadingKVServer {
  return new ReadingKVServer(servers, me, persister, maxraftstate, options);
}

export class ReadingKVServer implements KvRpcHandlers {
  readonly rf: ExtendedRaft;
  private readonly applyCh = new Channel<ApplyMsg>(0, "applyCh");
  private readonly readMode: ReadMode;
  private dead = false;
  private readonly data = new Map<string, string>();
  /** Per clerk, the highest seq of a Put/Append already applied. */
  private readonly lastSeq = new Map<number, number>();
  /** Index of the last log entry applied to `data`. */
  private lastAppliedIndex = 0;
  private readonly waiters = new Map<number, Waiter>();
  /** Reads waiting until lastAppliedIndex reaches their index. */
  private readonly readsWaitingForApply: { index: number; applied: Channel<true> }[] = [];

  constructor(servers: Peer[], me: number, persister: Persister, maxraftstate: number, options: KvServerOptions) {
    if (maxraftstate !== -1) throw new UsageError(`lab 5's KV server takes no snapshots: start it with maxraftstate -1 (got ${maxraftstate}).`);
    this.readMode = options.readMode;
    const raft = options.readMode === "lease" ? { ...options.raft, checkQuorum: true, leaseReads: true } : (options.raft ?? {});
    this.rf = (options.makeRaft ?? make)(servers, me, persister, this.applyCh, raft);
    go(() => this.applier());
  }

  /** Get RPC handler: by the read mode. */
  async get(args: GetArgs): Promise<GetReply> {
    if (this.readMode === "log") {
      const r = await this.submit({ kind: "Get", key: args.key, value: "", clientId: args.clientId, seq: args.seq });
      return { err: r.err, value: r.value };
    }
    if (this.readMode === "stale") return this.readLocally(args.key);
    // SOLUTION BEGIN
    // TODO(5C): readIndex (at the leader only) and follower reads (at any server).
    // TODO(5D): lease reads (at the leader only).
    if (this.readMode !== "follower" && !this.rf.getState().isLeader) return WRONG_LEADER;
    const read = this.readMode === "lease" ? await this.rf.leaseRead() : await this.rf.readIndex();
    if (!read.ok || this.killed()) return WRONG_LEADER;
    if (!(await this.appliedThrough(read.index))) return WRONG_LEADER;
    log("read", `reads ${args.key} at read index ${read.index} (applied ${this.lastAppliedIndex})`);
    return this.readLocally(args.key);
    // SOLUTION ELSE
    // throw notImplemented("ReadingKVServer.get (5C)");
    // SOLUTION END
  }

  /** Put and Append RPC handler: through the log. */
  async putAppend(args: PutAppendArgs): Promise<PutAppendReply> {
    const r = await this.submit({ kind: args.op, key: args.key, value: args.value, clientId: args.clientId, seq: args.seq });
    return { err: r.err };
  }

  kill(): void {
    this.dead = true;
    this.rf.kill();
  }

  killed(): boolean {
    return this.dead;
  }

  private readLocally(key: string): GetReply {
    const value = this.data.get(key);
    return value === undefined ? { err: "ErrNoKey", value: "" } : { err: "OK", value };
  }

  // SOLUTION BEGIN
  // TODO(5C): wait until this server has applied a read's index.
  /** Waits until this server has applied `index` (at most GIVE_UP_MS); whether it did. */
  private async appliedThrough(index: number): Promise<boolean> {
    if (this.lastAppliedIndex >= index) return true;
    const applied = new Channel<true>(1);
    this.readsWaitingForApply.push({ index, applied });
    const r = await applied.recvWithin(GIVE_UP_MS);
    return r !== TIMEOUT && this.lastAppliedIndex >= index;
  }
  // SOLUTION END

  /** Submits `op` to Raft and waits until it is applied, or until this server is clearly not leader (lab 3's). */
  private async submit(op: Op): Promise<Result> {
    const { index, term, isLeader } = this.rf.start(op);
    if (!isLeader) return WRONG_LEADER;
    const waiter: Waiter = { op, term, result: new Channel<Result>(1) };
    void this.waiters.get(index)?.result.send(WRONG_LEADER);
    this.waiters.set(index, waiter);
    for (let waited = 0; waited < GIVE_UP_MS; waited += LEADERSHIP_CHECK_MS) {
      const r = await waiter.result.recvWithin(LEADERSHIP_CHECK_MS);
      if (r !== TIMEOUT && r !== undefined) return r;
      const state = this.rf.getState();
      if (state.term !== term || !state.isLeader) break;
    }
    if (this.waiters.get(index) === waiter) this.waiters.delete(index);
    return WRONG_LEADER;
  }

  /** Applies committed operations in log order; wakes the handlers and reads waiting for them. */
  private async applier(): Promise<void> {
    for await (const msg of this.applyCh) {
      if (this.killed()) return;
      if (msg.snapshotValid) throw new Error("lab 5's KV server takes no snapshots, yet Raft sent one");
      if (msg.commandIndex <= this.lastAppliedIndex) continue;
      this.lastAppliedIndex = msg.commandIndex;
      const op = msg.command as Op;
      const result = isNoOp(op) ? undefined : this.apply(op);
      const waiter = this.waiters.get(msg.commandIndex);
      if (waiter !== undefined) {
        this.waiters.delete(msg.commandIndex);
        const ours = result !== undefined && waiter.op.clientId === op.clientId && waiter.op.seq === op.seq;
        void waiter.result.send(ours ? result : WRONG_LEADER);
      }
      this.wakeReads();
    }
  }

  private wakeReads(): void {
    for (let k = this.readsWaitingForApply.length - 1; k >= 0; k--) {
      const read = this.readsWaitingForApply[k]!;
      if (read.index > this.lastAppliedIndex) continue;
      this.readsWaitingForApply.splice(k, 1);
      void read.applied.send(true);
    }
  }

  /** Applies one op; a Put/Append seen before (a retry) is not applied again. */
  private apply(op: Op): Result {
    if (op.kind === "Get") return this.readLocally(op.key) as Result;
    if (op.seq > (this.lastSeq.get(op.clientId) ?? 0)) {
      this.data.set(op.key, op.kind === "Put" ? op.value : (this.data.get(op.key) ?? "") + op.value);
      this.lastSeq.set(op.clientId, op.seq);
    }
    return { err: "OK", value: "" };
  }
}
