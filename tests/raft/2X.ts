// Part 2X: conformance tests, our own. In each, the harness (peer-harness.ts) plays every peer but
// one: it hands the server under test crafted RequestVote, AppendEntries and InstallSnapshot
// requests, as a leader or a candidate would, answers what the server sends as the test decides,
// and checks each answer against one rule of Figure 2 or Figure 13. The randomized 6.824 tests
// reach most of these situations rarely, or check them only by their consequences much later;
// here each rule is put to the server directly, and a failure names it.
//
// They work against any Raft that follows the lab's API. Which lab part each group needs:
//   RequestVote, elections                 2A
//   AppendEntries, commitment              2B
//   saved before the reply (crash at once) 2C
//   InstallSnapshot                        2D
// (`npm test -- 2X -t "Vote"` runs the RequestVote ones, and so on.)
import { encodeToBytes, sleep } from "../../sim/index.ts";
import type { AppendEntriesArgs, ApplyMsg } from "../../raft/types.ts";
import { defineTest } from "../harness/define-test.ts";
import { fail } from "../harness/failure.ts";
import type { LabTest } from "../registry.ts";
import { ELECTION_WITHIN_MS, agree, entries, makePeerHarness, refuse, type Answer, type PeerHarness } from "./peer-harness.ts";

/** Fails with the rule and what the server did, unless `ok`. */
function check(ok: boolean, rule: string, what: string): void {
  if (!ok) fail(`${rule}\n  ${what}`);
}

const RV1 = "RequestVote rule 1: reply false if term < currentTerm";
const RV2 = "RequestVote rule 2: grant if votedFor is null or candidateId, and the candidate's log is at least as up-to-date (§5.4.1)";
const ALL = "All servers: if an RPC request or response contains term T > currentTerm, set currentTerm = T and convert to follower";
const ELECT = "Candidates: become leader only on votes from a majority of servers, in this election";
const FOLLOW = "Candidates: if AppendEntries is received from the new leader, convert to follower";
const TIMER = "Followers: start an election only if the timeout passes without AppendEntries from the current leader";
const AE1 = "AppendEntries rule 1: reply false if term < currentTerm";
const AE2 = "AppendEntries rule 2: reply false if the log has no entry at prevLogIndex whose term matches prevLogTerm";
const AE3 = "AppendEntries rule 3: if an existing entry conflicts with a new one, delete it and all that follow — only then";
const AE4 = "AppendEntries rule 4: append any new entries not already in the log";
const AE5 = "AppendEntries rule 5: if leaderCommit > commitIndex, set commitIndex = min(leaderCommit, index of last new entry)";
const COMMIT = "Leaders: commit N only if a majority has matchIndex ≥ N and log[N].term == currentTerm (§5.4.2)";
const BACKUP = "Leaders: if AppendEntries fails because of log inconsistency, decrement nextIndex and retry";
const SAVED = "Persistent state (currentTerm, votedFor, log[]) is saved on stable storage before responding to RPCs";
const IS1 = "InstallSnapshot rule 1: reply immediately if term < currentTerm";
const IS6 = "InstallSnapshot rule 6: if an existing entry has the snapshot's last index and term, retain the entries after it";
const IS7 = "InstallSnapshot rule 7: otherwise discard the entire log";
const IS8 = "InstallSnapshot rule 8: reset the state machine using the snapshot (before any later entry is applied)";
const STALE = "InstallSnapshot: a snapshot older than what the server has applied changes nothing (the service never goes back)";

/** An AppendEntries body with nothing in it: prevLog 0, no entries, leaderCommit 0. */
const NOTHING = { prevLogIndex: 0, prevLogTerm: 0, entries: [], leaderCommit: 0 } satisfies Omit<AppendEntriesArgs, "term" | "leaderId">;

const snapshotData = (through: number): Uint8Array => encodeToBytes({ through }, "a test's snapshot");

/** "ApplyMsg command 3 at index 2" / "snapshot through 3": an applyCh message in words. */
function showApplied(m: ApplyMsg | undefined): string {
  if (m === undefined) return "nothing";
  return m.snapshotValid === true ? `a snapshot through ${m.snapshotIndex}` : `command ${JSON.stringify(m.command)} at index ${m.commandIndex}`;
}

