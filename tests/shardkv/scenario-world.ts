// A shardkv scenario's world (tests/scenario/world.ts): the lab 4B tester (config.ts) as a
// ScenarioWorld — the shardmaster, groups 100, 101 and 102 of `servers` servers each (none joined
// until the timeline says so), the tester's clerk — its clients (the scenario's `shardkv` block,
// clients.ts) and the checks a shardkv scenario may ask for.
//
// Servers are named by group, never by one number, so the world's `n` is 0 and the timeline's own
// crash/restart/partition never reach it; its steps are serviceStep's:
//   join [gids], leave [gids]   one Join or Leave by the tester's master clerk (config.go's joinm)
//   move {shard, gid}           one Move
//   crash-group / restart-group every server of a group (config.go's ShutdownGroup / StartGroup)
//   crash-server / restart-server {gid, server}
//   partition-group {gid, sides} the group's Raft links between the two sides cut; links to the
//                               master, to other groups and from clerks stay (a server restarted
//                               while its group is split is put back on its side); heal undoes it.
//                               {gid, isolate: leader} (or a server) cuts that one server off from
//                               the rest of its group: `leader` is chosen when the step runs
//                               (the tester's leaderOf), and with no leader nothing is cut
//   start-clients               the first Puts, then the clients (they run until the timeline ends)
//   expect-group {gid, server, config, serving, receiving, sending}
//                               what the group's leader (or `server`) has applied now: its
//                               configuration's number, and exactly which shards are in each
//                               status; read through the server's optional stateForTester()
//                               (shardkv/server.ts), and a server without it is a sentence
// Links, cuts and message patterns name servers by group (tests/scenario/shardkv-endpoints.ts:
// 101, "101-2", master, "master-1"); linkNames gives the network's names for them, the
// tester's own: "server-101-2", "ctrler1".
// The order of what the world does is the hand-written 4B tests' — the tester, then its clerk, the
// timeline, then stop the clients, wait for them, check — so a 4B test made a scenario
// (shardkv-nemesis.ts) makes the same calls at the same virtual times as its Go original.
import { Channel, TIMEOUT, UsageError, go, log, now } from "../../sim/index.ts";
import { key2shard, NShards } from "../../shardkv/common.ts";
import type { Clerk } from "../../shardkv/client.ts";
import type { TestContext } from "../harness/define-test.ts";
import { fail, TestFailure } from "../harness/failure.ts";
import { checkLinearizable, newOpLog } from "../harness/kv-linearizability.ts";
import type { Endpoint, Scenario, Step } from "../scenario/format.ts";
import { membersOf } from "../scenario/shardkv-endpoints.ts";
import type { MakeWorld, ScenarioWorld } from "../scenario/world.ts";
import { checkAll, randomKeys, putKeysRecorded, startAppenders, startRandomClients, type Clients, type OpLog } from "./clients.ts";
import { makeConfig, type Config } from "./config.ts";

export const makeWorld: MakeWorld = (t, scenario) => new ShardkvWorld(t, scenario);

/** maxraftstate for `snapshots: true`. */
const DEFAULT_MAXRAFTSTATE = 1000;
/** How long shards-served waits for each shard's Get without a liveness-after-heal. */
const SHARDS_SERVED_MS = 10_000;
/** The tester's first gid (config.go: group gi has gid 100 + gi). */
const FIRST_GID = 100;

/**
 * The statuses expect-group asks about (the reference's, shardkv/shard.ts; a student's server may
 * name others, which then match none of these lists).
 */
type ShardStatus = "serving" | "receiving" | "sending" | (string & {});
/** What expect-group reads of a server, if it offers it (shardkv/server.ts: stateForTester). */
interface GroupStateReader {
  stateForTester(): { config: number; shards: readonly ShardStatus[] };
}
type ExpectGroup = Extract<Step, { action: "expect-group" }>["argument"];

class ShardkvWorld implements ScenarioWorld {
  readonly n = 0;
  readonly healsAtEnd = true;
  readonly cfg: Config;
  /** The tester's clerk: the first Puts and the checks at the end. */
  private readonly ck: Clerk;
  private readonly opLog: OpLog;
  /** The sides of each group split by partition-group, by group index. */
  private readonly split = new Map<number, [number[], number[]]>();
  private clients: Clients | undefined;
  private keys: string[] = [];
  private values: string[] = [];

