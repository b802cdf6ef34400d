// Broken ShardKV servers: the reference with one thing changed each, as a subclass, for the
// grader's meta-tests (bad-servers.test.ts) and the shardkv scenarios' (tests/scenario/mutants.test.ts).
// Each is a classic lab 4B mistake:
//   ServesBeforeReceiving  serves a shard it owns before its data has arrived
//   LosesDuplicateTable    hands a shard over without its duplicate table
//   NeverDeletes           keeps the data of shards it has handed over (no GC)
//   BlocksEveryShard       serves nothing while any shard of a change is in flight
//   ServesAfterHandoff     still answers for a shard it is handing over
import type { InstallShardArgs } from "../../shardkv/common.ts";
import { ShardKV } from "../../shardkv/server.ts";
import { Shard } from "../../shardkv/shard.ts";
import type { StartShardKV } from "./substitute.ts";

/** Serves a shard as soon as a configuration gives it to the group, before its data arrives. */
export class ServesBeforeReceiving extends ShardKV {
  protected override serves(shard: number): boolean {
    return super.serves(shard) || this.shards[shard]!.status === "receiving";
  }
}

/** Sends a shard's data to its new owner, but not its duplicate table. */
export class LosesDuplicateTable extends ShardKV {
  protected override outgoing(shard: number): InstallShardArgs {
    return { ...super.outgoing(shard), lastSeq: [] };
  }
}

/** Stops serving a shard it handed over, but keeps its data (and so its snapshot grows). */
export class NeverDeletes extends ShardKV {
  protected override applyDeleteShard(configNum: number, shard: number): void {
    const handedOver = this.shards[shard]!.contents();
    super.applyDeleteShard(configNum, shard);
    if (this.shards[shard]!.status === "absent") this.shards[shard] = Shard.from("absent", handedOver);
  }
}

/** Serves no shard at all until every shard of a configuration change has arrived or left. */
export class BlocksEveryShard extends ShardKV {
  protected override serves(shard: number): boolean {
    return super.serves(shard) && this.shards.every((s) => s.settled);
  }
}

/** Keeps answering for a shard it is handing over, until the new owner confirms it has it. */
export class ServesAfterHandoff extends ShardKV {
  protected override serves(shard: number): boolean {
    return super.serves(shard) || this.shards[shard]!.status === "sending";
  }
}

export function starting(Variant: typeof ShardKV): StartShardKV {
  return (...args) => new Variant(...args);
}
