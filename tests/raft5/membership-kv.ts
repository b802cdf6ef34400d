// The KV tester of changing membership (lab 5E, used by 5F and 5G too): lab 5's KV server
// (raft-extensions/kv-server.ts) on lab 3's tester (tests/kvraft/config.ts) and clerk, with ids
// 0 … n-1 of which only `initial` are voters at first. What it adds to lab 3's tester:
//   - every server runs from the start, and those outside `initial` start with no configuration
//     (the `voters: []` option): servers not added yet, which the leader may add. Ids are never
//     reused: an id once removed is never added again (propose() refuses to);
//   - propose(i, change): server i's Raft proposeConfChange() (5E's simple changes, 5G's joint
//     ones), run as its node; change(change) and replace(joint, voters): the admin loops that
//     resend a simple change, or a joint one with autoLeave, to whichever server leads until the
//     leader's configuration reflects it (for a joint one: C_new alone) and has committed;
//   - the lab-5E monitor (membership-monitor.ts) on every Raft message, and the Figure-2 monitors
//     told that majorities are those of the configuration in use and of 5A's vote lease (with
//     its own monitor, vote-lease-monitor.ts), as in 5E's Raft-level tester.
// Clerks are lab 3's, made with every server's end: they find the leader of whatever
// configuration is in use, also once every voter they first talked to is gone. Histories are
// checked by the tests with the linearizability checker (tests/harness/kv-linearizability.ts).
import type { ConfChange, ConfChangeResult } from "../../raft-extensions/membership.ts";
import type { EnterJoint, LeaveJoint } from "../../raft-extensions/joint-consensus.ts";
import { startKVServer, type ReadMode, type ReadingKVServer } from "../../raft-extensions/kv-server.ts";
import type { RaftOptions, RaftStatus, ReadIndexResult } from "../../raft-extensions/types.ts";
import { Channel, TIMEOUT, log, now, sleep, type SimNode } from "../../sim/index.ts";
import type { TestContext } from "../harness/define-test.ts";
import { fail } from "../harness/failure.ts";
import { Config as KvConfig } from "../kvraft/config.ts";
import { ET } from "./cluster.ts";
import { MembershipRules } from "./membership-monitor.ts";
import { VoteLeaseNeedsALeader } from "./vote-lease-monitor.ts";

/** How often the admin loop retries a change a leader refused for now, and looks for its commit. */
const RETRY_MS = 20;

export class MembershipKv {
  readonly cfg: KvConfig;
  /** Server i's running incarnation and its node (null while shut down). */
  private readonly servers: ({ kv: ReadingKVServer; node: SimNode } | null)[];
  private readonly removed = new Set<number>();

  constructor(
    t: TestContext,
    readonly n: number,
    readonly initial: readonly number[],
    options: RaftOptions,
    readMode: ReadMode,
    unreliable: boolean,
    begin: string,
  ) {
    const servers: ({ kv: ReadingKVServer; node: SimNode } | null)[] = new Array(n).fill(null);
    this.servers = servers;
    const makeRaft = t.substitutes.makeExtendedRaft;
    const start = t.substitutes.startReadingKVServer ?? startKVServer;
    this.cfg = new KvConfig(t.sim, n, unreliable, -1, t.print, (peers, me, persister, maxraftstate) => {
      const raft: RaftOptions = { ...options, voters: initial.includes(me) ? [...initial] : [] };
      const kv = start(peers, me, persister, maxraftstate, { readMode, raft, ...(makeRaft === undefined ? {} : { makeRaft }) }) as ReadingKVServer;
      servers[me] = { kv, node: t.sim.current };
      return kv;
    });
    t.defer((passed) => this.cfg.cleanup(passed));
    this.cfg.monitors.elected.membershipChanges = true;
    this.cfg.monitors.commits.membershipChanges = true;
    this.cfg.monitors.terms.voteLease = true; // 5A's vote lease refuses a higher term: only a server with a leader may
    this.cfg.monitors.wire.add(new VoteLeaseNeedsALeader(this.cfg.monitors.wire, n));
    const reported = (i: number) => {
      const s = this.status(i);
      return s === undefined ? undefined : { index: s.configIndex, voters: s.config, outgoing: s.outgoing ?? [] };
    };
    this.cfg.monitors.wire.add(new MembershipRules((message) => t.sim.fail(message), n, initial, reported));
    this.cfg.begin(begin);
  }

  /** Shuts server i down (lab 3's shutdownServer), keeping what it persisted. */
  shutdown(i: number): void {
    this.cfg.shutdownServer(i);
    this.servers[i] = null;
  }

  /** Restarts server i from what it persisted, and connects every server to every other (healing any partition). */
  restart(i: number): void {
    this.cfg.startServer(i);
    this.cfg.connectAll();
  }

  running(i: number): boolean {
    return this.servers[i] !== null;
  }

  /** Server i's Raft status(), run as its node; undefined while it is shut down. */
  status(i: number): RaftStatus | undefined {
    const s = this.servers[i];
    if (s === null || s === undefined) return undefined;
    return this.cfg.sim.runAs(s.node, () => s.kv.rf.status());
  }

