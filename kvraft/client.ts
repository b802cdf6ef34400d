// Clerk: how a client talks to the replicated KV service.
//
// A clerk issues one operation at a time and retries it, on any server, until some leader
// commits it. Each Put/Append carries (clientId, seq), so a server that sees the same request
// twice (a retry after a lost reply) applies it only once.
import { type ClientEnd, UsageError, describeValue, randomId, sleep } from "../sim/index.ts";
import type { GetArgs, KvApi, PutAppendArgs } from "./common.ts";
// SOLUTION BEGIN
// TODO(3A): each stub below throws notImplemented() until you replace it with your code.
// SOLUTION ELSE
// import { notImplemented } from "../sim/index.ts";
// SOLUTION END

export class Clerk {
  // SOLUTION BEGIN
  // TODO(3A): remember which server was leader last time, and what identifies your requests.
  /** The server that answered last time: most likely still the leader. */
  private leader = 0;
  private readonly clientId = randomId();
  private seq = 0;
  // SOLUTION END

  constructor(private readonly servers: ClientEnd<KvApi>[]) {}

  /**
   * Fetches the current value of `key`; "" if it does not exist. Keeps trying forever in the face
   * of all other errors.
   */
  async get(key: string): Promise<string> {
    checkString("get", "key", key);
    // SOLUTION BEGIN
    // TODO(3A)
    const args: GetArgs = { key, clientId: this.clientId, seq: ++this.seq };
    for (let tried = 0; ; tried++) {
      const reply = await this.servers[this.leader]!.call("KVServer.get", args);
      if (reply !== null && reply.err !== "ErrWrongLeader") return reply.err === "ErrNoKey" ? "" : reply.value;
      await this.tryNextServer(tried);
    }
    // SOLUTION ELSE
    // throw notImplemented("Clerk.get (3A)");
    // SOLUTION END
  }

  /** Sets `key` to `value`. */
  put(key: string, value: string): Promise<void> {
    return this.putAppend(key, value, "Put");
  }

  /** Appends `value` to the value of `key` (to "" if it does not exist). */
  append(key: string, value: string): Promise<void> {
    return this.putAppend(key, value, "Append");
  }

  private async putAppend(key: string, value: string, op: "Put" | "Append"): Promise<void> {
    checkString(op.toLowerCase(), "key", key);
    checkString(op.toLowerCase(), "value", value);
    // SOLUTION BEGIN
    // TODO(3A)
    const args: PutAppendArgs = { key, value, op, clientId: this.clientId, seq: ++this.seq };
    for (let tried = 0; ; tried++) {
      const reply = await this.servers[this.leader]!.call("KVServer.putAppend", args);
      if (reply !== null && reply.err === "OK") return;
      await this.tryNextServer(tried);
    }
    // SOLUTION ELSE
    // throw notImplemented(`Clerk.${op.toLowerCase()} (3A)`);
    // SOLUTION END
  }

  // SOLUTION BEGIN
  // TODO(3A): anything else your clerk needs.
  /** Moves on to the next server; after a full round without a leader, waits a little. */
  private async tryNextServer(tried: number): Promise<void> {
    this.leader = (this.leader + 1) % this.servers.length;
    if ((tried + 1) % this.servers.length === 0) await sleep(20);
  }
  // SOLUTION END
}

function checkString(api: string, what: string, v: unknown): void {
  if (typeof v !== "string") throw new UsageError(`Clerk.${api}: the ${what} must be a string, got ${describeValue(v)}`);
}
