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
import { go, log, now, sleep } from "../../sim/index.ts";
import type { ConfChange } from "../../raft-extensions/membership.ts";
import type { RaftOptions } from "../../raft-extensions/types.ts";
import { defineTest } from "../harness/define-test.ts";
import { fail } from "../harness/failure.ts";
import { checkLinearizable, newOpLog } from "../harness/kv-linearizability.ts";
import { Append, Get, Put } from "../kvraft/generic-test.ts";
import type { LabTest } from "../registry.ts";
import { ET } from "./cluster.ts";
import { MembershipKv } from "./membership-kv.ts";
import { waitUntil } from "./membership-cluster.ts";

const NONE: RaftOptions = {};
const BOTH: RaftOptions = { preVote: true, checkQuorum: true };

const add = (id: number): ConfChange => ({ type: "addVoter", id });
const remove = (id: number): ConfChange => ({ type: "removeVoter", id });

export const kvTests5E: LabTest[] = [
  defineTest("5E", "TestKVMembershipChangeLinearizable5E", async (t) => {
    const m = new MembershipKv(t, 6, [0, 1, 2], BOTH, "readIndex", true, "Test (5E): KV clients while {0,1,2} is replaced one server at a time by {3,4,5}, with partitions and crashes; then {0,1,2} shut down: linearizable");
    const rand = m.cfg.rand;
    const opLog = newOpLog(t);
    const clients = 3;
    let stopClients = false;
    let clientsDone = 0;
    /** completedAfter[c]: operations client c completed after the first voters were shut down. */
    const completedAfter = new Array<number>(clients).fill(0);
    let oldVotersGoneAt = Number.POSITIVE_INFINITY;
    for (let cli = 0; cli < clients; cli++) {
      go(async () => {
        const ck = m.cfg.makeClient(m.cfg.all());
        for (let k = 0; !stopClients; k++) {
          const key = `k${rand.int(3)}`;
          const what = rand.int(10);
          if (what < 4) await Append(m.cfg, ck, key, `${cli}.${k};`, opLog, cli);
          else if (what < 5) await Put(m.cfg, ck, key, `${cli}.${k};`, opLog, cli);
          else await Get(m.cfg, ck, key, opLog, cli);
          if (now() > oldVotersGoneAt) completedAfter[cli]!++;
          await sleep(rand.int(30));
        }
        clientsDone++;
      });
    }

    // The nemesis, while the changes go on: a partition or a crash every 1–2 ET, healed after 0.5–1.5 ET.
    let stopNemesis = false;
    let nemesisDone = false;
    go(async () => {
      while (!stopNemesis) {
        await sleep(ET + rand.int(ET));
        if (stopNemesis) break;
        if (rand.int(2) === 0) {
          const side = m.cfg.all().filter(() => rand.int(3) === 0);
          const rest = m.cfg.all().filter((i) => !side.includes(i));
          log("tester", `partitions ${side.join(",") || "nobody"} from ${rest.join(",")}`);
          m.cfg.partition(side, rest);
          await sleep(ET / 2 + rand.int(ET));
          m.cfg.connectAll();
        } else {
          const victim = rand.int(m.n);
          log("tester", `shuts down server ${victim}`);
          m.shutdown(victim);
          await sleep(ET / 2 + rand.int(ET));
          m.restart(victim);
        }
      }
      nemesisDone = true;
    });

    await sleep(ET);
    const plan = [add(3), remove(0), add(4), remove(1), add(5), remove(2)];
    for (const change of plan) {
      await m.change(change, 15 * ET);
      await sleep(rand.int(300));
    }
    stopNemesis = true;
    await waitUntil(() => nemesisDone, 3 * ET, () => "tester bug: the nemesis should stop within 3 ET");
    m.cfg.connectAll();
    for (let i = 0; i < m.n; i++) if (!m.running(i)) m.restart(i);
    // {3,4,5} alone: the first voters go for good, and the clients must find the new leader.
    for (const i of [0, 1, 2]) m.shutdown(i);
    oldVotersGoneAt = now();
    log("tester", "shut down 0, 1 and 2 for good");
    await sleep(3 * ET);
    stopClients = true;
    await waitUntil(() => clientsDone === clients, 5 * ET, () => `every client should finish its operation within ${5 * ET} ms once asked to stop, on {3,4,5}. ${m.describeConfigs()}`);
    const stuck = completedAfter.findIndex((n) => n === 0);
    if (stuck !== -1) fail(`client ${stuck} completed no operation in the ${3 * ET} ms after 0, 1 and 2 were shut down: clients must find {3,4,5}'s leader. ${m.describeConfigs()}`);
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
