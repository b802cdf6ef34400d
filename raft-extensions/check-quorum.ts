// CheckQuorum's bookkeeping (dissertation §6.2): which peers a leader has heard from since its last
// check. A leader checks once per election timeout; if fewer than a majority (itself included)
// answered anything in that time, it is probably cut off from the cluster and steps down, so that
// clients stop waiting on it and the majority's own leader is not held back by a vote lease.
//
// A peer counts as active when any reply of it reaches us — to AppendEntries, InstallSnapshot,
// RequestVote or PreVote, whatever it said: a reply proves the link works both ways. The leader's
// Raft code does not change for this: trackReplies() hands it ends that note each reply first.
import type { Peer } from "../raft/types.ts";
// SOLUTION BEGIN
// TODO(5A): replace each stub below with your code.
// SOLUTION ELSE
// import { notImplemented } from "../sim/index.ts";
// SOLUTION END

export class PeerActivity {
  // SOLUTION BEGIN
  // TODO(5A): what a leader remembers of who answered since its last check.
  /** active[i]: peer i answered since the last check. */
  private readonly active: boolean[];

  constructor(private readonly me: number, peers: number) {
    this.active = new Array<boolean>(peers).fill(false);
  }

  /** `peers` as ends that note each reply before the Raft sees it. */
  trackReplies(peers: Peer[]): Peer[] {
    return peers.map((end, peer) => {
      const tracked = Object.create(end) as Peer;
      const call = end.call.bind(end) as (method: string, args: unknown) => Promise<unknown>;
      (tracked as { call: unknown }).call = async (method: string, args: unknown) => {
        const reply = await call(method, args);
        if (reply !== null) this.active[peer] = true;
        return reply;
      };
      return tracked;
    });
  }

  /** A new leader counts every peer as active (etcd: new peers start "recently active"). */
  markAllActive(): void {
    this.active.fill(true);
  }

  /**
   * Whether a majority, this peer included, was active since the last check; then starts the next
   * period with nobody active. `isMajority` says what a majority is (5E: of the configuration's
   * voters); by default, of every peer. Only the peers `counts` names count (5F: not learners).
   */
  checkAndReset(isMajority: (active: number) => boolean = (active) => active > this.active.length / 2, counts: (peer: number) => boolean = () => true): boolean {
    let active = 1; // ourselves
    for (let peer = 0; peer < this.active.length; peer++) if (peer !== this.me && this.active[peer] && counts(peer)) active++;
    this.active.fill(false);
    return isMajority(active);
  }

  /**
   * 5G: the same check for a joint configuration, whose rule needs to know who answered (a majority
   * of C_old and one of C_new): `isQuorum` is given whether each peer (this one included) did.
   */
  checkAndResetQuorum(isQuorum: (answered: (peer: number) => boolean) => boolean): boolean {
    const answered = [...this.active];
    answered[this.me] = true;
    this.active.fill(false);
    return isQuorum((peer) => answered[peer] === true);
  }
  // SOLUTION ELSE
  // constructor(me: number, peers: number) {}
  //
  // /** `peers` as ends that note each reply before the Raft sees it. */
  // trackReplies(peers: Peer[]): Peer[] {
  //   throw notImplemented("PeerActivity.trackReplies (5A)");
  // }
  // SOLUTION END
}
