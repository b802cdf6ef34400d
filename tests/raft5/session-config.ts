// The lab-5H tester: n session KV servers (raft-extensions/session-kv-server.ts) on the extended
// Raft, and session clerks, on lab 3's replica set (tests/harness/replica-set.ts: start, shut down,
// restart, partition, clerks connected to chosen servers), with what the session tests need:
//
//   - The replica monitor (session-monitor.ts): every replica's session table at every index it
//     applies must be the first one seen there; end() also fails a server that never reported.
//   - Client holds, asked about every call a clerk makes (`clientHolds`, set by a test): delay a
//     request before it leaves, or lose a reply that came back (the server applied the command,
//     the clerk never hears of it).
//   - Raft holds (`raftHolds`, lab 5's droppable ends, cluster.ts): drop a Raft call before it
//     reaches the network, to make a follower lag.
//   - replay(i, method, args): a copy of an old request, delivered to server i from a fresh end:
//     a delayed network duplicate, on cue.
//
// Options: maxSessions, sessionTtlMs and maxraftstate go to every server; the network is
// reliable unless `unreliable`.
import { now, sleep, type ClientEnd } from "../../sim/index.ts";
import { SessionClerk } from "../../raft-extensions/session-clerk.ts";
import { startSessionKVServer, type SessionKVServer } from "../../raft-extensions/session-kv-server.ts";
import type { SessionKvApi } from "../../raft-extensions/session-types.ts";
import type { TestContext } from "../harness/define-test.ts";
import { fail } from "../harness/failure.ts";
import { ReplicaSet } from "../harness/replica-set.ts";
import { droppableEnds, type Holds } from "./cluster.ts";
import { SessionTableMonitor } from "./session-monitor.ts";
import "./session-substitute.ts";

export interface SessionConfigOptions {
  unreliable?: boolean;
  maxraftstate?: number;
  maxSessions: number;
  sessionTtlMs?: number;
}

/** What a test may do to a clerk's calls (see the top of this file); unset rules do nothing. */
export interface ClientHolds {
  /** How long to hold a request before it leaves (0: not at all). */
  delayRequest?: ((method: string, args: unknown) => number) | undefined;
  /** Whether to lose a reply that came back. */
  loseReply?: ((method: string, args: unknown, reply: unknown) => boolean) | undefined;
}

type Method = "KVServer.register" | "KVServer.putAppend" | "KVServer.get";

export class SessionConfig extends ReplicaSet<SessionKVServer, SessionClerk, SessionKvApi> {
  readonly clientHolds: ClientHolds;
  readonly raftHolds: Holds;
  readonly monitor: SessionTableMonitor;
  private replays = 0;
  private t0 = 0;
  private rpcs0 = 0;

  constructor(
    private readonly t: TestContext,
    n: number,
    options: SessionConfigOptions,
  ) {
    const start = t.substitutes.startSessionKVServer ?? startSessionKVServer;
    const makeRaft = t.substitutes.makeExtendedRaft;
    const makeClerk = t.substitutes.makeSessionClerk ?? ((ends: ClientEnd<SessionKvApi>[]) => new SessionClerk(ends));
    // The servers start inside super(): what they use exists before it.
    const raftHolds: Holds = {};
    const clientHolds: ClientHolds = {};
    const monitor = new SessionTableMonitor(t.sim, n);
    super(t.sim, n, options.unreliable === true, {
      nodeName: "kv",
      service: "KVServer",
      startName: "startSessionKVServer",
      start: (peers, me, persister) =>
        start(droppableEnds(peers, me, raftHolds), me, persister, options.maxraftstate ?? -1, {
          maxSessions: options.maxSessions,
          sessionTtlMs: options.sessionTtlMs ?? 0,
          ...(makeRaft === undefined ? {} : { makeRaft }),
          observeApplied: (index, sessions) => monitor.saw(me, index, sessions),
        }),
      makeClerk: (ends) => makeClerk(ends.map((end) => holding(end, clientHolds))),
    });
    this.raftHolds = raftHolds;
    this.clientHolds = clientHolds;
    this.monitor = monitor;
    t.defer((passed) => this.cleanup(passed));
  }

  /** Server i's running incarnation; the test fails if it is shut down. */
  server(i: number): SessionKVServer {
    const s = this.servers[i];
    if (s === null || s === undefined) throw new Error(`tester bug: server ${i} is shut down`);
    return s;
  }

  /** Delivers a copy of an old request to server i, from a fresh end (null: lost, or no answer). */
  replay(i: number, method: Method, args: unknown): Promise<unknown> {
    const end = this.net.makeEnd<SessionKvApi>(`replay-${this.replays++}->${i}`);
    this.net.connect(end, String(i));
    this.net.enable(end, true);
    return end.call(method as never, args as never);
  }

  /** Starts a test: prints its description. */
  begin(description: string): void {
    this.t.print(`${description} ...`);
    this.t0 = now();
    this.rpcs0 = this.net.totalCount;
  }

  /** Ends a test: every running server must have reported its tables; prints the Passed line. */
  end(): void {
    this.checkTimeout();
    for (let i = 0; i < this.n; i++) {
      if (this.servers[i] != null && this.monitor.reports[i] === 0) {
        fail(`server ${i} never reported its session table (call options.observeApplied(index, sessions()) after every entry applied): the tester cannot compare the replicas`);
      }
    }
    const secs = (now() - this.t0) / 1000;
    this.t.print(`  ... Passed --  ${secs.toFixed(1).padStart(4)}  ${this.n} ${String(this.net.totalCount - this.rpcs0).padStart(5)}`);
  }
}

/** A clerk's end, asking `holds` (as they are at the call) first. */
function holding(end: ClientEnd<SessionKvApi>, holds: ClientHolds): ClientEnd<SessionKvApi> {
  const wrapped = Object.create(end) as ClientEnd<SessionKvApi>;
  const call = end.call.bind(end) as (method: string, args: unknown) => Promise<unknown>;
  (wrapped as { call: unknown }).call = async (method: string, args: unknown) => {
    const delay = holds.delayRequest?.(method, args) ?? 0;
    if (delay > 0) await sleep(delay);
    const reply = await call(method, args);
    if (reply !== null && holds.loseReply?.(method, args, reply) === true) return null;
    return reply;
  };
  return wrapped;
}

/** Whether the values `acked` (writes that returned) appear in `value` once each, in order, and each of `uncertain` at most once; the first problem, or null. */
export function appendsOnce(value: string, acked: readonly string[], uncertain: readonly string[]): string | null {
  let last = -1;
  for (const element of acked) {
    const at = value.indexOf(element);
    if (at < 0) return `the acknowledged append ${JSON.stringify(element)} is missing`;
    if (value.lastIndexOf(element) !== at) return `the append ${JSON.stringify(element)} was applied twice`;
    if (at <= last) return `the append ${JSON.stringify(element)} is out of its client's order`;
    last = at;
  }
  for (const element of uncertain) {
    const at = value.indexOf(element);
    if (at >= 0 && value.lastIndexOf(element) !== at) return `the append ${JSON.stringify(element)}, whose session expired, was applied twice`;
  }
  return null;
}

