// The leader's view of one follower: Figure 2's "volatile state on leaders", one per peer, in the
// way etcd's raft keeps a Progress for each follower.
//
// nextIndex and matchIndex are the paper's. The one addition is batching: at most one request is
// waiting for its reply at a time. Entries the leader appends meanwhile are not sent one request
// each; they wait for that reply and then go together in one request. Heartbeats are not held
// back by this (raft.ts sends them every interval whatever is on its way), so a lost request
// delays the follower by one heartbeat at most.
import { invariant } from "../sim/index.ts";

export class Progress {
  // SOLUTION BEGIN
  // TODO(2B): what a leader keeps about one follower: Figure 2's nextIndex and matchIndex, and
  //   anything else you track per follower. (Or keep it in raft.ts, and leave this file empty.)
  /** Index of the next log entry to send to this follower (Figure 2: leader's last index + 1 at first). */
  nextIndex: number;
  /** Index of the highest log entry known to be replicated on this follower (0 at first; only grows). */
  matchIndex = 0;
  /** The request sent last, while its reply is awaited (a counter, so that a late reply is told apart). */
  private awaited: number | undefined;
  private requestsSent = 0;

  constructor(leaderLastIndex: number) {
    this.nextIndex = leaderLastIndex + 1;
  }

  /** Whether a request is on its way and unanswered: new entries wait for its reply. */
  get awaitingReply(): boolean {
    return this.awaited !== undefined;
  }

  /** Records that a request goes out now; returns its number, for answered(). */
  sent(): number {
    this.awaited = ++this.requestsSent;
    return this.awaited;
  }

  /** Records that request `request` was answered (or failed); true if it was the last one sent. */
  answered(request: number): boolean {
    if (this.awaited !== request) return false;
    this.awaited = undefined;
    return true;
  }

  /** The follower holds the leader's log up to `match` (AppendEntries or InstallSnapshot succeeded). */
  succeeded(match: number): void {
    // Replies can arrive out of order: an older, shorter success must not move anything back.
    this.matchIndex = Math.max(this.matchIndex, match);
    this.nextIndex = Math.max(this.nextIndex, this.matchIndex + 1);
  }

  /** The follower's log does not match before `next` (AppendEntries failed its consistency check). */
  rejected(next: number): void {
    // Never back up over what the follower has acknowledged: that part of its log matches ours.
    this.nextIndex = Math.max(this.matchIndex + 1, next);
  }

  /** Checks what must hold between this follower's indexes and the leader's log. */
  checkAgainst(leaderLastIndex: number): void {
    invariant(this.matchIndex < this.nextIndex, "a follower's matchIndex is below its nextIndex", () => `${this.matchIndex} ≥ ${this.nextIndex}`);
    invariant(this.nextIndex <= leaderLastIndex + 1, "a follower's nextIndex is at most the leader's last index + 1", () => `${this.nextIndex} > ${leaderLastIndex} + 1`);
  }
  // SOLUTION END
}
