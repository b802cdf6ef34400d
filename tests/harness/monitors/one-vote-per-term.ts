// Monitor: a server votes at most once per term, and only in its own term (Figure 2, RequestVote
// receiver rules 1 and 2: votedFor is persistent state, so this holds across restarts too).
//
// Two votes in one term are how two leaders of one term get elected. A server that forgets its
// vote (it resets votedFor without a new term, or does not persist it and restarts) or does not
// check it, grants a second candidate what it gave the first. A vote granted to a candidate of an
// older term is rule 1 broken: that candidate's term is over. Checked on each RequestVote reply as
// it leaves the voter, whether or not the network then delivers it.
import { peerName, type MomentsRead, type RaftCall, type RaftCluster, type RaftMonitor, type RaftWire, type VoteCall } from "./raft-wire.ts";

export class OneVotePerTerm implements RaftMonitor {
  /** The first vote each server granted in each term: cluster → "voter/term" → that reply's call. */
  private readonly votes = new Map<RaftCluster, Map<string, VoteCall>>();

  readonly reads: MomentsRead = { reply: ["RequestVote"] };

  constructor(private readonly wire: RaftWire) {}

  reply(call: RaftCall): void {
    if (call.method !== "RequestVote" || call.reply?.voteGranted !== true) return;
    const voter = peerName(call.cluster, call.to);
    // (A reply below its request's term is terms-move-forward.ts's to report; the vote is still for that election.)
    if (call.reply.term > call.args.term) {
      this.wire.violation(
        "a server grants its vote only to a candidate of its current term",
        `${voter} is in term ${call.reply.term} and granted its vote to a candidate of term ${call.args.term}:`,
        [call],
        "RequestVote rule 1: reply false if term < currentTerm (and a server adopts a higher term before it votes).",
      );
      return;
    }
    let votes = this.votes.get(call.cluster);
    if (votes === undefined) this.votes.set(call.cluster, (votes = new Map()));
    const key = `${call.to}/${call.args.term}`;
    const first = votes.get(key);
    if (first === undefined) {
      votes.set(key, call);
    } else if (first.from !== call.from) {
      const restarted = first.toNode !== call.toNode ? ` (it restarted in between: ${first.toNode}, then ${call.toNode})` : "";
      this.wire.violation(
        "a server grants at most one vote per term",
        `${voter} voted for ${peerName(call.cluster, first.from)} and for ${peerName(call.cluster, call.from)} in term ${call.args.term}${restarted}:`,
        [first, call],
        "RequestVote rule 2: grant only if votedFor is null or the candidate; votedFor is persistent, saved before the reply, and reset only by a new term.",
      );
    }
  }
}