  constructor(
    private readonly t: TestContext,
    private readonly scenario: Scenario,
  ) {
    const snapshots = scenario.snapshots;
    const maxraftstate = snapshots === true ? DEFAULT_MAXRAFTSTATE : snapshots === false ? -1 : snapshots;
    this.cfg = makeConfig(t, scenario.servers, !scenario.network.reliable, maxraftstate);
    this.opLog = newOpLog(t);
    this.ck = this.cfg.makeClient();
  }

  get net() {
    return this.cfg.net;
  }

  // A shardkv world has no servers by one number (load.ts refuses such steps).
  isLive(): boolean {
    return false;
  }
  isConnected(): boolean {
    return false;
  }
  crash(i: number): void {
    throw new TestFailure(`scenario bug: a shardkv world has no server ${i}; name a group's server (crash-server: {gid, server})`);
  }
  restart(i: number): void {
    this.crash(i);
  }
  currentLeader(): number | undefined {
    return undefined;
  }

  /** The tester's names of the servers a scenario's end stands for. */
  linkNames(end: Endpoint): string[] {
    return membersOf(end, this.cfg.n).map((m) => ("master" in m ? this.cfg.ctrlerName(m.master) : this.cfg.serverName(m.gid, m.server)));
  }

  begin(title: string): void {
    this.t.print(title);
  }

  end(): void {
    this.t.print("  ... Passed");
  }

  async serviceStep(step: Step): Promise<void> {
    const cfg = this.cfg;
    switch (step.action) {
      case "join":
        log("scenario", `join ${step.argument.join(",")}`);
        await refusedAsFailure("join", () => cfg.joinm(step.argument.map(groupIndex)));
        return;
      case "leave":
        log("scenario", `leave ${step.argument.join(",")}`);
        await refusedAsFailure("leave", () => cfg.leavem(step.argument.map(groupIndex)));
        return;
      case "move":
        log("scenario", `move shard ${step.argument.shard} to ${step.argument.gid}`);
        await refusedAsFailure("move", () => cfg.mck.move(step.argument.shard, step.argument.gid));
        return;
      case "crash-group": {
        const gi = groupIndex(step.argument);
        const up = this.upIn(gi);
        log("scenario", `crash-group ${step.argument}`);
        if (up.length === cfg.n) cfg.shutdownGroup(gi);
        else for (const i of up) cfg.shutdownServer(gi, i);
        return;
      }
      case "restart-group": {
        const gi = groupIndex(step.argument);
        const down = cfg.all().filter((i) => !this.isUp(gi, i));
        log("scenario", `restart-group ${step.argument}`);
        if (down.length === cfg.n) cfg.startGroup(gi);
        else for (const i of down) cfg.startServer(gi, i);
        if (down.length > 0) this.keepSplit(gi);
        return;
      }
      case "crash-server": {
        const gi = groupIndex(step.argument.gid);
        log("scenario", `crash-server ${step.argument.gid}-${step.argument.server}`);
        if (this.isUp(gi, step.argument.server)) cfg.shutdownServer(gi, step.argument.server);
        return;
      }
      case "restart-server": {
        const gi = groupIndex(step.argument.gid);
        log("scenario", `restart-server ${step.argument.gid}-${step.argument.server}`);
        if (!this.isUp(gi, step.argument.server)) {
          cfg.startServer(gi, step.argument.server);
          this.keepSplit(gi);
        }
        return;
      }
      case "partition-group": {
        const gi = groupIndex(step.argument.gid);
        const sides = this.sidesOf(gi, step.argument);
        if (sides === undefined) {
          log("scenario", `partition-group ${step.argument.gid} isolate leader: the group has no leader, nothing cut`);
          return;
        }
        const [a, b] = sides;
        log("scenario", `partition-group ${step.argument.gid} [${a.join(",")}] [${b.join(",")}]`);
        this.split.set(gi, [a, b]);
        cfg.partitionGroup(gi, a, b);
        return;
      }
      case "start-clients":
        log("scenario", "start-clients");
        await this.startClients();
        return;
      case "expect-group":
        this.expectGroup(step.argument);
        return;
      default:
        throw new TestFailure(`scenario bug: ${step.action} is not a shardkv step`);
    }
  }

