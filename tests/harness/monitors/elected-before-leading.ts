// Monitor: a server acts as leader of term T only after a majority has voted for it in T (§5.2,
// rules for candidates: "if votes received from majority of servers: become leader").
//
// Acting as leader is sending AppendEntries or InstallSnapshot in T. Votes count when their reply
// reaches the candidate (a vote lost on the way was never received), only if granted in T to a
// RequestVote of T — so a candidate that counts votes from an earlier election, counts refusals,
// or counts one voter twice is caught the moment it first acts as leader. The candidate's own vote
// counts too.
import { peerName, type MomentsRead, type RaftCall, type RaftCluster, type RaftMonitor, type RaftWire, type VoteCall } from "./raft-wire.ts";

export class ElectedBeforeLeading implements RaftMonitor {
  /** Per cluster, per "candidate/term": the votes it received, one per voter. */
  private readonly votes = new Map<RaftCluster, Map<string, Map<number, VoteCall>>>();
  /** Per cluster, per server: the latest term it was found elected in (a leader sends many requests per term). */
  private readonly elected = new Map<RaftCluster, number[]>();
  private lastCluster: RaftCluster | undefined;
  private lastElected: number[] | undefined;

  /** Set by a tester whose clusters change membership (lab 5E), which checks elections against the configuration in use itself. */
  membershipChanges = false;

  readonly reads: MomentsRead = { request: ["AppendEntries", "InstallSnapshot"], answer: ["RequestVote"] };

  constructor(private readonly wire: RaftWire) {}

  answer(call: RaftCall): void {
    if (call.method !== "RequestVote" || !call.reply!.voteGranted || call.reply!.term !== call.args.term) return;
    const key = `${call.from}/${call.args.term}`;
    const votes = this.of(this.votes, call.cluster, () => new Map<string, Map<number, VoteCall>>());
    let received = votes.get(key);
    if (received === undefined) votes.set(key, (received = new Map()));
    if (!received.has(call.to)) received.set(call.to, call);
  }

  request(call: RaftCall): void {
    if (call.method === "RequestVote" || this.membershipChanges) return;
    // A leader sends many requests per term, and most testers have one cluster: the last one's list first.
    let elected = call.cluster === this.lastCluster ? this.lastElected : this.elected.get(call.cluster);
    if (elected === undefined) this.elected.set(call.cluster, (elected = call.cluster.servers.map(() => -1)));
    this.lastCluster = call.cluster;
    this.lastElected = elected;
    if (elected[call.from] === call.term) return;
    const received = this.votes.get(call.cluster)?.get(`${call.from}/${call.term}`) ?? new Map<number, VoteCall>();
    const votes = 1 + received.size; // its own, and the others'
    const size = call.cluster.servers.length;
    if (votes > size / 2) {
      elected[call.from] = call.term;
      return;
    }
    this.wire.violation(
      "a server leads a term only after a majority voted for it in that term",
      `${peerName(call.cluster, call.from)} acted as leader of term ${call.term} with ${votes} of ${size} votes ` +
        `(its own${received.size === 0 ? " only" : ` and ${[...received.keys()].map((p) => `server ${p}`).join(", ")}`}):`,
      [...received.values(), call],
      "Candidates: become leader once votes from a majority are received — votes granted in this term, to this election's RequestVote.",
    );
  }

  private of<T>(map: Map<RaftCluster, T>, cluster: RaftCluster, make: () => T): T {
    let value = map.get(cluster);
    if (value === undefined) map.set(cluster, (value = make()));
    return value;
  }
}
