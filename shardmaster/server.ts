// ShardMaster: the configuration service, replicated with Raft (the Go lab's shardctrler
// server.go).
//
// It works like lab 3's KV server. Every request — Query too — goes through the Raft log, so every
// replica applies the same requests in the same order and makes the same configurations, and a
// leader cut off in a minority cannot answer Query(-1) with a configuration that is no longer the
// latest. A handler answers once the request it submitted has been applied; if a different request
// shows up at that log index, or the term moves on, it lost leadership and says so (the clerk
// retries elsewhere). What applying a request does is in changes.ts and rebalance.ts.
//
// Exactly once: a retried Join, Leave or Move carries the same (clientId, seq). The duplicate
// table keeps, per clerk, the seq of its latest Join, Leave or Move and the reply it got — a clerk
// has one request outstanding at a time, so that is all it takes. A retry gets the same reply as
// the first attempt, a rejection included, and makes no second configuration.
import { Channel, TIMEOUT, type Persister, go, log } from "../sim/index.ts";
import { make, type Raft } from "../raft/raft.ts";
import type { ApplyMsg, Peer } from "../raft/types.ts";
import type { Config, Err, JoinArgs, LeaveArgs, MoveArgs, QueryArgs, QueryReply, Reply, ShardMasterRpcHandlers } from "./common.ts";
import { initialConfig, nextConfig, queryRejection, rejection, type Change } from "./changes.ts";
// SOLUTION BEGIN
// TODO(4A): each stub below throws notImplemented() until you replace it with your code.
// SOLUTION ELSE
// import { notImplemented } from "../sim/index.ts";
// SOLUTION END

// SOLUTION BEGIN
// TODO(4A): what goes into the Raft log: enough to apply the request and to recognize it.
/** A request as it travels through the Raft log. */
type Op = (Change | { kind: "Query"; num: number }) & { clientId: number; seq: number };

/** What applying an op produced: the reply a handler sends (config only for a Query). */
interface Result {
  err: Err;
  reason: string;
  config: Config | null;
}

/** A handler waiting for the op it submitted at `index` in `term`. */
interface Waiter {
  op: Op;
  term: number;
  result: Channel<Result>;
}

/** How long a handler waits between checks that it still leads. */
const LEADERSHIP_CHECK_MS = 100;
/** How long a handler waits for its op before telling the clerk to try elsewhere. */
const GIVE_UP_MS = 2000;

const wrongLeader: Result = { err: "ErrWrongLeader", reason: "", config: null };
// SOLUTION END

/**
 * Starts a ShardMaster server. `servers` are the Raft peers (this server is servers[me]);
 * `persister` holds Raft's state. Must return quickly: start long-running work with go().
 */
export function startServer(servers: Peer[], me: number, persister: Persister): ShardMaster {
  return new ShardMaster(servers, me, persister);
}

export class ShardMaster implements ShardMasterRpcHandlers {
  /** This server's Raft peer (the tester registers it as the "Raft" service). */
  readonly rf: Raft;
  private readonly applyCh = new Channel<ApplyMsg>(0, "applyCh");
  private dead = false;
  // SOLUTION BEGIN
  // TODO(4A): the configurations, the duplicate table, and the handlers waiting for their ops.
  /** configs[n] is configuration n; configs[0] is the initial one. Never modified, only extended. */
  private readonly configs: Config[] = [initialConfig()];
  /** Per clerk, its latest Join/Leave/Move applied and the result it got. */
  private readonly lastChange = new Map<number, { seq: number; result: Result }>();
  /** Index of the last log entry applied. */
  private lastAppliedIndex = 0;
  private readonly waiters = new Map<number, Waiter>();
  // SOLUTION END

  constructor(servers: Peer[], me: number, persister: Persister) {
    this.rf = make(servers, me, persister, this.applyCh);
    // SOLUTION BEGIN
    // TODO(4A): apply what Raft commits.
    go(() => this.applier());
    // SOLUTION END
  }

  /** Join RPC handler: adds new groups. */
  async join(args: JoinArgs): Promise<Reply> {
    // SOLUTION BEGIN
    // TODO(4A)
    const r = await this.submit({ kind: "Join", servers: args.servers, clientId: args.clientId, seq: args.seq });
    return { err: r.err, reason: r.reason };
    // SOLUTION ELSE
    // throw notImplemented("ShardMaster.join (4A)");
    // SOLUTION END
  }

