// The shared machinery of kvraft/test_test.go: the counting wrappers Get/Put/Append, check,
// spawn_clients_and_wait, the partitioner, checkClntAppends, checkConcurrentAppends, GenericTest,
// GenericTestSpeed; the linearizability step (porcupine there, simlab's checker here) is
// tests/harness/kv-linearizability.ts, which lab 4B's tests share.
//
// Differences from Go, all deliberate:
//   - The partitioner can follow a schedule drawn before the run (kv-nemesis.ts: the 3A/3B
//     partition tests draw theirs as a scenario, so a seed can be written out as a file).
//   - Times are virtual: the 5 s rounds, 1 s settles, the partitioner's 1 s + 0–199 ms and the
//     speed tests' 33.3 ms per operation are measured on the simulation's clock.
//   - The linearizability check differs as kv-linearizability.ts says (no wall-clock timeout, and
//     an "unknown" verdict fails the test).
import { Channel, describeValue, go, now, sleep } from "../../sim/index.ts";
import { HistoryRecorder, type KvInput, type KvOutput } from "../../sim/check/index.ts";
import type { Clerk } from "../../kvraft/client.ts";
import { fail } from "../harness/failure.ts";
import { clientElements, describeDifference } from "../harness/value-diff.ts";
import { checkLinearizable, newOpLog } from "../harness/kv-linearizability.ts";
import { makeConfig, type Config } from "./config.ts";
import type { TestContext } from "../harness/define-test.ts";

/** The tester generously allows solutions to complete elections in one second. */
export const electionTimeout = 1000;

/** A history of clerk operations (Go's OpLog); null where Go passes a nil log. */
export type OpLog = HistoryRecorder<KvInput, KvOutput>;

// --- get/put/append that keep counts ---------------------------------------------------------

function checkString(op: string, what: string, v: unknown): void {
  if (typeof v !== "string") fail(`${op}: the ${what} must be a string, got ${describeValue(v)} (6.824 keys and values are Go strings)`);
}

export async function Get(cfg: Config, ck: Clerk, key: string, log: OpLog | null, cli: number): Promise<string> {
  checkString("Get", "key", key);
  const handle = log?.begin(cli, { op: "get", key });
  const v = await ck.get(key);
  if (typeof v !== "string") {
    fail(`Clerk.get(${JSON.stringify(key)}) returned ${v === null ? "null" : typeof v}, not a string`);
  }
  cfg.op();
  if (log !== null && handle !== undefined) log.end(handle, v);
  return v;
}

export async function Put(cfg: Config, ck: Clerk, key: string, value: string, log: OpLog | null, cli: number): Promise<void> {
  checkString("Put", "key", key);
  checkString("Put", "value", value);
  const handle = log?.begin(cli, { op: "put", key, value });
  await ck.put(key, value);
  cfg.op();
  if (log !== null && handle !== undefined) log.end(handle, "");
}

export async function Append(cfg: Config, ck: Clerk, key: string, value: string, log: OpLog | null, cli: number): Promise<void> {
  checkString("Append", "key", key);
  checkString("Append", "value", value);
  const handle = log?.begin(cli, { op: "append", key, value });
  await ck.append(key, value);
  cfg.op();
  if (log !== null && handle !== undefined) log.end(handle, "");
}

export async function check(cfg: Config, ck: Clerk, key: string, value: string): Promise<void> {
  const v = await Get(cfg, ck, key, null, -1);
  if (v !== value) fail(`Get(${key}) returned a wrong value:\n${describeDifference(value, v)}`);
}

// --- clients ---------------------------------------------------------------------------------

type ClientBody = (me: number, ck: Clerk) => Promise<void>;

/** A client: make a clerk connected to all servers, run fn, report on ca whether it finished. */
async function runClient(cfg: Config, me: number, ca: Channel<boolean>, fn: ClientBody): Promise<void> {
  let ok = false;
  try {
    const ck = cfg.makeClient(cfg.all());
    await fn(me, ck);
    ok = true;
    cfg.deleteClient(ck);
  } finally {
    await ca.send(ok);
  }
}

/** Spawns ncli clients and waits until they are all done. */
export async function spawnClientsAndWait(cfg: Config, ncli: number, fn: ClientBody): Promise<void> {
  const ca: Channel<boolean>[] = [];
  for (let cli = 0; cli < ncli; cli++) {
    const ch = new Channel<boolean>(0, `ca[${cli}]`);
    ca.push(ch);
    go(() => runClient(cfg, cli, ch, fn));
  }
  for (let cli = 0; cli < ncli; cli++) {
    const ok = await ca[cli]!.recv();
    if (ok !== true) fail("failure");
  }
}

/** Predicts the effect of Append(k, val) if old value is prev. */
function nextValue(prev: string, val: string): string {
  return prev + val;
}

