// What clerks and KV servers say to each other (the Go lab's common.go).
import type { ServiceApi } from "../sim/index.ts";

export type Err = "OK" | "ErrNoKey" | "ErrWrongLeader";

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

/** The RPC handlers every KV server offers its clerks. */
export interface KvRpcHandlers {
  get(args: GetArgs): Promise<GetReply>;
  putAppend(args: PutAppendArgs): Promise<PutAppendReply>;
}

/** The RPCs a clerk calls on a KV server, as "KVServer.method". */
export type KvApi = ServiceApi<"KVServer", KvRpcHandlers>;
