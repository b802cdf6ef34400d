// Lab 5G at the KV level: lab 5's KV server (Gets by ReadIndex, 5C) while every server is replaced
// at once, twice, through joint consensus, every history judged by the linearizability checker.
// The Raft-level tests of 5G (5G.ts) check the log's commands; this one checks what clients see.
// On the KV tester of changing membership (membership-kv.ts) with the randomized workload of
// kv-workload.ts: {0,1,2} → {3,4,5} → {6,7,8}, each in one joint change with autoLeave, under
// partitions, crashes and an unreliable network; then 0–5 are shut down for good, and every
// client must find {6,7,8}'s leader.
import { log, sleep } from "../../sim/index.ts";
import type { ConfChange } from "../../raft-extensions/membership.ts";
import type { RaftOptions } from "../../raft-extensions/types.ts";
import { defineTest } from "../harness/define-test.ts";
import { fail } from "../harness/failure.ts";
import { checkLinearizable, newOpLog } from "../harness/kv-linearizability.ts";
import type { LabTest } from "../registry.ts";
import { ET } from "./cluster.ts";
import { KvClients, Nemesis } from "./kv-workload.ts";
import { waitUntil } from "./membership-cluster.ts";
import { MembershipKv } from "./membership-kv.ts";

const BOTH: RaftOptions = { preVote: true, checkQuorum: true };
/** A history long enough to judge: the two changes alone can be over in a few seconds. */
const MIN_OPERATIONS = 50;

/** The joint change that replaces every voter of `from` by those of `to`. */
function replacing(from: readonly number[], to: readonly number[]): ConfChange[] {
  return [...from.map((id): ConfChange => ({ type: "removeVoter", id })), ...to.map((id): ConfChange => ({ type: "addVoter", id }))];
}

export const kvTests5G: LabTest[] = [
  defineTest("5G", "TestKVReplaceAllLinearizable5G", async (t) => {
    const m = new MembershipKv(t, 9, [0, 1, 2], BOTH, "readIndex", true, "Test (5G): KV clients while {0,1,2} → {3,4,5} → {6,7,8}, each in one joint change, with partitions and crashes; then 0–5 shut down: linearizable");
    const opLog = newOpLog(t);
    const clients = new KvClients(m, 3, opLog);
    const nemesis = new Nemesis(m);
    await sleep(ET);
    await m.replace({ joint: replacing([0, 1, 2], [3, 4, 5]) }, [3, 4, 5], 20 * ET);
    await sleep(m.cfg.rand.int(500));
    await m.replace({ joint: replacing([3, 4, 5], [6, 7, 8]) }, [6, 7, 8], 20 * ET);
    const completed = (): number => opLog.operations().filter((op) => op.return !== Infinity).length;
    await waitUntil(() => completed() >= MIN_OPERATIONS, 20 * ET, () => `the clients should have completed at least ${MIN_OPERATIONS} operations within ${20 * ET} ms of the last change; they completed ${completed()}. ${m.describeConfigs()}`);
    await nemesis.stop();
    for (let i = 0; i < 6; i++) m.shutdown(i);
    clients.mark();
    log("tester", "shut down 0–5 for good");
    await sleep(3 * ET);
    await clients.stop(5 * ET);
    const idle = clients.idleSinceMark();
    if (idle.length > 0) fail(`client ${idle.join(", ")} completed no operation in the ${3 * ET} ms after 0–5 were shut down: clients must find {6,7,8}'s leader. ${m.describeConfigs()}`);
    const leader = m.leader();
    const final = leader === undefined ? undefined : m.status(leader);
    if (final === undefined || final.config.join(",") !== "6,7,8" || final.outgoing !== undefined) fail(`{6,7,8}, not joint, should be the configuration at the end. ${m.describeConfigs()}`);
    const operations = opLog.operations();
    log("tester", `${operations.length} operations; {0,1,2} replaced by {3,4,5}, then by {6,7,8}`);
    checkLinearizable(t, operations);
    m.cfg.end();
  }),
];