/** Checks that for client clnt, all its appends "x clnt j y" (j < count) are in v, once each, in order. */
export function checkClntAppends(clnt: number, v: string, count: number): void {
  let lastoff = -1;
  for (let j = 0; j < count; j++) {
    const wanted = `x ${clnt} ${j} y`;
    const off = v.indexOf(wanted);
    if (off < 0) fail(`${clnt} missing element ${wanted} in Append result (client ${clnt}'s elements there: ${clientElements(v, clnt)})`);
    const off1 = v.lastIndexOf(wanted);
    if (off1 !== off) fail(`duplicate element ${wanted} in Append result`);
    if (off <= lastoff) fail(`wrong order for element ${wanted} in Append result`);
    lastoff = off;
  }
}

/** Checks that all of every client's appends are in v, once each, each client's in order. */
export function checkConcurrentAppends(v: string, counts: number[]): void {
  const nclients = counts.length;
  for (let i = 0; i < nclients; i++) {
    let lastoff = -1;
    for (let j = 0; j < counts[i]!; j++) {
      const wanted = `x ${i} ${j} y`;
      const off = v.indexOf(wanted);
      if (off < 0) fail(`${i} missing element ${wanted} in Append result (client ${i}'s elements there: ${clientElements(v, i)})`);
      const off1 = v.lastIndexOf(wanted);
      if (off1 !== off) fail(`duplicate element ${wanted} in Append result`);
      if (off <= lastoff) fail(`wrong order for element ${wanted} in Append result`);
      lastoff = off;
    }
  }
}

/**
 * One phase of a partitioner that follows a schedule (nemesis as data, tests/kvraft/kv-nemesis.ts):
 * partition the servers into two groups (or keep the partition, without groups), then wait `ms`.
 */
export interface PartitionPhase {
  readonly groups?: readonly [readonly number[], readonly number[]];
  readonly ms: number;
}

/**
 * Repartitions the network every 1 s + 0–199 ms, randomly, until done; then reports on ch. With a
 * schedule it follows it instead, phase by phase, and reports when the schedule ends.
 */
async function partitioner(cfg: Config, ch: Channel<boolean>, done: { value: boolean }, schedule?: readonly PartitionPhase[]): Promise<void> {
  try {
    for (const phase of schedule ?? []) {
      if (phase.groups !== undefined) cfg.partition([...phase.groups[0]], [...phase.groups[1]]);
      await sleep(phase.ms);
    }
    while (schedule === undefined && !done.value) {
      const a: number[] = [];
      for (let i = 0; i < cfg.n; i++) a.push(cfg.rand.int(2));
      const pa: number[][] = [[], []];
      for (let i = 0; i < 2; i++) {
        for (let j = 0; j < cfg.n; j++) if (a[j] === i) pa[i]!.push(j);
      }
      cfg.partition(pa[0]!, pa[1]!);
      await sleep(electionTimeout + cfg.rand.int(200));
    }
  } finally {
    await ch.send(true);
  }
}

// --- GenericTest -----------------------------------------------------------------------------

/**
 * Basic test is as follows: one or more clients submitting Append/Get operations to a set of
 * servers for some period of time. After the period is over, the test checks that all appended
 * values are present and in order for a particular key. If unreliable is set, RPCs may fail. If
 * crash is set, the servers crash after the period is over and restart. If partitions is set, the
 * test repartitions the network concurrently with the clients and servers. If maxraftstate is a
 * positive number, the size of the state for Raft (i.e., log size) shouldn't exceed
 * 8*maxraftstate. If maxraftstate is negative, snapshots shouldn't be used.
 */
