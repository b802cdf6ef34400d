// Broken KV servers: the classic student bugs of lab 3, one per rule, each the reference server
// with that rule broken (see mutant.ts). They run on the reference Raft, against every lab 3 test.
import type { GetArgs, PutAppendArgs } from "../../kvraft/common.ts";
import { kvMutant, kvReference, type KvInside, type KvOp, type Mutant } from "./mutant.ts";

const lab3 = ["3A", "3B"];

export const kvMutants: Mutant[] = [
  {
    name: "applies-retries-again",
    rule: "Exactly once: a retried Put/Append (same clerk, same seq) is applied once",
    bug: "keeps no duplicate table: every copy of a retried Append is applied",
    parts: lab3,
    killedBy: { test: "TestUnreliable3A", seed: 1, check: /get wrong value, key/ },
    substitutes: {
      startKVServer: kvMutant((m) => {
        m.apply = function (this: KvInside, op: KvOp) {
          this.lastSeq.clear();
          return kvReference.apply.call(this, op);
        };
      }),
    },
  },
  {
    name: "reads-without-the-log",
    rule: "Every Get goes through the Raft log, so a leader cut off in a minority cannot answer with stale data",
    bug: "a server that believes it leads answers Get from its own data at once",
    parts: lab3,
    killedBy: { test: "TestOnePartition3A", seed: 1, check: /Get in minority completed/ },
    substitutes: {
      startKVServer: kvMutant((m) => {
        m.get = async function (this: KvInside, args: GetArgs) {
          if (!this.rf.getState().isLeader) return { err: "ErrWrongLeader", value: "" };
          const value = this.data.get(args.key);
          return value === undefined ? { err: "ErrNoKey", value: "" } : { err: "OK", value };
        };
      }),
    },
  },
  {
    name: "acknowledges-before-commit",
    rule: "A server answers a clerk only once its operation is committed and applied",
    bug: "a leader answers Put/Append OK as soon as it has handed the operation to Raft",
    parts: lab3,
    killedBy: { test: "TestOnePartition3A", seed: 1, check: /Put in minority completed/ },
    substitutes: {
      startKVServer: kvMutant((m) => {
        m.putAppend = async function (this: KvInside, args: PutAppendArgs) {
          if (!this.rf.getState().isLeader) return { err: "ErrWrongLeader" };
          void kvReference.putAppend.call(this, args); // submits it; the reply does not wait
          return { err: "OK" };
        };
      }),
    },
  },
  {
    name: "answers-for-whatever-committed",
    rule: "A handler's operation succeeded only if that operation — not another — appears at its index",
    bug: "answers its clerk with the result of whatever operation committed at the index start() returned",
    parts: lab3,
    killedBy: { test: "TestOnePartition3A", seed: 1, check: /Get\(1\) returned a wrong value/ },
    substitutes: {
      startKVServer: kvMutant((m) => {
        m.apply = function (this: KvInside, op: KvOp) {
          const result = kvReference.apply.call(this, op);
          const waiter = this.waiters.get(this.lastAppliedIndex);
          if (waiter !== undefined) waiter.op = op; // it is told its own op committed, whichever did
          return result;
        };
      }),
    },
  },
  {
    name: "snapshots-without-the-duplicate-table",
    rule: "The duplicate table is part of the state: it travels in snapshots",
    bug: "snapshots the key/value data only, so after a restart or an installed snapshot retries are applied again",
    parts: lab3,
    killedBy: { test: "TestSnapshotUnreliableRecover3B", seed: 1, check: /duplicate element x \d+ \d+ y in Append result/ },
    substitutes: {
      startKVServer: kvMutant((m) => {
        m.snapshotIfLogIsLarge = function (this: KvInside, index: number) {
          const lastSeq = this.lastSeq;
          this.lastSeq = new Map();
          kvReference.snapshotIfLogIsLarge.call(this, index);
          this.lastSeq = lastSeq;
        };
      }),
    },
  },
  {
    name: "ignores-its-snapshot-on-restart",
    rule: "A restarted server restores the snapshot it saved (Raft replays only what comes after it)",
    bug: "starts with empty data after a restart, though Raft applies only the entries after the snapshot",
    parts: lab3,
    killedBy: { test: "TestSnapshotRecover3B", seed: 1, check: /get wrong value, key/ },
    substitutes: {
      startKVServer: kvMutant((m) => {
        m.restore = function (this: KvInside, snapshot: Uint8Array) {
          if (this.rf === undefined) return; // in the constructor: a restart
          kvReference.restore.call(this, snapshot);
        };
      }),
    },
  },
  {
    name: "never-snapshots",
    rule: "3B: snapshot when Raft's saved state nears maxraftstate",
    bug: "never calls rf.snapshot(), so the log grows without bound",
    parts: lab3,
    killedBy: { test: "TestSnapshotSize3B", seed: 1, check: /logs were not trimmed/ },
    substitutes: {
      startKVServer: kvMutant((m) => {
        m.snapshotIfLogIsLarge = function () {};
      }),
    },
  },
];
