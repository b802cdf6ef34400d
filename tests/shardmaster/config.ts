// The shardmaster tester: a port of 6.824's shardctrler/config.go (Spring 2022), in virtual time.
//
// It is kvraft's tester without the statistics: n ShardMaster servers (each with its Raft) as
// labrpc services "ShardMaster" and "Raft", started and connected, then the network set reliable
// or not; no longDelays. Starting, shutting down (persister copied), connecting and partitioning
// servers, and making clerks, are the ReplicaSet's (tests/harness/replica-set.ts). Leader() skips
// shut-down servers. The tests print their own "Test: … ..." and "  ... Passed" lines; the 120 s
// (virtual) limit is checked at cleanup.
import type { ShardMasterApi } from "../../shardmaster/common.ts";
import { Clerk } from "../../shardmaster/client.ts";
import { startServer } from "../../shardmaster/server.ts";
import type { TestContext } from "../harness/define-test.ts";
import { ReplicaSet } from "../harness/replica-set.ts";
import type { ShardMasterLike } from "./substitute.ts";

/** The tester (Go's `config`; `Config` is a shardmaster configuration). */
export type Tester = ReplicaSet<ShardMasterLike, Clerk, ShardMasterApi>;

/**
 * make_config(t, n, unreliable): n ShardMaster servers, all started and connected. The tester is
 * cleaned up when the test ends (Go: `defer cfg.cleanup()`).
 */
export function makeConfig(t: TestContext, n: number, unreliable: boolean): Tester {
  const cfg: Tester = new ReplicaSet(t.sim, n, unreliable, {
    nodeName: "sm",
    service: "ShardMaster",
    startName: "StartServer",
    start: t.substitutes.startShardMaster ?? startServer,
    makeClerk: (ends) => new Clerk(ends),
  });
  t.defer((passed) => cfg.cleanup(passed));
  return cfg;
}
