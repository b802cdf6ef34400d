// Broken reads across a membership change (labs 5E and 5F at the KV level, tests/raft5/5E-kv.ts
// and 5F-kv.ts): the reference extended Raft with one rule of ReadIndex under a changing
// configuration broken (see mutant.ts), run against the tests of its part, whose KV histories
// the linearizability checker judges.
import { ExtendedRaft } from "../../raft-extensions/extended-raft.ts";
import type { ReadIndexResult } from "../../raft-extensions/types.ts";
import type { MakeExtendedRaft } from "../raft5/substitute.ts";
import type { Mutant, RaftInside } from "./mutant.ts";

/** The reference's read round as a mutant sees it (private in extended-raft.ts). */
interface ReadRoundInside extends RaftInside {
  readRound: { round: number; term: number; confirmed: Set<number> } | undefined;
  reads: { round: number; inFlight(): boolean; endRound(round: number, result: "confirmed" | ReadIndexResult): void };
  isLeaderOf(term: number): boolean;
  startReadRound(term: number): void;
  countReadRound(): void;
  /** The mutant's own: the voters it was started with. */
  firstVoters: readonly number[];
  commitIndex: number;
  configuration: { isVoter(server: number): boolean };
  askLeaderForReadIndex(): Promise<ReadIndexResult>;
}

/** An extended Raft whose methods are the reference's except those `change` replaces. */
function readMutant(change: (mutant: ReadRoundInside) => void): MakeExtendedRaft {
  class Mutant extends ExtendedRaft {}
  change(Mutant.prototype as unknown as ReadRoundInside);
  return (peers, me, persister, applyCh, options = {}) => {
    const raft = new Mutant(peers, me, persister, applyCh, options);
    (raft as unknown as ReadRoundInside).firstVoters = options.voters ?? peers.map((_, i) => i);
    return raft;
  };
}

export const membershipKvMutants: Mutant[] = [
  {
    name: "read-round-counts-the-first-configuration",
    rule: "A ReadIndex round is confirmed by a majority of the voters of the configuration in use (5E), not of the one the server started with",
    bug: "counts a ConfirmLeadership round against the first configuration (options.voters), as a 5C ReadIndex written before membership change would: once the cluster has grown, a leader cut off with a majority of the first voters confirms reads the new majority has made stale",
    parts: ["5E"],
    killedBy: { test: "TestReadQuorumFollowsTheConfiguration5E", seed: 1, check: /must not read x = 1|not linearizable/ },
    substitutes: {
      makeExtendedRaft: readMutant((m) => {
        m.countReadRound = function (this: ReadRoundInside) {
          const r = this.readRound;
          if (r === undefined || this.reads.round !== r.round || !this.reads.inFlight() || !this.isLeaderOf(r.term)) return;
          const first = this.firstVoters;
          if (first.filter((v) => v === this.me || r.confirmed.has(v)).length <= first.length / 2) return;
          this.readRound = undefined;
          this.reads.endRound(r.round, "confirmed");
          this.startReadRound(r.term);
        };
      }),
    },
  },
  {
    name: "learner-reads-its-own-commit-index",
    rule: "A learner serves a follower read at the read index its leader confirms (5F's R6), like any follower",
    bug: "a learner answers its own readIndex() with its own commit index, as if a replica that receives the log could read what it holds: cut off from the leader, it serves values the voters have overwritten",
    parts: ["5F"],
    killedBy: { test: "TestLearnerReadsLinearizable5F", seed: 1, check: /must not read x = 1|not linearizable/ },
    substitutes: {
      makeExtendedRaft: readMutant((m) => {
        const reference = m.askLeaderForReadIndex;
        m.askLeaderForReadIndex = function (this: ReadRoundInside) {
          if (!this.configuration.isVoter(this.me)) return Promise.resolve({ ok: true, index: this.commitIndex });
          return reference.call(this);
        };
      }),
    },
  },
];
