// Lab 5H's clerk: a client of the session KV server (session-kv-server.ts). It registers a session
// through the log before its first write, numbers its writes 1, 2, 3, …, may have several in
// flight at once (each call to put/append is one), and tells the servers the lowest seq it still
// waits for (respondedUpTo), so that they can drop older results.
//
//   const ck = new SessionClerk(ends);
//   await ck.append("k", "v");        // exactly once, or throws SessionExpiredError
//   await Promise.all([ck.append("k", "a"), ck.append("k", "b")]);  // pipelined
//
// A write retries the same (clientId, seq) on every server until one leader answers. If the answer
// is ErrSessionExpired, the session is gone (evicted or expired): the write may or may not have
// been applied by an earlier copy, and nobody can tell any more. The clerk does not resend it
// under a new session — that is how commands get applied twice (lni/dragonboat#376). It throws
// SessionExpiredError to its caller, which decides; every other write in flight on that session
// throws too, and the clerk's next write registers a new session.
import { type ClientEnd, UsageError, describeValue, randomId, sleep } from "../sim/index.ts";
import type { SessionKvApi, SessionPutAppendArgs } from "./session-types.ts";
// SOLUTION BEGIN
// TODO(5H): each stub below throws notImplemented() until you replace it with your code.
// SOLUTION ELSE
// import { notImplemented } from "../sim/index.ts";
// SOLUTION END

/** A write whose session was gone: it may or may not have been applied. */
export class SessionExpiredError extends Error {
  override name = "SessionExpiredError";
  constructor(readonly clientId: number, readonly seq: number) {
    super(`session ${clientId} expired (evicted or idle too long) before seq ${seq} was answered: it may or may not have been applied; register again to go on`);
  }
}

export class SessionClerk {
  // SOLUTION BEGIN
  // TODO(5H): the session, the seqs in flight, and which server led last time.
  private leader = 0;
  private readonly nonce = randomId();
  /** The session's id; 0: none yet (or it expired). */
  private clientId = 0;
  /** A registration under way, which concurrent writes share. */
  private registering: Promise<number> | null = null;
  private seq = 0;
  /** Seqs sent and not yet answered. */
  private readonly inFlight = new Set<number>();
  // SOLUTION END

  constructor(private readonly servers: ClientEnd<SessionKvApi>[]) {}

  /** Registers a session (once; the writes do it themselves when they need one). Returns its id. */
  async register(): Promise<number> {
    // SOLUTION BEGIN
    // TODO(5H)
    if (this.clientId !== 0) return this.clientId;
    this.registering ??= this.registerOnce().finally(() => (this.registering = null));
    return this.registering;
    // SOLUTION ELSE
    // throw notImplemented("SessionClerk.register (5H)");
    // SOLUTION END
  }

  /** The value of `key`, "" if it has none (no session needed). */
  async get(key: string): Promise<string> {
    checkString("get", "key", key);
    // SOLUTION BEGIN
    // TODO(5H)
    for (let tried = 0; ; tried++) {
      const reply = await this.servers[this.leader]!.call("KVServer.get", { key });
      if (reply !== null && reply.err !== "ErrWrongLeader") return reply.err === "ErrNoKey" ? "" : reply.value;
      await this.tryNextServer(tried);
    }
    // SOLUTION ELSE
    // throw notImplemented("SessionClerk.get (5H)");
    // SOLUTION END
  }

  /** Sets `key` to `value`, exactly once; the log index it was applied at. */
  put(key: string, value: string): Promise<number> {
    return this.write(key, value, "Put");
  }

  /** Appends `value` to the value of `key`, exactly once; the log index it was applied at. */
  append(key: string, value: string): Promise<number> {
    return this.write(key, value, "Append");
  }

  private async write(key: string, value: string, op: "Put" | "Append"): Promise<number> {
    checkString(op.toLowerCase(), "key", key);
    checkString(op.toLowerCase(), "value", value);
    // SOLUTION BEGIN
    // TODO(5H)
    const clientId = await this.register();
    const seq = ++this.seq;
    this.inFlight.add(seq);
    try {
      for (let tried = 0; ; tried++) {
        const args: SessionPutAppendArgs = { key, value, op, clientId, seq, respondedUpTo: Math.min(...this.inFlight) };
        const reply = await this.servers[this.leader]!.call("KVServer.putAppend", args);
        if (reply !== null && reply.err === "OK") return reply.appliedAt;
        if (reply !== null && reply.err === "ErrSessionExpired") {
          if (this.clientId === clientId) this.clientId = 0;
          throw new SessionExpiredError(clientId, seq);
        }
        if (this.clientId !== clientId) throw new SessionExpiredError(clientId, seq); // another write found the session gone
        await this.tryNextServer(tried);
      }
    } finally {
      this.inFlight.delete(seq);
    }
    // SOLUTION ELSE
    // throw notImplemented(`SessionClerk.${op.toLowerCase()} (5H)`);
    // SOLUTION END
  }

  // SOLUTION BEGIN
  // TODO(5H): anything else your clerk needs.
  private async registerOnce(): Promise<number> {
    for (let tried = 0; ; tried++) {
      const reply = await this.servers[this.leader]!.call("KVServer.register", { nonce: this.nonce });
      if (reply !== null && reply.err === "OK") {
        this.clientId = reply.clientId;
        return reply.clientId;
      }
      await this.tryNextServer(tried);
    }
  }

  /** Moves on to the next server; after a full round without a leader, waits a little. */
  private async tryNextServer(tried: number): Promise<void> {
    this.leader = (this.leader + 1) % this.servers.length;
    if ((tried + 1) % this.servers.length === 0) await sleep(20);
  }
  // SOLUTION END
}

function checkString(api: string, what: string, v: unknown): void {
  if (typeof v !== "string") throw new UsageError(`SessionClerk.${api}: the ${what} must be a string, got ${describeValue(v)}`);
}