function showAll(applied: ApplyMsg[]): string {
  return applied.length === 0 ? "nothing" : applied.map(showApplied).join(", ");
}

/** How showAll() says that `commands` were applied at indexes from `first` on. */
function applies(first: number, ...commands: unknown[]): string[] {
  return commands.map((c, k) => `command ${JSON.stringify(c)} at index ${first + k}`);
}

/**
 * Checks that everything server 0 has sent on applyCh, from the start, is `expected` (showApplied's
 * words), waiting up to 2 s for it to get that far, then 200 ms for anything more.
 */
async function expectApplied(h: PeerHarness, rule: string, expected: string[]): Promise<void> {
  const want = expected.length === 0 ? "nothing" : expected.join(", ");
  const said = () => `${rule}\n  server 0 should have applied ${want}; it applied ${showAll(h.applied)}`;
  await h.waitFor(() => h.applied.length >= expected.length, 2000, said);
  await sleep(200);
  if (showAll(h.applied) !== want) fail(said());
}

/** Waits until server 0 campaigns and, with every peer's vote, leads: the term it leads. */
async function electServer0(h: PeerHarness): Promise<number> {
  h.answer = agree;
  const ae = await h.nextRequest("AppendEntries", ELECTION_WITHIN_MS + 1000, "server 0 never acted as leader, though every peer granted it every vote it asked for");
  return ae.args.term;
}

