// `npm run bench -- real [--time 10s]`: the lab 3 KV service as a real 3-node cluster on loopback
// (simlab serve's nodes: real processes, TCP between them, fsync'd state on disk) under 10 HTTP
// clients — ops/s and latency percentiles — and the same workload (10 clerks, half gets, half
// appends, on 5 keys) on the same code in the simulator, in virtual time, for comparison. No
// faults: this measures speed (simlab jepsen measures correctness under faults). The history of
// the real run is still checked, and the bench says so if it is not linearizable.
//
// The real cluster runs twice: as `simlab serve` runs it (every save fsync'd), and with
// --no-fsync (disk-persister.ts), to show how much of the difference from the simulator is the
// disk. Raft persists on every Start() and every AppendEntries that brings entries, with the
// event loop waiting for the fsync, so a node does little else while its disk syncs.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Network, Persister, Server, Service, Simulation, now, type ClientEnd } from "../sim/index.ts";
import { startKVServer } from "../kvraft/server.ts";
import { Clerk } from "../kvraft/client.ts";
import type { KvApi } from "../kvraft/common.ts";
import { runJepsen } from "../labs/cli/kv-jepsen-run.ts";
import { percentile } from "../labs/cli/kv-workload.ts";
import { randomBasePort } from "../labs/cli/kv-cluster.ts";

const NODES = 3;
const CLIENTS = 10;
const KEYS = 5;

export default async function realBench(args: string[]): Promise<Record<string, unknown>> {
  const timeArg = args.indexOf("--time");
  const seconds = timeArg >= 0 ? Number.parseFloat(args[timeArg + 1] ?? "") : 10;
  if (!(seconds > 0 && seconds <= 600)) throw new Error(`--time needs seconds between 0 and 600 (e.g. --time 10s), got ${args[timeArg + 1]}`);
  const durationMs = Math.round(seconds * 1000);

  const real = await realWorkload(durationMs, false);
  const unsynced = await realWorkload(durationMs, true);
  for (const [label, run] of [["real", real], ["no fsync", unsynced]] as const) {
    console.log(
      `${label.padEnd(9)} ${run.throughput.toFixed(1)} ops/s, p50 ${run.latency.p50.toFixed(1)} ms, p99 ${run.latency.p99.toFixed(1)} ms ` +
        `(${run.completed} ops in ${seconds} s, ${NODES} processes, ${CLIENTS} HTTP clients; history ${run.check.verdict === "ok" ? "linearizable" : run.check.verdict})`,
    );
  }

  const sim = await simulatedWorkload(durationMs);
  console.log(
    `simulated ${sim.opsPerVirtualSecond.toFixed(1)} ops per virtual second, p50 ${sim.p50.toFixed(1)} ms, p99 ${sim.p99.toFixed(1)} ms ` +
      `(${sim.ops} ops in ${seconds} virtual s, run in ${sim.wallS.toFixed(2)} s of wall time: ${(sim.ops / sim.wallS).toFixed(0)} ops per wall second)`,
  );
  return {
    bench: "real",
    seconds,
    real_ops_per_s: round(real.throughput),
    real_p50_ms: round(real.latency.p50),
    real_p99_ms: round(real.latency.p99),
    real_ops: real.completed,
    real_linearizable: real.check.verdict === "ok" && unsynced.check.verdict === "ok",
    real_no_fsync_ops_per_s: round(unsynced.throughput),
    real_no_fsync_p50_ms: round(unsynced.latency.p50),
    real_no_fsync_p99_ms: round(unsynced.latency.p99),
    sim_ops_per_virtual_s: round(sim.opsPerVirtualSecond),
    sim_p50_ms: round(sim.p50),
    sim_p99_ms: round(sim.p99),
    sim_ops_per_wall_s: round(sim.ops / sim.wallS),
  };
}

async function realWorkload(durationMs: number, noFsync: boolean) {
  const dir = mkdtempSync(join(tmpdir(), "simlab-bench-real-"));
  try {
    const port = randomBasePort();
    return await runJepsen({ nodes: NODES, dir, port, durationMs, clients: CLIENTS, keys: KEYS, faults: [], faultEveryMs: durationMs, downMs: 0, noFsync });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

/** The same workload on the simulated network (reliable, 2–8 ms per hop) with in-memory persisters. */
async function simulatedWorkload(durationMs: number): Promise<{ ops: number; opsPerVirtualSecond: number; p50: number; p99: number; wallS: number }> {
  const sim = new Simulation({ seed: 1, maxVirtualTimeMs: durationMs + 60_000 });
  const started = performance.now();
  const latencies: number[] = [];
  await sim.run(async () => {
    const net = new Network(sim);
    for (let i = 0; i < NODES; i++) {
      const node = sim.createNode(`kv-${i}`);
      const peers = Array.from({ length: NODES }, (_, j) => {
        const end = net.makeEnd(`raft-${i}->${j}`, i);
        net.connect(end, j);
        net.enable(end, true);
        return end;
      });
      const kv = sim.runAs(node, () => startKVServer(peers, i, new Persister(), 65_536));
      net.addServer(i, new Server(node, [new Service("KVServer", kv), new Service("Raft", kv.rf)]));
    }
    const clients = Array.from({ length: CLIENTS }, (_, c) => {
      const node = sim.createNode(`client-${c}`);
      const ends: ClientEnd<KvApi>[] = Array.from({ length: NODES }, (_, j) => {
        const end = net.makeEnd<KvApi>(`client-${c}->${j}`);
        net.connect(end, j);
        net.enable(end, true);
        return end;
      });
      return new Promise<void>((resolve) => {
        sim.go(async () => {
          const clerk = new Clerk(ends);
          const stream = sim.stream(`bench/client-${c}`);
          for (let n = 0; now() < durationMs && n < 1_000_000; n++) {
            const key = `k${stream.int(KEYS)}`;
            const call = now();
            if (stream.int(2) === 0) await clerk.get(key);
            else await clerk.append(key, `c${c}.${n};`);
            latencies.push(now() - call);
          }
          resolve();
        }, node);
      });
    });
    await Promise.all(clients);
  });
  const wallS = (performance.now() - started) / 1000;
  return { ops: latencies.length, opsPerVirtualSecond: latencies.length / (durationMs / 1000), p50: percentile(latencies, 50), p99: percentile(latencies, 99), wallS };
}
