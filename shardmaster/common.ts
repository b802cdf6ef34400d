// What clerks and ShardMaster servers say to each other (the Go lab's common.go).
//
// The shardmaster (6.824's "shard controller") decides which replica group serves each shard. It
// keeps a numbered list of configurations; every Join, Leave or Move that it accepts appends the
// next one, and Query(num) returns one of them. Groups are named by a gid, a positive integer;
// gid 0 means "no group".
import type { ServiceApi } from "../sim/index.ts";

/** The number of shards. */
export const NShards = 10;

/** One configuration: which group serves each shard, and which servers make up each group. */
export interface Config {
  /** The configuration's number. Config 0 is the initial one: no groups, every shard on gid 0. */
  num: number;
  /** shards[s] is the gid of the group that serves shard s (0: no group). Length NShards. */
  shards: number[];
  /** gid → the names of the group's servers. */
  groups: Record<number, string[]>;
}

/** "ErrRejected": the request asks for something impossible; the reply's reason says what. */
export type Err = "OK" | "ErrWrongLeader" | "ErrRejected";

// Every request carries which clerk sent it and its sequence number: together they make a retry
// recognizable, so that a Join, Leave or Move takes effect once however often it is sent.

export interface JoinArgs {
  /** The new groups: gid → server names. */
  servers: Record<number, string[]>;
  clientId: number;
  seq: number;
}

export interface LeaveArgs {
  gids: number[];
  clientId: number;
  seq: number;
}

export interface MoveArgs {
  shard: number;
  gid: number;
  clientId: number;
  seq: number;
}

export interface QueryArgs {
  /** The configuration wanted; -1 (or a number past the latest) for the latest. */
  num: number;
  clientId: number;
  seq: number;
}

/** The reply to Join, Leave and Move. */
export interface Reply {
  err: Err;
  /** When err is "ErrRejected": why, as a sentence for the caller. Otherwise "". */
  reason: string;
}

export interface QueryReply extends Reply {
  /** The configuration asked for; null unless err is "OK". */
  config: Config | null;
}

/** The RPC handlers every ShardMaster server offers its clerks. */
export interface ShardMasterRpcHandlers {
  join(args: JoinArgs): Promise<Reply>;
  leave(args: LeaveArgs): Promise<Reply>;
  move(args: MoveArgs): Promise<Reply>;
  query(args: QueryArgs): Promise<QueryReply>;
}

/** The RPCs a clerk calls on a ShardMaster server, as "ShardMaster.method". */
export type ShardMasterApi = ServiceApi<"ShardMaster", ShardMasterRpcHandlers>;
