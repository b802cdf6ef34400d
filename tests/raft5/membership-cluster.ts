// The lab-5E tester: lab 5's tester (cluster.ts) for clusters whose membership changes. The
// cluster has `n` server ids, 0 … n-1: the first configuration's voters run from the start, every
// other id is a server not started yet. What it adds:
//   - startServer(i): starts server i for the first time, empty, with no configuration (the
//     `voters: []` option): a server that is not in the configuration, to be added. An id runs only
//     once: a server that was started cannot be started again as a new one, and an id that was
//     removed is never added again (TinyKV re-adds a store under a new peer id; Dragonboat forbids
//     reuse). A crashed server restarts with cfg.start1() as in lab 2, keeping what it persisted;
//   - propose(i, change): server i's proposeConfChange(), run as its node; change(change): the
//     tester's admin loop, which resends the change to whichever server leads until one accepts it
//     and the entry commits (the harness resends as TinyKV's does), and returns its index;
//   - with `snapshot`, servers snapshot every 10 entries (lab 2D's applier), and restart(servers)
//     crashes and restarts several at once (M8: configurations in snapshots);
//   - the lab-5E monitor (membership-monitor.ts) on every Raft message, in place of the two
//     Figure-2 monitors that count a majority of every server: one config entry uncommitted at
//     most, elections and commits by a majority of the configuration in use, a removed leader
//     steps down once its removal commits. One leader per term over every server ever started
//     stays Figure 2's.
import type { ConfChange, ConfChangeResult, ConfEntry } from "../../raft-extensions/membership.ts";
import type { ExtendedRaft } from "../../raft-extensions/extended-raft.ts";
import type { RaftOptions } from "../../raft-extensions/types.ts";
import { log, now, sleep } from "../../sim/index.ts";
import type { TestContext } from "../harness/define-test.ts";
import { fail } from "../harness/failure.ts";
import { Cluster, ET } from "./cluster.ts";
import { MembershipRules } from "./membership-monitor.ts";

/** How often the admin loop retries a change a leader refused for now, and looks for its commit. */
const RETRY_MS = 20;

export class MembershipCluster {
  readonly c: Cluster;
  readonly rules: MembershipRules;
  /** started[i]: server i has run (ids are never reused). */
  private readonly started: boolean[];
  /** Every id ever removed. */
  private readonly removed = new Set<number>();

  constructor(
    t: TestContext,
    readonly n: number,
    readonly initialVoters: readonly number[],
    options: RaftOptions,
    unreliable = false,
    /** Servers snapshot every 10 entries (lab 2D's applier), so that snapshots cover config entries (M8). */
    readonly snapshot = false,
  ) {
    this.c = new Cluster(t, n, { ...options, voters: initialVoters }, unreliable, snapshot);
    const cfg = this.c.cfg;
    cfg.monitors.elected.membershipChanges = true;
    cfg.monitors.commits.membershipChanges = true;
    const reported = (i: number) => {
      if (cfg.raft(i) === null) return undefined;
      const s = this.c.status(i);
      return { index: s.configIndex, voters: s.config, outgoing: s.outgoing ?? [] };
    };
    this.rules = cfg.monitors.wire.add(new MembershipRules((message) => cfg.sim.fail(message), n, initialVoters, reported));
    this.started = Array.from({ length: n }, (_, i) => initialVoters.includes(i));
    // lab 2's tester starts every server; those not in the first configuration stop before any event runs.
    for (let i = 0; i < n; i++) {
      if (this.started[i]) continue;
      cfg.crash1(i);
      this.c.options[i] = { ...options, voters: [] };
    }
  }