  /** Server i's proposeConfChange(change), run as its node; ErrWrongLeader while it is shut down. */
  propose(i: number, change: ConfChange | EnterJoint | LeaveJoint): ConfChangeResult {
    const s = this.servers[i];
    if (s === null || s === undefined) return { ok: false, err: "ErrWrongLeader" };
    const adds = "type" in change ? (change.type === "addVoter" ? [change.id] : []) : "joint" in change ? change.joint.filter((c) => c.type === "addVoter").map((c) => c.id) : [];
    for (const id of adds) if (this.removed.has(id)) fail(`tester bug: server ${id} was removed, and ids are never reused`);
    const result = this.cfg.sim.runAs(s.node, () => s.kv.rf.proposeConfChange(change));
    log("tester", `asks ${i} for ${JSON.stringify(change)}: ${result.ok ? `appended at ${result.index}` : result.err}`);
    if (result.ok) {
      const removes = "type" in change ? (change.type === "removeVoter" ? [change.id] : []) : "joint" in change ? change.joint.filter((c) => c.type === "removeVoter").map((c) => c.id) : [];
      for (const id of removes) this.removed.add(id);
    }
    return result;
  }

  /**
   * The admin loop for a simple change (5E, and 5F's addLearner): proposes `change` to whichever
   * server leads until the leader's configuration reflects it (`id` a voter, a learner, or gone) and has committed — the leader's
   * readIndex() confirms a commit index at or past that config entry. Fails after `withinMs`.
   */
  async change(change: ConfChange, withinMs = 10 * ET): Promise<void> {
    const reflected = (s: RaftStatus) =>
      change.type === "addVoter" ? s.config.includes(change.id) : change.type === "addLearner" ? s.learners.includes(change.id) : !s.config.includes(change.id) && !s.learners.includes(change.id);
    await this.changeUntil(change, reflected, `${change.type}(${change.id})`, withinMs);
  }

  /**
   * The admin loop for a joint change (5G) with autoLeave: proposes `enter` to whichever server
   * leads, not joint and not yet at C_new, until a leader uses C_new alone (`voters`, left joint
   * on its own) and it has committed. Fails after `withinMs`.
   */
  async replace(enter: EnterJoint, voters: readonly number[], withinMs = 10 * ET): Promise<void> {
    const target = [...voters].sort((a, b) => a - b).join(",");
    const reflected = (s: RaftStatus) => s.config.join(",") === target && s.outgoing === undefined;
    await this.changeUntil(enter, reflected, `the joint change to {${target}}`, withinMs, (s) => s.outgoing === undefined);
  }

  /** Proposes `proposal` to the leader while `mayPropose` and not `reflected`; returns once a leader's configuration is `reflected` and committed. */
  private async changeUntil(proposal: ConfChange | EnterJoint, reflected: (s: RaftStatus) => boolean, what: string, withinMs: number, mayPropose: (s: RaftStatus) => boolean = () => true): Promise<void> {
    const deadline = now() + withinMs;
    const refusals = new Set<string>();
    while (now() < deadline) {
      const leader = this.leader();
      const s = leader === undefined ? undefined : this.status(leader);
      if (leader !== undefined && s !== undefined) {
        if (!reflected(s)) {
          if (mayPropose(s)) {
            const r = this.propose(leader, proposal);
            if (!r.ok) refusals.add(r.err);
          }
        } else {
          const read = await this.readIndex(leader);
          if (read !== TIMEOUT && read.ok && read.index >= s.configIndex) return;
        }
      }
      await sleep(RETRY_MS);
    }
    fail(`${what} should commit within ${withinMs} ms; refusals seen: ${[...refusals].join(", ") || "none"}; configurations: ${this.describeConfigs()}`);
  }

  /** Server i's readIndex(), run as its node (its commit index, once confirmed that it still leads); TIMEOUT after an election timeout. */
  private async readIndex(i: number): Promise<ReadIndexResult | typeof TIMEOUT> {
    const s = this.servers[i];
    if (s === null || s === undefined) return { ok: false, err: "ErrWrongLeader" };
    const answer = new Channel<ReadIndexResult>(1);
    void this.cfg.sim.runAs(s.node, () => s.kv.rf.readIndex()).then((r) => answer.send(r));
    const read = await answer.recvWithin(ET);
    return read === undefined ? TIMEOUT : read;
  }

  /** The running server that leads the highest term, if any. */
  leader(): number | undefined {
    let best: number | undefined;
    let bestTerm = -1;
    for (let i = 0; i < this.n; i++) {
      const s = this.status(i);
      if (s !== undefined && s.role === "leader" && s.term > bestTerm) {
        best = i;
        bestTerm = s.term;
      }
    }
    return best;
  }

  /** "0 (leader, term 2): {0,1,2} (entry 0); …" for every running server. */
  describeConfigs(): string {
    const parts: string[] = [];
    for (let i = 0; i < this.n; i++) {
      const s = this.status(i);
      if (s === undefined) continue;
      const joint = s.outgoing !== undefined ? ` joint with {${s.outgoing.join(",")}}` : "";
      parts.push(`${i} (${s.role}, term ${s.term}): {${s.config.join(",")}}${joint} (entry ${s.configIndex})`);
    }
    return parts.join("; ");
  }
}
