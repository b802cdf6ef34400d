// The fault schedules of 6.824's two Figure 8 tests (TestFigure82C, TestFigure8Unreliable2C), drawn
// from the seed as a scenario value before the run, then run by the scenario runner
// (tests/scenario/). So a failing seed can be written out as an equivalent scenario file, edited,
// and shrunk (simlab shrink).
//
// The schedule keeps Go's shape and numbers, iteration by iteration:
//   start a command on every live server (the one that accepts it as a connected leader is
//   `leader`); sleep 0–499 ms with probability 1/10, else 0–12 ms; crash the leader (unreliable:
//   disconnect it, with probability 1/2); if fewer than 3 servers are up, restart (unreliable:
//   reconnect) a random one. Unreliable turns long reordering on at iteration 200. Then
//   everything comes back and all 5 servers must agree on one more command.
// What changed from Go's loop: the random draws of the schedule come from their own stream
// ("nemesis/figure8"), drawn for every iteration whether or not Go would have drawn them (the
// restart candidate, the disconnect coin), and the commands from the tester's stream as before;
// so a seed's journal differs from the hand-written loop's, while the faults have the same
// distribution. The commands are random 31-bit numbers in both tests (Go's unreliable test
// takes them % 10000).
import { RandomStream } from "../../sim/index.ts";
import type { Scenario, Step } from "../scenario/format.ts";
import { RaftElectionTimeout } from "./config.ts";

const SERVERS = 5;
const ITERATIONS = 1000;
/** Go: if nup < 3 … */
const FEWEST_UP = 3;

export function figure8Scenario(seed: number, unreliable: boolean): Scenario {
  const rand = new RandomStream(seed, "nemesis/figure8");
  const timeline: Step[] = [{ action: "one", argument: 1 }];
  for (let iters = 0; iters < ITERATIONS; iters++) {
    if (unreliable && iters === 200) timeline.push({ action: "long-reordering", argument: true });
    timeline.push({ action: "start-all", argument: true });
    const ms = rand.int(1000) < 100 ? rand.int(RaftElectionTimeout / 2) : rand.int(13);
    timeline.push({ action: "sleep", argument: ms });
    if (!unreliable) {
      timeline.push({ action: "crash", argument: "leader" });
    } else if (rand.int(1000) < RaftElectionTimeout / 2) {
      timeline.push({ action: "disconnect", argument: "leader" });
    }
    const server = rand.int(SERVERS);
    timeline.push({ action: unreliable ? "connect-if-few-up" : "restart-if-few-up", argument: { server, below: FEWEST_UP } });
  }
  timeline.push(unreliable ? { action: "connect", argument: "all" } : { action: "restart", argument: "crashed" });
  timeline.push({ action: "one", argument: SERVERS });
  return {
    name: `${unreliable ? "TestFigure8Unreliable2C" : "TestFigure82C"}-seed${seed}`,
    description: `the fault schedule of ${unreliable ? "TestFigure8Unreliable2C" : "TestFigure82C"} at seed ${seed}`,
    service: "raft",
    servers: SERVERS,
    snapshots: false,
    network: { reliable: !unreliable, "long-reordering": false, duplication: 0, links: [], cuts: [] },
    timeline,
    checks: { "one-leader": false, agreement: false, linearizable: false },
  };
}
