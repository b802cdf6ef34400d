// One Jepsen-style run against a real local cluster: start it, load it with concurrent HTTP
// clients (kv-workload.ts) while faults strike on a schedule, heal, read every key, check the
// history for linearizability and for lost acknowledged writes, stop every process. `simlab
// jepsen` prints and saves the result; tests/real/ runs a short one in CI.
//
// The faults, in the order of `faults`, one every `faultEveryMs` (the cycle repeats):
//   kill          kill -9 a node (the leader, when one is known), restart it `downMs` later
//   pause-leader  SIGSTOP the leader, SIGCONT it `downMs` later
//   restart-all   kill -9 every node at once, then restart them all
// Faults stop when the load does; then every node is resumed and restarted, and the final reads
// run. Whatever happens — an error, a failed check — every process started is stopped before
// runJepsen() returns or throws.
import { mkdirSync } from "node:fs";
import { checkOperations, defaultBudget, kvModel, type CheckResult, type KvInput, type KvOutput } from "../../sim/check/index.ts";
import { KvCluster } from "./kv-cluster.ts";
import { finalReads, lostAcknowledgedAppends, percentile, runWorkload, type KvOperation } from "./kv-workload.ts";

export const faultKinds = ["kill", "pause-leader", "restart-all"] as const;
export type FaultKind = (typeof faultKinds)[number];

export interface JepsenOptions {
  nodes: number;
  dir: string;
  port: number;
  durationMs: number;
  clients: number;
  keys: number;
  faults: readonly FaultKind[];
  faultEveryMs: number;
  downMs: number;
  /** Nodes save without fsync (for the bench's comparison only). */
  noFsync?: boolean;
  /** Nodes keep their state in memory only: a service that forgets on restart (jepsen --volatile). */
  volatile?: boolean;
  /** A line of progress for the operator (default: none). */
  say?: ((line: string) => void) | undefined;
  onLog?: ((line: string) => void) | undefined;
}

export interface InjectedFault {
  /** ms since the history's time 0. */
  time: number;
  fault: FaultKind;
  node: number | "all";
}

export interface JepsenResult {
  operations: KvOperation[];
  completed: number;
  unknown: number;
  /** Completed operations per second of load. */
  throughput: number;
  latency: { p50: number; p90: number; p99: number; max: number };
  faults: InjectedFault[];
  lost: KvOperation[];
  check: CheckResult<KvInput, KvOutput>;
  startedAt: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runJepsen(options: JepsenOptions): Promise<JepsenResult> {
  const say = options.say ?? (() => {});
  mkdirSync(options.dir, { recursive: true });
  say(`starting ${options.nodes} nodes (data in ${options.dir}, HTTP ports ${options.port}–${options.port + options.nodes - 1})`);
  const cluster = await KvCluster.start({ nodes: options.nodes, dir: options.dir, port: options.port, onLog: options.onLog, noFsync: options.noFsync, volatile: options.volatile });
  try {
    await cluster.waitForLeader(30_000);
    const startedAt = new Date().toISOString();
    const origin = performance.now();
    const ports = Array.from({ length: options.nodes }, (_, i) => cluster.httpPort(i));
    say(`load: ${options.clients} clients for ${options.durationMs / 1000} s; faults: ${options.faults.join(", ") || "none"}`);
    let loadEnded = origin;
    const [load, faults] = await Promise.all([
      runWorkload({ ports, clients: options.clients, durationMs: options.durationMs, keys: options.keys, origin, requestTimeoutMs: 8_000 }).then((result) => {
        loadEnded = performance.now();
        return result;
      }),
      injectFaults(cluster, options, origin, say),
    ]);
    for (let i = 0; i < cluster.size; i++) {
      cluster.resume(i);
      if (!cluster.isRunning(i)) await cluster.restart(i);
    }
    await cluster.waitForLeader(30_000);
    const elapsedS = (loadEnded - origin) / 1000;
    const finals = await finalReads(ports, options.keys, origin, load.operations, 30_000);
    const lost = lostAcknowledgedAppends(load.operations, finals);
    say(`checking ${load.operations.length} operations for linearizability`);
    const check = checkOperations(kvModel, load.operations, { budget: defaultBudget });
    return {
      operations: load.operations,
      completed: load.latenciesMs.length,
      unknown: load.unknown,
      throughput: load.latenciesMs.length / elapsedS,
      latency: {
        p50: percentile(load.latenciesMs, 50),
        p90: percentile(load.latenciesMs, 90),
        p99: percentile(load.latenciesMs, 99),
        max: percentile(load.latenciesMs, 100),
      },
      faults,
      lost,
      check,
      startedAt,
    };
  } finally {
    await cluster.stop();
  }
}

async function injectFaults(cluster: KvCluster, options: JepsenOptions, origin: number, say: (line: string) => void): Promise<InjectedFault[]> {
  const injected: InjectedFault[] = [];
  const deadline = origin + options.durationMs;
  const clock = () => Math.round(performance.now() - origin);
  const leaderOrNode0 = async () => cluster.waitForLeader(Math.min(3_000, options.faultEveryMs)).catch(() => 0);
  for (let round = 0; options.faults.length > 0 && round < 1_000; round++) {
    await sleep(Math.max(0, Math.min(options.faultEveryMs, deadline - performance.now())));
    if (performance.now() + options.downMs > deadline) break;
    const fault = options.faults[round % options.faults.length]!;
    if (fault === "kill") {
      const node = await leaderOrNode0();
      injected.push({ time: clock(), fault, node });
      say(`  ${(clock() / 1000).toFixed(1)} s  kill -9 node ${node}`);
      await cluster.kill(node);
      await sleep(options.downMs);
      await cluster.restart(node);
      say(`  ${(clock() / 1000).toFixed(1)} s  node ${node} restarted`);
    } else if (fault === "pause-leader") {
      const node = await leaderOrNode0();
      injected.push({ time: clock(), fault, node });
      say(`  ${(clock() / 1000).toFixed(1)} s  SIGSTOP node ${node}`);
      cluster.pause(node);
      await sleep(options.downMs);
      cluster.resume(node);
      say(`  ${(clock() / 1000).toFixed(1)} s  SIGCONT node ${node}`);
    } else {
      injected.push({ time: clock(), fault, node: "all" });
      say(`  ${(clock() / 1000).toFixed(1)} s  kill -9 every node`);
      for (let i = 0; i < cluster.size; i++) await cluster.kill(i);
      await Promise.all(Array.from({ length: cluster.size }, (_, i) => cluster.restart(i)));
      say(`  ${(clock() / 1000).toFixed(1)} s  every node restarted`);
    }
  }
  return injected;
}
