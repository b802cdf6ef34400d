// Broken ShardKV servers as mutants: the grader's own broken servers of lab 4B
// (tests/shardkv/broken-shardkvs.ts, each the reference with one classic mistake), named in the
// domain's words so that `simlab explore --mutant NAME`, choice files and the benches can run a
// 4B test or a shardkv scenario against them. They run on the reference Raft and shardmaster.
//
// Two of the five are left out: NeverDeletes only makes snapshots grow (TestChallenge1Delete, the
// one test that measures them, kills it at every seed, so there is nothing to explore), and
// BlocksEveryShard only makes a challenge test hang for its 180 virtual seconds.
import { LosesDuplicateTable, ServesAfterHandoff, ServesBeforeReceiving, starting } from "../shardkv/broken-shardkvs.ts";
import type { Mutant } from "./mutant.ts";

const lab4b = ["4B"];

export const shardkvMutants: Mutant[] = [
  {
    name: "serves-before-receiving",
    rule: "A group serves a shard a new configuration gives it only once the shard's data has arrived",
    bug: "serves a shard as soon as the configuration gives it to the group, before its data arrives",
    parts: lab4b,
    killedBy: { test: "TestSnapshot", seed: 1, check: /returned a wrong value/ },
    substitutes: { startShardKV: starting(ServesBeforeReceiving) },
  },
  {
    name: "loses-the-duplicate-table",
    rule: "A shard moves with its duplicate table, so that a retried Append is applied once by its new owner too",
    bug: "hands a shard's data to its new owner without the duplicate table",
    parts: lab4b,
    killedBy: { test: "TestConcurrent1", seed: 1, check: /returned a wrong value/ },
    substitutes: { startShardKV: starting(LosesDuplicateTable) },
  },
  {
    name: "serves-after-handoff",
    rule: "A group stops serving a shard as soon as a configuration takes it away",
    bug: "keeps answering for a shard it is handing over, until the new owner confirms it has it",
    parts: lab4b,
    killedBy: { test: "TestSnapshot", seed: 1, check: /returned a wrong value/ },
    substitutes: { startShardKV: starting(ServesAfterHandoff) },
  },
];
