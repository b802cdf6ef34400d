// Lease reads' bookkeeping (dissertation §6.4.1; lab 5D): the leader's lease, and how long it is.
//
// A follower that accepts a leader's AppendEntries ignores other candidates for the minimum
// election timeout after it (5A's vote lease, by the follower's clock). So once a majority has
// acknowledged an AppendEntries that the leader sent at time s, no other server can win an election
// — and so none can commit anything — before s + ELECTION_TIMEOUT_MIN of the followers' clocks.
// Until then the leader may answer reads from its own state without asking anyone: that is its
// lease. Two rules make it sound:
//   - the lease starts at the *send* time of the request a majority acknowledged, never at the time
//     the acknowledgement arrived (the follower's timer started when it received the request; a
//     reply can take as long as it likes to come back);
//   - it is measured on the leader's clock and shortened for drift: if every clock runs at a rate
//     within [1 − ρ, 1 + ρ] of real time, the follower's ET of its clock can be as short as
//     ET / (1 + ρ) real time and the leader's D of its clock as long as D / (1 − ρ), so the lease
//     lasts D = ET × (1 − ρ) / (1 + ρ) of the leader's clock (ρ = RaftOptions.maxClockDrift).
// The leader counts itself as acknowledging at every instant; the lease starts at the newest time
// such that a majority acknowledged a request sent no earlier (braft's "quorum-th newest" send time).
// A majority of what: of the voters of the configuration in use (5E), read when the lease is
// judged — not of every peer. A learner (5F) acknowledges AppendEntries too, but it votes for no
// one, so its acknowledgement holds off no election; and a leader that removed itself does not
// count itself.
//
// A peer's acknowledgement is any reply to an AppendEntries of the lease's term that carries that
// same term: the peer took the sender for its leader (a log mismatch still counts), and its vote
// lease started. The ends watch() returns note them before lab 2's Raft sees the reply.
//
// What the lease does not know, the extended Raft checks before using it: that this peer still
// leads, that an entry of its term has committed (its commit index is current), and that no
// leadership transfer is under way or has just ended (TimeoutNow's election ignores vote leases).
import { clockOfThisNode } from "../sim/index.ts";
import type { AppendEntriesArgs, AppendEntriesReply, Peer } from "../raft/types.ts";
// SOLUTION BEGIN
// TODO(5D): replace each stub below with your code.
// SOLUTION ELSE
// import { notImplemented } from "../sim/index.ts";
// SOLUTION END

export class ReadLease {
  // SOLUTION BEGIN
  // TODO(5D): what a leader remembers of its peers' acknowledgements.
  /** The term the lease belongs to (0: this peer holds none). */
  private term = 0;
  /** acked[i]: the send time (this peer's clock) of the newest request of `term` peer i acknowledged. */
  private readonly acked: number[];
  /** The clock the lease is measured on: this peer's own (made as its node: see clockOfThisNode). */
  clock: () => number = clockOfThisNode();

  constructor(
    private readonly me: number,
    peers: number,
    /** How long a lease lasts, in ms of this peer's clock. */
    readonly durationMs: number,
    /** The voters of the configuration in use (5E); by default every peer. */
    private readonly voters: () => readonly number[] = () => this.acked.map((_, peer) => peer),
  ) {
    this.acked = new Array<number>(peers).fill(Number.NEGATIVE_INFINITY);
  }

  /** `peers` as ends that note each acknowledged AppendEntries, with the time it was sent, before the Raft sees the reply. */
  watch(peers: Peer[]): Peer[] {
    return peers.map((end, peer) => {
      const watched = Object.create(end) as Peer;
      const call = end.call.bind(end) as (method: string, args: unknown) => Promise<unknown>;
      (watched as { call: unknown }).call = async (method: string, args: unknown) => {
        const sentAt = this.clock();
        const reply = await call(method, args);
        if (method === "Raft.appendEntries" && reply !== null) {
          const { term } = args as AppendEntriesArgs;
          if ((reply as AppendEntriesReply).term === term) this.acknowledged(peer, term, sentAt);
        }
        return reply;
      };
      return watched;
    });
  }

  /** Peer `peer` acknowledged a request of `term` sent at `sentAt`. */
  acknowledged(peer: number, term: number, sentAt: number): void {
    if (term === this.term && sentAt > this.acked[peer]!) this.acked[peer] = sentAt;
  }

  /** This peer begins leading `term`: nobody has acknowledged anything of it yet. */
  begin(term: number): void {
    this.term = term;
    this.acked.fill(Number.NEGATIVE_INFINITY);
  }

  /** This peer stopped leading. */
  end(): void {
    this.term = 0;
  }

  /** When the lease ends, by this peer's clock (−∞: it holds none). */
  until(): number {
    if (this.term === 0) return Number.NEGATIVE_INFINITY;
    const voters = this.voters();
    const others = voters.filter((peer) => peer !== this.me).map((peer) => this.acked[peer]!).sort((a, b) => b - a);
    const majority = Math.floor(voters.length / 2) + 1;
    const needed = voters.includes(this.me) ? majority - 1 : majority; // acknowledgements beyond our own
    const start = needed === 0 ? this.clock() : (others[needed - 1] ?? Number.NEGATIVE_INFINITY);
    return start + this.durationMs;
  }

  /** Whether the lease holds now. */
  holds(): boolean {
    return this.clock() < this.until();
  }
  // SOLUTION END
}

/** How long a lease lasts, in ms of the leader's clock, when the vote lease is `voteLeaseMs` and clocks drift by at most `maxClockDrift` (ρ). */
export function leaseDuration(voteLeaseMs: number, maxClockDrift: number): number {
  // SOLUTION BEGIN
  // TODO(5D)
  return (voteLeaseMs * (1 - maxClockDrift)) / (1 + maxClockDrift);
  // SOLUTION ELSE
  // throw notImplemented("leaseDuration (5D)");
  // SOLUTION END
}
