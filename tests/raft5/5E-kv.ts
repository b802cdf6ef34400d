// Lab 5E at the KV level: lab 5's KV server (Gets by ReadIndex, 5C) while its membership changes
// one server at a time, every history judged by the linearizability checker. The Raft-level tests
// of 5E (5E.ts) check the log's commands; these check what clients see. On the KV tester of
// changing membership (membership-kv.ts), with lab 3's clerks made with every server's end.
//   - a randomized run: clients Put, Append and Get while the first voters {0,1,2} are replaced one
//     server at a time by {3,4,5}, with partitions, crashes and an unreliable network; then the
//     first voters are shut down for good, and every client must find the new leader;
//   - a read round counts the configuration in use: once {0,1,2} has grown to five voters, a
//     leader cut off with one other first voter (a majority of {0,1,2}) confirms no read, or its
//     client reads a value the new majority has overwritten.
import { go, log, sleep } from "../../sim/index.ts";
import type { ConfChange } from "../../raft-extensions/membership.ts";
import type { RaftOptions } from "../../raft-extensions/types.ts";
import { defineTest } from "../harness/define-test.ts";
import { fail } from "../harness/failure.ts";
import { checkLinearizable, newOpLog } from "../harness/kv-linearizability.ts";
import { Get, Put } from "../kvraft/generic-test.ts";
import type { LabTest } from "../registry.ts";
import { ET } from "./cluster.ts";
import { KvClients, Nemesis } from "./kv-workload.ts";
import { MembershipKv } from "./membership-kv.ts";
import { waitUntil } from "./membership-cluster.ts";

const NONE: RaftOptions = {};
const BOTH: RaftOptions = { preVote: true, checkQuorum: true };

const add = (id: number): ConfChange => ({ type: "addVoter", id });
const remove = (id: number): ConfChange => ({ type: "removeVoter", id });

export const kvTests5E: LabTest[] = [
  defineTest("5E", "TestKVMembershipChangeLinearizable5E", async (t) => {
    const m = new MembershipKv(t, 6, [0, 1, 2], BOTH, "readIndex", true, "Test (5E): KV clients while {0,1,2} is replaced one server at a time by {3,4,5}, with partitions and crashes; then {0,1,2} shut down: linearizable");
    const opLog = newOpLog(t);
    const clients = new KvClients(m, 3, opLog);
    const nemesis = new Nemesis(m);
    await sleep(ET);
    for (const change of [add(3), remove(0), add(4), remove(1), add(5), remove(2)]) {
      await m.change(change, 15 * ET);
      await sleep(m.cfg.rand.int(300));
    }
    await nemesis.stop();
    // {3,4,5} alone: the first voters go for good, and the clients must find the new leader.
    for (const i of [0, 1, 2]) m.shutdown(i);
    clients.mark();
    log("tester", "shut down 0, 1 and 2 for good");
    await sleep(3 * ET);
    await clients.stop(5 * ET);
    const idle = clients.idleSinceMark();
    if (idle.length > 0) fail(`client ${idle.join(", ")} completed no operation in the ${3 * ET} ms after 0, 1 and 2 were shut down: clients must find {3,4,5}'s leader. ${m.describeConfigs()}`);
    const leader = m.leader();
    const final = leader === undefined ? undefined : m.status(leader);
    if (final === undefined || final.config.join(",") !== "3,4,5") fail(`{3,4,5} should be the configuration at the end. ${m.describeConfigs()}`);
    const operations = opLog.operations();
    if (operations.length < 50) fail(`the clients should have completed at least 50 operations; they completed ${operations.length}`);
    log("tester", `${operations.length} operations; {0,1,2} replaced by {3,4,5}`);
    checkLinearizable(t, operations);
    m.cfg.end();
  }),

  defineTest("5E", "TestReadQuorumFollowsTheConfiguration5E", async (t) => {
    const m = new MembershipKv(t, 5, [0, 1, 2], NONE, "readIndex", false, "Test (5E): once {0,1,2} has grown to five voters, a leader and one old voter cut off confirm no read");
    const opLog = newOpLog(t);
    const ck = m.cfg.makeClient(m.cfg.all());
    await Put(m.cfg, ck, "x", "1", opLog, 0);
    for (const change of [add(3), add(4)]) await m.change(change, 5 * ET);
    const leader = m.leader();
    if (leader === undefined) fail(`tester bug: no leader after the changes. ${m.describeConfigs()}`);
    // The leader and one other first voter: a majority of {0,1,2}, a minority of {0,1,2,3,4}.
    const partner = [0, 1, 2].find((i) => i !== leader)!;
    const rest = m.cfg.all().filter((i) => i !== leader && i !== partner);
    log("tester", `cut ${leader} and ${partner} off from ${rest.join(", ")}`);
    m.cfg.partition([leader, partner], rest);
    await waitUntil(() => rest.some((i) => m.status(i)!.role === "leader"), 5 * ET, () => `one of ${rest.join(", ")} should be elected without ${leader} and ${partner}. ${m.describeConfigs()}`);
    const majority = m.cfg.makeClient(rest);
    await Put(m.cfg, majority, "x", "2", opLog, 1);
    log("tester", `x is 2 on {${rest.join(",")}}; now a client of ${leader} reads x`);
    const lonely = m.cfg.makeClient([leader]);
    const read: { got?: string } = {};
    go(async () => {
      read.got = await Get(m.cfg, lonely, "x", opLog, 2);
    });
    await sleep(3 * ET);
    if (read.got === "1") fail(`{${rest.join(",")}} wrote x = 2 while ${leader} was cut off with ${partner} only: ${leader}'s client must not read x = 1 (a read round needs a majority of the configuration in use, {0,1,2,3,4}, not of the first one)`);
    checkLinearizable(t, opLog.operations());
    m.cfg.connectAll();
    m.cfg.end();
  }),
];
