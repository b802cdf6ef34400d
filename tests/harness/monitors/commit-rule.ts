// Monitor: a leader commits only what the commit rule allows (§5.3, §5.4.2, Figure 2's rules for
// leaders: "if there exists an N > commitIndex such that a majority of matchIndex[i] ≥ N, and
// log[N].term == currentTerm: set commitIndex = N").
//
// What the wire shows of it: a leader's commitIndex travels as leaderCommit in its AppendEntries,
// and it snapshots (so sends in InstallSnapshot) only what it has applied. So, per term T:
//   - which servers hold the leader's log up to where: the leader itself, as far as its own
//     requests reach; a follower, as far as a request it acknowledged reached (a successful
//     AppendEntries, an InstallSnapshot answered in T), counted when the acknowledgement reaches
//     the leader;
//   - committed(T): the highest index whose entry is of term T and which a majority holds.
// A leader of term T may announce (leaderCommit) or snapshot up to the highest committed(t) of any
// term t ≤ T — what it committed itself, or learned from an earlier leader — and no further. A
// leader that counts replicas for an entry of an older term (Figure 8), counts itself twice, or
// counts acknowledgements it never received, shows a leaderCommit past that bound.
import { peerName, type LeaderCall, type RaftCall, type RaftCluster, type RaftMonitor, type RaftWire } from "./raft-wire.ts";

/** One term's leader and followers: how far each holds the leader's log, and what that commits. */
class TermReplicas {
  /** Per peer, the request that reaches furthest into the leader's log among those it holds. */
  readonly held: (LeaderCall | undefined)[];
  /** The highest index of this term that a majority holds (0: none yet), and which peers hold it. */
  committed = 0;
  holders: number[] = [];

  constructor(
    readonly term: number,
    private readonly size: number,
  ) {
    this.held = new Array<LeaderCall | undefined>(size).fill(undefined);
  }

  /** `peer` holds the leader's log as far as `call` reaches; true if that commits something new. */
  holds(peer: number, call: LeaderCall): boolean {
    const before = this.held[peer];
    if (before !== undefined && before.covers.index >= call.covers.index) return false;
    this.held[peer] = call;
    // No reach past what is committed: the majority's reach cannot pass it either (heartbeats, mostly).
    if (call.covers.index <= this.committed) return false;
    const majority = Math.floor(this.size / 2) + 1;
    // The median reach: the furthest request that a majority holds the log at least as far as.
    let median: LeaderCall | undefined;
    for (const c of this.held) {
      if (c === undefined || (median !== undefined && c.covers.index <= median.covers.index)) continue;
      let reaching = 0;
      for (const d of this.held) if (d !== undefined && d.covers.index >= c.covers.index) reaching++;
      if (reaching >= majority) median = c;
    }
    // Terms only grow along a log: if the median entry is of an older term, so is everything below it.
    if (median === undefined || median.covers.term !== this.term || median.covers.index <= this.committed) return false;
    this.committed = median.covers.index;
    const reach = this.held.flatMap((c, p) => (c === undefined ? [] : [p])).sort((a, b) => this.held[b]!.covers.index - this.held[a]!.covers.index);
    this.holders = reach.slice(0, majority);
    return true;
  }

  /** The messages that show the holders holding what they hold, each once. */
  proof(): LeaderCall[] {
    return [...new Set(this.holders.map((p) => this.held[p]!))];
  }
}

export class CommitRule implements RaftMonitor {
  /** Per cluster, per term. */
  private readonly terms = new Map<RaftCluster, Map<number, TermReplicas>>();
  /** The last bound() asked, kept until some term commits more (a new leader asks it per message until it commits). */
  private lastBound: { cluster: RaftCluster; term: number; commits: number; bound: TermReplicas | undefined } | undefined;
  /** How many times any term's committed index has grown. */
  private commits = 0;

  constructor(private readonly wire: RaftWire) {}

  request(call: RaftCall): void {
    if (call.method === "RequestVote") return;
    const replicas = this.replicas(call.cluster, call.term);
    if (replicas.holds(call.from, call)) this.commits++;
    const claimed = call.method === "AppendEntries" ? call.args.leaderCommit : call.args.lastIncludedIndex;
    if (claimed <= replicas.committed) return; // the common case: committed in its own term
    const bound = this.bound(call.cluster, call.term);
    if (bound !== undefined && claimed <= bound.committed) return;
    const cluster = call.cluster;
    const what =
      call.method === "AppendEntries"
        ? `sent leaderCommit ${claimed}`
        : `sent a snapshot through ${claimed}, so it applied (and committed) that far`;
    const allowed =
      bound === undefined
        ? "nothing is committed yet"
        : `nothing past index ${bound.committed} is committed (an entry of term ${bound.term}, held by a majority in that term: ` +
          `${bound.holders.map((p) => peerName(cluster, p)).join(", ")})`;
    this.wire.violation(
      "a leader commits an entry only once a majority holds an entry of its own term at or after it",
      `${peerName(cluster, call.from)}, leader of term ${call.term}, ${what}, but ${allowed}.\n` +
        `  In term ${call.term}, by the acknowledgements that reached it: ${this.describeHeld(cluster, replicas)}.\n` +
        `  The request${bound === undefined ? "" : `, and the messages that committed index ${bound.committed}`}:`,
      [call, ...(bound?.proof() ?? [])],
      "Leaders: set commitIndex = N only if a majority has matchIndex ≥ N and log[N].term == currentTerm (§5.4.2, Figure 8); " +
        "an entry of an older term commits only with a later entry of the leader's own.",
    );
  }

  answer(call: RaftCall): void {
    if (call.method === "RequestVote" || call.reply!.term !== call.term) return;
    if (call.method === "AppendEntries" && !call.reply!.success) return;
    if (this.replicas(call.cluster, call.term).holds(call.to, call)) this.commits++;
  }

  /** The term up to `term` whose leader committed the highest index, if any did. */
  private bound(cluster: RaftCluster, term: number): TermReplicas | undefined {
    const last = this.lastBound;
    if (last !== undefined && last.cluster === cluster && last.term === term && last.commits === this.commits) return last.bound;
    let best: TermReplicas | undefined;
    for (const r of this.terms.get(cluster)?.values() ?? []) {
      if (r.term <= term && r.committed > (best?.committed ?? 0)) best = r;
    }
    this.lastBound = { cluster, term, commits: this.commits, bound: best };
    return best;
  }

  private describeHeld(cluster: RaftCluster, replicas: TermReplicas): string {
    const parts = replicas.held.map((c, peer) =>
      c === undefined ? `${peerName(cluster, peer)} nothing` : `${peerName(cluster, peer)} holds through ${c.covers.index} (term ${c.covers.term})`,
    );
    return parts.join(", ");
  }

  private replicas(cluster: RaftCluster, term: number): TermReplicas {
    let terms = this.terms.get(cluster);
    if (terms === undefined) this.terms.set(cluster, (terms = new Map()));
    let r = terms.get(term);
    if (r === undefined) terms.set(term, (r = new TermReplicas(term, cluster.servers.length)));
    return r;
  }
}
