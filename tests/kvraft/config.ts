// The KV tester: a port of 6.824's kvraft/config.go (Spring 2022), in virtual time.
//
// One Config drives n KV servers (each with its Raft) on one labrpc-style Network, plus any number
// of clerks. It starts, shuts down and restarts servers, partitions them, makes clerks connected
// to chosen servers, and reports sizes (LogSize, SnapshotSize) and the begin/end summary lines.
//
// The servers, their ends and the clerks are a ReplicaSet (tests/harness/replica-set.ts, where
// the mapping onto the simulation is explained). What is KV-only lives here: maxraftstate, the
// sizes of the persisted state, and the begin/end summary lines with their counters.
import { now, type Simulation } from "../../sim/index.ts";
import { Clerk } from "../../kvraft/client.ts";
import { startKVServer } from "../../kvraft/server.ts";
import type { KvApi } from "../../kvraft/common.ts";
import type { TestContext } from "../harness/define-test.ts";
import { ReplicaSet } from "../harness/replica-set.ts";
import type { KVServerLike, StartKVServer } from "./substitute.ts";

/**
 * make_config(t, n, unreliable, maxraftstate): n KV servers, all started and connected. The config
 * is cleaned up when the test ends (Go: `defer cfg.cleanup()`).
 */
export function makeConfig(t: TestContext, n: number, unreliable: boolean, maxraftstate: number): Config {
  const cfg = new Config(t.sim, n, unreliable, maxraftstate, t.print, t.substitutes.startKVServer ?? startKVServer);
  t.defer((passed) => cfg.cleanup(passed));
  return cfg;
}

export class Config extends ReplicaSet<KVServerLike, Clerk, KvApi> {
  // begin()/end() statistics
  private t0 = 0;
  private rpcs0 = 0;
  private ops = 0;

  constructor(
    sim: Simulation,
    n: number,
    unreliable: boolean,
    readonly maxraftstate: number,
    private readonly print: (line: string) => void,
    startKV: StartKVServer = startKVServer,
  ) {
    super(sim, n, unreliable, {
      nodeName: "kv",
      service: "KVServer",
      startName: "StartKVServer",
      start: (peers, me, persister) => startKV(peers, me, persister, maxraftstate),
      makeClerk: (ends) => new Clerk(ends),
    });
  }

  // --- sizes and counters ----------------------------------------------------------------------

  /** The largest persisted Raft state, in bytes, over all servers. */
  logSize(): number {
    let logsize = 0;
    for (let i = 0; i < this.n; i++) {
      const n = this.saved[i]?.raftStateSize() ?? 0;
      if (n > logsize) logsize = n;
    }
    return logsize;
  }

  /** The largest snapshot, in bytes, over all servers. */
  snapshotSize(): number {
    let snapshotsize = 0;
    for (let i = 0; i < this.n; i++) {
      const n = this.saved[i]?.snapshotSize() ?? 0;
      if (n > snapshotsize) snapshotsize = n;
    }
    return snapshotsize;
  }

  rpcTotal(): number {
    return this.net.totalCount;
  }

  /** Counts one clerk operation done through the test wrappers. */
  op(): void {
    this.ops++;
  }

  // --- begin, end ------------------------------------------------------------------------------

  /** Starts a test: prints its description and records the statistics' baselines. */
  begin(description: string): void {
    this.print(`${description} ...`);
    this.t0 = now();
    this.rpcs0 = this.rpcTotal();
    this.ops = 0;
  }

  /** Ends a test (reaching it means no failure): prints the Passed line with its statistics. */
  end(): void {
    this.checkTimeout();
    const t = (now() - this.t0) / 1000; // virtual seconds
    const npeers = this.n; // number of Raft peers
    const nrpc = this.rpcTotal() - this.rpcs0; // number of RPC sends
    const ops = this.ops; // number of clerk get/put/append calls
    this.print(
      `  ... Passed --  ${t.toFixed(1).padStart(4)}  ${npeers} ${String(nrpc).padStart(5)} ${String(ops).padStart(4)}`,
    );
  }
}
