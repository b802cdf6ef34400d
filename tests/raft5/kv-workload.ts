// The randomized workload of the KV tests of changing membership (5E-kv.ts, 5G-kv.ts), on the KV
// tester of changing membership (membership-kv.ts):
//   - clients: lab 3's clerks, each made with every server's end, doing Appends (40%), Puts (10%)
//     and Gets (50%) on three keys, every 0–30 ms, each recorded in the history the
//     linearizability checker judges; they stop once asked, after the operation they are in;
//   - a nemesis: every 1–2 ET, either a partition of a random third of the servers from the rest,
//     or the shutdown of one server, healed (restarted) after 0.5–1.5 ET.
// Every draw comes from the tester's seeded stream.
import { go, log, now, sleep } from "../../sim/index.ts";
import type { OpLog } from "../kvraft/generic-test.ts";
import { Append, Get, Put } from "../kvraft/generic-test.ts";
import { ET } from "./cluster.ts";
import { waitUntil } from "./membership-cluster.ts";
import type { MembershipKv } from "./membership-kv.ts";

export class KvClients {
  private stopping = false;
  private done = 0;
  /** completedSince[c]: the operations client c completed since `since`. */
  private readonly completedSince: number[];
  private since = Number.POSITIVE_INFINITY;

  constructor(
    private readonly m: MembershipKv,
    private readonly count: number,
    opLog: OpLog,
  ) {
    this.completedSince = new Array<number>(count).fill(0);
    const rand = m.cfg.rand;
    for (let cli = 0; cli < count; cli++) {
      go(async () => {
        const ck = m.cfg.makeClient(m.cfg.all());
        for (let k = 0; !this.stopping; k++) {
          const key = `k${rand.int(3)}`;
          const what = rand.int(10);
          if (what < 4) await Append(m.cfg, ck, key, `${cli}.${k};`, opLog, cli);
          else if (what < 5) await Put(m.cfg, ck, key, `${cli}.${k};`, opLog, cli);
          else await Get(m.cfg, ck, key, opLog, cli);
          if (now() >= this.since) this.completedSince[cli]!++;
          await sleep(rand.int(30));
        }
        this.done++;
      });
    }
  }

  /** From now on, count each client's completed operations (for completedSinceMark). */
  mark(): void {
    this.since = now();
  }

  /** The clients that completed no operation since mark(). */
  idleSinceMark(): number[] {
    return this.completedSince.flatMap((n, cli) => (n === 0 ? [cli] : []));
  }

  /** Asks every client to stop, and fails unless each finishes its operation within `withinMs`. */
  async stop(withinMs: number): Promise<void> {
    this.stopping = true;
    await waitUntil(() => this.done === this.count, withinMs, () => `every client should finish its operation within ${withinMs} ms once asked to stop. ${this.m.describeConfigs()}`);
  }
}

export class Nemesis {
  private stopping = false;
  private stopped = false;

  constructor(private readonly m: MembershipKv) {
    const rand = m.cfg.rand;
    go(async () => {
      while (!this.stopping) {
        await sleep(ET + rand.int(ET));
        if (this.stopping) break;
        if (rand.int(2) === 0) {
          const side = m.cfg.all().filter(() => rand.int(3) === 0);
          const rest = m.cfg.all().filter((i) => !side.includes(i));
          log("tester", `partitions ${side.join(",") || "nobody"} from ${rest.join(",")}`);
          m.cfg.partition(side, rest);
          await sleep(ET / 2 + rand.int(ET));
          m.cfg.connectAll();
        } else {
          const victim = rand.int(m.n);
          log("tester", `shuts down server ${victim}`);
          m.shutdown(victim);
          await sleep(ET / 2 + rand.int(ET));
          m.restart(victim);
        }
      }
      this.stopped = true;
    });
  }

  /** Stops the nemesis (it heals what it broke first), then connects and restarts every server. */
  async stop(): Promise<void> {
    this.stopping = true;
    await waitUntil(() => this.stopped, 3 * ET, () => "tester bug: the nemesis should stop within 3 ET");
    this.m.cfg.connectAll();
    for (let i = 0; i < this.m.n; i++) if (!this.m.running(i)) this.m.restart(i);
  }
}
