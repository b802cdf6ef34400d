// Runs a scenario's timeline: each step, in order, on a ScenarioWorld, each written to the journal
// under the "scenario" topic (so `simlab replay --topics scenario` shows the timeline).
//
// Links. Partitions and one-way cuts are both made of the network's one-way cuts
// (Network.setOneWayCut, between server names): a partition cuts every link between two groups,
// both ways. A shardkv cut names servers by group (shardkv-endpoints.ts; world.linkNames gives
// their network names), and cuts every link from a server of one end to a server of the other.
// The timeline keeps each reason for a cut apart — the partition, the explicit cuts, and (in a
// kv world, whose tester has no per-server disconnect) disconnected servers — and
// after every step sets the network's cuts to their union, so healing one reason never heals
// another. Links are visited in sorted order: nothing here depends on the order of a Set.
//
// `leader` in a step is the server that accepted the command of the most recent `start-all` as
// leader (Figure 8's `leader`, -1 there when nobody did); before any start-all it is the
// connected server that thinks it leads in the highest term. A step on `leader` when there is
// none does nothing, and says so in the journal.
//
// Repeating until a deadline, as data (TestConcurrent3's `for time.Since(t0) < 12s { … }`): `mark`
// remembers the virtual time (the timeline starts with one), and `skip-after: D` skips every step up
// to the next `skip-end` (or to the end) once D has passed since the last mark. A loop drawn before
// the run is written out as enough iterations, each led by a skip-after; the ones the deadline
// cuts off are skipped as Go's loop would not have run them. Any order of the three is valid.
//
// A service's own actions (shardkv's join, leave, move, crash-group, …) go to the world's
// serviceStep; `heal` heals what the world keeps itself too (shardkv: partitions inside a group).
import { log, now, sleep } from "../../sim/index.ts";
import type { Endpoint, Step } from "./format.ts";
import { MessageScript } from "./messages.ts";
import { namesOf, type ScenarioWorld } from "./world.ts";

export class Timeline {
  private partition: number[][] | undefined;
  private readonly explicitCuts = new Set<string>();
  /** Servers cut off by `disconnect` in a world without its own disconnect (see the top). */
  private readonly cutOff = new Set<number>();
  private applied = new Set<string>();
  /** The leader seen by the last start-all: undefined before any, null when nobody accepted. */
  private startAllLeader: number | null | undefined;

  /** Whether disconnect/connect are made of cuts (a world without its own: kv) or the world's own (raft). */
  private readonly disconnectByCuts: boolean;
  /** The message-level steps (hold, deliver, drop, unhold, elect, expect). */
  private readonly messages: MessageScript;

  constructor(private readonly world: ScenarioWorld) {
    this.disconnectByCuts = world.disconnect === undefined || world.connect === undefined;
    this.messages = new MessageScript(world);
  }

  /** The virtual time of the last `mark` (the timeline's start until there is one). */
  private markedAt: number | undefined;

