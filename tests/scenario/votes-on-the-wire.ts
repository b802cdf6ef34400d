// What a scenario's `expect` step knows of a server's elections beyond getState(): the term it
// last asked for votes in (so a server that is not leading but asked in its current term is a
// candidate), and the last vote it granted (so whom it voted for in its current term). Read off
// the wire like the Figure-2 monitors. A server that asked for votes in a term and then answered
// that term's leader (an AppendEntries or InstallSnapshot reply of the same term) is a follower
// again. All is read off (a RaftMonitor on the tester's RaftWire), with no help
// from the code under test; it checks nothing. A vote counts when its reply leaves the voter,
// delivered or not; a restarted server keeps what it showed before, as votedFor survives restarts.
import type { MomentsRead, RaftCall, RaftMonitor } from "../harness/monitors/raft-wire.ts";

export class VotesOnTheWire implements RaftMonitor {
  /** askedIn[i]: the highest term server i sent a RequestVote in. */
  private readonly askedIn: (number | undefined)[];
  /** answeredLeaderIn[i]: the highest term in which server i replied to a leader of that term. */
  private readonly answeredLeaderIn: (number | undefined)[];
  /** granted[i]: the last vote server i granted: in which term, to whom. */
  private readonly granted: ({ term: number; candidate: number } | undefined)[];

  readonly reads: MomentsRead = { request: ["RequestVote"] };

  constructor(n: number) {
    this.askedIn = new Array<number | undefined>(n).fill(undefined);
    this.answeredLeaderIn = new Array<number | undefined>(n).fill(undefined);
    this.granted = new Array<{ term: number; candidate: number } | undefined>(n).fill(undefined);
  }

  request(call: RaftCall): void {
    if (call.method === "RequestVote") this.askedIn[call.from] = Math.max(this.askedIn[call.from] ?? 0, call.args.term);
  }

  reply(call: RaftCall): void {
    if (call.method === "RequestVote") {
      if (call.reply?.voteGranted === true) this.granted[call.to] = { term: call.reply.term, candidate: call.from };
    } else if (call.reply !== undefined && call.reply.term === call.term) {
      this.answeredLeaderIn[call.to] = Math.max(this.answeredLeaderIn[call.to] ?? 0, call.term);
    }
  }

  /** Whether server i asked for votes in `term` and has answered no leader of it since. */
  campaignsIn(i: number, term: number): boolean {
    return this.askedIn[i] === term && this.answeredLeaderIn[i] !== term;
  }

  /** Whom server i voted for in `term`, or undefined; a server that asked for votes in it voted for itself (Figure 2). */
  votedForIn(i: number, term: number): number | undefined {
    if (this.askedIn[i] === term) return i;
    const vote = this.granted[i];
    return vote !== undefined && vote.term === term ? vote.candidate : undefined;
  }
}
