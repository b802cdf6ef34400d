// Lab 5H's KV server: lab 3's key/value service on the extended Raft, with client sessions kept
// in the replicated state (sessions.ts) instead of lab 3's "highest seq per clerk". Clerks
// register through the log, may have several commands in flight, and are told when their session
// is gone; the session table travels in snapshots.
//
//   startSessionKVServer(servers, me, persister, maxraftstate, { maxSessions: 4 })
//
// RPCs (session-types.ts): register, putAppend, get. Each handler proposes one entry and answers
// once this server has applied it, as in lab 3: ErrWrongLeader if it does not lead, if another
// entry took the index, or if it waited 2 s. Every entry carries the leader's clock (`at`), for
// time-based expiry. Gets go through the log, with no session (they change nothing, so a
// repeated Get is harmless).
//
// Snapshots (as lab 3B): when Raft's saved state nears maxraftstate bytes, the server snapshots
// the data, the session table and the applied index; a restarted server, or one that installs a
// snapshot, restores all three.
//
// For the tester: sessions() shows the table, and options.observeApplied(index, sessions()) is
// called after every entry applied (a leader's no-op too) and every snapshot restored (with its
// index), so that the tester can compare every replica's table at every index.
import { Channel, TIMEOUT, type Persister, UsageError, decodeFromBytes, encodeToBytes, go, log, now } from "../sim/index.ts";
import type { ApplyMsg, Peer } from "../raft/types.ts";
import { make, type ExtendedRaft } from "./extended-raft.ts";
import { SessionTable, type EncodedSessionTable, type SessionLimits } from "./sessions.ts";
import type {
  CachedResult,
  RegisterArgs,
  RegisterReply,
  SessionCommand,
  SessionErr,
  SessionGetArgs,
  SessionGetReply,
  SessionKvRpcHandlers,
  SessionPutAppendArgs,
  SessionPutAppendReply,
  SessionView,
} from "./session-types.ts";
import { isNoOp, type RaftOptions } from "./types.ts";
// SOLUTION BEGIN
// TODO(5H): each stub below throws notImplemented() until you replace it with your code.
// SOLUTION ELSE
// import { notImplemented } from "../sim/index.ts";
// SOLUTION END

export interface SessionKvServerOptions {
  /** At most this many sessions (default 64). */
  maxSessions?: number;
  /** A session idle this long in log time expires (default 0: never). */
  sessionTtlMs?: number;
  /** The extended Raft's options (none by default). */
  raft?: RaftOptions;
  /** Makes the Raft (default: the extended Raft's make). */
  makeRaft?: typeof make;
  /** Called after each entry applied, and each snapshot restored, with its index and sessions() (the tester's). */
  observeApplied?: (index: number, sessions: SessionView[]) => void;
}

const DEFAULT_MAX_SESSIONS = 64;

/** Starts a lab-5H KV server (as lab 3's startKVServer, with the session options). */
export function startSessionKVServer(servers: Peer[], me: number, persister: Persister, maxraftstate: number, options: SessionKvServerOptions = {}): SessionKVServer {
  return new SessionKVServer(servers, me, persister, maxraftstate, options);
}

// SOLUTION BEGIN
// TODO(5H): what a handler waits for, and what a snapshot holds.
/** What applying an entry answers the handler that proposed it. */
interface Outcome {
  err: SessionErr;
  value: string;
  clientId: number;
  appliedAt: number;
}

interface Waiter {
  command: SessionCommand;
  term: number;
  outcome: Channel<Outcome>;
}

interface SnapshotContents {
  lastIncludedIndex: number;
  data: [string, string][];
  sessions: EncodedSessionTable;
}

const WRONG_LEADER: Outcome = Object.freeze({ err: "ErrWrongLeader", value: "", clientId: 0, appliedAt: 0 });
/** How long a handler waits between checks that it still leads. */
const LEADERSHIP_CHECK_MS = 100;
/** How long a handler waits for its entry before telling the clerk to try elsewhere. */
const GIVE_UP_MS = 2000;
// SOLUTION END

export class SessionKVServer implements SessionKvRpcHandlers {
  readonly rf: ExtendedRaft;
  // SOLUTION BEGIN
  // TODO(5H): the server's state.
  private readonly applyCh = new Channel<ApplyMsg>(0, "applyCh");
  private dead = false;
  private readonly limits: SessionLimits;
  private data = new Map<string, string>();
  private table: SessionTable;
  private lastAppliedIndex = 0;
  private sizeAfterSnapshot = 0;
  private readonly waiters = new Map<number, Waiter>();
  // SOLUTION END

