// Clerk: how a client talks to the sharded KV service.
//
// The clerk keeps a copy of the shardmaster's latest configuration. For each operation it finds
// the key's shard, the group that owns that shard, and tries that group's servers until one
// serves the request. A group that does not serve the shard (it does not own it any more, or has
// not received it yet) answers ErrWrongGroup; then, and whenever no server of the group answers,
// the clerk waits 100 ms, asks the shardmaster for the latest configuration, and tries again.
// Each Put/Append carries (clientId, seq), so a group — whichever group holds the shard by then —
// applies a retried request only once.
import { type ClientEnd, UsageError, randomId, sleep } from "../sim/index.ts";
import { Clerk as MasterClerk } from "../shardmaster/client.ts";
import type { Config, ShardMasterApi } from "../shardmaster/common.ts";
import {
  NShards,
  key2shard,
  type Err,
  type MakeEnd,
  type ShardKvApi,
  // SOLUTION BEGIN
  // TODO(4B): import what you add to common.ts.
  reusingEnds,
  // SOLUTION END
} from "./common.ts";
// SOLUTION BEGIN
// TODO(4B): each stub below throws notImplemented() until you replace it with your code.
// SOLUTION ELSE
// import { notImplemented } from "../sim/index.ts";
// SOLUTION END

/** How long the clerk waits before asking the shardmaster again (the Go skeleton's 100 ms). */
const RETRY_MS = 100;

export class Clerk {
  private readonly master: MasterClerk;
  /** The latest configuration this clerk knows; config 0 (no groups) until the first query. */
  private config: Config = { num: 0, shards: new Array<number>(NShards).fill(0), groups: {} };
  // SOLUTION BEGIN
  // TODO(4B): what identifies your requests (as in lab 3).
  /** 53 random bits, from two draws: one draw has only 32, too few for ids that must never collide. */
  private readonly clientId = randomId();
  private seq = 0;
  /** Per gid, which of its servers answered last time: most likely still its leader. */
  private readonly leaderOf = new Map<number, number>();
  /** An end to a server by its name; one per name. */
  private readonly endTo: MakeEnd;
  // SOLUTION END

  constructor(masters: ClientEnd<ShardMasterApi>[], makeEnd: MakeEnd) {
    this.master = new MasterClerk(masters);
    // SOLUTION BEGIN
    // TODO(4B): keep makeEnd to reach the groups' servers.
    this.endTo = reusingEnds(makeEnd);
    // SOLUTION END
  }

  /**
   * Fetches the current value of `key`; "" if it does not exist. Keeps trying forever in the face
   * of all other errors.
   */
  async get(key: string): Promise<string> {
    checkString("get", "key", key);
    // SOLUTION BEGIN
    // TODO(4B): send the Get to the group that owns key2shard(key); on ErrWrongGroup, or when no
    //   server of the group answers, sleep 100 ms, ask the shardmaster for the latest configuration
    //   (query(-1)) and try again.
    const args = { key, clientId: this.clientId, seq: ++this.seq };
    const reply = await this.sendToOwner(key, (end) => end.call("ShardKV.get", args));
    return reply.value;
    // SOLUTION ELSE
    // throw notImplemented("the ShardKV Clerk's get (4B)");
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
    // TODO(4B): like get().
    const args = { key, value, op, clientId: this.clientId, seq: ++this.seq };
    await this.sendToOwner(key, (end) => end.call("ShardKV.putAppend", args));
    // SOLUTION ELSE
    // throw notImplemented(`the ShardKV Clerk's ${op.toLowerCase()} (4B)`);
    // SOLUTION END
  }

  // SOLUTION BEGIN
  // TODO(4B): anything else your clerk needs.
  /**
   * Sends a request to the servers of the group that owns `key`'s shard, starting with the one
   * that answered last time, until one serves it (OK, or ErrNoKey for a Get).
   */
  private async sendToOwner<R extends { err: Err }>(
    key: string,
    send: (end: ClientEnd<ShardKvApi>) => Promise<R | null>,
  ): Promise<R> {
    for (;;) {
      const gid = this.config.shards[key2shard(key)]!;
      const servers = this.config.groups[gid];
      if (servers !== undefined) {
        const first = this.leaderOf.get(gid) ?? 0;
        for (let k = 0; k < servers.length; k++) {
          const si = (first + k) % servers.length;
          const reply = await send(this.endTo(servers[si]!));
          if (reply === null || reply.err === "ErrWrongLeader") continue;
          this.leaderOf.set(gid, si);
          if (reply.err === "ErrWrongGroup") break;
          return reply; // OK, or ErrNoKey
        }
      }
      await sleep(RETRY_MS);
      this.config = await this.master.query(-1);
    }
  }
  // SOLUTION END
}

function checkString(api: string, what: string, v: unknown): void {
  if (typeof v !== "string") {
    throw new UsageError(`Clerk.${api}: the ${what} must be a string, got ${v === null ? "null" : typeof v} ${JSON.stringify(v) ?? ""}`.trimEnd());
  }
}
