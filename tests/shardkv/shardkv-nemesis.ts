// The reconfiguration schedules of lab 4B's concurrent tests — TestConcurrent1, TestConcurrent2,
// TestConcurrent3, TestUnreliable2 and TestUnreliable3, and our own TestPartitionDuringMigration4B
// and TestConcurrentCrashLinearizable4B — as scenario values, run by the scenario
// runner on the shardkv world (scenario-world.ts). So any seed of them can be written out as an
// equivalent scenario file (`simlab shrink TEST --seed N` writes it), edited and shrunk.
//
// Four of the five schedules draw nothing: their scenario is the Go test's sequence of joins,
// leaves, shutdowns, restarts and sleeps, the same at every seed, and the run is the Go test's,
// call for call (what the seed draws — the values, the clients' keys, the network — is drawn as
// before, from the tester's stream). Each separate cfg.join(g) of Go is its own `join` step (one
// Join RPC each), not one joinm.
//
// TestConcurrent3 draws: its loop
//     for time.Since(t0) < 12*time.Second { join 2, 1; sleep rand(900); restart all three groups;
//                                           sleep rand(900); leave 1, 2; sleep rand(900) }
// runs as long as virtual time says, and each Join and Leave takes as long as the shardmaster
// does. Drawn before the run, the scenario holds enough iterations for any run: iterations are
// drawn until their sleeps alone add up to 12 s (no run can start one more, since each iteration
// lasts at least its sleeps), each led by `skip-after: 12s`, which skips the rest once 12 s have
// passed since the `mark` (timeline.ts). So the loop stops exactly where Go's would, and the
// scenario is a value of the seed alone. The sleeps come from their own stream
// ("nemesis/4b-concurrent3"), not the tester's: a seed's run differs from the hand-written loop's
// (the values the clients append differ too), with the same distribution.
//
// Our own two 4B tests draw too, each from its own stream:
//   TestPartitionDuringMigration4B  after each of three configuration changes, the sending group's
//     leader, then the receiving group's, is cut off alone in its group (`partition-group:
//     {gid, isolate: leader}`, the leader chosen when the step runs), each after a sleep of
//     rand(200) ms; 2 s later everything heals.
//   TestConcurrentCrashLinearizable4B  group 101 crashes rand(200) ms after 102 joins, while
//     shards move to 102.
import { RandomStream } from "../../sim/index.ts";
import type { Scenario, ShardkvClients, Step } from "../scenario/format.ts";

/** TestConcurrent3's loop: how long it runs, and the bound of each of its sleeps. */
const CONCURRENT3_MS = 12_000;
const CONCURRENT3_SLEEP_BOUND = 900;

const join = (...gids: number[]): Step => ({ action: "join", argument: gids });
const leave = (...gids: number[]): Step => ({ action: "leave", argument: gids });
const sleep = (ms: number): Step => ({ action: "sleep", argument: ms });
const crashGroup = (gid: number): Step => ({ action: "crash-group", argument: gid });
const restartGroup = (gid: number): Step => ({ action: "restart-group", argument: gid });
const startClients: Step = { action: "start-clients", argument: true };

/** What a 4B concurrent test runs on, besides its timeline. */
interface Shape {
  unreliable: boolean;
  maxraftstate: number;
  clients: ShardkvClients;
  linearizable?: boolean;
}

function scenarioOf(name: string, seed: number, shape: Shape, timeline: Step[], description: string): Scenario {
  return {
    name: `${name}-seed${seed}`,
    description,
    service: "shardkv",
    servers: 3,
    snapshots: shape.maxraftstate === -1 ? false : shape.maxraftstate,
    network: { reliable: !shape.unreliable, "long-reordering": false, duplication: 0, links: [], cuts: [] },
    timeline,
    shardkv: shape.clients,
    checks: { "one-leader": false, agreement: false, linearizable: shape.linearizable === true },
  };
}

const appenders = (valueLength: number, think: number): ShardkvClients => ({ clients: "appenders", keys: 10, "value-length": valueLength, think });

/** TestUnreliable2 and 3's schedule of joins and leaves while the clients run (joinsAndLeaves in Go). */
const joinsAndLeaves: Step[] = [sleep(150), join(101), sleep(500), join(102), sleep(500), leave(100), sleep(500), leave(101), sleep(500), join(101), join(100), sleep(2000)];

export function concurrent1(seed: number): Scenario {
  const timeline = [
    join(100),
    startClients,
    sleep(150),
    join(101),
    sleep(500),
    join(102),
    sleep(500),
    leave(100),
    crashGroup(100),
    sleep(100),
    crashGroup(101),
    sleep(100),
    crashGroup(102),
    leave(102),
    sleep(100),
    restartGroup(100),
    restartGroup(101),
    restartGroup(102),
    sleep(100),
    join(100),
    leave(101),
    sleep(500),
    join(101),
    sleep(1000),
  ];
  return scenarioOf("TestConcurrent1", seed, { unreliable: false, maxraftstate: 100, clients: appenders(5, 10) }, timeline, "TestConcurrent1's schedule (the same at every seed)");
}

export function concurrent2(seed: number): Scenario {
  const timeline = [
    join(101),
    join(100),
    join(102),
    startClients,
    leave(100),
    leave(102),
    sleep(3000),
    join(100),
    join(102),
    leave(101),
    sleep(3000),
    join(101),
    leave(100),
    leave(102),
    sleep(3000),
    crashGroup(101),
    crashGroup(102),
    sleep(1000),
    restartGroup(101),
    restartGroup(102),
    sleep(2000),
  ];
  return scenarioOf("TestConcurrent2", seed, { unreliable: false, maxraftstate: -1, clients: appenders(1, 50) }, timeline, "TestConcurrent2's schedule (the same at every seed)");
}

