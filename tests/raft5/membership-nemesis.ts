// The load and the faults of lab 5's randomized membership tests (5E's TestConfChangerNemesis5E,
// 5G's TestJointChangeNemesis5G). Each test brings its own changer, the part that differs; this
// file is what they run around it:
//
//   startCommandClients  three clients, each appending { client, seq } through whichever server
//                        leads, until `end`; returns the list of commands seen committed
//   startFaults          until `end`, every one to two election timeouts: either a random third of
//                        the running servers cut off from the rest for a while, or one crashed
//                        and restarted later
//   restartEveryone      after the load: heals, makes the network reliable, restarts every crashed
//                        server that was ever started
//   expectAcknowledgedInLog
//                        every acknowledged command is in the committed log, each client's in the
//                        order the client saw them acknowledged, and at least 20 of them
//
// Each starter is a goroutine (go) registered with the caller's WaitGroup, so the test awaits them
// all together. The clients, the changer and the faults draw from the cluster's one seeded stream,
// in the order the test starts them.
import { go, log, now, sleep } from "../../sim/index.ts";
import { fail } from "../harness/failure.ts";
import type { WaitGroup } from "../harness/waitgroup.ts";
import { ET } from "./cluster.ts";
import type { MembershipCluster } from "./membership-cluster.ts";

const CLIENTS = 3;
const MIN_ACKNOWLEDGED = 20;

export interface ClientCommand {
  client: number;
  seq: number;
}

/** Appends `cmd` through whichever server leads; true once it committed (a retried command may commit twice). */
async function submit(m: MembershipCluster, cmd: ClientCommand, end: number): Promise<boolean> {
  while (now() < end) {
    const leader = m.leader();
    if (leader !== undefined) {
      const { index, isLeader } = m.c.cfg.startOn(leader, cmd);
      if (isLeader) {
        const deadline = now() + ET;
        while (now() < deadline) {
          const [count, got] = m.c.cfg.nCommitted(index);
          if (count > 0) {
            if (JSON.stringify(got) === JSON.stringify(cmd)) return true;
            break;
          }
          await sleep(20);
        }
      }
    }
    await sleep(50);
  }
  return false;
}

/** Starts the clients; the returned list fills with each command once it is seen committed. */
export function startCommandClients(m: MembershipCluster, end: number, wg: WaitGroup): ClientCommand[] {
  const acknowledged: ClientCommand[] = [];
  for (let client = 0; client < CLIENTS; client++) {
    wg.add();
    go(async () => {
      for (let seq = 0; now() < end; seq++) {
        const cmd = { client, seq };
        if (await submit(m, cmd, end)) acknowledged.push(cmd);
      }
      wg.done();
    });
  }
  return acknowledged;
}

/** Starts the partitions and crashes among servers 0…ids-1 (those started so far). */
export function startFaults(m: MembershipCluster, ids: number, end: number, wg: WaitGroup): void {
  const rand = m.c.cfg.rand;
  wg.add();
  go(async () => {
    while (now() < end) {
      await sleep(ET + rand.int(ET));
      const running = Array.from({ length: ids }, (_, i) => i).filter((i) => m.hasStarted(i));
      if (rand.int(2) === 0) {
        // A partition: a random third of the running servers cut off from the rest, for a while.
        const side = running.filter(() => rand.int(3) === 0);
        for (const a of side) for (const b of running) if (!side.includes(b)) m.c.cut(a, b);
        log("tester", `partitions ${side.join(",")} from the rest`);
        await sleep(ET / 2 + rand.int(ET));
        m.c.healAll();
      } else {
        const victim = running[rand.int(running.length)]!;
        if (m.c.cfg.raft(victim) === null) continue;
        m.c.cfg.crash1(victim);
        await sleep(ET / 2 + rand.int(ET));
        m.c.cfg.start1(victim, "applier");
        m.c.cfg.connect(victim);
      }
    }
    wg.done();
  });
}

/** Heals the network, makes it reliable and restarts every crashed server of 0…ids-1 that was ever started. */
export function restartEveryone(m: MembershipCluster, ids: number): void {
  m.c.healAll();
  m.c.cfg.setUnreliable(false);
  for (let i = 0; i < ids; i++) {
    if (m.hasStarted(i) && m.c.cfg.raft(i) === null) {
      m.c.cfg.start1(i, "applier");
      m.c.cfg.connect(i);
    }
  }
}

/** Fails unless every acknowledged command is committed, each client's in its order, and enough of them were. */
export function expectAcknowledgedInLog(m: MembershipCluster, acknowledged: readonly ClientCommand[], runForMs: number): void {
  const firstAt = new Map<string, number>();
  for (let index = 1; ; index++) {
    const [count, command] = m.c.cfg.nCommitted(index);
    if (count === 0) break;
    const key = JSON.stringify(command);
    if (!firstAt.has(key)) firstAt.set(key, index);
  }
  const lastOf = new Map<number, number>();
  for (const cmd of acknowledged) {
    const at = firstAt.get(JSON.stringify(cmd));
    if (at === undefined) fail(`client ${cmd.client}'s command ${cmd.seq} was acknowledged but is not in the committed log`);
    if (at <= (lastOf.get(cmd.client) ?? 0)) fail(`client ${cmd.client}'s command ${cmd.seq} sits at ${at}, before an earlier command of the same client`);
    lastOf.set(cmd.client, at);
  }
  if (acknowledged.length < MIN_ACKNOWLEDGED) fail(`the clients should have committed at least ${MIN_ACKNOWLEDGED} commands in ${runForMs} ms; they committed ${acknowledged.length}`);
}
