// What clerks and ShardKV servers say to each other (the Go lab's common.go).
//
// The keys are split into NShards shards by key2shard(); the shardmaster's configuration says
// which replica group (gid) owns each shard. A clerk sends each Get/Put/Append to the group that
// owns the key's shard; a group that does not serve that shard (it does not own it, or has not
// received its data yet) answers ErrWrongGroup, and the clerk asks the shardmaster for a newer
// configuration.
import type { ClientEnd, ServiceApi } from "../sim/index.ts";
import { NShards } from "../shardmaster/common.ts";

export { NShards };

/**
 * Which shard a key belongs to: its first character's code, modulo NShards (shard 0 for "").
 * Keys "0".."9" land in shards 8, 9, 0, 1, …, 7, so ten one-digit keys cover every shard. (Go
 * takes the key's first byte: the same for the ASCII keys the tests use.)
 */
export function key2shard(key: string): number {
  return key.length > 0 ? key.charCodeAt(0) % NShards : 0;
}

export type Err = "OK" | "ErrNoKey" | "ErrWrongGroup" | "ErrWrongLeader";

export interface PutAppendArgs {
  key: string;
  value: string;
  op: "Put" | "Append";
  /** Which clerk sent it, and its sequence number: together they make a retry recognizable. */
  clientId: number;
  seq: number;
}

export interface PutAppendReply {
  err: Err;
}

export interface GetArgs {
  key: string;
  clientId: number;
  seq: number;
}

export interface GetReply {
  err: Err;
  value: string;
}

// SOLUTION BEGIN
// TODO(4B): the RPC that moves a shard from one group to another, if your design has one.
/**
 * A shard's data and duplicate table, sent by the group that owned it in configuration
 * `configNum - 1` to the group that owns it in `configNum`.
 */
export interface InstallShardArgs {
  configNum: number;
  shard: number;
  /** The shard's keys and values, in the sender's order. */
  data: [string, string][];
  /** The shard's duplicate table: per clerk, the highest seq applied to this shard. */
  lastSeq: [number, number][];
}

/**
 * OK: the receiver has the shard (now or for good: it has moved past configNum). ErrNotReady:
 * the receiver's leader has not reached configNum yet; try again later.
 */
export interface InstallShardReply {
  err: "OK" | "ErrWrongLeader" | "ErrNotReady";
}
// SOLUTION END

/** The RPC handlers a ShardKV server offers: get and putAppend for clerks, and those its groups call on each other. */
export interface ShardKvRpcHandlers {
  get(args: GetArgs): Promise<GetReply>;
  putAppend(args: PutAppendArgs): Promise<PutAppendReply>;
  // SOLUTION BEGIN
  // TODO(4B): the RPCs your servers call on each other.
  installShard(args: InstallShardArgs): Promise<InstallShardReply>;
  // SOLUTION END
}

/** The RPCs a ShardKV server offers, as "ShardKV.method". */
export type ShardKvApi = ServiceApi<"ShardKV", ShardKvRpcHandlers>;

/** Makes an end to the server with this name (the tester's make_end). */
export type MakeEnd = (serverName: string) => ClientEnd<ShardKvApi>;

// SOLUTION BEGIN
// TODO(4B): whatever else your clerk and servers share. (The tester's makeEnd makes a new end on
//   every call: keep one end per server name rather than making one per RPC.)
/**
 * makeEnd, keeping the end it made for each server name: the tester's make_end makes a new end on
 * every call, and a clerk or server that called it for every RPC would make thousands.
 */
export function reusingEnds(makeEnd: MakeEnd): MakeEnd {
  const ends = new Map<string, ClientEnd<ShardKvApi>>();
  return (server) => {
    let end = ends.get(server);
    if (end === undefined) {
      end = makeEnd(server);
      ends.set(server, end);
    }
    return end;
  };
}
// SOLUTION END
