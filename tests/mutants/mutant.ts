// Mutants: deliberately broken Rafts and KV servers, each with one classic student bug, to measure
// how much wrong code the graders fail (the mutation score: `npm run bench -- mutants`).
//
// A mutant is the reference with one rule broken, written as a subclass that overrides or wraps
// one method (TypeScript's `private` is compile-time only; RaftInside below names what a mutant may
// touch). It runs through the graders' substitutes (tests/harness/substitutes.ts), so every test
// of its parts runs against it exactly as against a student's code.
//
// A mutant is killed when some test of its parts fails on it. A failure of the reference's own
// invariant() does not count: a student's code does not carry the reference's assertions, so only
// the graders' checks (the 6.824 checks, the Figure-2 monitors, the conformance tests) count. For
// the same reason a mutant Raft deletes log entries without the reference's assertion that none of
// them is committed: what its bug makes it delete is for the graders to notice.
// A mutant that no test could ever kill with this reference — the bug never changes what the
// service does — says why, and is left out of the score.
import { Raft } from "../../raft/raft.ts";
import { KVServer } from "../../kvraft/server.ts";
import type { GetArgs, GetReply, PutAppendArgs, PutAppendReply } from "../../kvraft/common.ts";
import type { RaftLog } from "../../raft/log.ts";
import type { Progress } from "../../raft/progress.ts";
import type {
  AppendEntriesArgs,
  AppendEntriesReply,
  ApplyMsg,
  InstallSnapshotArgs,
  InstallSnapshotReply,
  Peer,
  RequestVoteArgs,
  RequestVoteReply,
} from "../../raft/types.ts";
import type { Channel, Persister } from "../../sim/index.ts";
import { parts, type LabTest, type RunReport } from "../registry.ts";
import type { Substitutes } from "../harness/substitutes.ts";
import type { MakeRaft } from "../raft/substitute.ts";
import type { StartKVServer } from "../kvraft/substitute.ts";

export interface Mutant {
  /** A short name in the domain's words: "votes-twice-in-a-term". */
  name: string;
  /** The rule it breaks, as Figure 2 (or the lab) states it. */
  rule: string;
  /** What the broken code does, in one sentence. */
  bug: string;
  /** The lab parts whose tests are run against it. */
  parts: string[];
  substitutes: Substitutes;
  /** The test and seed that kill it, as the last `npm run bench -- mutants` found; CI reruns just these. */
  killedBy?: { test: string; seed: number; check: RegExp };
  /** Why no test could ever kill it with this reference (it is then left out of the score). */
  equivalent?: string;
}

/** The reference Raft's private state and methods, as a mutant sees them. */
export interface RaftInside {
  me: number;
  peers: Peer[];
  persister: Persister;
  applyCh: Channel<ApplyMsg>;
  currentTerm: number;
  votedFor: number | null;
  log: RaftLog;
  commitIndex: number;
  lastApplied: number;
  role: "follower" | "candidate" | "leader";
  electionDeadline: number;
  progress: Progress[];
  step(term: number): boolean;
  becomeFollower(term: number): void;
  becomeCandidate(): void;
  becomeLeader(): void;
  isMajority(count: number): boolean;
  startElection(): void;
  advanceCommitIndex(): void;
  setCommitIndex(index: number): void;
  deleteEntriesFrom(index: number): void;
  nextIndexAfterConflict(reply: AppendEntriesReply): number;
  persist(snapshot?: Uint8Array): void;
  readPersist(): void;
  requestVote(args: RequestVoteArgs): RequestVoteReply;
  appendEntries(args: AppendEntriesArgs): AppendEntriesReply;
  installSnapshot(args: InstallSnapshotArgs): InstallSnapshotReply;
  snapshot(index: number, data: Uint8Array): void;
}

/** The reference's methods, for a mutant that changes one and calls the original. */
export const reference = Raft.prototype as unknown as RaftInside;

/**
 * A Raft whose methods are the reference's except those `change` replaces on its prototype; the
 * new methods may call the originals through `reference`.
 */