  /** Leave RPC handler: removes groups. */
  async leave(args: LeaveArgs): Promise<Reply> {
    // SOLUTION BEGIN
    // TODO(4A)
    const r = await this.submit({ kind: "Leave", gids: args.gids, clientId: args.clientId, seq: args.seq });
    return { err: r.err, reason: r.reason };
    // SOLUTION ELSE
    // throw notImplemented("ShardMaster.leave (4A)");
    // SOLUTION END
  }

  /** Move RPC handler: puts one shard on one group. */
  async move(args: MoveArgs): Promise<Reply> {
    // SOLUTION BEGIN
    // TODO(4A)
    const r = await this.submit({ kind: "Move", shard: args.shard, gid: args.gid, clientId: args.clientId, seq: args.seq });
    return { err: r.err, reason: r.reason };
    // SOLUTION ELSE
    // throw notImplemented("ShardMaster.move (4A)");
    // SOLUTION END
  }

  /** Query RPC handler: configuration `num`, or the latest for -1 or a number past it. */
  async query(args: QueryArgs): Promise<QueryReply> {
    // SOLUTION BEGIN
    // TODO(4A)
    return this.submit({ kind: "Query", num: args.num, clientId: args.clientId, seq: args.seq });
    // SOLUTION ELSE
    // throw notImplemented("ShardMaster.query (4A)");
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
  // TODO(4A): submit each request to Raft and answer once it is applied; apply what Raft commits,
  //   in order, with the duplicate table and changes.ts's rules.
  /** Submits `op` to Raft and waits until it is applied, or until this server is clearly not leader. */
  private async submit(op: Op): Promise<Result> {
    const { index, term, isLeader } = this.rf.start(op);
    if (!isLeader) return wrongLeader;
    const waiter: Waiter = { op, term, result: new Channel<Result>(1) };
    void this.waiters.get(index)?.result.send(wrongLeader); // a stale waiter
    this.waiters.set(index, waiter);
    for (let waited = 0; waited < GIVE_UP_MS; waited += LEADERSHIP_CHECK_MS) {
      const r = await waiter.result.recvWithin(LEADERSHIP_CHECK_MS);
      if (r !== TIMEOUT && r !== undefined) return r;
      const now = this.rf.getState();
      if (now.term !== term || !now.isLeader) break; // leadership lost: the op may never commit
    }
    if (this.waiters.get(index) === waiter) this.waiters.delete(index);
    return wrongLeader;
  }

  /** Applies committed ops, in log order. */
  private async applier(): Promise<void> {
    for await (const msg of this.applyCh) {
      if (this.killed()) return;
      if (msg.snapshotValid || msg.commandIndex <= this.lastAppliedIndex) continue; // no snapshots in 4A
      this.lastAppliedIndex = msg.commandIndex;
      const op = msg.command as Op;
      const result = this.apply(op);
      const waiter = this.waiters.get(msg.commandIndex);
      if (waiter !== undefined) {
        this.waiters.delete(msg.commandIndex);
        // A different op at our index means we lost leadership and it was overwritten.
        const ours = waiter.op.clientId === op.clientId && waiter.op.seq === op.seq;
        void waiter.result.send(ours ? result : wrongLeader);
      }
    }
  }

  /** Applies one op; a Join/Leave/Move seen before (a retry) gets its first result again. */
  private apply(op: Op): Result {
    const latest = this.configs[this.configs.length - 1]!;
    if (op.kind === "Query") {
      const reason = queryRejection(op.num);
      if (reason !== undefined) return { err: "ErrRejected", reason, config: null };
      const config = op.num === -1 || op.num >= this.configs.length ? latest : this.configs[op.num]!;
      return { err: "OK", reason: "", config };
    }
    const seen = this.lastChange.get(op.clientId);
    if (seen !== undefined && op.seq <= seen.seq) {
      log("dup", `ignores a repeat of ${op.kind} seq ${op.seq} from client ${op.clientId}`);
      return seen.result;
    }
    const reason = rejection(latest, op);
    let result: Result;
    if (reason === undefined) {
      const next = nextConfig(latest, op);
      this.configs.push(next);
      log("config", `${op.kind} makes config ${next.num}: shards ${next.shards.join(" ")}`);
      result = { err: "OK", reason: "", config: null };
    } else {
      log("config", `rejects ${reason}`);
      result = { err: "ErrRejected", reason, config: null };
    }
    this.lastChange.set(op.clientId, { seq: op.seq, result });
    return result;
  }
  // SOLUTION END
}
