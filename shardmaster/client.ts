// Clerk: how the tester (and, in lab 4B, the shard servers) talk to the replicated shardmaster.
//
// A clerk issues one request at a time and retries it, on one server after another, until a
// leader has applied it; after a round of all servers without success it waits 100 ms (as the Go
// skeleton's clerk does). Each request carries (clientId, seq), so a server that sees it twice (a
// retry after a lost reply) applies it once. A request the shardmaster rejects (a Join of a gid
// that is already a group, a Leave of an unknown gid, …) throws a UsageError saying why.
import { type ClientEnd, UsageError, randomId, sleep } from "../sim/index.ts";
import type { Config, Reply, ShardMasterApi } from "./common.ts";
// SOLUTION BEGIN
// TODO(4A): each stub below throws notImplemented() until you replace it with your code.
// SOLUTION ELSE
// import { notImplemented } from "../sim/index.ts";
// SOLUTION END

/** One attempt at a request: the call to one server. */
type Attempt<R> = (server: ClientEnd<ShardMasterApi>) => Promise<R | null>;

export class Clerk {
  // SOLUTION BEGIN
  // TODO(4A): remember which server was leader last time, and what identifies your requests.
  /** The server that answered last time: most likely still the leader. */
  private leader = 0;
  private readonly clientId = randomId();
  private seq = 0;
  // SOLUTION END

  constructor(private readonly servers: ClientEnd<ShardMasterApi>[]) {}

  /** Configuration `num`; the latest for -1 or a number past the latest. */
  async query(num: number): Promise<Config> {
    const args = { num, ...this.requestId() };
    const reply = await this.call((server) => server.call("ShardMaster.query", args));
    return reply.config!;
  }

  /** Adds groups (gid → server names) and rebalances the shards over all groups. */
  async join(servers: Record<number, string[]>): Promise<void> {
    const args = { servers, ...this.requestId() };
    await this.call((server) => server.call("ShardMaster.join", args));
  }

  /** Removes groups and gives their shards to the remaining ones. */
  async leave(gids: number[]): Promise<void> {
    const args = { gids, ...this.requestId() };
    await this.call((server) => server.call("ShardMaster.leave", args));
  }

  /** Puts `shard` on group `gid`. */
  async move(shard: number, gid: number): Promise<void> {
    const args = { shard, gid, ...this.requestId() };
    await this.call((server) => server.call("ShardMaster.move", args));
  }

  /** What identifies the next request: this clerk and a new sequence number. */
  private requestId(): { clientId: number; seq: number } {
    // SOLUTION BEGIN
    // TODO(4A)
    return { clientId: this.clientId, seq: ++this.seq };
    // SOLUTION ELSE
    // throw notImplemented("the shardmaster Clerk's requestId (4A)");
    // SOLUTION END
  }

  /**
   * Makes the attempt on one server after another until one that leads answers; throws a
   * UsageError if the shardmaster rejected the request.
   */
  private async call<R extends Reply>(attempt: Attempt<R>): Promise<R> {
    // SOLUTION BEGIN
    // TODO(4A): try each server in turn (start with the last leader), and wait 100 ms after a
    //   round of all servers.
    for (;;) {
      for (let tried = 0; tried < this.servers.length; tried++) {
        const reply = await attempt(this.servers[this.leader]!);
        if (reply !== null && reply.err === "ErrRejected") {
          throw new UsageError(`The shardmaster rejected ${reply.reason}`);
        }
        if (reply !== null && reply.err === "OK") return reply;
        this.leader = (this.leader + 1) % this.servers.length;
      }
      await sleep(100);
    }
    // SOLUTION ELSE
    // throw notImplemented("the shardmaster Clerk's call (4A)");
    // SOLUTION END
  }
}
