// What the timeline (timeline.ts) needs of the system under test: the servers, by number, that it
// crashes, restarts, connects and disconnects, and the network whose links it cuts. raft-world.ts
// and kv-world.ts implement it on the 6.824 testers (tests/raft/config.ts, tests/kvraft/config.ts),
// so a scenario drives exactly what the hand-written tests drive.
import type { Network } from "../../sim/index.ts";

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
  disconnect(i: number): void;
  connect(i: number): void;
  /** The connected live server that thinks it leads in the highest term, if any. */
  currentLeader(): number | undefined;
  /** raft: hands a fresh command to every live server; returns a connected one that accepted it as leader. */
  startAll?(): number | undefined;
  /** raft: agreement on a fresh command by at least `servers` servers (cfg.one, retrying). */
  one?(servers: number): Promise<void>;
}
