// A shard as one replica group holds it: its status in the group's current configuration, its
// keys and values, and its duplicate table. Every field is replicated state: it changes only when
// the group applies an operation from its Raft log, so every server of the group agrees on it.
//
// The life of a shard in a group, one configuration at a time:
//
//     absent ──(the group gains it; its old owner has the data)──▶ receiving
//     absent ──(the group gains it; nobody had it: gid 0)────────▶ serving
//     receiving ──(InstallShard: the data arrives)───────────────▶ serving
//     serving ──(the group loses it)─────────────────────────────▶ sending
//     sending ──(the new owner confirms it has it: DeleteShard)──▶ absent (data deleted)
//
// Only a serving shard answers clients. A group moves to its next configuration only when each
// of its shards is serving or absent, so at every configuration change the data of each shard
// is in exactly one place.
// SOLUTION BEGIN
// TODO(4B): decide what a group keeps per shard (or per group) and how a shard's data and
//   duplicate table travel to its next owner.
import { log } from "../sim/index.ts";
import type { Err } from "./common.ts";

export type ShardStatus = "absent" | "receiving" | "serving" | "sending";

/** A clerk's Get, Put or Append, as it travels through the Raft log. */
export interface ClientOp {
  kind: "Get" | "Put" | "Append";
  key: string;
  value: string;
  clientId: number;
  seq: number;
}

export interface ClientResult {
  err: Err;
  value: string;
}

/** A shard's contents as a snapshot or an InstallShard RPC carries them. */
export interface ShardContents {
  data: [string, string][];
  lastSeq: [number, number][];
}

export class Shard {
  constructor(
    public status: ShardStatus = "absent",
    private readonly data = new Map<string, string>(),
    /** The duplicate table: per clerk, the highest seq of a Put/Append applied to this shard. */
    private readonly lastSeq = new Map<number, number>(),
  ) {}

  static from(status: ShardStatus, contents: ShardContents): Shard {
    return new Shard(status, new Map(contents.data), new Map(contents.lastSeq));
  }

  /** Whether a configuration change may start: nothing is on its way in or out. */
  get settled(): boolean {
    return this.status === "serving" || this.status === "absent";
  }

  get keys(): number {
    return this.data.size;
  }

  contents(): ShardContents {
    return { data: [...this.data], lastSeq: [...this.lastSeq] };
  }

  /** Applies a clerk's operation; a Put/Append seen before (a retry) is not applied again. */
  apply(op: ClientOp): ClientResult {
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
}
// SOLUTION END
