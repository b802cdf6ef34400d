// A kv scenario's world (tests/scenario/world.ts): the lab 3 tester (config.ts) as a
// ScenarioWorld, its clients (the scenario's workload), and the checks a kv scenario may ask for.
//
// The clients are GenericTest's, made data: each client runs until the timeline ends (or until it
// has done `ops-per-client`), drawing each operation from the mix and each key from `keys`; with
// no `keys`, client c uses key "c" alone (and does no puts but the first), Puts "" first, and every Get is compared with the value
// its own appends predict (GenericTest without random keys), and at the end all its appends must
// be there, once each, in order. With an explicit `ops` list, each client does its own operations
// of the list in order instead, every one of them (the timeline's end does not stop it), and a Get
// with `expect` must return that value. Every operation goes into the history through the counting
// wrappers of tests/kvraft/generic-test.ts, as in the lab 3 tests.
//
// As in 6.824's kvraft tester, partitions and disconnects cut the servers' links to one another;
// clerks still reach every server.
import { go, now, sleep } from "../../sim/index.ts";
import type { Clerk } from "../../kvraft/client.ts";
import type { TestContext } from "../harness/define-test.ts";
import { fail } from "../harness/failure.ts";
import { checkLinearizable, newOpLog } from "../harness/kv-linearizability.ts";
import { describeDifference } from "../harness/value-diff.ts";
import type { Scenario, Workload } from "../scenario/format.ts";
import type { MakeWorld, ScenarioWorld } from "../scenario/world.ts";
import { makeConfig, type Config } from "./config.ts";
import { Append, checkClntAppends, Get, Put, genericTest, type OpLog } from "./generic-test.ts";
import { partitionSchedule } from "./kv-nemesis.ts";

export const makeWorld: MakeWorld = (t, scenario) => new KvWorld(t, scenario);

/** A scenario with `generic-test`: GenericTest itself, its partitioner following the timeline (kv-nemesis.ts). */
export async function runGenericTest(t: TestContext, scenario: Scenario): Promise<void> {
  const g = scenario["generic-test"]!;
  const snapshots = scenario.snapshots;
  const maxraftstate = snapshots === true ? DEFAULT_MAXRAFTSTATE : snapshots === false ? -1 : snapshots;
  const schedule = g.partitions ? partitionSchedule(scenario.timeline) : undefined;
  await genericTest(t, g.part, g.clients, scenario.servers, !scenario.network.reliable, g.crash, g.partitions, maxraftstate, g["random-keys"], schedule);
}

/** maxraftstate for `snapshots: true` (lab 3B's tests use 1000). */
const DEFAULT_MAXRAFTSTATE = 1000;
/** How often the end of the run looks whether every client has finished. */
const CLIENT_POLL_MS = 10;

interface ClientState {
  /** Appends done on the client's own key (the count checkClntAppends wants). */
  appends: number;
  finished: boolean;
  /** What the client is waiting for, for the liveness failure. */
  pending: string;
}

class KvWorld implements ScenarioWorld {
  readonly cfg: Config;
  readonly healsAtEnd = true;
  private readonly live: boolean[];
  private readonly opLog: OpLog;
  private readonly clients: ClientState[] = [];
  private stopClients = false;

  constructor(
    private readonly t: TestContext,
    private readonly scenario: Scenario,
  ) {
    const snapshots = scenario.snapshots;
    const maxraftstate = snapshots === true ? DEFAULT_MAXRAFTSTATE : snapshots === false ? -1 : snapshots;
    this.cfg = makeConfig(t, scenario.servers, !scenario.network.reliable, maxraftstate);
    this.live = new Array<boolean>(scenario.servers).fill(true);
    this.opLog = newOpLog(t);
  }

  get n(): number {
    return this.cfg.n;
  }

  get net() {
    return this.cfg.net;
  }

  isLive(i: number): boolean {
    return this.live[i] === true;
  }

  /** A kv world is disconnected by the timeline's cuts (timeline.ts); a live server's own ends stay enabled. */
  isConnected(i: number): boolean {
    return this.isLive(i);
  }

  crash(i: number): void {
    this.cfg.shutdownServer(i);
    this.live[i] = false;
  }

  restart(i: number): void {
    this.cfg.startServer(i);
    this.live[i] = true;
    this.cfg.connectAll();
  }

  currentLeader(): number | undefined {
    const [ok, leader] = this.cfg.leader();
    return ok ? leader : undefined;
  }

  begin(title: string): void {
    this.cfg.begin(title);
  }

  end(): void {
    this.cfg.end();
  }

  /** Starts the workload's clients; they run until finish(). */
  startWorkload(): void {
    const workload = this.scenario.workload;
    if (workload === undefined) return;
    for (let c = 0; c < workload.clients; c++) {
      const state: ClientState = { appends: 0, finished: false, pending: "starting" };
      this.clients.push(state);
      const ck = this.cfg.makeClient(this.cfg.all());
      go(async () => {
        await this.client(c, ck, workload, state);
        state.finished = true;
      });
    }
  }

