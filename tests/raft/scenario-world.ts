// A raft scenario's world (tests/scenario/world.ts): the lab 2 tester (config.ts) as a
// ScenarioWorld, and the checks a raft scenario may ask for when its timeline ends. Every
// Figure-2 monitor and the tester's own applied-log comparison run throughout, as in every lab 2
// test.
import { now } from "../../sim/index.ts";
import type { TestContext } from "../harness/define-test.ts";
import { fail } from "../harness/failure.ts";
import type { Scenario } from "../scenario/format.ts";
import { VotesOnTheWire } from "../scenario/votes-on-the-wire.ts";
import type { MakeWorld, ObservedServer, ScenarioWorld } from "../scenario/world.ts";
import { makeConfig, type Config } from "./config.ts";

export const makeWorld: MakeWorld = (t, scenario) => new RaftWorld(t, scenario);

class RaftWorld implements ScenarioWorld {
  readonly cfg: Config;
  readonly healsAtEnd = false;
  private readonly votes: VotesOnTheWire;

  constructor(t: TestContext, private readonly scenario: Scenario) {
    this.cfg = makeConfig(t, scenario.servers, !scenario.network.reliable, scenario.snapshots === true);
    this.votes = this.cfg.monitors.wire.add(new VotesOnTheWire(scenario.servers));
  }

  get n(): number {
    return this.cfg.n;
  }

  get net() {
    return this.cfg.net;
  }

  private get applier(): "applier" | "applierSnap" {
    return this.scenario.snapshots === true ? "applierSnap" : "applier";
  }

  isLive(i: number): boolean {
    return this.cfg.raft(i) !== null;
  }

  isConnected(i: number): boolean {
    return this.cfg.connected[i] === true;
  }

  crash(i: number): void {
    this.cfg.crash1(i);
  }

  restart(i: number): void {
    this.cfg.start1(i, this.applier);
    this.cfg.connect(i);
  }

  disconnect(i: number): void {
    this.cfg.disconnect(i);
  }

  connect(i: number): void {
    this.cfg.connect(i);
  }

  currentLeader(): number | undefined {
    let best: { term: number; server: number } | undefined;
    for (let i = 0; i < this.n; i++) {
      if (!this.isLive(i) || !this.isConnected(i)) continue;
      const { term, isLeader } = this.cfg.getState(i);
      if (isLeader && (best === undefined || term > best.term)) best = { term, server: i };
    }
    return best?.server;
  }

  observe(i: number): ObservedServer {
    const { term, isLeader } = this.cfg.getState(i);
    const role = isLeader ? "leader" : this.votes.campaignsIn(i, term) ? "candidate" : "follower";
    return { role, term, applied: this.cfg.appliedIndex(i), votedFor: this.votes.votedForIn(i, term) };
  }

  startAll(): number | undefined {
    let leader: number | undefined;
    for (let i = 0; i < this.n; i++) {
      if (!this.isLive(i)) continue;
      const { isLeader } = this.cfg.startOn(i, this.cfg.randInt());
      if (isLeader && this.isConnected(i)) leader = i;
    }
    return leader;
  }

  async one(servers: number): Promise<void> {
    await this.cfg.one(this.cfg.randInt(), servers, true);
  }

  begin(title: string): void {
    this.cfg.begin(title);
  }

  end(): void {
    this.cfg.end();
  }

  /** The checks that run once the timeline (and, with liveness, the healing) is over. */
  async finish(healedAt: number | undefined): Promise<void> {
    const checks = this.scenario.checks;
    const connected = Array.from({ length: this.n }, (_, i) => i).filter((i) => this.isLive(i) && this.isConnected(i));
    if (checks["one-leader"]) await this.cfg.checkOneLeader();
    if (checks.agreement || healedAt !== undefined) await this.one(connected.length);
    if (healedAt !== undefined && checks["liveness-after-heal"] !== undefined) {
      const took = now() - healedAt;
      if (took > checks["liveness-after-heal"]) {
        fail(`liveness-after-heal: agreement of all ${connected.length} servers took ${took} ms after the heal; the scenario allows ${checks["liveness-after-heal"]} ms`);
      }
    }
    const limit = checks["max-log-bytes"];
    if (limit !== undefined && this.cfg.logSize() > limit) {
      fail(`max-log-bytes: a server's persisted Raft state is ${this.cfg.logSize()} bytes; the scenario allows ${limit}`);
    }
  }
}