  /** heal: every group whole again (sorted by group, for a fixed order). */
  healService(): void {
    for (const gi of [...this.split.keys()].sort((a, b) => a - b)) this.cfg.partitionGroup(gi, this.cfg.all(), []);
    this.split.clear();
  }

  /** Restart every crashed server (a whole group at once when all of it is down). */
  restartService(): void {
    for (let gi = 0; gi < this.cfg.ngroups; gi++) {
      const down = this.cfg.all().filter((i) => !this.isUp(gi, i));
      if (down.length === this.cfg.n) this.cfg.startGroup(gi);
      else for (const i of down) this.cfg.startServer(gi, i);
    }
  }

  /**
   * The two sides of a partition-group step: its `sides`, or its `isolate` server alone against
   * the rest — `leader` being the first server of the group that thinks it leads now (the
   * tester's leaderOf); undefined when the group has none.
   */
  private sidesOf(gi: number, argument: { sides?: number[][]; isolate?: number | "leader" }): [number[], number[]] | undefined {
    if (argument.sides !== undefined) return argument.sides as [number[], number[]];
    const alone = argument.isolate === "leader" ? this.cfg.leaderOf(gi) : argument.isolate!;
    if (alone < 0) return undefined;
    return [this.cfg.all().filter((i) => i !== alone), [alone]];
  }

  /** expect-group: the group's state as its leader (or the server named) has applied it must be as the step says. */
  private expectGroup(wanted: ExpectGroup): void {
    const gi = groupIndex(wanted.gid);
    const i = wanted.server ?? this.cfg.leaderOf(gi);
    if (i < 0) fail(`expect-group ${wanted.gid}: no server of the group thinks it leads now; name one to read (expect-group: {gid: ${wanted.gid}, server: 0, …})`);
    const kv = this.cfg.groups[gi]!.servers[i];
    const node = this.cfg.groups[gi]!.nodes[i];
    if (kv == null || node == null) fail(`expect-group: server ${wanted.gid}-${i} is crashed; restart it first, or read another`);
    const reader = (kv as Partial<GroupStateReader>).stateForTester;
    if (typeof reader !== "function") {
      fail(`expect-group reads a group's state through its servers' stateForTester() (shardkv/server.ts); server ${wanted.gid}-${i} has none, so this step cannot check it`);
    }
    const state = this.cfg.sim.runAs(node, () => reader.call(kv));
    const shardsIn = (status: ShardStatus): number[] => state.shards.flatMap((s, shard) => (s === status ? [shard] : []));
    const list = (shards: readonly number[]): string => (shards.length === 0 ? "none" : shards.join(","));
    const wrong: string[] = [];
    if (wanted.config !== undefined && state.config !== wanted.config) wrong.push(`config ${wanted.config}`);
    for (const status of ["serving", "receiving", "sending"] as const) {
      const expected = wanted[status];
      if (expected !== undefined && list([...expected].sort((a, b) => a - b)) !== list(shardsIn(status))) wrong.push(`${status} ${list([...expected].sort((a, b) => a - b))}`);
    }
    const who = wanted.server === undefined ? `its leader ${wanted.gid}-${i}` : `server ${wanted.gid}-${i}`;
    const actual = `group ${wanted.gid} (${who}) is at config ${state.config}, serving ${list(shardsIn("serving"))}, receiving ${list(shardsIn("receiving"))}, sending ${list(shardsIn("sending"))}`;
    if (wrong.length > 0) fail(`expect-group: ${actual}; the script expected ${wrong.join(", ")}`);
    log("scenario", `expect-group: ${actual}`);
  }

  private isUp(gi: number, i: number): boolean {
    return this.cfg.groups[gi]!.servers[i] != null;
  }

  private upIn(gi: number): number[] {
    return this.cfg.all().filter((i) => this.isUp(gi, i));
  }