export function raftMutant(change: (mutant: RaftInside) => void): MakeRaft {
  class Mutant extends Raft {}
  const mutant = Mutant.prototype as unknown as RaftInside;
  mutant.deleteEntriesFrom = function (this: RaftInside, index: number) {
    this.log.truncateAfter(index - 1);
  };
  change(mutant);
  return (peers, me, persister, applyCh) => new Mutant(peers, me, persister, applyCh);
}

/** Figure 2's three RPC handlers, by name. */
type Handler = "requestVote" | "appendEntries" | "installSnapshot";

/**
 * A Raft whose `handler` reads its requests wrongly: it is the reference's handler, given the
 * request as `misread` changes it (for bugs in a receiver rule: a check left out, a comparison
 * made on the wrong field).
 */
export function misreadsRequests<H extends Handler>(handler: H, misread: (raft: RaftInside, args: Parameters<RaftInside[H]>[0]) => Parameters<RaftInside[H]>[0]): MakeRaft {
  return raftMutant((m) => {
    const original = reference[handler] as (this: RaftInside, args: unknown) => unknown;
    (m as unknown as Record<Handler, (this: RaftInside, args: never) => unknown>)[handler] = function (this: RaftInside, args: never) {
      return original.call(this, misread(this, args));
    };
  });
}

/**
 * A Raft that hears its peers' replies changed by `tamper` (for bugs in what a peer does with a
 * reply: it is as if the code read the reply wrongly).
 */
export function misreadsReplies(tamper: (method: string, args: unknown, reply: unknown) => unknown, makeRaft: MakeRaft = raftMutant(() => {})): MakeRaft {
  return (peers, me, persister, applyCh) => {
    const misread = peers.map((peer) => ({
      call: async (method: string, args: unknown) => {
        const reply = await peer.call(method as never, args as never);
        return reply === null ? null : tamper(method, args, reply);
      },
    })) as unknown as Peer[];
    return makeRaft(misread, me, persister, applyCh);
  };
}

/** An operation as the reference KV server puts it in the log. */
export interface KvOp {
  kind: "Get" | "Put" | "Append";
  key: string;
  value: string;
  clientId: number;
  seq: number;
}

/** The reference KV server's private state and methods, as a mutant sees them. */
export interface KvInside {
  rf: Raft;
  data: Map<string, string>;
  /** Per clerk, the highest seq applied. */
  lastSeq: Map<number, number>;
  lastAppliedIndex: number;
  waiters: Map<number, { op: KvOp }>;
  get(args: GetArgs): Promise<GetReply>;
  putAppend(args: PutAppendArgs): Promise<PutAppendReply>;
  apply(op: KvOp): { err: string; value: string };
  snapshotIfLogIsLarge(index: number): void;
  restore(snapshot: Uint8Array): void;
}

/** The reference KV server's methods. */
export const kvReference = KVServer.prototype as unknown as KvInside;

/** A KV server whose methods are the reference's except those `change` replaces (as raftMutant). */
export function kvMutant(change: (mutant: KvInside) => void): StartKVServer {
  class Mutant extends KVServer {}
  change(Mutant.prototype as unknown as KvInside);
  return (peers, me, persister, maxraftstate) => new Mutant(peers, me, persister, maxraftstate);
}

/** Every test of the mutant's parts, in the parts' order (a part that cannot be loaded is skipped). */
export async function testsOf(mutant: Mutant): Promise<LabTest[]> {
  const tests: LabTest[] = [];
  for (const part of mutant.parts) {
    const load = parts[part];
    if (load === undefined) continue;
    try {
      tests.push(...(await load()));
    } catch {
      // a part this tree does not have yet
    }
  }
  return tests;
}

/** Whether a run kills the mutant: it failed, by a grader's check rather than the reference's own invariant(). */
export function kills(report: RunReport): boolean {
  return !report.passed && !(report.failure ?? "").includes("invariant broken:");
}
