// Broken Rafts: the classic student bugs of lab 2, one per rule, each the reference with that rule
// broken (see mutant.ts). They run against every lab 2 test, the conformance tests included.
import { RaftLog } from "../../raft/log.ts";
import type { AppendEntriesArgs, InstallSnapshotArgs, RequestVoteArgs, RequestVoteReply } from "../../raft/types.ts";
import { go, sleep } from "../../sim/index.ts";
import { misreadsReplies, misreadsRequests, raftMutant, reference, type Mutant, type RaftInside } from "./mutant.ts";

const lab2 = ["2A", "2B", "2C", "2D", "2X"];

/** A log term no real log has: a candidate claiming it is up to date with anyone. */
const LATEST = Number.MAX_SAFE_INTEGER;

export const raftMutants: Mutant[] = [
  // --- elections (2A) --------------------------------------------------------------------------
  {
    name: "votes-twice-in-a-term",
    rule: "RequestVote receiver rule 2: grant only if votedFor is null or candidateId",
    bug: "grants its vote to every up-to-date candidate of its term: it never looks at votedFor",
    parts: lab2,
    killedBy: { test: "TestManyElections2A", seed: 1, check: /Figure 2 monitor: a server grants at most one vote per term/ },
    substitutes: {
      makeRaft: raftMutant((m) => {
        m.requestVote = function (this: RaftInside, args: RequestVoteArgs) {
          if (args.term === this.currentTerm) this.votedFor = null;
          return reference.requestVote.call(this, args);
        };
      }),
    },
  },
  {
    name: "votes-for-older-terms",
    rule: "RequestVote receiver rule 1: reply false if term < currentTerm",
    bug: "judges a candidate of an older term as if it were of the current one",
    parts: lab2,
    killedBy: { test: "TestVoteRefusedToAnOlderTerm2X", seed: 1, check: /RequestVote rule 1/ },
    substitutes: { makeRaft: misreadsRequests("requestVote", asOfItsOwnTerm) },
  },
  {
    name: "ignores-log-up-to-dateness",
    rule: "RequestVote receiver rule 2: grant only if the candidate's log is at least as up-to-date (§5.4.1)",
    bug: "votes for any candidate, whatever its log",
    parts: lab2,
    killedBy: { test: "TestFailAgree2B", seed: 1, check: /apply error/ },
    substitutes: { makeRaft: misreadsRequests("requestVote", (_raft, args) => ({ ...args, lastLogTerm: LATEST })) },
  },
  {
    name: "compares-log-lengths-only",
    rule: "§5.4.1: the log with the later last term is more up-to-date; only with equal last terms does the longer win",
    bug: "counts a candidate's log up to date if it is at least as long, whatever its last term",
    parts: lab2,
    killedBy: { test: "TestRejoin2B", seed: 1, check: /apply error/ },
    substitutes: {
      makeRaft: misreadsRequests("requestVote", (raft, args) => ({ ...args, lastLogTerm: args.lastLogIndex >= raft.log.lastIndex() ? LATEST : -1 })),
    },
  },
  {
    name: "compares-last-terms-only",
    rule: "§5.4.1: with equal last terms, the longer log is more up-to-date",
    bug: "counts a candidate's log up to date if its last term is as late as ours, however short it is",
    parts: lab2,
    killedBy: { test: "TestFailAgree2B", seed: 1, check: /apply error/ },
    substitutes: { makeRaft: misreadsRequests("requestVote", (_raft, args) => ({ ...args, lastLogIndex: LATEST })) },
  },
  {
    name: "counts-votes-across-elections",
    rule: "Candidates: become leader on votes from a majority — in this election",
    bug: "keeps its vote count in a field that a new election does not reset, so old votes count again",
    parts: lab2,
    killedBy: { test: "TestManyElections2A", seed: 1, check: /Figure 2 monitor: a server leads a term only after a majority voted for it in that term/ },
    substitutes: {
      makeRaft: raftMutant((m) => {
        m.startElection = function (this: RaftInside & { votesSoFar?: number }) {
          this.becomeCandidate();
          const args: RequestVoteArgs = { term: this.currentTerm, candidateId: this.me, lastLogIndex: this.log.lastIndex(), lastLogTerm: this.log.lastTerm() };
          this.peers.forEach((peer, i) => {
            if (i === this.me) return;
            go(async () => {
              const reply = await peer.call("Raft.requestVote", args);
              if (reply === null || !this.step(reply.term) || !reply.voteGranted) return;
              this.votesSoFar = (this.votesSoFar ?? 0) + 1;
              if (this.role === "candidate" && this.isMajority(this.votesSoFar + 1)) this.becomeLeader();
            });
          });
        };
      }),
    },
  },
  {
    name: "counts-refusals-as-votes",
    rule: "Candidates: become leader on votes from a majority",
    bug: "counts every RequestVote reply of its term as a vote, granted or not",
    parts: lab2,
    killedBy: { test: "TestManyElections2A", seed: 1, check: /Figure 2 monitor: a server leads a term only after a majority voted for it in that term/ },
    substitutes: {
      makeRaft: misreadsReplies((method, _args, reply) =>
        method === "Raft.requestVote" ? { ...(reply as RequestVoteReply), voteGranted: true } : reply,
      ),
    },
  },
  {
    name: "keeps-its-vote-in-a-new-term",
    rule: "votedFor: candidate that received vote in the current term (a new term has no vote yet)",
    bug: "keeps votedFor when it moves to a higher term, so it cannot vote in the new term",
    parts: lab2,
    killedBy: { test: "TestReElection2A", seed: 1, check: /expected one leader, got none/ },
    substitutes: {
      makeRaft: raftMutant((m) => {
        m.becomeFollower = function (this: RaftInside, term: number) {
          const votedFor = this.votedFor;
          reference.becomeFollower.call(this, term);
          this.votedFor = votedFor;
          this.persist();
        };
      }),
    },
  },
  {
    name: "heartbeats-do-not-reset-the-timer",
    rule: "Followers: an election starts only if the timeout passes without AppendEntries from the current leader",
    bug: "does not reset its election timer when AppendEntries comes, so it starts elections under a live leader",
    parts: lab2,
    killedBy: { test: "TestRPCBytes2B", seed: 1, check: /failed to reach agreement/ },
    substitutes: {
      makeRaft: raftMutant((m) => {
        m.appendEntries = function (this: RaftInside, args: AppendEntriesArgs) {
          const deadline = this.electionDeadline;
          const reply = reference.appendEntries.call(this, args);
          this.electionDeadline = deadline;
          return reply;
        };
      }),
    },
  },
  {
    name: "candidate-ignores-the-new-leader",
    rule: "Candidates: if AppendEntries RPC received from new leader: convert to follower",
    bug: "a candidate rejects AppendEntries from the leader of its own term and keeps campaigning",
    parts: lab2,
    killedBy: { test: "TestCandidateFollowsTheNewLeader2X", seed: 1, check: /Candidates: if AppendEntries is received from the new leader/ },
    substitutes: {
      makeRaft: raftMutant((m) => {
        m.appendEntries = function (this: RaftInside, args: AppendEntriesArgs) {
          if (this.role === "candidate" && args.term === this.currentTerm) {
            return { term: this.currentTerm, success: false, conflictTerm: -1, conflictIndex: this.log.lastIndex() + 1 };
          }
          return reference.appendEntries.call(this, args);
        };
      }),
    },
  },
  {
    name: "ignores-terms-in-replies",
    rule: "All servers: if a response contains term T > currentTerm, set currentTerm = T and convert to follower",
    bug: "a leader reads AppendEntries replies without looking at their term, so it goes on leading an old term",
    parts: lab2,
    killedBy: { test: "TestManyElections2A", seed: 1, check: /Figure 2 monitor: a server that hears of a higher term adopts it/ },
    substitutes: {
      makeRaft: misreadsReplies((method, args, reply) =>
        method === "Raft.appendEntries" ? { ...(reply as object), term: (args as AppendEntriesArgs).term } : reply,
      ),
    },
  },
  {
    name: "leader-keeps-leading-a-newer-term",
    rule: "All servers: if an RPC request contains term T > currentTerm, set currentTerm = T and convert to follower",
    bug: "a leader that gets a RequestVote of a higher term adopts the term but stays leader, now of a term nobody elected it in",
    parts: lab2,
    killedBy: { test: "TestFailNoAgree2B", seed: 1, check: /Figure 2 monitor: a server leads a term only after a majority voted for it in that term/ },
    substitutes: {
      makeRaft: raftMutant((m) => {
        m.requestVote = function (this: RaftInside, args: RequestVoteArgs) {
          const led = this.role === "leader" ? this.currentTerm : undefined;
          const reply = reference.requestVote.call(this, args);
          if (led !== undefined && this.currentTerm > led && !reply.voteGranted) this.becomeLeader();
          return reply;
        };
      }),
    },
  },
  {
    name: "answers-in-its-old-term",
    rule: "All servers: if a request contains term T > currentTerm, set currentTerm = T — the reply carries the new term",
    bug: "fills in the AppendEntries reply's term before it adopts the leader's higher term",
    parts: lab2,
    killedBy: { test: "TestReElection2A", seed: 1, check: /Figure 2 monitor: a server that hears of a higher term adopts it/ },
    substitutes: {
      makeRaft: raftMutant((m) => {
        m.appendEntries = function (this: RaftInside, args: AppendEntriesArgs) {
          const before = this.currentTerm;
          const reply = reference.appendEntries.call(this, args);
          return { ...reply, term: Math.min(reply.term, before) };
        };
      }),
    },
  },
  {
    name: "does-not-save-its-own-vote",
    rule: "votedFor is persistent: a candidate's vote for itself is saved before it asks for votes",
    bug: "saves the new term when it becomes a candidate, but not that it voted for itself",
    parts: lab2,
    killedBy: { test: "TestOwnVoteSavedBeforeAsking2X", seed: 1, check: /Persistent state \(currentTerm, votedFor, log\[\]\) is saved/ },
    substitutes: {
      makeRaft: raftMutant((m) => {
        m.becomeCandidate = function (this: RaftInside) {
          reference.becomeCandidate.call(this);
          this.votedFor = null;
          this.persist();
          this.votedFor = this.me;
        };
      }),
    },
  },

  // --- log replication (2B) --------------------------------------------------------------------
  {
    name: "skips-the-prev-log-term-check",
    rule: "AppendEntries receiver rule 2: reply false if the log has no entry at prevLogIndex whose term matches prevLogTerm",
    bug: "checks that an entry exists at prevLogIndex, but not its term",
    parts: lab2,
    killedBy: { test: "TestRejoin2B", seed: 1, check: /apply error/ },
    substitutes: {
      makeRaft: misreadsRequests("appendEntries", (raft, args) => {
        const p = args.prevLogIndex;
        const inLog = p >= raft.log.snapshotIndex && p <= raft.log.lastIndex();
        return inLog ? { ...args, prevLogTerm: raft.log.term(p) } : args;
      }),
    },
  },
  {
    name: "accepts-appends-from-older-terms",
    rule: "AppendEntries receiver rule 1: reply false if term < currentTerm",
    bug: "takes entries from a leader of an older term as if it were the current one",
    parts: lab2,
    killedBy: { test: "TestAppendRefusedFromAnOlderTerm2X", seed: 1, check: /AppendEntries rule 1/ },
    substitutes: { makeRaft: misreadsRequests("appendEntries", asOfItsOwnTerm) },
  },
  {
    name: "appends-past-the-end",
    rule: "AppendEntries receiver rule 2: reply false if the log has no entry at prevLogIndex",
    bug: "when prevLogIndex is past its log, appends the entries after its last entry anyway",
    parts: lab2,
    killedBy: { test: "TestFailAgree2B", seed: 1, check: /apply error/ },
    substitutes: {
      makeRaft: misreadsRequests("appendEntries", (raft, args) =>
        args.prevLogIndex > raft.log.lastIndex() ? { ...args, prevLogIndex: raft.log.lastIndex(), prevLogTerm: raft.log.lastTerm() } : args,
      ),
    },
  },
  {
    name: "appends-at-the-end-of-its-log",
    rule: "AppendEntries receiver rule 4: append any new entries not already in the log (at prevLogIndex + 1 on)",
    bug: "appends the request's entries after its own last entry, so a retransmission is appended twice",
    parts: lab2,
    killedBy: { test: "TestFailNoAgree2B", seed: 1, check: /apply error/ },
    substitutes: {
      makeRaft: misreadsRequests("appendEntries", (raft, args) => {
        const p = args.prevLogIndex;
        const inside = p >= raft.log.snapshotIndex && p < raft.log.lastIndex() && raft.log.term(p) === args.prevLogTerm;
        return inside && args.entries.length > 0 ? { ...args, prevLogIndex: raft.log.lastIndex(), prevLogTerm: raft.log.lastTerm() } : args;
      }),
    },
  },
  {
    name: "truncates-on-every-append",
    rule: "AppendEntries receiver rule 3: delete entries only at a conflict (a stale, shorter request must not cut the log)",
    bug: "deletes everything after prevLogIndex before appending, even entries that match (though never a committed one)",
    parts: lab2,
    killedBy: { test: "TestPersist22C", seed: 1, check: /failed to reach agreement/ },
    substitutes: {
      makeRaft: raftMutant((m) => {
        m.appendEntries = function (this: RaftInside, args: AppendEntriesArgs) {
          const p = args.prevLogIndex;
          const matches = args.term >= this.currentTerm && p >= this.log.snapshotIndex && p <= this.log.lastIndex() && this.log.term(p) === args.prevLogTerm;
          if (matches) this.log.truncateAfter(Math.max(p, this.commitIndex));
          return reference.appendEntries.call(this, args);
        };
      }),
    },
  },
  {
    name: "commits-up-to-its-last-entry",
    rule: "AppendEntries receiver rule 5: commitIndex = min(leaderCommit, index of last new entry)",
    bug: "sets commitIndex = min(leaderCommit, its own last index), committing entries the leader never checked",
    parts: lab2,
    killedBy: { test: "TestRejoin2B", seed: 1, check: /apply error/ },
    substitutes: {
      makeRaft: raftMutant((m) => {
        m.appendEntries = function (this: RaftInside, args: AppendEntriesArgs) {
          const reply = reference.appendEntries.call(this, args);
          const commit = Math.min(args.leaderCommit, this.log.lastIndex());
          if (reply.success && commit > this.commitIndex) this.setCommitIndex(commit);
          return reply;
        };
      }),
    },
  },
  {
    name: "commits-entries-of-older-terms",
    rule: "Leaders: commit N only if log[N].term == currentTerm (§5.4.2, Figure 8)",
    bug: "commits whatever a majority holds, of any term",
    parts: lab2,
    killedBy: { test: "TestFigure82C", seed: 1, check: /Figure 2 monitor: a leader commits an entry only once a majority holds an entry of its own term at or after it/ },
    substitutes: { makeRaft: raftMutant((m) => (m.advanceCommitIndex = commitsWhatHolders(0))) },
  },
  {
    name: "counts-one-replica-too-few",
    rule: "Leaders: commit N only if a majority of matchIndex[i] ≥ N",
    bug: "commits what one server fewer than a majority holds (in 3 servers, what the leader alone has)",
    parts: lab2,
    killedBy: { test: "TestBasicAgree2B", seed: 1, check: /Figure 2 monitor: a leader commits an entry only once a majority holds an entry of its own term at or after it/ },
    substitutes: { makeRaft: raftMutant((m) => (m.advanceCommitIndex = commitsWhatHolders(-1))) },
  },
  {
    name: "never-backs-up",
    rule: "Leaders: if AppendEntries fails because of log inconsistency, decrement nextIndex and retry",
    bug: "retries a rejected follower from its own last entry, so a follower with a different log never catches up",
    parts: lab2,
    killedBy: { test: "TestFailAgree2B", seed: 1, check: /failed to reach agreement/ },
    substitutes: {
      makeRaft: raftMutant((m) => {
        m.nextIndexAfterConflict = function (this: RaftInside) {
          return this.log.lastIndex();
        };
      }),
    },
  },

  // --- persistence (2C) ------------------------------------------------------------------------
  {
    name: "does-not-save-the-term",
    rule: "currentTerm is persistent state, saved before responding to RPCs",
    bug: "saves votedFor and the log, but always term 0",
    parts: lab2,
    killedBy: { test: "TestReliableChurn2C", seed: 1, check: /Figure 2 monitor: a server's term never goes back/ },
    substitutes: {
      makeRaft: raftMutant((m) => {
        savesAlways(m, "currentTerm", 0);
        m.readPersist = function (this: RaftInside) {
          reference.readPersist.call(this);
          // a restarted log may end in a later term than the saved 0: keep the log's invariant
          this.currentTerm = Math.max(this.currentTerm, this.log.lastTerm());
        };
      }),
    },
  },
  {
    name: "does-not-save-its-vote",
    rule: "votedFor is persistent state, saved before responding to RPCs",
    bug: "saves the term and the log, but not votedFor",
    parts: lab2,
    killedBy: { test: "TestVoteSavedBeforeReplying2X", seed: 1, check: /Persistent state \(currentTerm, votedFor, log\[\]\) is saved/ },
    substitutes: {
      makeRaft: raftMutant((m) => savesAlways(m, "votedFor", null)),
    },
  },
  {
    name: "does-not-save-appended-entries",
    rule: "log[] is persistent state, saved before responding to RPCs",
    bug: "a follower saves nothing in its AppendEntries handler: entries it acknowledged are gone after a restart",
    parts: lab2,
    killedBy: { test: "TestPersist12C", seed: 1, check: /failed to reach agreement/ },
    substitutes: { makeRaft: savesInAppendEntries(() => {}) },
  },
  {
    name: "saves-appended-entries-late",
    rule: "Persistent state is updated on stable storage before responding to RPCs",
    bug: "a follower saves its log 10 ms after it replied to AppendEntries",
    parts: lab2,
    killedBy: { test: "TestTermSavedBeforeReplying2X", seed: 1, check: /Persistent state \(currentTerm, votedFor, log\[\]\) is saved/ },
    substitutes: {
      makeRaft: savesInAppendEntries((save) =>
        go(async () => {
          await sleep(10);
          save();
        }),
      ),
    },
  },

  // --- snapshots (2D) --------------------------------------------------------------------------
  {
    name: "forgets-its-snapshot-on-restart",
    rule: "The snapshot is saved with the Raft state (persister.save(state, snapshot)) and read back on restart",
    bug: "keeps the snapshot only in memory, and its first save after a restart writes no snapshot over it",
    parts: lab2,
    killedBy: { test: "TestSnapshotInit2D", seed: 1, check: /apply error/ },
    substitutes: {
      makeRaft: raftMutant((m) => {
        m.persist = function (this: RaftInside & { snapshotInMemory?: Uint8Array }, snapshot?: Uint8Array) {
          if (snapshot !== undefined) this.snapshotInMemory = snapshot;
          reference.persist.call(this, this.snapshotInMemory ?? new Uint8Array(0));
        };
      }),
    },
  },
  {
    name: "installs-snapshots-from-older-terms",
    rule: "InstallSnapshot receiver rule 1: reply immediately if term < currentTerm",
    bug: "installs a snapshot from a leader of an older term",
    parts: lab2,
    killedBy: { test: "TestSnapshotRefusedFromAnOlderTerm2X", seed: 1, check: /InstallSnapshot rule 1/ },
    substitutes: { makeRaft: misreadsRequests("installSnapshot", asOfItsOwnTerm) },
  },
  {
    name: "hands-stale-snapshots-to-the-service",
    rule: "InstallSnapshot: a snapshot the log has already passed changes nothing (the service never goes back)",
    bug: "sends every snapshot it receives to the service, even one older than what it has applied",
    parts: lab2,
    killedBy: { test: "TestStaleSnapshotChangesNothing2X", seed: 1, check: /InstallSnapshot: a snapshot older than what the server has applied/ },
    substitutes: {
      makeRaft: raftMutant((m) => {
        m.installSnapshot = function (this: RaftInside, args: InstallSnapshotArgs) {
          if (args.term >= this.currentTerm && args.lastIncludedIndex <= this.commitIndex) {
            const msg = { snapshotValid: true as const, snapshot: args.data, snapshotTerm: args.lastIncludedTerm, snapshotIndex: args.lastIncludedIndex };
            go(() => this.applyCh.send(msg));
          }
          return reference.installSnapshot.call(this, args);
        };
      }),
    },
  },
  {
    name: "drops-the-log-after-a-snapshot",
    rule: "InstallSnapshot receiver rule 6: if an existing entry matches the snapshot's last, retain the entries after it",
    bug: "discards its whole log on every InstallSnapshot, even entries after a matching last included entry",
    parts: lab2,
    killedBy: { test: "TestSnapshotKeepsAMatchingSuffix2X", seed: 1, check: /InstallSnapshot rule 6/ },
    substitutes: {
      makeRaft: raftMutant((m) => {
        m.installSnapshot = function (this: RaftInside & { pendingSnapshot?: { index: number } }, args: InstallSnapshotArgs) {
          const reply = reference.installSnapshot.call(this, args);
          const installed = this.pendingSnapshot?.index === args.lastIncludedIndex;
          if (installed && this.log.lastIndex() > args.lastIncludedIndex) {
            this.log = new RaftLog(args.lastIncludedIndex, args.lastIncludedTerm);
            this.persist(args.data);
          }
          return reply;
        };
      }),
    },
  },
  {
    name: "keeps-a-conflicting-log-after-a-snapshot",
    rule: "InstallSnapshot receiver rule 7: if no entry matches the snapshot's last included entry, discard the entire log",
    bug: "keeps its entries after the snapshot's last index even when its entry there is of another term",
    parts: lab2,
    killedBy: { test: "TestSnapshotDiscardsAConflictingLog2X", seed: 1, check: /InstallSnapshot rule 7/ },
    substitutes: {
      makeRaft: raftMutant((m) => {
        m.installSnapshot = function (this: RaftInside, args: InstallSnapshotArgs) {
          const last = args.lastIncludedIndex;
          const conflicting = last > this.log.snapshotIndex && last < this.log.lastIndex() && this.log.term(last) !== args.lastIncludedTerm;
          const after = conflicting ? this.log.entriesAfter(last) : [];
          const reply = reference.installSnapshot.call(this, args);
          // put them back as they were (a student's log is an array it slices, with no check on terms)
          if (conflicting && this.log.snapshotIndex === last) (this.log as unknown as { entries: unknown[] }).entries = after;
          return reply;
        };
      }),
    },
  },
  {
    name: "does-not-hand-the-snapshot-over",
    rule: "InstallSnapshot receiver rule 8: reset the state machine using the snapshot contents",
    bug: "installs the leader's snapshot in its log but never sends it to the service on applyCh",
    parts: lab2,
    killedBy: { test: "TestSnapshotInstall2D", seed: 1, check: /apply error/ },
    substitutes: {
      makeRaft: raftMutant((m) => {
        m.installSnapshot = function (this: RaftInside & { pendingSnapshot?: unknown }, args: InstallSnapshotArgs) {
          const reply = reference.installSnapshot.call(this, args);
          if (this.pendingSnapshot !== undefined) {
            this.pendingSnapshot = undefined;
            this.lastApplied = Math.max(this.lastApplied, args.lastIncludedIndex);
          }
          return reply;
        };
      }),
    },
  },
  {
    name: "snapshots-what-it-has-not-applied",
    rule: "snapshot(index) compacts only what the service has applied",
    bug: "accepts snapshot() for an index it has not applied yet",
    parts: lab2,
    substitutes: {
      makeRaft: raftMutant((m) => {
        m.snapshot = function (this: RaftInside, index: number, data: Uint8Array) {
          const applied = this.lastApplied;
          this.lastApplied = Math.max(applied, index);
          reference.snapshot.call(this, index, data);
          this.lastApplied = applied;
        };
      }),
    },
    equivalent: "the service calls snapshot() only for an index it has just been sent on applyCh, so the check never matters",
  },
];

/**
 * A request's term as a receiver that leaves out rule 1 reads it: an older term is taken for its
 * own. (Not by a leader, which the reference's assertion would stop: a second leader of its term.)
 */
function asOfItsOwnTerm<A extends { term: number }>(raft: RaftInside, args: A): A {
  return raft.role === "leader" ? args : { ...args, term: Math.max(args.term, raft.currentTerm) };
}

/** Makes the mutant save `value` for `field` whatever it holds: a field left out of what persist() saves. */
function savesAlways<F extends "currentTerm" | "votedFor">(m: RaftInside, field: F, value: RaftInside[F]): void {
  m.persist = function (this: RaftInside, snapshot?: Uint8Array) {
    const held = this[field];
    this[field] = value;
    reference.persist.call(this, snapshot);
    this[field] = held;
  };
}

/**
 * A Raft whose saves, while it handles an AppendEntries, are left to `later`, which is given the
 * save to make (now, later or never): for bugs in "saved before responding".
 */
function savesInAppendEntries(later: (save: () => void) => void) {
  return raftMutant((m) => {
    m.appendEntries = function (this: RaftInside & { handling?: boolean }, args: AppendEntriesArgs) {
      this.handling = true;
      try {
        return reference.appendEntries.call(this, args);
      } finally {
        this.handling = false;
      }
    };
    m.persist = function (this: RaftInside & { handling?: boolean }, snapshot?: Uint8Array) {
      if (!this.handling) return reference.persist.call(this, snapshot);
      later(() => reference.persist.call(this));
    };
  });
}

/**
 * advanceCommitIndex as "commit the highest index held by a majority": no check of the entry's
 * term, and the majority off by `off` servers.
 */
function commitsWhatHolders(off: number): (this: RaftInside) => void {
  return function (this: RaftInside) {
    const held = this.progress.map((p) => p.matchIndex).sort((a, b) => b - a);
    const n = held[Math.floor(this.peers.length / 2) + off] ?? 0;
    if (n > this.commitIndex) this.setCommitIndex(Math.min(n, this.log.lastIndex()));
  };
}
