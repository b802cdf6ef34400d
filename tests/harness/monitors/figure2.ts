// The Figure-2 monitors, attached by every Raft-based tester: lab 2's (tests/raft/config.ts), lab
// 3's and the shardmaster's (tests/harness/replica-set.ts) and lab 4's (tests/shardkv/config.ts),
// since each runs the student's Raft. They watch every Raft message from the first, and fail the
// run at the first broken rule, with the messages that prove it:
//   one-vote-per-term.ts      a server votes at most once per term, only in its own term
//   terms-move-forward.ts     a server's term never goes back, and follows any higher term it hears of
//   elected-before-leading.ts a server leads a term only after a majority voted for it in that term
//   one-leader-per-term.ts    at most one leader per term over the whole run
//   commit-rule.ts            a leader commits only entries a majority holds, by an entry of its own term
// Each holds for every Raft that follows Figure 2, whatever its timing: none asks anything of the
// code under test but the messages it sends.
import type { Network, Simulation } from "../../../sim/index.ts";
import { CommitRule } from "./commit-rule.ts";
import { ElectedBeforeLeading } from "./elected-before-leading.ts";
import { OneLeaderPerTerm } from "./one-leader-per-term.ts";
import { OneVotePerTerm } from "./one-vote-per-term.ts";
import { RaftWire, type RaftCluster } from "./raft-wire.ts";
import { TermsMoveForward } from "./terms-move-forward.ts";

export interface Figure2Monitors {
  /** The wire they read; a tester may add monitors of its own (the Raft tester's failure reports). */
  readonly wire: RaftWire;
  /** Who led which term since when, for failure reports. */
  readonly leaders: OneLeaderPerTerm;
  /** The term rules; a tester of Rafts with lab 5's vote lease tells it so. */
  readonly terms: TermsMoveForward;
  /** The two majority rules; a tester of Rafts that change membership (lab 5E) tells them so. */
  readonly elected: ElectedBeforeLeading;
  readonly commits: CommitRule;
}

/**
 * Whether testers attach the monitors: always, but in the passes where `npm run bench -- monitors`
 * turns them off to measure what they cost (bench/monitors.ts). Off, a run is the same run, with
 * the same journal hash, only unwatched: the monitors only read.
 */
export const figure2Monitoring = { on: true };

/** Attaches the monitors to `net`, for the Raft clusters listed; call it before any server starts. */
export function watchFigure2(sim: Simulation, net: Network, clusters: readonly RaftCluster[]): Figure2Monitors {
  const wire = new RaftWire(sim, clusters);
  wire.add(new OneVotePerTerm(wire));
  const terms = wire.add(new TermsMoveForward(wire));
  const elected = wire.add(new ElectedBeforeLeading(wire));
  const leaders = wire.add(new OneLeaderPerTerm(wire));
  const commits = wire.add(new CommitRule(wire));
  if (figure2Monitoring.on) net.watch(wire);
  return { wire, leaders, terms, elected, commits };
}
