// The wire and its monitors on hand-made messages: what each moment shows which monitor, and the
// bookkeeping the monitors keep lean because it runs for every Raft message — the terms a server
// has shown (terms-move-forward.ts) and the entries a server was seen holding (agreement-report.ts).
// The monitors' rules against real broken Rafts are tests/mutants/monitors.test.ts.
import { describe, expect, it } from "vitest";
import type { Simulation, WatchedCall } from "../../sim/index.ts";
import { RaftWire, type RaftCall, type RaftMonitor } from "./monitors/raft-wire.ts";
import { TermsMoveForward } from "./monitors/terms-move-forward.ts";
import { LogsOnTheWire } from "../raft/agreement-report.ts";

/** A wire over servers "0".."2" whose failures are collected, and a way to send it messages. */
function wire() {
  const failures: string[] = [];
  const sim = { now: 0, fail: (message: string) => failures.push(message) };
  const w = new RaftWire(sim as unknown as Simulation, [{ name: "", servers: ["0", "1", "2"] }]);
  let nextId = 1;
  const call = (method: string, from: number, to: number): WatchedCall => ({
    id: nextId++,
    method: `Raft.${method}`,
    callerName: `raft-${from}`,
    serverName: `raft-${to}`,
    from: String(from),
    to: String(to),
  });
  const append = (at: number, from: number, to: number, term: number, prevLogIndex: number, entries: number, reply?: { term: number; success: boolean }) => {
    sim.now = at;
    const c = call("appendEntries", from, to);
    const list = Array.from({ length: entries }, (_, k) => ({ term, command: 100 + prevLogIndex + 1 + k }));
    w.request(c, { term, leaderId: from, prevLogIndex, prevLogTerm: term, entries: list, leaderCommit: 0 });
    if (reply !== undefined) {
      w.reply(c, reply);
      w.answer(c, reply);
    }
    return c.id;
  };
  const vote = (at: number, from: number, to: number, term: number, reply: { term: number; voteGranted: boolean }) => {
    sim.now = at;
    const c = call("requestVote", from, to);
    w.request(c, { term, candidateId: from, lastLogIndex: 0, lastLogTerm: 0 });
    w.reply(c, reply);
    w.answer(c, reply);
  };
  return { w, failures, append, vote };
}

describe("the wire shows each monitor the RPCs it reads", () => {
  it("a monitor that reads only RequestVote replies sees no AppendEntries, and one that declares nothing sees all", () => {
    const { w, append, vote } = wire();
    const seen: string[] = [];
    const votesOnly: RaftMonitor = { reads: { reply: ["RequestVote"] }, reply: (c: RaftCall) => seen.push(`votes-only ${c.method}`) };
    const everything: RaftMonitor = { reply: (c: RaftCall) => seen.push(`all ${c.method}`), answer: (c: RaftCall) => seen.push(`all answer ${c.method}`) };
    w.add(votesOnly);
    w.add(everything);
    vote(1, 0, 1, 1, { term: 1, voteGranted: true });
    append(2, 0, 1, 1, 0, 0, { term: 1, success: true });
    expect(seen).toEqual(["votes-only RequestVote", "all RequestVote", "all answer RequestVote", "all AppendEntries", "all answer AppendEntries"]);
  });
});

describe("terms-move-forward: the terms a server has shown", () => {
  it("a lower term at a later instant fails, with the first message that showed the higher one", () => {
    const { w, failures, append } = wire();
    w.add(new TermsMoveForward(w));
    append(10, 0, 1, 3, 0, 0);
    const first5 = append(20, 0, 1, 5, 0, 0);
    append(30, 0, 2, 5, 0, 0);
    expect(failures).toEqual([]);
    append(40, 0, 1, 4, 0, 0);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/a server's term never goes back — server 0 sent a request in term 4 after it had sent term 5:\n/);
    expect(failures[0]).toContain(`AppendEntries #${first5} raft-0 → raft-1, sent at 0.020 s: term 5`);
  });

  it("within one instant a lower term passes, but not one below what was shown before that instant", () => {
    const { w, failures, append } = wire();
    w.add(new TermsMoveForward(w));
    const first3 = append(10, 0, 1, 3, 0, 0);
    append(20, 0, 1, 5, 0, 0);
    append(20, 0, 2, 4, 0, 0); // built in term 4 by a task that started before the term moved on
    expect(failures).toEqual([]);
    append(20, 0, 2, 2, 0, 0);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/sent a request in term 2 after it had sent term 3:\n/);
    expect(failures[0]).toContain(`AppendEntries #${first3} raft-0 → raft-1, sent at 0.010 s: term 3`);
  });

  it("a reply in a lower term than the server showed before fails too", () => {
    const { w, failures, append } = wire();
    w.add(new TermsMoveForward(w));
    append(10, 1, 0, 6, 0, 0); // server 1 shows term 6
    append(20, 0, 1, 2, 0, 0, { term: 2, success: false });
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/server 1 replied in term 2 after it had sent term 6/);
  });
});

describe("the agreement report: what a server was last seen holding at an index", () => {
  const show = (command: unknown) => String(command);
  it("the last AppendEntries that covered the index, sent or acknowledged, and nothing where none did", () => {
    const { w, append } = wire();
    const logs = w.add(new LogsOnTheWire(3));
    const a = append(10, 0, 1, 1, 0, 3, { term: 1, success: true }); // entries 1..3
    append(20, 0, 1, 1, 3, 2, { term: 1, success: true }); // 4..5
    const c = append(30, 0, 1, 2, 1, 2, { term: 2, success: true }); // 2..3 again, in term 2
    append(40, 0, 1, 2, 1, 1, { term: 2, success: false }); // rejected: not held
    expect(logs.heldAt(1, 1, show)).toBe(`101 (term 1), acknowledged in AppendEntries #${a} at 0.010 s`);
    expect(logs.heldAt(1, 3, show)).toBe(`103 (term 2), acknowledged in AppendEntries #${c} at 0.030 s`);
    expect(logs.heldAt(1, 5, show)).toMatch(/^105 \(term 1\), acknowledged/);
    expect(logs.heldAt(1, 6, show)).toBeUndefined();
    expect(logs.heldAt(0, 2, show)).toBe(`102 (term 2), sent in AppendEntries #${c + 1} at 0.040 s`);
    expect(logs.heldAt(2, 1, show)).toBeUndefined();
  });
});
