// The Raft grader must fail bad Rafts: each case breaks the reference Raft in one way (by patching
// one method for the duration of the case, or with one of tests/mutants/) and checks that the
// right check catches it, and says what it should.
import { afterEach, describe, expect, it } from "vitest";
import { Raft } from "../../raft/raft.ts";
import type { AppendEntriesArgs } from "../../raft/types.ts";
import type { LabTest } from "../registry.ts";
import { tests as tests2A } from "./2A.ts";
import { tests as tests2B } from "./2B.ts";
import { tests as tests2C } from "./2C.ts";
import { tests as tests2D } from "./2D.ts";
import { raftMutants } from "../mutants/raft-mutants.ts";
import type { Mutant } from "../mutants/mutant.ts";

const proto = Raft.prototype as unknown as Record<string, unknown>;
const originals = new Map<string, unknown>();

function patch(method: string, replacement: (original: (...args: never[]) => unknown) => unknown): void {
  const original = proto[method] as (...args: never[]) => unknown;
  originals.set(method, original);
  proto[method] = replacement(original);
}

afterEach(() => {
  for (const [method, original] of originals) proto[method] = original;
  originals.clear();
});

function mutant(name: string): Mutant {
  const m = raftMutants.find((x) => x.name === name);
  if (m === undefined) throw new Error(`no mutant ${name}`);
  return m;
}

function find(tests: LabTest[], name: string): LabTest {
  const test = tests.find((t) => t.name === name);
  if (test === undefined) throw new Error(`no test ${name}`);
  return test;
}