export function concurrent3(seed: number): Scenario {
  const rand = new RandomStream(seed, "nemesis/4b-concurrent3");
  const timeline: Step[] = [join(100), startClients, { action: "mark", argument: true }];
  for (let slept = 0; slept < CONCURRENT3_MS; ) {
    const [a, b, c] = [rand.int(CONCURRENT3_SLEEP_BOUND), rand.int(CONCURRENT3_SLEEP_BOUND), rand.int(CONCURRENT3_SLEEP_BOUND)];
    timeline.push(
      { action: "skip-after", argument: CONCURRENT3_MS },
      join(102),
      join(101),
      sleep(a),
      crashGroup(100),
      crashGroup(101),
      crashGroup(102),
      restartGroup(100),
      restartGroup(101),
      restartGroup(102),
      sleep(b),
      leave(101),
      leave(102),
      sleep(c),
    );
    slept += a + b + c;
  }
  timeline.push({ action: "skip-end", argument: true }, sleep(2000));
  return scenarioOf(
    "TestConcurrent3",
    seed,
    { unreliable: false, maxraftstate: 300, clients: appenders(1, 0) },
    timeline,
    `TestConcurrent3's loop at seed ${seed}: iterations until 12 s have passed`,
  );
}

export function unreliable2(seed: number): Scenario {
  const timeline = [join(100), startClients, ...joinsAndLeaves, { action: "reliable", argument: true } as Step];
  return scenarioOf("TestUnreliable2", seed, { unreliable: true, maxraftstate: 100, clients: appenders(5, 0) }, timeline, "TestUnreliable2's schedule (the same at every seed)");
}

export function unreliable3(seed: number): Scenario {
  const timeline = [join(100), startClients, ...joinsAndLeaves, { action: "reliable", argument: true } as Step];
  const clients: ShardkvClients = { clients: "random", keys: 10, "value-length": 5, think: 0 };
  return scenarioOf("TestUnreliable3", seed, { unreliable: true, maxraftstate: 100, clients, linearizable: true }, timeline, "TestUnreliable3's schedule (the same at every seed)");
}

/** How long our own 4B tests wait, at most, before cutting a leader off or crashing a group. */
const OWN_TESTS_SLEEP_BOUND = 200;
/** maxraftstate of our own 4B tests, and the persisted Raft state config.go's checklogs allows with it. */
const OWN_TESTS_MAXRAFTSTATE = 1000;
const CHECKLOGS_FACTOR = 8;

const isolateLeader = (gid: number): Step => ({ action: "partition-group", argument: { gid, isolate: "leader" } });

export function partitionDuringMigration(seed: number): Scenario {
  const rand = new RandomStream(seed, "nemesis/4b-partition-during-migration");
  /** A change has just given shards from `sender` to `receiver`: cut each one's leader off in the middle of it. */
  const cutOffLeadersDuringMigration = (sender: number, receiver: number): Step[] => [
    sleep(rand.int(OWN_TESTS_SLEEP_BOUND)),
    isolateLeader(sender),
    sleep(rand.int(OWN_TESTS_SLEEP_BOUND)),
    isolateLeader(receiver),
    sleep(2000),
    { action: "heal", argument: true },
    sleep(500),
  ];
  const timeline = [
    join(100),
    startClients,
    join(101), // 100 sends half of its shards to 101
    ...cutOffLeadersDuringMigration(100, 101),
    join(102), // 100 and 101 send some to 102
    ...cutOffLeadersDuringMigration(101, 102),
    leave(100), // 100 sends the rest to 101 and 102
    ...cutOffLeadersDuringMigration(100, 102),
  ];
  const scenario = scenarioOf(
    "TestPartitionDuringMigration4B",
    seed,
    { unreliable: false, maxraftstate: OWN_TESTS_MAXRAFTSTATE, clients: appenders(5, 10) },
    timeline,
    `TestPartitionDuringMigration4B at seed ${seed}: each migration's sending and receiving leaders cut off in turn`,
  );
  return { ...scenario, checks: { ...scenario.checks, "max-log-bytes": CHECKLOGS_FACTOR * OWN_TESTS_MAXRAFTSTATE } };
}

export function concurrentCrashLinearizable(seed: number): Scenario {
  const rand = new RandomStream(seed, "nemesis/4b-concurrent-crash-linearizable");
  const timeline = [
    join(100),
    startClients,
    sleep(200),
    join(101),
    sleep(500),
    join(102),
    sleep(rand.int(OWN_TESTS_SLEEP_BOUND)),
    crashGroup(101), // while shards move to 102
    sleep(500),
    restartGroup(101),
    sleep(500),
    leave(100),
    sleep(500),
    join(100),
    leave(102),
    sleep(1000),
  ];
  const clients: ShardkvClients = { clients: "random", keys: 10, "value-length": 5, think: 0 };
  return scenarioOf(
    "TestConcurrentCrashLinearizable4B",
    seed,
    { unreliable: false, maxraftstate: OWN_TESTS_MAXRAFTSTATE, clients, linearizable: true },
    timeline,
    `TestConcurrentCrashLinearizable4B at seed ${seed}: group 101 crashes while shards move to 102`,
  );
}