  /** A server started while its group is split gets fresh enabled ends: put it back on its side. */
  private keepSplit(gi: number): void {
    const sides = this.split.get(gi);
    if (sides !== undefined) this.cfg.partitionGroup(gi, sides[0], sides[1]);
  }

  /** The first Puts (recorded as client 0's), then the clients (clients.ts). */
  private async startClients(): Promise<void> {
    const spec = this.scenario.shardkv!;
    const { ka, va } = randomKeys(this.cfg, spec.keys, spec["value-length"]);
    this.keys = ka;
    this.values = va;
    await putKeysRecorded(this.ck, ka, va, this.opLog);
    const count = spec.count ?? ka.length;
    this.clients =
      spec.clients === "appenders"
        ? startAppenders(this.cfg, ka, va, spec["value-length"], spec.think, this.opLog, count)
        : startRandomClients(this.cfg, ka, this.opLog, (i) => i + 1, count, spec.think);
  }

  /** Stops the clients, waits for them (the liveness check), then the checks. */
  async finish(): Promise<void> {
    const checks = this.scenario.checks;
    const limit = checks["liveness-after-heal"];
    if (this.clients !== undefined) {
      this.clients.stop();
      if (limit === undefined) await this.clients.allStopped();
      else await this.clients.allStoppedWithin(limit, "liveness-after-heal");
    }
    if (this.scenario.shardkv?.clients === "appenders") await checkAll(this.ck, this.keys, this.values);
    if (checks["shards-served"]) await this.checkShardsServed(limit ?? SHARDS_SERVED_MS);
    const maxBytes = checks["max-log-bytes"];
    if (maxBytes !== undefined) this.checkLogBytes(maxBytes);
    if (checks.linearizable) checkLinearizable(this.t, this.opLog.operations());
  }

  /** A Get of a key of every shard, all at once, each by its own clerk: every one must return within `ms`. */
  private async checkShardsServed(ms: number): Promise<void> {
    const keys = keyPerShard();
    const answers = new Channel<number>(0, "shards-served");
    for (let shard = 0; shard < NShards; shard++) {
      const ck = this.cfg.makeClient();
      go(async () => {
        await ck.get(keys[shard]!);
        await answers.send(shard);
      });
    }
    const served = new Set<number>();
    const started = now();
    while (served.size < NShards) {
      const got = await answers.recvWithin(Math.max(0, ms - (now() - started)));
      if (got === TIMEOUT) {
        const unserved = Array.from({ length: NShards }, (_, s) => s).filter((s) => !served.has(s));
        fail(`shards-served: ${unserved.length} shard${unserved.length === 1 ? " is" : "s are"} not served ${ms} ms after the clients stopped: shard${unserved.length === 1 ? "" : "s"} ${unserved.join(", ")}`);
      }
      if (typeof got === "number") served.add(got);
    }
  }

  private checkLogBytes(limit: number): void {
    for (const gg of this.cfg.groups) {
      for (let i = 0; i < this.cfg.n; i++) {
        const bytes = gg.saved[i]?.raftStateSize() ?? 0;
        if (bytes > limit) fail(`max-log-bytes: server ${i} of group ${gg.gid} has ${bytes} bytes of persisted Raft state; the scenario allows ${limit}`);
      }
    }
  }
}

/**
 * Runs a Join, Leave or Move; one the shardmaster refuses (a group that has not joined, or has
 * already) is the scenario's mistake, known only once the timeline reaches it: a sentence, not
 * a stack.
 */
async function refusedAsFailure(action: string, request: () => Promise<void>): Promise<void> {
  try {
    await request();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    fail(`${action}: ${error.message} A scenario joins a group before it moves shards to it or makes it leave, and joins it only once.`);
  }
}

function groupIndex(gid: number): number {
  return gid - FIRST_GID;
}

/** For each shard, the first key "0", "1", … that falls in it ("0"…"9" cover all ten). */
function keyPerShard(): string[] {
  const keys = new Array<string>(NShards);
  for (let k = 0; k < 100; k++) keys[key2shard(String(k))] ??= String(k);
  return keys;
}
