// Monitor: a vote-lease refusal comes only from a server that has a leader (lab 5A; dissertation
// §4.2.3). The lease lets a server ignore a RequestVote of a higher term — refuse it, term and all —
// but only while it follows a live leader of its own term, or leads that term itself. So on every
// RequestVote answered in a term below the request's, the server must earlier have accepted an
// AppendEntries or InstallSnapshot of its term (replied success in it), or sent one as its leader.
// The Figure-2 term monitor lets such refusals pass when told of the lease (cluster.ts does); this
// one checks that they are lease refusals, not a server that forgot to adopt a higher term.
import { peerName, type RaftCall, type RaftMonitor, type RaftWire } from "../harness/monitors/raft-wire.ts";

export class VoteLeaseNeedsALeader implements RaftMonitor {
  /** followed[i]: the newest term in which server i accepted a leader's AppendEntries or InstallSnapshot. */
  private readonly followed: number[];
  /** led[i]: the newest term in which server i sent AppendEntries or InstallSnapshot as leader. */
  private readonly led: number[];

  constructor(
    private readonly wire: RaftWire,
    n: number,
  ) {
    this.followed = new Array<number>(n).fill(0);
    this.led = new Array<number>(n).fill(0);
  }

  request(call: RaftCall): void {
    if (call.method !== "RequestVote") this.led[call.from] = Math.max(this.led[call.from]!, call.args.term);
  }

  reply(call: RaftCall): void {
    const term = call.reply!.term;
    if (call.method === "AppendEntries" || call.method === "InstallSnapshot") {
      if (term === call.args.term) this.followed[call.to] = Math.max(this.followed[call.to]!, term);
      return;
    }
    if (term >= call.args.term) return;
    if (this.followed[call.to] === term || this.led[call.to] === term) return;
    this.wire.violation(
      "a server ignores a higher-term RequestVote only under a vote lease",
      `${peerName(call.cluster, call.to)} refused RequestVote #${call.id} of term ${call.args.term} in its term ${term}, but never followed or led a leader in term ${term}:`,
      [call],
      "Without a leader of its term there is no lease: it must adopt the higher term before it answers (Figure 2, rules for all servers).",
    );
  }
}