  /** Starts server i, never started before, empty and outside every configuration, and connects it. */
  startServer(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.n) fail(`tester bug: startServer(${i}): the ids are 0 … ${this.n - 1}`);
    if (this.started[i]) fail(`tester bug: startServer(${i}): server ${i} has run before, and ids are never reused`);
    this.started[i] = true;
    log("tester", `starts server ${i}, outside the configuration`);
    this.c.cfg.start1(i, this.applier);
    this.c.cfg.connect(i);
  }

  /** The applier servers run with: lab 2D's, which snapshots, if the cluster snapshots. */
  get applier(): "applier" | "applierSnap" {
    return this.snapshot ? "applierSnap" : "applier";
  }

  /** Crashes every running server of `servers`, then restarts each from what it persisted, and connects it. */
  restart(servers: readonly number[]): void {
    for (const i of servers) if (this.c.cfg.raft(i) !== null) this.c.cfg.crash1(i);
    for (const i of servers) {
      this.c.cfg.start1(i, this.applier);
      this.c.cfg.connect(i);
    }
  }

  hasStarted(i: number): boolean {
    return this.started[i]!;
  }

  /** Server i's proposeConfChange(change), run as its node; it must be running. */
  propose(i: number, change: ConfChange): ConfChangeResult {
    const rf = this.c.cfg.raft(i) as ExtendedRaft | null;
    if (rf === null) fail(`tester bug: proposeConfChange() on server ${i}, which is crashed`);
    if (change.type === "addVoter" && this.removed.has(change.id)) fail(`tester bug: server ${change.id} was removed, and ids are never reused`);
    const result = this.c.runAs(i, () => rf.proposeConfChange(change));
    log("tester", `asks ${i} for ${change.type}(${change.id}): ${result.ok ? `appended at ${result.index}` : result.err}`);
    if (result.ok && change.type === "removeVoter") this.removed.add(change.id);
    return result;
  }

  /**
   * The admin loop: proposes `change` to each running, connected server in turn until a leader
   * accepts it, then waits until some server has applied the config entry at that index; retries
   * elsewhere if it does not commit. Fails after `withinMs`. Returns the entry's index.
   */
  async change(change: ConfChange, withinMs = 10 * ET): Promise<number> {
    const deadline = now() + withinMs;
    const refusals = new Set<string>();
    while (now() < deadline) {
      let accepted: { index: number; term: number } | undefined;
      for (let i = 0; i < this.n && accepted === undefined; i++) {
        if (this.c.cfg.raft(i) === null || !this.c.cfg.connected[i]) continue;
        const result = this.propose(i, change);
        if (result.ok) accepted = result;
        else if (result.err !== "ErrWrongLeader") refusals.add(result.err);
      }
      if (accepted === undefined) {
        await sleep(RETRY_MS);
        continue;
      }
      while (now() < deadline) {
        const [count, command] = this.c.cfg.nCommitted(accepted.index);
        if (count > 0) {
          const entry = command as Partial<ConfEntry>;
          if (entry.confChange?.type === change.type && entry.confChange.id === change.id) return accepted.index;
          break; // another entry committed there: the change was lost with its leader; propose again
        }
        if (this.leaderOf(accepted.term) === undefined) break; // its leader is gone, or leads no more
        await sleep(RETRY_MS);
      }
    }
    fail(`${change.type}(${change.id}) should commit within ${withinMs} ms; refusals seen: ${[...refusals].join(", ") || "none"}; configurations: ${this.describeConfigs()}`);
  }

  /** The running server that leads `term`, if any. */
  private leaderOf(term: number): number | undefined {
    for (let i = 0; i < this.n; i++) {
      if (this.c.cfg.raft(i) === null) continue;
      const s = this.c.status(i);
      if (s.role === "leader" && s.term === term) return i;
    }
    return undefined;
  }

  /** The running server that leads the highest term, if any. */
  leader(): number | undefined {
    let best: number | undefined;
    let bestTerm = -1;
    for (let i = 0; i < this.n; i++) {
      if (this.c.cfg.raft(i) === null || !this.c.cfg.connected[i]) continue;
      const s = this.c.status(i);
      if (s.role === "leader" && s.term > bestTerm) {
        best = i;
        bestTerm = s.term;
      }
    }
    return best;
  }

  /** "0: {0,1,2} (entry 0); 3: {0,1,2,3} (entry 7)" for every running server. */
  describeConfigs(): string {
    const parts: string[] = [];
    for (let i = 0; i < this.n; i++) {
      if (this.c.cfg.raft(i) === null) continue;
      const s = this.c.status(i);
      parts.push(`${i} (${s.role}, term ${s.term}): {${s.config.join(",")}} (entry ${s.configIndex})`);
    }
    return parts.join("; ");
  }

  /** Fails unless every running server in `servers` uses exactly `voters`. */
  expectConfig(servers: readonly number[], voters: readonly number[], what: string): void {
    for (const i of servers) {
      const config = this.c.status(i).config;
      if (config.join(",") !== [...voters].sort((a, b) => a - b).join(",")) {
        fail(`${what}: server ${i} should use the configuration {${voters.join(",")}}; it uses {${config.join(",")}}. ${this.describeConfigs()}`);
      }
    }
  }
}

/** How often waitUntil looks again (virtual ms). */
const POLL_MS = 10;

/** Waits until `cond` holds, polling, and fails with `what` after `withinMs`. */
export async function waitUntil(cond: () => boolean, withinMs: number, what: () => string): Promise<void> {
  const deadline = now() + withinMs;
  while (!cond()) {
    if (now() >= deadline) fail(what());
    await sleep(POLL_MS);
  }
}

/** How many servers have committed `index`. */
export function committedCount(m: MembershipCluster, index: number): number {
  return m.c.cfg.nCommitted(index)[0];
}