describe("the Raft grader fails bad Rafts", () => {
  it("a follower that applies a different command: apply error", async () => {
    patch("appendEntries", (original) =>
      function (this: { me: number }, args: AppendEntriesArgs) {
        if (this.me === 2) {
          args.entries = args.entries.map((e) => ({ ...e, command: typeof e.command === "number" ? e.command + 1 : e.command }));
        }
        return original.call(this, args as never);
      },
    );
    const report = await find(tests2B, "TestBasicAgree2B").run(1);
    expect(report.passed).toBe(false);
    expect(report.failure).toMatch(/apply error: commit index=1 server=\d 10[01] != server=\d 10[01]/);
    expect(report.failure).toContain("replay: SEED=1 npm test -- 2B");
  });

  it("every peer claims to lead: more than one leader in a term", async () => {
    patch("getState", (original) =>
      function (this: unknown) {
        const state = original.call(this) as { term: number; isLeader: boolean };
        return { term: state.term, isLeader: true };
      },
    );
    const report = await find(tests2A, "TestInitialElection2A").run(1);
    expect(report.passed).toBe(false);
    expect(report.failure).toMatch(/term \d+ has 3 \(>1\) leaders/);
  });

  it("nobody ever leads: expected one leader, got none", async () => {
    patch("getState", (original) =>
      function (this: unknown) {
        const state = original.call(this) as { term: number; isLeader: boolean };
        return { term: state.term, isLeader: false };
      },
    );
    const report = await find(tests2A, "TestInitialElection2A").run(1);
    expect(report.passed).toBe(false);
    expect(report.failure).toContain("expected one leader, got none");
  });

  it("a Raft that ignores snapshot(): Log size too large", async () => {
    patch("snapshot", () => function () {});
    const report = await find(tests2D, "TestSnapshotBasic2D").run(1);
    expect(report.passed).toBe(false);
    expect(report.failure).toContain("Log size too large");
  });

  it("a Raft that forgets its snapshot on restart and saves an empty one: TestSnapshotInit2D fails", async () => {
    // The classic bug TestSnapshotInit2D was written for: the snapshot lives only in memory, is not
    // read back at start-up, and the first save after a restart writes "no snapshot" over it.
    const report = await find(tests2D, "TestSnapshotInit2D").run(1, { substitutes: mutant("forgets-its-snapshot-on-restart").substitutes });
    expect(report.passed).toBe(false);
    expect(report.failure).toMatch(/apply error: server \d apply out of order, expected index 1, got \d+/);
  });

  it("one() failing says what the tester saw of every server, and the failure both ways to replay it", async () => {
    const report = await find(tests2B, "TestFailAgree2B").run(1, { substitutes: mutant("never-backs-up").substitutes });
    expect(report.failure).toMatch(/one\(106\) failed to reach agreement: after 10\.0 s, 2 servers applied it, 3 needed\.\n {2}It was last started at index 10\. What the tester saw:\n/);
    // the follower that never caught up: its log as it last showed it, and nothing at the index
    expect(report.failure).toMatch(/ {4}server 2: not leader, term 5; applied through 1; log = 1 \(term 1\), asking for votes at [\d.]+ s\n {6}at index 10: nothing seen\n/);
    expect(report.failure).toMatch(/ {4}server 0: leader, term 5; applied through 10; log ≥ 10 \(term 5\), sending as leader AppendEntries #\d+ at [\d.]+ s\n {6}at index 10: applied 106\n/);
    expect(report.failure).toMatch(/ {2}Last leader change: server 0 \(raft-0\) began leading term 5 at [\d.]+ s\./);
    expect(report.failure).toMatch(/ {2}replay: SEED=1 npm test -- 2B -t "TestFailAgree2B\$"\n {6}or: npx simlab replay TestFailAgree2B --seed 1 /);
  });

  it("the same seed gives the same run", async () => {
    const test = find(tests2B, "TestFailAgree2B");
    const a = await test.run(3);
    const b = await test.run(3);
    expect(a.passed).toBe(true);
    expect(b.journalHash).toBe(a.journalHash);
    expect(b.virtualMs).toBe(a.virtualMs);
  });
});

// Student code that misbehaves: the test fails with a sentence naming the node, the virtual time
// and the seed, plus the replay command — and the next test runs normally.
describe("the Raft grader reports misbehaving student code", () => {
  const expectReport = (failure: string | undefined, what: RegExp) => {
    expect(failure).toMatch(what);
    expect(failure).toMatch(/seed 5, virtual time \d+\.\d{3} s, node raft-\d/);
    expect(failure).toContain('replay: SEED=5 npm test -- 2A -t "TestInitialElection2A$"');
  };

  it("an RPC handler that throws", async () => {
    patch("requestVote", () =>
      function () {
        throw new TypeError("cannot read properties of undefined (reading 'term')");
      },
    );
    const report = await find(tests2A, "TestInitialElection2A").run(5);
    expect(report.passed).toBe(false);
    expectReport(report.failure, /RPC handler Raft\.requestVote on raft-\d threw: TypeError: cannot read properties/);
  });

  it("a reply that cannot cross the network", async () => {
    patch("requestVote", (original) =>
      function (this: unknown, args: never) {
        const reply = original.call(this, args) as object;
        return { ...reply, decide: () => true };
      },
    );
    const report = await find(tests2A, "TestInitialElection2A").run(5);
    expect(report.passed).toBe(false);
    expectReport(report.failure, /cannot send or store the reply of Raft\.requestVote from raft-\d, field decide: it is a function/);
  });

  it("code that never yields is stopped by the watchdog", async () => {
    const saved = process.env.SIMLAB_WATCHDOG_MS;
    process.env.SIMLAB_WATCHDOG_MS = "500";
    try {
      patch("requestVote", () =>
        function () {
          for (;;) {
            // a busy loop: never returns, never awaits
          }
        },
      );
      const report = await find(tests2A, "TestInitialElection2A").run(5);
      expect(report.passed).toBe(false);
      expectReport(report.failure, /watchdog: code of raft-\d ran for more than 500 ms of CPU time without yielding/);
    } finally {
      if (saved === undefined) delete process.env.SIMLAB_WATCHDOG_MS;
      else process.env.SIMLAB_WATCHDOG_MS = saved;
    }
  });

  it("a Raft whose kill() does nothing still cannot act once its node is crashed", async () => {
    patch("kill", () => function () {});
    const report = await find(tests2C, "TestPersist12C").run(5);
    expect(report.failure).toBeUndefined();
    expect(report.passed).toBe(true);
  });

  it("after all that, a normal run passes", async () => {
    const report = await find(tests2A, "TestInitialElection2A").run(5);
    expect(report.failure).toBeUndefined();
  });
});
