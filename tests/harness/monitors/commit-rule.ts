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
import { peerName, type LeaderCall, type MomentsRead, type RaftCall, type RaftCluster, type RaftMonitor, type RaftWire } from "./raft-wire.ts";

/** One term's leader and followers: how far each holds the leader's log, and what that commits. */
class TermReplicas {
  /** Per peer, the request that reaches furthest into the leader's log among those it holds. */
  readonly held: (LeaderCall | undefined)[];
  /** Per peer, how far that request reaches (held[p].covers.index; -1: nothing held yet). */
  private readonly reach: number[];
  /** The highest index of this term that a majority holds (0: none yet), and which peers hold it. */
  committed = 0;
  holders: number[] = [];

  constructor(
    readonly cluster: RaftCluster,
    readonly term: number,
  ) {
    const size = cluster.servers.length;
    this.held = new Array<LeaderCall | undefined>(size).fill(undefined);
    this.reach = new Array<number>(size).fill(-1);
  }

  /** `peer` holds the leader's log as far as `call` reaches; true if that commits something new. */
  holds(peer: number, call: LeaderCall): boolean {
    const index = call.covers.index;
    const reach = this.reach;
    if (reach[peer]! >= index) return false;
    this.held[peer] = call;
    reach[peer] = index;
    // No reach past what is committed: the majority's reach cannot pass it either (heartbeats, mostly).
    if (index <= this.committed) return false;
    const majority = Math.floor(reach.length / 2) + 1;
    // The median reach: the furthest that a majority holds the log at least as far as, and a peer
    // whose request reaches exactly there.
    let median = -1;
    let medianPeer = -1;
    for (let p = 0; p < reach.length; p++) {
      const r = reach[p]!;
      if (r <= median) continue;
      let reaching = 0;
      for (let q = 0; q < reach.length; q++) if (reach[q]! >= r) reaching++;
      if (reaching >= majority) {
        median = r;
        medianPeer = p;
      }
    }
    if (median <= this.committed) return false;
    // Terms only grow along a log: if the median entry is of an older term, so is everything below it.
    // (A leader never rewrites its log in its term, so every request that reaches the median entry
    // shows the same term for it.)
    if (this.held[medianPeer]!.covers.term !== this.term) return false;
    this.committed = median;
    const holders: number[] = [];
    for (let p = 0; p < reach.length && holders.length < majority; p++) if (reach[p]! >= median) holders.push(p);
    this.holders = holders;
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
  /** The term replicas() returned last. */
  private lastReplicas: TermReplicas | undefined;

  /**
   * Set by a tester whose clusters change membership (lab 5E): a majority is then one of the
   * configuration in use, not of every server, and this rule steps aside for that tester's own
   * configuration-aware check (tests/raft5/membership-monitor.ts).
   */
  membershipChanges = false;

  readonly reads: MomentsRead = { request: ["AppendEntries", "InstallSnapshot"], answer: ["AppendEntries", "InstallSnapshot"] };

  constructor(private readonly wire: RaftWire) {}

  request(call: RaftCall): void {
    if (call.method === "RequestVote" || this.membershipChanges) return;
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
    // A term's messages come in runs: its leader's requests and their answers.
    const last = this.lastReplicas;
    if (last !== undefined && last.term === term && last.cluster === cluster) return last;
    let terms = this.terms.get(cluster);
    if (terms === undefined) this.terms.set(cluster, (terms = new Map()));
    let r = terms.get(term);
    if (r === undefined) terms.set(term, (r = new TermReplicas(cluster, term)));
    this.lastReplicas = r;
    return r;
  }
}