export const tests: LabTest[] = [
  // --- RequestVote and elections (2A) ----------------------------------------------------------

  defineTest("2X", "TestVoteRefusedToAnOlderTerm2X", async (t) => {
    const h = makePeerHarness(t);
    await h.lead(3, NOTHING);
    const r = await h.requestVote(2, { term: 2, candidateId: 2, lastLogIndex: 0, lastLogTerm: 0 });
    check(!r.voteGranted, RV1, "server 0, in term 3, granted its vote to a candidate of term 2");
    check(r.term === 3, RV1, `server 0 is in term 3 but its reply says term ${r.term}`);
  }),

  defineTest("2X", "TestOneVotePerTerm2X", async (t) => {
    const h = makePeerHarness(t);
    await h.lead(3, NOTHING);
    h.stopLeading();
    const vote = async (candidate: number, term: number) => (await h.requestVote(candidate, { term, candidateId: candidate, lastLogIndex: 0, lastLogTerm: 0 })).voteGranted;
    check(await vote(2, 4), RV2, "server 0 refused its vote in term 4 to the first candidate to ask, with an up-to-date log");
    check(!(await vote(1, 4)), RV2, "server 0 voted for server 2 in term 4, then for server 1 in term 4 too");
    check(await vote(2, 4), RV2, "server 0 voted for server 2 in term 4, and refused it when it asked again in term 4");
    check(await vote(1, 5), RV2, "server 0 refused its vote in term 5 to server 1: a new term has no vote yet (votedFor is reset)");
  }),

  defineTest("2X", "TestVoteNeedsAnUpToDateLog2X", async (t) => {
    const h = makePeerHarness(t);
    await h.lead(2, { ...NOTHING, entries: [...entries(1, "a", "b"), ...entries(2, "c")] });
    h.stopLeading();
    // server 0's log: a (term 1), b (term 1), c (term 2). Each candidate asks in a term of its own.
    const cases: [term: number, lastLogIndex: number, lastLogTerm: number, grant: boolean, why: string][] = [
      [3, 5, 1, false, "a longer log whose last entry is of an older term"],
      [4, 2, 2, false, "a shorter log with the same last term"],
      [5, 3, 2, true, "the same log end"],
      [6, 1, 3, true, "a shorter log whose last entry is of a later term"],
    ];
    for (const [term, lastLogIndex, lastLogTerm, grant, why] of cases) {
      const r = await h.requestVote(2, { term, candidateId: 2, lastLogIndex, lastLogTerm });
      check(r.voteGranted === grant, RV2, `server 0, whose log ends at 3 (term 2), ${r.voteGranted ? "granted" : "refused"} its vote in term ${term} to a candidate with ${why} (last entry ${lastLogIndex} of term ${lastLogTerm})`);
      check(r.term === term, ALL, `a RequestVote of term ${term} was answered with term ${r.term}: the server adopts a higher term, whether it votes or not`);
    }
  }),

  defineTest("2X", "TestLeaderStepsDownForAHigherTermRequest2X", async (t) => {
    const h = makePeerHarness(t);
    await h.lead(1, { ...NOTHING, entries: entries(1, "a") });
    h.stopLeading();
    const term = await electServer0(h);
    check(h.state().isLeader, ELECT, `server 0 sent AppendEntries in term ${term} but getState() says it does not lead`);
    h.answer = refuse; // from now on no peer votes for server 0: it cannot lead again
    // A candidate of the next term with an empty log: server 0 refuses its vote, and must still step down.
    const r = await h.requestVote(2, { term: term + 1, candidateId: 2, lastLogIndex: 0, lastLogTerm: 0 });
    check(r.term === term + 1, ALL, `server 0, leader of term ${term}, answered a RequestVote of term ${term + 1} with term ${r.term}`);
    const stale = await h.sendsWithin("AppendEntries", 500);
    check(stale === undefined, ALL, `server 0 saw term ${term + 1} in a RequestVote and still sent AppendEntries as leader (of term ${stale?.args.term})`);
    const s = h.state();
    check(!s.isLeader, ALL, `server 0 saw term ${term + 1} in a RequestVote and getState() still says it leads (term ${s.term})`);
  }),

  defineTest("2X", "TestLeaderStepsDownForAHigherTermReply2X", async (t) => {
    const h = makePeerHarness(t);
    const term = await electServer0(h);
    let told: number | undefined;
    h.answer = (r) => {
      if (r.method !== "AppendEntries") return refuse(r);
      told ??= r.at;
      return { term: term + 1, success: false, conflictTerm: -1, conflictIndex: 1 };
    };
    await h.waitFor(() => told !== undefined, 1000, `server 0, leader of term ${term}, sent no AppendEntries`);
    await sleep(500);
    // The replies take at most 8 ms to arrive; allow a round of heartbeats already on its way.
    const late = h.requests.find((r) => r.method === "AppendEntries" && r.args.term === term && r.at > told! + 20);
    check(late === undefined, ALL, `server 0 was told of term ${term + 1} in AppendEntries replies from ${told} ms on, and at ${late?.at} ms still sent AppendEntries as leader of term ${term}`);
  }),

  defineTest("2X", "TestCandidateCountsVotesOfThisElectionOnly2X", async (t) => {
    const h = makePeerHarness(t, 5);
    // In each election one peer grants its vote (a different one each time): never a majority of 5.
    const elections: number[] = [];
    h.answer = (r) => {
      if (r.method !== "RequestVote") return refuse(r);
      if (!elections.includes(r.args.term)) elections.push(r.args.term);
      const granter = 1 + (elections.indexOf(r.args.term) % 4);
      return { term: r.args.term, voteGranted: r.to === granter };
    };
    await h.waitFor(() => elections.length >= 3 || h.requests.some((r) => r.method === "AppendEntries"), 3 * ELECTION_WITHIN_MS, "server 0 started fewer than 3 elections");
    const lead = h.requests.find((r) => r.method === "AppendEntries");
    check(lead === undefined, ELECT, `server 0 acted as leader of term ${lead?.args.term} though each of its elections got 1 vote of 4 (and its own): 2 of 5`);
  }),

  defineTest("2X", "TestCandidateFollowsTheNewLeader2X", async (t) => {
    const h = makePeerHarness(t);
    const rv = await h.nextRequest("RequestVote", ELECTION_WITHIN_MS, "server 0, hearing from no leader, never started an election");
    const term = rv.args.term;
    const r = await h.lead(term, NOTHING);
    check(r.success && r.term === term, FOLLOW, `server 0, candidate in term ${term}, answered the AppendEntries of term ${term}'s leader with success ${r.success}, term ${r.term}`);
    const again = await h.sendsWithin("RequestVote", 2000);
    check(again === undefined, FOLLOW, `server 0 went on campaigning (RequestVote of term ${again?.args.term}) while the leader of term ${term} sent AppendEntries every 50 ms`);
  }),

  defineTest("2X", "TestHeartbeatsHoldOffElections2X", async (t) => {
    const h = makePeerHarness(t);
    await h.lead(1, NOTHING);
    const rv = await h.sendsWithin("RequestVote", 3000);
    check(rv === undefined, TIMER, `server 0 started an election (term ${rv?.args.term}, at ${rv?.at} ms) while its leader sent AppendEntries every 50 ms`);
    h.stopLeading();
    await h.nextRequest("RequestVote", ELECTION_WITHIN_MS, `${TIMER}\n  server 0's leader fell silent and server 0 never started an election`);
  }),

  // --- AppendEntries and commitment (2B) -------------------------------------------------------

  defineTest("2X", "TestAppendRefusedFromAnOlderTerm2X", async (t) => {
    const h = makePeerHarness(t);
    await h.lead(3, NOTHING);
    const r = await h.appendEntries(2, { term: 2, leaderId: 2, prevLogIndex: 0, prevLogTerm: 0, entries: entries(2, "x"), leaderCommit: 1 });
    check(!r.success && r.term === 3, AE1, `server 0, in term 3, answered an AppendEntries of term 2 with success ${r.success}, term ${r.term}`);
    check(!(await h.holds(1, 2)), AE1, "server 0 appended the entry of a leader of an older term");
  }),

  defineTest("2X", "TestAppendNeedsTheLeadersPrevEntry2X", async (t) => {
    const h = makePeerHarness(t);
    await h.lead(3, { ...NOTHING, entries: entries(1, "a", "b") });
    // server 0's log: a (term 1), b (term 1).
    const past = await h.appendEntries(1, { term: 3, leaderId: 1, prevLogIndex: 3, prevLogTerm: 1, entries: entries(3, "d"), leaderCommit: 0 });
    check(!past.success, AE2, "server 0, whose log ends at index 2, accepted an AppendEntries whose prevLog is index 3");
    const mismatch = await h.appendEntries(1, { term: 3, leaderId: 1, prevLogIndex: 2, prevLogTerm: 2, entries: entries(3, "c"), leaderCommit: 0 });
    check(!mismatch.success, AE2, "server 0, whose entry 2 is of term 1, accepted an AppendEntries whose prevLog is index 2 of term 2");
    check(!(await h.holds(3, 3)), AE2, "server 0 refused both, yet appended one of their entries");
    check(await h.holds(2, 1), AE2, "after two refused AppendEntries, server 0 no longer holds entry 2 of term 1");
  }),

  defineTest("2X", "TestAppendTruncatesOnlyAtAConflict2X", async (t) => {
    const h = makePeerHarness(t);
    await h.lead(1, { ...NOTHING, entries: entries(1, "a", "b", "c") });
    // A stale, shorter copy of what the leader sent: its entry matches, nothing may be deleted.
    const stale = await h.appendEntries(1, { term: 1, leaderId: 1, prevLogIndex: 0, prevLogTerm: 0, entries: entries(1, "a"), leaderCommit: 0 });
    check(stale.success, AE3, "server 0 refused a stale, shorter copy of an AppendEntries it had accepted");
    check(await h.holds(3, 1), AE3, "a stale, shorter AppendEntries (entry 1 only) deleted entries 2 and 3, which matched");
    // A new leader whose entry 2 is of term 2: entries 2 and 3 conflict and go.
    const r = await h.lead(2, { prevLogIndex: 1, prevLogTerm: 1, entries: entries(2, "x"), leaderCommit: 0 });
    check(r.success, AE3, "server 0 refused an AppendEntries whose prevLog (index 1, term 1) it holds");
    check(r.term === 2, ALL, `server 0 answered the first AppendEntries of term 2 with term ${r.term}`);
    check(await h.holds(2, 2), AE4, "server 0 accepted entry 2 of term 2 but does not hold it");
    check(!(await h.holds(3, 1)), AE3, "server 0 kept entry 3 (term 1) after a conflicting entry 2 replaced its own");
  }),

  defineTest("2X", "TestAppendAddsOnlyNewEntries2X", async (t) => {
    const h = makePeerHarness(t);
    await h.lead(1, { ...NOTHING, entries: entries(1, "a", "b") });
    await h.appendEntries(1, { term: 1, leaderId: 1, ...NOTHING, entries: entries(1, "a", "b") }); // sent again
    await h.appendEntries(1, { term: 1, leaderId: 1, prevLogIndex: 1, prevLogTerm: 1, entries: entries(1, "b", "c"), leaderCommit: 3 });
    await expectApplied(h, AE4, applies(1, "a", "b", "c"));
  }),

  defineTest("2X", "TestCommitIndexStopsAtTheLastNewEntry2X", async (t) => {
    const h = makePeerHarness(t);
    await h.lead(1, { ...NOTHING, entries: entries(1, "a", "b", "c") });
    // The leader of term 2 holds a, x, y: it knows server 0 matches it at entry 1, and has committed 3.
    await h.lead(2, { prevLogIndex: 1, prevLogTerm: 1, entries: [], leaderCommit: 3 });
    await expectApplied(h, `${AE5}\n  (entries 2 and 3 were never checked against the leader's: its heartbeat's prevLog is entry 1)`, applies(1, "a"));
    await h.appendEntries(1, { term: 2, leaderId: 1, prevLogIndex: 1, prevLogTerm: 1, entries: entries(2, "x", "y"), leaderCommit: 3 });
    await expectApplied(h, AE5, applies(1, "a", "x", "y"));
  }),

  defineTest("2X", "TestLeaderCommitsOnlyByItsOwnTerm2X", async (t) => {
    const h = makePeerHarness(t);
    await h.lead(1, { ...NOTHING, entries: entries(1, "a") });
    h.stopLeading();
    const term = await electServer0(h);
    await sleep(1000); // every peer acknowledges entry 1 (of term 1) all this time
    check(h.applied.length === 0, COMMIT, `server 0, leader of term ${term}, applied ${showAll(h.applied)} though no entry of term ${term} is replicated: entry 1 is of term 1 (Figure 8)`);
    const { index } = h.start("b");
    check(index === 2, COMMIT, `start("b") on the leader returned index ${index}, not 2`);
    await expectApplied(h, COMMIT, applies(1, "a", "b"));
  }),

  defineTest("2X", "TestLeaderCommitsWithAMajority2X", async (t) => {
    const h = makePeerHarness(t, 5);
    // Peers 3 and 4 are cut off; peers 1 and 2 vote, then peer 2 is cut off too: only peer 1 acknowledges.
    h.disconnect(3);
    h.disconnect(4);
    const term = await electWithVotesOf(h, [1, 2]);
    h.disconnect(2);
    const { index } = h.start("a");
    await sleep(1000);
    check(h.applied.length === 0, COMMIT, `server 0, leader of term ${term}, applied ${showAll(h.applied)} though only it and peer 1 (2 of 5) hold entry ${index}`);
    h.disconnect(2, false);
    await expectApplied(h, COMMIT, applies(1, "a"));
  }),

  defineTest("2X", "TestLeaderBacksUpToAFollowersLog2X", async (t) => {
    const h = makePeerHarness(t);
    await h.lead(1, { ...NOTHING, entries: entries(1, "a", "b", "c") });
    h.stopLeading();
    h.disconnect(2);
    // Peer 1 holds only entry 1 (a, term 1): it accepts an AppendEntries only from there on.
    const follower: Answer = (r) => {
      if (r.method !== "AppendEntries") return agree(r);
      const fits = r.args.prevLogIndex === 0 || (r.args.prevLogIndex === 1 && r.args.prevLogTerm === 1);
      return { term: r.args.term, success: fits, conflictTerm: -1, conflictIndex: 2 };
    };
    h.answer = follower;
    await h.nextRequest("AppendEntries", ELECTION_WITHIN_MS + 1000, "server 0 never acted as leader, though peer 1 granted it every vote it asked for");
    await h.waitFor(
      () => h.requests.some((r) => r.method === "AppendEntries" && r.args.prevLogIndex <= 1 && r.args.entries.length >= 3 - r.args.prevLogIndex),
      2000,
      `${BACKUP}\n  peer 1 holds only entry 1 and refused every AppendEntries from further on; server 0 never sent it entries 2 and 3 from prevLog 0 or 1`,
    );
  }),

  // --- saved before the reply (2C) -------------------------------------------------------------

  defineTest("2X", "TestTermSavedBeforeReplying2X", async (t) => {
    const h = makePeerHarness(t);
    const saved = h.keepStateAt("reply", "Raft.appendEntries");
    await h.appendEntries(1, { term: 5, leaderId: 1, ...NOTHING });
    h.restart(saved()); // a crash right after that reply
    const r = await h.appendEntries(2, { term: 4, leaderId: 2, ...NOTHING });
    check(!r.success && r.term >= 5, SAVED, `server 0 answered term 5, crashed, and after its restart accepted a leader of term 4 (reply term ${r.term}): currentTerm was not saved`);
  }),

  defineTest("2X", "TestVoteSavedBeforeReplying2X", async (t) => {
    const h = makePeerHarness(t);
    const saved = h.keepStateAt("reply", "Raft.requestVote");
    const r = await h.requestVote(2, { term: 5, candidateId: 2, lastLogIndex: 0, lastLogTerm: 0 });
    check(r.voteGranted, RV2, "server 0 refused its vote in term 5 to the first candidate to ask, with an up-to-date log");
    h.restart(saved());
    const again = await h.requestVote(1, { term: 5, candidateId: 1, lastLogIndex: 0, lastLogTerm: 0 });
    check(!again.voteGranted, SAVED, "server 0 voted for server 2 in term 5, crashed right after, and after its restart voted for server 1 in term 5: votedFor was not saved");
  }),

  defineTest("2X", "TestOwnVoteSavedBeforeAsking2X", async (t) => {
    const h = makePeerHarness(t);
    const saved = h.keepStateAt("request", "Raft.requestVote");
    const rv = await h.nextRequest("RequestVote", ELECTION_WITHIN_MS, "server 0, hearing from no leader, never started an election");
    h.restart(saved()); // a crash as it asked for votes
    const term = rv.args.term;
    const r = await h.requestVote(1, { term, candidateId: 1, lastLogIndex: 0, lastLogTerm: 0 });
    check(!r.voteGranted, SAVED, `server 0 asked for votes in term ${term} (so it voted for itself), crashed, and after its restart voted for server 1 in term ${term}: its own vote was not saved before it asked`);
  }),

  defineTest("2X", "TestLogSavedBeforeReplying2X", async (t) => {
    const h = makePeerHarness(t);
    const saved = h.keepStateAt("reply", "Raft.appendEntries");
    const r = await h.appendEntries(1, { term: 1, leaderId: 1, ...NOTHING, entries: entries(1, "a", "b") });
    check(r.success, AE4, "server 0 refused entries 1 and 2 from prevLog 0");
    h.restart(saved());
    check(await h.holds(2, 1), SAVED, "server 0 acknowledged entries 1 and 2, crashed right after, and after its restart does not hold entry 2: the log was not saved before the reply");
    await h.appendEntries(1, { term: 1, leaderId: 1, prevLogIndex: 2, prevLogTerm: 1, entries: [], leaderCommit: 2 });
    await expectApplied(h, SAVED, applies(1, "a", "b"));
  }),

  // --- InstallSnapshot (2D) --------------------------------------------------------------------

  defineTest("2X", "TestSnapshotRefusedFromAnOlderTerm2X", async (t) => {
    const h = makePeerHarness(t);
    await h.lead(3, NOTHING);
    const r = await h.installSnapshot(2, { term: 2, leaderId: 2, lastIncludedIndex: 5, lastIncludedTerm: 2, data: snapshotData(5) });
    check(r.term === 3, IS1, `server 0, in term 3, answered an InstallSnapshot of term 2 with term ${r.term}`);
    await sleep(300);
    check(h.applied.length === 0, IS1, `server 0 handed its service ${showAll(h.applied)} from a leader of an older term`);
  }),

  defineTest("2X", "TestStaleSnapshotChangesNothing2X", async (t) => {
    const h = makePeerHarness(t);
    await h.lead(1, { ...NOTHING, entries: entries(1, "a", "b", "c", "d", "e"), leaderCommit: 5 });
    await expectApplied(h, AE5, applies(1, "a", "b", "c", "d", "e"));
    await h.installSnapshot(1, { term: 1, leaderId: 1, lastIncludedIndex: 3, lastIncludedTerm: 1, data: snapshotData(3) });
    await expectApplied(h, `${STALE}\n  (server 0 had applied through 5, then got a snapshot through 3)`, applies(1, "a", "b", "c", "d", "e"));
    check(await h.holds(5, 1), STALE, "a snapshot through 3 took entry 5 (term 1) from a log that had applied it");
  }),

  defineTest("2X", "TestSnapshotKeepsAMatchingSuffix2X", async (t) => {
    const h = makePeerHarness(t);
    await h.lead(1, { ...NOTHING, entries: entries(1, "a", "b", "c", "d", "e"), leaderCommit: 2 });
    await expectApplied(h, AE5, applies(1, "a", "b"));
    await h.installSnapshot(1, { term: 1, leaderId: 1, lastIncludedIndex: 3, lastIncludedTerm: 1, data: snapshotData(3) });
    await expectApplied(h, IS8, [...applies(1, "a", "b"), "a snapshot through 3"]);
    check(await h.holds(5, 1), IS6, "server 0, holding entries 1–5 of term 1, dropped entries 4 and 5 when it installed a snapshot through entry 3 of term 1");
    await h.appendEntries(1, { term: 1, leaderId: 1, prevLogIndex: 5, prevLogTerm: 1, entries: [], leaderCommit: 5 });
    await expectApplied(h, IS6, [...applies(1, "a", "b"), "a snapshot through 3", ...applies(4, "d", "e")]);
  }),

  defineTest("2X", "TestSnapshotDiscardsAConflictingLog2X", async (t) => {
    const h = makePeerHarness(t);
    await h.lead(1, { ...NOTHING, entries: entries(1, "a", "b", "c", "d", "e") });
    h.stopLeading();
    await h.installSnapshot(2, { term: 2, leaderId: 2, lastIncludedIndex: 3, lastIncludedTerm: 2, data: snapshotData(3) });
    await h.lead(2, { prevLogIndex: 3, prevLogTerm: 2, entries: [], leaderCommit: 0 }, 2);
    check(!(await h.holds(4, 1)), IS7, "server 0 installed a snapshot through entry 3 of term 2, whose entry 3 was of term 1, and kept its entry 4 (term 1)");
    check(await h.holds(3, 2), IS7, "server 0 installed a snapshot through entry 3 of term 2 but does not match it at entry 3");
  }),

  defineTest("2X", "TestSnapshotReachesTheServiceFirst2X", async (t) => {
    const h = makePeerHarness(t);
    await h.lead(1, { ...NOTHING, entries: entries(1, "a", "b") });
    await h.installSnapshot(1, { term: 1, leaderId: 1, lastIncludedIndex: 3, lastIncludedTerm: 1, data: snapshotData(3) });
    await h.lead(1, { prevLogIndex: 3, prevLogTerm: 1, entries: entries(1, "d"), leaderCommit: 4 });
    await expectApplied(h, `${IS8}\n  (server 0 got a snapshot through 3, then entry 4, committed)`, ["a snapshot through 3", ...applies(4, "d")]);
  }),

  defineTest("2X", "TestSnapshotSavedBeforeReplying2X", async (t) => {
    const h = makePeerHarness(t);
    const data = snapshotData(3);
    const saved = h.keepStateAt("reply", "Raft.installSnapshot");
    await h.installSnapshot(1, { term: 1, leaderId: 1, lastIncludedIndex: 3, lastIncludedTerm: 1, data });
    h.restart(saved());
    check(await h.holds(3, 1), SAVED, "server 0 installed a snapshot through entry 3 (term 1), crashed right after its reply, and after its restart does not match entry 3");
    await h.lead(2, { prevLogIndex: 3, prevLogTerm: 1, entries: [], leaderCommit: 0 }); // a new term: it saves again
    const now = h.saved().readSnapshot();
    check(sameBytes(now, data), SAVED, `server 0 installed a snapshot, crashed, restarted, saved its state again, and its persister now holds a snapshot of ${now.length} bytes, not the ${data.length} it installed`);
  }),
];

/** Lets server 0 win an election with the votes of `voters` (and lead with their acknowledgements); the term it leads. */
async function electWithVotesOf(h: PeerHarness, voters: number[]): Promise<number> {
  h.answer = (r) => (r.method === "RequestVote" ? { term: r.args.term, voteGranted: voters.includes(r.to) } : agree(r));
  const ae = await h.nextRequest("AppendEntries", ELECTION_WITHIN_MS + 1000, `server 0 never acted as leader, though peers ${voters.join(" and ")} granted it their votes`);
  return ae.args.term;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
