// The lab-5E monitor's "at most one uncommitted config entry" counts a commit that the
// acknowledgements on the wire prove, not only one a leader announced: a leader may commit its
// config entry, append the next in the same step and crash before any message says so (the 5G
// nemesis at seed 482). These cases feed the monitor messages by hand: the commit proven by a
// majority's acknowledgements passes, and the same log with too few acknowledgements (one
// configuration's majority only, while joint) still fails.
import { describe, expect, it } from "vitest";
import type { LogEntry } from "../../raft/types.ts";
import type { AppendCall, VoteCall } from "../harness/monitors/raft-wire.ts";
import { MembershipRules } from "./membership-monitor.ts";

const cluster = { name: "", servers: [] };
let ids = 0;

/** A config entry's command: its voters and, while joint, C_old's voters. */
function configEntry(term: number, voters: number[], outgoing: number[] = []): LogEntry {
  return { term, command: { confChange: { type: "addVoter", id: voters[voters.length - 1]! }, voters, learners: [], outgoing } } as LogEntry;
}

function vote(candidate: number, voter: number, term: number): VoteCall {
  return {
    id: ++ids, cluster, from: candidate, to: voter, fromNode: `raft-${candidate}`, toNode: `raft-${voter}`, sentAt: 0,
    method: "RequestVote", args: { term, candidateId: candidate, lastLogIndex: 0, lastLogTerm: 0 }, reply: { term, voteGranted: true },
  };
}

function append(leader: number, to: number, term: number, prevLogIndex: number, entries: LogEntry[], leaderCommit: number): AppendCall {
  const last = entries.length > 0 ? entries[entries.length - 1]!.term : term;
  return {
    id: ++ids, cluster, from: leader, to, fromNode: `raft-${leader}`, toNode: `raft-${to}`, sentAt: 0, term,
    covers: { index: prevLogIndex + entries.length, term: last },
    method: "AppendEntries", args: { term, leaderId: leader, prevLogIndex, prevLogTerm: prevLogIndex === 0 ? 0 : term, entries, leaderCommit },
  };
}

/** Leader 0 of term 1, elected by `voters`, sends `first` (index 1) to `followers`, which acknowledge it, then sends `second` at index 2 with leaderCommit 0. */
function run(n: number, initial: number[], voters: number[], first: LogEntry, followersThatAck: number[], second: LogEntry): string[] {
  const failures: string[] = [];
  const rules = new MembershipRules((message) => failures.push(message), n, initial, () => undefined);
  for (const v of voters) rules.answer(vote(0, v, 1));
  for (let f = 1; f < n; f++) {
    const call = append(0, f, 1, 0, [first], 0);
    rules.request(call);
    if (!followersThatAck.includes(f)) continue;
    call.reply = { term: 1, success: true };
    rules.reply(call);
    rules.answer(call);
  }
  rules.request(append(0, 1, 1, 1, [second], 0));
  return failures;
}

describe("the lab-5E monitor's one uncommitted config entry", () => {
  it("counts a config entry a majority acknowledged as committed, though no leader announced it", () => {
    expect(run(4, [0, 1, 2], [1, 2], configEntry(1, [0, 1, 2, 3]), [1, 2], configEntry(1, [0, 1, 2]))).toEqual([]);
  });

  it("still fails a second config entry when the first has only a minority's acknowledgements", () => {
    const failures = run(4, [0, 1, 2], [1, 2], configEntry(1, [0, 1, 2, 3]), [3], configEntry(1, [0, 1, 2]));
    expect(failures.length).toBeGreaterThan(0);
    expect(failures[0]).toMatch(/a log holds at most one uncommitted config entry — server 0, leading term 1, has 2 config entries past the highest index known committed \(announced, or acknowledged by a majority\), 0 \(at 1, 2\)/);
  });

  it("while joint, needs both majorities' acknowledgements: C_old's alone proves nothing", () => {
    // C_new {0,3,4} joint with C_old {0,1,2}: 1 and 2 acknowledge (C_old's majority), 3 and 4 do not.
    const joint = configEntry(1, [0, 3, 4], [0, 1, 2]);
    const leave = configEntry(1, [0, 3, 4]);
    expect(run(5, [0, 1, 2], [1, 3], joint, [1, 2], leave)[0]).toMatch(/at most one uncommitted config entry/);
    expect(run(5, [0, 1, 2], [1, 3], joint, [1, 3], leave)).toEqual([]);
  });
});