  constructor(
    servers: Peer[],
    readonly me: number,
    private readonly persister: Persister,
    private readonly maxraftstate: number,
    private readonly options: SessionKvServerOptions,
  ) {
    const maxSessions = options.maxSessions ?? DEFAULT_MAX_SESSIONS;
    if (!Number.isInteger(maxSessions) || maxSessions < 1) throw new UsageError(`maxSessions must be a whole number of at least 1 (got ${maxSessions}).`);
    const sessionTtlMs = options.sessionTtlMs ?? 0;
    if (!(sessionTtlMs >= 0)) throw new UsageError(`sessionTtlMs must be 0 (never expire) or more (got ${sessionTtlMs}).`);
    // SOLUTION BEGIN
    // TODO(5H): restore the snapshot a previous incarnation saved, start Raft and the applier.
    this.limits = { maxSessions, sessionTtlMs };
    this.table = new SessionTable(this.limits);
    this.restore(persister.readSnapshot());
    this.rf = (options.makeRaft ?? make)(servers, me, persister, this.applyCh, options.raft ?? {});
    go(() => this.applier());
    // SOLUTION ELSE
    // this.rf = (options.makeRaft ?? make)(servers, me, persister, new Channel<ApplyMsg>(0), options.raft ?? {});
    // SOLUTION END
  }

  /** RegisterClient: a new session (or the live one of this nonce), once its entry is applied. */
  async register(args: RegisterArgs): Promise<RegisterReply> {
    // SOLUTION BEGIN
    // TODO(5H)
    const r = await this.submit({ kind: "Register", nonce: args.nonce, at: now() });
    return { err: r.err, clientId: r.err === "OK" ? r.clientId : 0 };
    // SOLUTION ELSE
    // throw notImplemented("SessionKVServer.register (5H)");
    // SOLUTION END
  }

  /** Put and Append: exactly once per (clientId, seq), or ErrSessionExpired. */
  async putAppend(args: SessionPutAppendArgs): Promise<SessionPutAppendReply> {
    // SOLUTION BEGIN
    // TODO(5H)
    const r = await this.submit({
      kind: args.op,
      key: args.key,
      value: args.value,
      clientId: args.clientId,
      seq: args.seq,
      respondedUpTo: args.respondedUpTo,
      at: now(),
    });
    return { err: r.err, appliedAt: r.appliedAt };
    // SOLUTION ELSE
    // throw notImplemented("SessionKVServer.putAppend (5H)");
    // SOLUTION END
  }

  /** Get, through the log, with no session. */
  async get(args: SessionGetArgs): Promise<SessionGetReply> {
    // SOLUTION BEGIN
    // TODO(5H)
    const r = await this.submit({ kind: "Get", key: args.key, at: now() });
    return { err: r.err, value: r.value };
    // SOLUTION ELSE
    // throw notImplemented("SessionKVServer.get (5H)");
    // SOLUTION END
  }

  /** The session table as of the last entry applied (for the tester). */
  sessions(): SessionView[] {
    // SOLUTION BEGIN
    // TODO(5H)
    return this.table.view();
    // SOLUTION ELSE
    // throw notImplemented("SessionKVServer.sessions (5H)");
    // SOLUTION END
  }

  kill(): void {
    // SOLUTION BEGIN
    // TODO(5H)
    this.dead = true;
    // SOLUTION END
    this.rf.kill();
  }

  killed(): boolean {
    // SOLUTION BEGIN
    // TODO(5H)
    return this.dead;
    // SOLUTION ELSE
    // throw notImplemented("SessionKVServer.killed (5H)");
    // SOLUTION END
  }

  // SOLUTION BEGIN
  // TODO(5H): propose, apply, snapshot and restore.
  /** Proposes `command` and waits until it is applied, or until this server clearly does not lead. */
  private async submit(command: SessionCommand): Promise<Outcome> {
    const { index, term, isLeader } = this.rf.start(command);
    if (!isLeader) return WRONG_LEADER;
    const waiter: Waiter = { command, term, outcome: new Channel<Outcome>(1) };
    void this.waiters.get(index)?.outcome.send(WRONG_LEADER);
    this.waiters.set(index, waiter);
    for (let waited = 0; waited < GIVE_UP_MS; waited += LEADERSHIP_CHECK_MS) {
      const r = await waiter.outcome.recvWithin(LEADERSHIP_CHECK_MS);
      if (r !== TIMEOUT && r !== undefined) return r;
      const state = this.rf.getState();
      if (state.term !== term || !state.isLeader) break;
    }
    if (this.waiters.get(index) === waiter) this.waiters.delete(index);
    return WRONG_LEADER;
  }