  /** Runs the steps; at the end, message holding stops (and a request still held fails the run). */
  async run(steps: readonly Step[]): Promise<void> {
    this.markedAt = now();
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      if (step.action === "skip-after" && now() - this.markedAt >= step.argument) {
        const end = steps.findIndex((later, j) => j > i && later.action === "skip-end");
        log("scenario", `skip-after ${step.argument}: ${now() - this.markedAt} ms since the mark, skipping ${end < 0 ? "to the end" : `to step ${end}`}`);
        if (end < 0) break;
        i = end;
        continue;
      }
      await this.step(step);
    }
    this.messages.finish();
  }

  async step(step: Step): Promise<void> {
    const world = this.world;
    switch (step.action) {
      case "sleep":
        await sleep(step.argument);
        return;
      case "crash": {
        const i = this.target(step.argument, "crash");
        if (i !== undefined && world.isLive(i)) {
          log("scenario", `crash ${i}`);
          world.crash(i);
        }
        return;
      }
      case "restart":
        for (const i of step.argument === "crashed" ? this.servers().filter((s) => !world.isLive(s)) : [step.argument]) {
          if (world.isLive(i)) continue;
          log("scenario", `restart ${i}`);
          world.restart(i);
        }
        return;
      case "disconnect": {
        const i = this.target(step.argument, "disconnect");
        if (i === undefined) return;
        log("scenario", `disconnect ${i}`);
        if (this.disconnectByCuts) this.cutOff.add(i);
        else world.disconnect!(i);
        break;
      }
      case "connect":
        log("scenario", `connect ${step.argument}`);
        for (const i of step.argument === "all" ? this.servers() : [step.argument]) {
          if (this.disconnectByCuts) this.cutOff.delete(i);
          else if (!world.isConnected(i) && world.isLive(i)) world.connect!(i);
        }
        break;
      case "partition":
        log("scenario", `partition ${step.argument.map((group) => `[${group.join(",")}]`).join(" ")}`);
        this.partition = step.argument;
        break;
      case "heal":
        log("scenario", "heal");
        this.partition = undefined;
        this.explicitCuts.clear();
        this.cutOff.clear();
        if (!this.disconnectByCuts) for (const i of this.servers()) if (world.isLive(i) && !world.isConnected(i)) world.connect!(i);
        world.healService?.();
        break;
      case "mark":
        this.markedAt = now();
        return;
      case "skip-after": // (run() does the skipping)
      case "skip-end":
        return;
      case "join":
      case "leave":
      case "move":
      case "crash-group":
      case "restart-group":
      case "crash-server":
      case "restart-server":
      case "partition-group":
      case "start-clients":
      case "expect-group":
        await world.serviceStep!(step);
        return;
      case "reliable":
        log("scenario", `reliable ${step.argument}`);
        world.net.setReliable(step.argument);
        return;
      case "long-reordering":
        log("scenario", `long-reordering ${step.argument}`);
        world.net.setLongReordering(step.argument);
        return;
      case "cut": {
        const { from, to, cut } = step.argument;
        log("scenario", `${cut ? "cut" : "restore"} ${endLabel(from)}->${endLabel(to)}`);
        for (const a of namesOf(world, from)) {
          for (const b of namesOf(world, to)) {
            if (a === b) continue;
            if (cut) this.explicitCuts.add(link(a, b));
            else this.explicitCuts.delete(link(a, b));
          }
        }
        break;
      }
      case "one":
        await world.one!(step.argument);
        return;
      case "start-all": {
        const leader = world.startAll!();
        this.startAllLeader = leader ?? null;
        return;
      }
      case "restart-if-few-up": {
        const live = this.servers().filter((s) => world.isLive(s)).length;
        if (live < step.argument.below && !world.isLive(step.argument.server)) {
          log("scenario", `restart ${step.argument.server} (${live} live < ${step.argument.below})`);
          world.restart(step.argument.server);
        }
        return;
      }
      case "hold":
      case "deliver":
      case "drop":
      case "unhold":
      case "elect":
      case "expect":
        await this.messages.step(step);
        return;
      case "connect-if-few-up": {
        const connected = this.servers().filter((s) => world.isConnected(s)).length;
        if (connected < step.argument.below && !world.isConnected(step.argument.server)) {
          log("scenario", `connect ${step.argument.server} (${connected} connected < ${step.argument.below})`);
          world.connect!(step.argument.server);
        }
        return;
      }
    }
    this.applyCuts();
  }

  /** Heals everything and restarts every crashed server (before the liveness check). */
  async healAndRestart(): Promise<void> {
    for (const i of this.servers()) if (!this.world.isLive(i)) this.world.restart(i);
    this.world.restartService?.();
    await this.step({ action: "heal", argument: true });
  }

  private servers(): number[] {
    return Array.from({ length: this.world.n }, (_, i) => i);
  }

  private target(argument: number | "leader", action: string): number | undefined {
    if (argument !== "leader") return argument;
    const leader = this.startAllLeader === undefined ? this.world.currentLeader() : (this.startAllLeader ?? undefined);
    if (leader === undefined && this.startAllLeader === undefined) log("scenario", `${action} leader: there is no leader`);
    return leader;
  }

  /** Sets the network's cuts to the union of every reason for one (see the top of the file). */
  private applyCuts(): void {
    const wanted = new Set<string>(this.explicitCuts);
    const groupOf = new Map<number, number>();
    this.partition?.forEach((group, g) => group.forEach((s) => groupOf.set(s, g)));
    for (const a of this.servers()) {
      for (const b of this.servers()) {
        if (a === b) continue;
        if (this.partition !== undefined && groupOf.get(a) !== groupOf.get(b)) wanted.add(link(a, b));
        if (this.cutOff.has(a) || this.cutOff.has(b)) wanted.add(link(a, b));
      }
    }
    for (const key of [...this.applied].sort()) if (!wanted.has(key)) this.setCut(key, false);
    for (const key of [...wanted].sort()) if (!this.applied.has(key)) this.setCut(key, true);
    this.applied = wanted;
  }

  private setCut(key: string, cut: boolean): void {
    const [from, to] = key.split("->");
    this.world.net.setOneWayCut(from!, to!, cut);
  }
}

function link(from: number | string, to: number | string): string {
  return `${from}->${to}`;
}

/** An end as the journal writes it: a number or a name as given, {gid, server} as "101-2". */
function endLabel(end: Endpoint): string {
  return typeof end === "object" ? `${end.gid}-${end.server}` : String(end);
}
