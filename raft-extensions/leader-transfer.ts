// Leadership transfer's bookkeeping (dissertation §3.10; lab 5B): what a leader that hands its
// leadership over remembers, and what it learns on the wire.
//
// A transfer has one target and a round number (a new request for another target starts a new
// round; a late timer of an old round must not abort the new one). The leader sends TimeoutNow
// once the target's log matches its own to the last entry, and no sooner: a target that is behind
// would lose the election it starts, and the cluster would have gone through an election for
// nothing. It learns how far the target's log matches from the target's replies, as lab 2's Raft
// does: a successful AppendEntries reply proves the log matches through the request's last entry,
// a reply to InstallSnapshot through the snapshot's last entry.
//
// The ends watch() returns note those replies before lab 2's Raft sees them, and mark the
// RequestVotes of an election that a TimeoutNow started, so that the voters' vote lease lets them
// through. lab 2's Raft code does not change for either.
import type { AppendEntriesArgs, AppendEntriesReply, InstallSnapshotArgs, InstallSnapshotReply, Peer, RequestVoteArgs } from "../raft/types.ts";
import type { ExtendedRequestVoteArgs } from "./types.ts";
export class LeaderTransfer {
  // SOLUTION BEGIN
  // TODO(5B): what a leader remembers of its transfer, and what the peers' replies show.
  /** The server leadership is being handed to, or null. */
  target: number | null = null;
  /** Which transfer this is: each one that starts gets the next number. */
  round = 0;
  /** Whether this round's TimeoutNow has gone out (once per round). */
  timeoutNowSent = false;
  /** The term of the election a TimeoutNow made this peer start (0: none): its RequestVotes say so. */
  campaignTerm = 0;
  /** matched[i]: how far peer i's log is known to match this peer's, and in which of its terms as leader. */
  private readonly matched: { term: number; index: number }[];
  /** Called after each reply that shows how far a peer's log matches. */
  onMatch: (peer: number) => void = () => {};

  constructor(peers: number) {
    this.matched = Array.from({ length: peers }, () => ({ term: 0, index: 0 }));
  }

  /** Starts a transfer to `target`; returns its round. */
  begin(target: number): number {
    this.target = target;
    this.timeoutNowSent = false;
    return ++this.round;
  }

  /** No transfer goes on any more (it completed, timed out, or this peer stopped leading). */
  end(): void {
    this.target = null;
    this.timeoutNowSent = false;
  }

  /** The last index through which peer's log is known to match ours, as leader of `term` (0 if unknown). */
  matchOf(peer: number, term: number): number {
    const m = this.matched[peer]!;
    return m.term === term ? m.index : 0;
  }

  /** `peers` as ends that note how far each peer's log matches, and mark a transfer campaign's RequestVotes. */
  watch(peers: Peer[]): Peer[] {
    return peers.map((end, peer) => {
      const watched = Object.create(end) as Peer;
      const call = end.call.bind(end) as (method: string, args: unknown) => Promise<unknown>;
      (watched as { call: unknown }).call = async (method: string, args: unknown) => {
        const sent = method === "Raft.requestVote" ? this.markTransferVote(args as RequestVoteArgs) : args;
        const reply = await call(method, sent);
        if (reply !== null) this.noteReply(peer, method, args, reply);
        return reply;
      };
      return watched;
    });
  }

  private markTransferVote(args: RequestVoteArgs): ExtendedRequestVoteArgs {
    return args.term === this.campaignTerm ? { ...args, leadershipTransfer: true } : args;
  }

  private noteReply(peer: number, method: string, args: unknown, reply: unknown): void {
    let term: number;
    let index: number;
    if (method === "Raft.appendEntries") {
      const a = args as AppendEntriesArgs;
      const r = reply as AppendEntriesReply;
      if (!r.success || r.term !== a.term) return;
      term = a.term;
      index = a.prevLogIndex + a.entries.length;
    } else if (method === "Raft.installSnapshot") {
      const a = args as InstallSnapshotArgs;
      if ((reply as InstallSnapshotReply).term !== a.term) return;
      term = a.term;
      index = a.lastIncludedIndex;
    } else {
      return;
    }
    const m = this.matched[peer]!;
    if (term > m.term || (term === m.term && index > m.index)) this.matched[peer] = { term, index };
    this.onMatch(peer);
  }
  // SOLUTION ELSE
  // constructor(peers: number) {}
  // SOLUTION END
}
