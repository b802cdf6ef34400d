// The reference session table (raft-extensions/sessions.ts) on its own, entry by entry: which
// session an eviction picks, a live nonce's register, the cache and respondedUpTo, expiry by the
// log's clock, and a snapshot's round trip. (The 5H tests judge it inside the service; these
// pin the rules down where a failure names one of them.) Staff-only: a skeleton fails them all.
import { describe, expect, it } from "vitest";
import { SessionTable, type SessionWrite } from "../../raft-extensions/sessions.ts";
import type { CachedResult } from "../../raft-extensions/session-types.ts";

function write(clientId: number, seq: number, respondedUpTo: number, at = 0): SessionWrite {
  return { kind: "Append", key: "k", value: `${clientId}.${seq}`, clientId, seq, respondedUpTo, at };
}

/** Applies a write at `index`; the result, and whether it ran. */
function apply(table: SessionTable, command: SessionWrite, index: number): { result: CachedResult; ran: boolean } {
  let ran = false;
  const result = table.execute(command, index, () => {
    ran = true;
    return { err: "OK", appliedAt: index };
  });
  return { result, ran };
}

const ids = (table: SessionTable) => table.view().map((s) => s.clientId);

describe("the session table", () => {
  it("names a session by its register's index, and evicts the one whose last entry is lowest in the log", () => {
    const table = new SessionTable({ maxSessions: 2, sessionTtlMs: 0 });
    expect(table.register(11, 1, 0)).toBe(1);
    expect(table.register(22, 2, 0)).toBe(2);
    expect(apply(table, write(1, 1, 1), 3).ran).toBe(true); // session 1 used at 3: session 2 is now the least recent
    expect(table.register(33, 4, 0)).toBe(4);
    expect(ids(table)).toEqual([1, 4]);
    expect(apply(table, write(2, 1, 1), 5)).toEqual({ result: { err: "ErrSessionExpired", appliedAt: 0 }, ran: false });
    expect(ids(table)).toEqual([1, 4]); // an unknown session is not made anew
  });

  it("gives a live nonce its session back, and a nonce whose session is gone a new one", () => {
    const table = new SessionTable({ maxSessions: 1, sessionTtlMs: 0 });
    expect(table.register(7, 1, 0)).toBe(1);
    expect(table.register(7, 2, 0)).toBe(1);
    expect(table.register(8, 3, 0)).toBe(3); // evicts session 1
    expect(table.register(7, 4, 0)).toBe(4);
  });

  it("answers a duplicate from the cache, drops results below respondedUpTo, and runs no late copy", () => {
    const table = new SessionTable({ maxSessions: 4, sessionTtlMs: 0 });
    table.register(1, 1, 0);
    expect(apply(table, write(1, 2, 1), 2)).toEqual({ result: { err: "OK", appliedAt: 2 }, ran: true });
    expect(apply(table, write(1, 1, 1), 3)).toEqual({ result: { err: "OK", appliedAt: 3 }, ran: true }); // out of order: still new
    expect(apply(table, write(1, 2, 1), 4)).toEqual({ result: { err: "OK", appliedAt: 2 }, ran: false });
    expect(table.view()[0]!.cachedSeqs).toEqual([1, 2]);
    expect(apply(table, write(1, 3, 3), 5).ran).toBe(true);
    expect(table.view()[0]).toMatchObject({ respondedUpTo: 3, cachedSeqs: [3] });
    expect(apply(table, write(1, 1, 1), 6)).toEqual({ result: { err: "ErrStaleRequest", appliedAt: 0 }, ran: false });
  });

  it("expires by the log's clock, the highest `at` applied, not by the entry alone", () => {
    const table = new SessionTable({ maxSessions: 4, sessionTtlMs: 100 });
    table.register(1, 1, 1000);
    table.register(2, 2, 1050);
    table.observe(1101); // session 1 idle 101 > 100
    expect(ids(table)).toEqual([2]);
    expect(apply(table, write(2, 1, 1, 900), 4).ran).toBe(true); // an older timestamp moves no clock back
    table.observe(1151);
    expect(ids(table)).toEqual([]);
  });

  it("comes back from a snapshot as it was", () => {
    const limits = { maxSessions: 3, sessionTtlMs: 0 };
    const table = new SessionTable(limits);
    table.register(1, 1, 5);
    table.register(2, 2, 6);
    apply(table, write(1, 1, 1, 7), 3);
    apply(table, write(2, 4, 2, 8), 4);
    const restored = SessionTable.decode(limits, JSON.parse(JSON.stringify(table.encode())));
    expect(restored.view()).toEqual(table.view());
    expect(apply(restored, write(1, 1, 1), 5)).toEqual({ result: { err: "OK", appliedAt: 3 }, ran: false });
    restored.register(3, 6, 9);
    restored.register(4, 7, 9); // full: evicts session 2, last used at 4 (session 1 was used at 5)
    expect(ids(restored)).toEqual([1, 6, 7]);
  });
});