  /** Applies committed entries and installed snapshots, in log order. */
  private async applier(): Promise<void> {
    for await (const msg of this.applyCh) {
      if (this.killed()) return;
      if (msg.snapshotValid) {
        if (msg.snapshotIndex <= this.lastAppliedIndex) continue;
        this.restore(msg.snapshot);
        for (const [index, w] of this.waiters) {
          if (index > msg.snapshotIndex) continue;
          this.waiters.delete(index);
          void w.outcome.send(WRONG_LEADER);
        }
        continue;
      }
      if (msg.commandIndex <= this.lastAppliedIndex) continue;
      this.lastAppliedIndex = msg.commandIndex;
      const command = msg.command as SessionCommand;
      const outcome = isNoOp(command) ? undefined : this.apply(command, msg.commandIndex);
      if (this.options.observeApplied !== undefined) this.options.observeApplied(msg.commandIndex, this.sessions());
      const waiter = this.waiters.get(msg.commandIndex);
      if (waiter !== undefined) {
        this.waiters.delete(msg.commandIndex);
        void waiter.outcome.send(outcome !== undefined && sameCommand(waiter.command, command) ? outcome : WRONG_LEADER);
      }
      this.snapshotIfLogIsLarge(msg.commandIndex);
    }
  }

  /** Applies one entry at `index` to the data and the session table. */
  private apply(command: SessionCommand, index: number): Outcome {
    if (command.kind === "Register") {
      const clientId = this.table.register(command.nonce, index, command.at);
      log("session", `registers session ${clientId} at ${index}`);
      return { err: "OK", value: "", clientId, appliedAt: index };
    }
    if (command.kind === "Get") {
      this.table.observe(command.at);
      const value = this.data.get(command.key);
      return value === undefined ? { err: "ErrNoKey", value: "", clientId: 0, appliedAt: index } : { err: "OK", value, clientId: 0, appliedAt: index };
    }
    const result: CachedResult = this.table.execute(command, index, () => {
      this.data.set(command.key, command.kind === "Put" ? command.value : (this.data.get(command.key) ?? "") + command.value);
      return { err: "OK", appliedAt: index };
    });
    if (result.appliedAt !== index) log("session", `answers seq ${command.seq} of session ${command.clientId} with ${result.err} (first applied at ${result.appliedAt})`);
    return { err: result.err, value: "", clientId: command.clientId, appliedAt: result.appliedAt };
  }

  /** As lab 3B: snapshot when Raft's saved state nears maxraftstate. */
  private snapshotIfLogIsLarge(index: number): void {
    if (this.maxraftstate < 0) return;
    const size = this.persister.raftStateSize();
    if (size < this.maxraftstate || size < this.sizeAfterSnapshot + this.maxraftstate / 2) return;
    this.rf.snapshot(index, encodeToBytes(this.snapshotContents(index), "the session KV snapshot"));
    this.sizeAfterSnapshot = this.persister.raftStateSize();
  }

  private snapshotContents(index: number): SnapshotContents {
    return { lastIncludedIndex: index, data: [...this.data], sessions: this.table.encode() };
  }

  private restore(snapshot: Uint8Array): void {
    if (snapshot.byteLength === 0) return;
    let contents: SnapshotContents;
    try {
      contents = decodeFromBytes<SnapshotContents>(snapshot, "the snapshot");
      if (!Number.isInteger(contents.lastIncludedIndex) || !Array.isArray(contents.data) || !Array.isArray(contents.sessions?.sessions)) {
        throw new Error("it lacks lastIncludedIndex, data or sessions");
      }
    } catch (err) {
      throw new Error(`session KV server ${this.me} cannot restore its snapshot: ${(err as Error).message}`);
    }
    this.data = new Map(contents.data);
    this.table = SessionTable.decode(this.limits, contents.sessions);
    this.lastAppliedIndex = contents.lastIncludedIndex;
    if (this.options.observeApplied !== undefined) this.options.observeApplied(contents.lastIncludedIndex, this.sessions());
  }
  // SOLUTION END
}

// SOLUTION BEGIN
// TODO(5H)
/** Whether the entry applied at a waiter's index is the one it proposed. */
function sameCommand(a: SessionCommand, b: SessionCommand): boolean {
  if (a.kind !== b.kind || a.at !== b.at) return false;
  if (a.kind === "Register" && b.kind === "Register") return a.nonce === b.nonce;
  if (a.kind === "Get" && b.kind === "Get") return a.key === b.key;
  if (a.kind === "Get" || a.kind === "Register" || b.kind === "Get" || b.kind === "Register") return false;
  return a.clientId === b.clientId && a.seq === b.seq;
}
// SOLUTION END
