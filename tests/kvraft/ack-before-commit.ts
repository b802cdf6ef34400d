// A broken KV server for the graders' meta-tests and the debugger page's fixture: the reference
// server, except that a leader answers Put/Append "OK" as soon as it has submitted the operation
// to Raft. A leader cut off in a minority then acknowledges writes that are lost, and a history
// with partitions is not linearizable.
import { startKVServer } from "../../kvraft/server.ts";
import type { PutAppendArgs, PutAppendReply } from "../../kvraft/common.ts";
import type { KVServerLike, StartKVServer } from "../harness/substitutes.ts";

export const ackBeforeCommit: StartKVServer = (peers, me, persister, maxraftstate): KVServerLike => {
  const kv = startKVServer(peers, me, persister, maxraftstate);
  return {
    rf: kv.rf,
    kill: () => kv.kill(),
    get: (args) => kv.get(args),
    putAppend: async (args: PutAppendArgs): Promise<PutAppendReply> => {
      if (!kv.rf.getState().isLeader) return { err: "ErrWrongLeader" };
      void kv.putAppend(args); // submits it; the reply below does not wait for the commit
      return { err: "OK" };
    },
  };
};
