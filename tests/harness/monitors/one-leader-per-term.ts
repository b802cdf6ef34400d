// Monitor: at most one leader per term, over the whole run (Election Safety, §5.2 and Figure 3).
//
// A leader is whoever acts as one: a server that sends AppendEntries or InstallSnapshot in term T
// leads T. 6.824's checkOneLeader asks getState() at a few instants; this watches every message,
// so two leaders of one term are caught even if they never overlap a check. It also remembers when
// each term's leader first spoke, for failure reports ("the last leader change").
import { formatVirtualTime } from "../../../sim/index.ts";
import { peerName, type LeaderCall, type MomentsRead, type RaftCall, type RaftCluster, type RaftMonitor, type RaftWire } from "./raft-wire.ts";

export class OneLeaderPerTerm implements RaftMonitor {
  /** Per cluster: each term's first leader message, in the order terms got their leader. */
  private readonly leaders = new Map<RaftCluster, Map<number, LeaderCall>>();

  readonly reads: MomentsRead = { request: ["AppendEntries", "InstallSnapshot"] };

  constructor(private readonly wire: RaftWire) {}

  /** The last leader message seen: a leader sends many in its term, and only the first is news. */
  private last: LeaderCall | undefined;

  request(call: RaftCall): void {
    if (call.method === "RequestVote") return;
    const last = this.last;
    if (last !== undefined && last.term === call.term && last.from === call.from && last.cluster === call.cluster) return;
    this.last = call;
    let terms = this.leaders.get(call.cluster);
    if (terms === undefined) this.leaders.set(call.cluster, (terms = new Map()));
    const first = terms.get(call.term);
    if (first === undefined) {
      terms.set(call.term, call);
    } else if (first.from !== call.from) {
      this.wire.violation(
        "at most one leader per term (Election Safety)",
        `${peerName(call.cluster, first.from)} and ${peerName(call.cluster, call.from)} both acted as leader of term ${call.term}:`,
        [first, call],
        "A candidate leads only with the votes of a majority, and a server votes once per term: two majorities of one term share a voter.",
      );
    }
  }

  /** The latest term whose leader has spoken, in words, or undefined if no leader ever has. */
  lastLeaderChange(cluster: RaftCluster): string | undefined {
    let latest: LeaderCall | undefined;
    for (const call of this.leaders.get(cluster)?.values() ?? []) if (latest === undefined || call.term > latest.term) latest = call;
    if (latest === undefined) return undefined;
    return `${peerName(cluster, latest.from, latest.fromNode)} began leading term ${latest.term} at ${formatVirtualTime(latest.sentAt)}`;
  }
}