export async function genericTest(
  t: TestContext,
  part: string,
  nclients: number,
  nservers: number,
  unreliable: boolean,
  crash: boolean,
  partitions: boolean,
  maxraftstate: number,
  randomkeys: boolean,
  /** The partitioner's schedule for each round (missing rounds: none); without it, it draws. */
  schedule?: readonly (readonly PartitionPhase[])[],
): Promise<void> {
  let title = "Test: ";
  if (unreliable) {
    // the network drops RPC requests and replies.
    title = title + "unreliable net, ";
  }
  if (crash) {
    // peers re-start, and thus persistence must work.
    title = title + "restarts, ";
  }
  if (partitions) {
    // the network may partition
    title = title + "partitions, ";
  }
  if (maxraftstate !== -1) {
    title = title + "snapshots, ";
  }
  if (randomkeys) {
    title = title + "random keys, ";
  }
  if (nclients > 1) {
    title = title + "many clients";
  } else {
    title = title + "one client";
  }
  title = title + " (" + part + ")"; // 3A or 3B

  const cfg = makeConfig(t, nservers, unreliable, maxraftstate);

  cfg.begin(title);
  const opLog = newOpLog(t);

  const ck = cfg.makeClient(cfg.all());

  const donePartitioner = { value: false };
  const doneClients = { value: false };
  const chPartitioner = new Channel<boolean>(0, "ch_partitioner");
  const clnts: Channel<number>[] = [];
  for (let i = 0; i < nclients; i++) clnts.push(new Channel<number>(0, `clnts[${i}]`));

  for (let i = 0; i < 3; i++) {
    doneClients.value = false;
    donePartitioner.value = false;
    go(() =>
      spawnClientsAndWait(cfg, nclients, async (cli, myck) => {
        let j = 0;
        try {
          let last = ""; // only used when not randomkeys
          if (!randomkeys) await Put(cfg, myck, String(cli), last, opLog, cli);
          while (!doneClients.value) {
            let key: string;
            if (randomkeys) key = String(cfg.rand.int(nclients));
            else key = String(cli);
            const nv = "x " + cli + " " + j + " y";
            if (cfg.rand.int(1000) < 500) {
              await Append(cfg, myck, key, nv, opLog, cli);
              if (!randomkeys) last = nextValue(last, nv);
              j++;
            } else if (randomkeys && cfg.rand.int(1000) < 100) {
              // we only do this when using random keys, because it would break the check done
              // after Get() operations
              await Put(cfg, myck, key, nv, opLog, cli);
              j++;
            } else {
              const v = await Get(cfg, myck, key, opLog, cli);
              // the following check only makes sense when we're not using random keys
              if (!randomkeys && v !== last) fail(`get wrong value, key ${key}:\n${describeDifference(last, v)}`);
            }
          }
        } finally {
          await clnts[cli]!.send(j);
        }
      }),
    );

    if (partitions) {
      // Allow the clients to perform some operations without interruption
      await sleep(1000);
      const round = i;
      go(() => partitioner(cfg, chPartitioner, donePartitioner, schedule === undefined ? undefined : (schedule[round] ?? [])));
    }
    await sleep(5000);

    doneClients.value = true; // tell clients to quit
    donePartitioner.value = true; // tell partitioner to quit

    if (partitions) {
      await chPartitioner.recv();
      // reconnect network and submit a request. A client may have submitted a request in a
      // minority. That request won't return until that server discovers a new term has started.
      cfg.connectAll();
      // wait for a while so that we have a new term
      await sleep(electionTimeout);
    }

    if (crash) {
      for (let i = 0; i < nservers; i++) cfg.shutdownServer(i);
      // Wait for a while for servers to shutdown, since shutdown isn't a real crash and isn't
      // instantaneous
      await sleep(electionTimeout);
      // crash and re-start all
      for (let i = 0; i < nservers; i++) cfg.startServer(i);
      cfg.connectAll();
    }

    for (let i = 0; i < nclients; i++) {
      const j = (await clnts[i]!.recv())!;
      const key = String(i);
      const v = await Get(cfg, ck, key, opLog, 0);
      if (!randomkeys) checkClntAppends(i, v, j);
    }

    if (maxraftstate > 0) {
      // Check maximum after the servers have processed all client requests and had time to
      // checkpoint.
      const sz = cfg.logSize();
      if (sz > 8 * maxraftstate) fail(`logs were not trimmed (${sz} > 8*${maxraftstate})`);
    }
    if (maxraftstate < 0) {
      // Check that snapshots are not used
      const ssz = cfg.snapshotSize();
      if (ssz > 0) fail(`snapshot too large (${ssz}), should not be used when maxraftstate = ${maxraftstate}`);
    }
  }

  checkLinearizable(t, opLog.operations());

  cfg.end();
}

/** Times 1000 sequential appends by one clerk: at most 33.3 ms (virtual) each. */
export async function genericTestSpeed(t: TestContext, part: string, maxraftstate: number): Promise<void> {
  const nservers = 3;
  const numOps = 1000;
  const cfg = makeConfig(t, nservers, false, maxraftstate);

  const ck = cfg.makeClient(cfg.all());

  cfg.begin(`Test: ops complete fast enough (${part})`);

  // wait until first op completes, so we know a leader is elected and KV servers are ready to
  // process client requests
  await ck.get("x");

  const start = now();
  for (let i = 0; i < numOps; i++) await ck.append("x", "x 0 " + i + " y");
  const dur = now() - start;

  const v = await ck.get("x");
  checkClntAppends(0, v, numOps);

  // heartbeat interval should be ~ 100 ms; require at least 3 ops per
  const heartbeatInterval = 100;
  const opsPerInterval = 3;
  const timePerOp = heartbeatInterval / opsPerInterval;
  if (dur > numOps * timePerOp) {
    fail(`Operations completed too slowly ${formatMs(dur / numOps)}/op > ${formatMs(timePerOp)}/op`);
  }

  cfg.end();
}

function formatMs(ms: number): string {
  return `${Number(ms.toFixed(6))}ms`;
}