  private async client(c: number, ck: Clerk, workload: Workload, state: ClientState): Promise<void> {
    if (workload.ops !== undefined) return this.explicitClient(c, ck, workload, state);
    const cfg = this.cfg;
    const ownKey = workload.keys === undefined;
    let expected = "";
    if (ownKey) {
      state.pending = `Put(${c}, "")`;
      await Put(cfg, ck, String(c), "", this.opLog, c);
    }
    const { get, put, append } = workload.mix;
    for (let op = 0; !this.stopClients && (workload["ops-per-client"] === undefined || op < workload["ops-per-client"]); op++) {
      const key = ownKey ? String(c) : String(cfg.rand.int(workload.keys!));
      // With its own key, the n-th append is "x c n y", as checkClntAppends expects.
      const value = `x ${c} ${ownKey ? state.appends : op} y`;
      const draw = cfg.rand.int(1_000_000) / 1_000_000 * (get + put + append);
      if (draw < append) {
        state.pending = `Append(${key}, "${value}")`;
        await Append(cfg, ck, key, value, this.opLog, c);
        if (ownKey) {
          expected += value;
          state.appends++;
        }
      } else if (draw < append + put) {
        state.pending = `Put(${key}, "${value}")`;
        await Put(cfg, ck, key, value, this.opLog, c); // never on a client's own key (load.ts)
      } else {
        state.pending = `Get(${key})`;
        const v = await Get(cfg, ck, key, this.opLog, c);
        if (ownKey && v !== expected) fail(`client ${c}: get wrong value, key ${key}:\n${describeDifference(expected, v)}`);
      }
      if (workload.think > 0) await sleep(workload.think);
    }
    state.pending = "";
  }

  /** Client c of an explicit list: its own operations, in order, every one of them; a Get with `expect` must return it. */
  private async explicitClient(c: number, ck: Clerk, workload: Workload, state: ClientState): Promise<void> {
    for (const op of workload.ops!.filter((o) => o.client === c)) {
      const value = op.value ?? "";
      if (op.op === "put") {
        state.pending = `Put(${op.key}, "${value}")`;
        await Put(this.cfg, ck, op.key, value, this.opLog, c);
      } else if (op.op === "append") {
        state.pending = `Append(${op.key}, "${value}")`;
        await Append(this.cfg, ck, op.key, value, this.opLog, c);
      } else {
        state.pending = `Get(${op.key})`;
        const v = await Get(this.cfg, ck, op.key, this.opLog, c);
        if (op.expect !== undefined && v !== op.expect) fail(`client ${c}: Get(${op.key}) returned a value the workload does not expect:\n${describeDifference(op.expect, v)}`);
      }
      if (workload.think > 0) await sleep(workload.think);
    }
    state.pending = "";
  }

  /** Stops the clients, waits for them (the liveness check), then the checks. */
  async finish(): Promise<void> {
    await this.stopAndWaitForClients(this.scenario.checks["liveness-after-heal"]);
    await this.checkAtEnd();
  }

  /**
   * Stops the clients and waits until each has finished its operation in flight: within `limit`
   * ms (the liveness check), or at most the 120 s a test may take.
   */
  private async stopAndWaitForClients(limit: number | undefined): Promise<void> {
    this.stopClients = true;
    const started = now();
    while (this.clients.some((client) => !client.finished)) {
      if (limit !== undefined && now() - started > limit) {
        const stuck = this.clients.map((client, c) => ({ client, c })).filter(({ client }) => !client.finished);
        fail(
          `liveness-after-heal: ${stuck.length} client${stuck.length === 1 ? "" : "s"} still waiting ${limit} ms after the heal: ` +
            stuck.map(({ client, c }) => `client ${c} on ${client.pending}`).join(", "),
        );
      }
      await sleep(CLIENT_POLL_MS);
    }
  }

  /** The checks that run once every client has finished. */
  private async checkAtEnd(): Promise<void> {
    const checks = this.scenario.checks;
    const workload = this.scenario.workload;
    if (workload !== undefined && workload.keys === undefined && workload.ops === undefined) {
      const ck = this.cfg.makeClient(this.cfg.all());
      for (let c = 0; c < workload.clients; c++) {
        const v = await Get(this.cfg, ck, String(c), this.opLog, workload.clients);
        checkClntAppends(c, v, this.clients[c]!.appends);
      }
    }
    if (checks["one-leader"] && this.currentLeader() === undefined) fail("one-leader: no server leads at the end of the run");
    const limit = checks["max-log-bytes"];
    if (limit !== undefined && this.cfg.logSize() > limit) {
      fail(`max-log-bytes: a server's persisted Raft state is ${this.cfg.logSize()} bytes; the scenario allows ${limit}`);
    }
    if (checks.linearizable) checkLinearizable(this.t, this.opLog.operations());
  }
}
