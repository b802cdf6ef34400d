// What a scenario runs on: the system under test as the timeline (timeline.ts) and the runner
// (run-scenario.ts) see it — the servers, by number, that the timeline crashes, restarts, connects
// and disconnects, the network whose links it cuts, and the test's beginning, workload and end.
//
// Each lab's grader folder implements it on its own 6.824 tester, in scenario-world.ts:
// tests/raft/scenario-world.ts (service raft), tests/kvraft/scenario-world.ts (service kv) and
// tests/shardkv/scenario-world.ts (service shardkv, whose servers are named by group and have no
// flat numbers: its `n` is 0, its own actions go to serviceStep, and linkNames turns the names
// of links and message patterns into the network's). So
// a scenario drives exactly what the hand-written tests drive, and a student repository without
// lab 3 has no kv world (run-scenario.ts loads a world by its service, and says when it is missing).
import type { Network } from "../../sim/index.ts";
import type { TestContext } from "../harness/define-test.ts";
import type { Endpoint, Scenario, Step } from "./format.ts";

/** What an `expect` step sees of a server: getState(), its applyCh, and its votes on the wire. */
export interface ObservedServer {
  readonly role: "leader" | "candidate" | "follower";
  readonly term: number;
  /** The highest index its applyCh delivered. */
  readonly applied: number;
  /** Whom it voted for in its current term, if anyone. */
  readonly votedFor: number | undefined;
}

/** The network's names of the servers an end stands for: a raft or kv server's number, or a shardkv name's (world.linkNames). */
export function namesOf(world: ScenarioWorld, end: Endpoint): readonly string[] {
  return world.linkNames?.(end) ?? [String(end)];
}

/** What a lab's scenario-world.ts exports. */
export type MakeWorld = (t: TestContext, scenario: Scenario) => ScenarioWorld;

export interface ScenarioWorld {
  readonly n: number;
  readonly net: Network;
  /** Whether server i is running (not crashed). */
  isLive(i: number): boolean;
  /** Whether server i is connected (6.824's cfg.connected[i]). */
  isConnected(i: number): boolean;
  crash(i: number): void;
  /** Restarts crashed server i from its persister and connects it. */
  restart(i: number): void;
  /**
   * Cut server i off from everyone (6.824's disconnect), and connect it again. A world without
   * them (kv: its tester has no per-server disconnect) is disconnected by the timeline's cuts.
   */
  disconnect?(i: number): void;
  connect?(i: number): void;
  /** The connected live server that thinks it leads in the highest term, if any. */
  currentLeader(): number | undefined;
  /** raft: hands a fresh command to every live server; returns a connected one that accepted it as leader. */
  startAll?(): number | undefined;
  /** raft: agreement on a fresh command by at least `servers` servers (cfg.one, retrying). */
  one?(servers: number): Promise<void>;

  /** raft: what the tester observes of live server i, for message scripts (messages.ts). */
  observe?(i: number): ObservedServer;

  /**
   * shardkv: the network's names of the servers an end of a link or pattern stands for
   * (shardkv-endpoints.ts: a group, one of its servers, the shardmaster). Without it an end is
   * a server's number, and its name that number.
   */
  linkNames?(end: Endpoint): readonly string[];

  /** shardkv: runs one of the service's own steps (join, leave, move, crash-group, start-clients, …). */
  serviceStep?(step: Step): Promise<void>;
  /** On `heal`: heal what the world keeps apart itself (shardkv: partitions inside a group). */
  healService?(): void;
  /** Before the end's checks: restart every crashed server the flat numbers do not cover (shardkv's). */
  restartService?(): void;

  /** Prints the test's first line and records the statistics' baselines (cfg.begin). */
  begin(title: string): void;
  /** kv: starts the clients, which run until finish(). */
  startWorkload?(): void;
  /** Whether everything is healed and restarted when the timeline ends, checks or not (kv: its clients must finish). */
  readonly healsAtEnd: boolean;
  /** After the timeline (and the healing, at `healedAt`, if there was one): the scenario's checks. */
  finish(healedAt: number | undefined): Promise<void>;
  /** Prints the Passed line with its statistics (cfg.end). */
  end(): void;
}
