// Persister (the Go labs' persister.go): bytes in, bytes out, always copied.
import { describe, expect, it } from "vitest";
import { Persister, UsageError, decodeFromBytes, encodeToBytes } from "../../sim/index.ts";

describe("Persister", () => {
  it("starts empty", () => {
    const p = new Persister();
    expect(p.readRaftState()).toEqual(new Uint8Array(0));
    expect(p.readSnapshot()).toEqual(new Uint8Array(0));
    expect(p.raftStateSize()).toBe(0);
    expect(p.snapshotSize()).toBe(0);
  });

  it("saved bytes are copied: changing the caller's array later changes nothing", () => {
    const p = new Persister();
    const state = new Uint8Array([1, 2, 3]);
    const snap = new Uint8Array([9, 9]);
    p.save(state, snap);
    state[0] = 100;
    snap[0] = 100;
    expect(Array.from(p.readRaftState())).toEqual([1, 2, 3]);
    expect(Array.from(p.readSnapshot())).toEqual([9, 9]);
  });

  it("read bytes are copies: changing them changes nothing saved", () => {
    const p = new Persister();
    p.save(new Uint8Array([1, 2, 3]), new Uint8Array([4]));
    const read = p.readRaftState();
    read[0] = 42;
    p.readSnapshot()[0] = 42;
    expect(p.readRaftState()).not.toBe(p.readRaftState());
    expect(Array.from(p.readRaftState())).toEqual([1, 2, 3]);
    expect(Array.from(p.readSnapshot())).toEqual([4]);
  });

  it("a view into a larger buffer saves only its own bytes", () => {
    const p = new Persister();
    const big = new Uint8Array([0, 1, 2, 3, 4, 5]);
    p.save(big.subarray(2, 4));
    expect(Array.from(p.readRaftState())).toEqual([2, 3]);
    expect(p.raftStateSize()).toBe(2);
    expect(p.readRaftState().buffer.byteLength).toBe(2);
  });

  it("sizes are byte lengths", () => {
    const p = new Persister();
    const state = encodeToBytes({ currentTerm: 3, votedFor: 1, log: [{ term: 1, command: "é" }] });
    p.save(state, new Uint8Array(1000));
    expect(p.raftStateSize()).toBe(state.byteLength);
    expect(p.snapshotSize()).toBe(1000);
    expect(decodeFromBytes(p.readRaftState())).toEqual({ currentTerm: 3, votedFor: 1, log: [{ term: 1, command: "é" }] });
  });

  it("save without a snapshot keeps the old snapshot; with one, replaces both", () => {
    const p = new Persister();
    p.save(new Uint8Array([1]), new Uint8Array([10, 11]));
    p.save(new Uint8Array([2]));
    expect(Array.from(p.readRaftState())).toEqual([2]);
    expect(Array.from(p.readSnapshot())).toEqual([10, 11]);
    p.save(new Uint8Array([3]), new Uint8Array(0));
    expect(Array.from(p.readRaftState())).toEqual([3]);
    expect(p.snapshotSize()).toBe(0);
  });

  it("copy() holds the same bytes, and the two evolve independently (a restart)", () => {
    const old = new Persister();
    old.save(new Uint8Array([1, 1]), new Uint8Array([5]));
    const restarted = old.copy();
    expect(Array.from(restarted.readRaftState())).toEqual([1, 1]);
    expect(Array.from(restarted.readSnapshot())).toEqual([5]);
    old.save(new Uint8Array([2]), new Uint8Array([6])); // the crashed incarnation writes late
    expect(Array.from(restarted.readRaftState())).toEqual([1, 1]);
    expect(Array.from(restarted.readSnapshot())).toEqual([5]);
    restarted.save(new Uint8Array([3]));
    expect(Array.from(old.readRaftState())).toEqual([2]);
  });

  it("saves of any length read back exactly, as the state grows and shrinks (the store is reused)", () => {
    const p = new Persister();
    for (const size of [0, 3, 1000, 1200, 10, 0, 5000, 4999]) {
      const bytes = Uint8Array.from({ length: size }, (_, i) => (i * 7 + size) % 251);
      p.save(bytes);
      bytes.fill(0); // the caller's array is not the saved one
      expect(p.raftStateSize()).toBe(size);
      expect(Array.from(p.readRaftState())).toEqual(Array.from({ length: size }, (_, i) => (i * 7 + size) % 251));
    }
  });

  it("after copy(), neither persister's saves reach the other, whichever saves first", () => {
    const old = new Persister();
    old.save(new Uint8Array([1, 2, 3, 4]));
    const restarted = old.copy();
    restarted.save(new Uint8Array([9, 9])); // the new incarnation saves first
    old.save(new Uint8Array([7, 7, 7])); // then the crashed one, late
    expect(Array.from(restarted.readRaftState())).toEqual([9, 9]);
    expect(Array.from(old.readRaftState())).toEqual([7, 7, 7]);
    const again = restarted.copy();
    again.save(new Uint8Array([5]));
    expect(Array.from(restarted.readRaftState())).toEqual([9, 9]);
  });

  it("anything but a Uint8Array is rejected with a sentence that says what to do", () => {
    const p = new Persister();
    const bad: unknown[] = ["state", [1, 2], { term: 1 }, null, undefined, new ArrayBuffer(2), Buffer.from("x").toJSON()];
    for (const b of bad) {
      expect(() => p.save(b as Uint8Array)).toThrow(UsageError);
    }
    expect(() => p.save("state" as unknown as Uint8Array)).toThrow(
      /Persister\.save\(raftState\) needs a Uint8Array, got string; encode your state with encodeToBytes\(\)/,
    );
    expect(() => p.save(new Uint8Array(1), [1] as unknown as Uint8Array)).toThrow(/save\(…, snapshot\) needs a Uint8Array/);
    expect(() => p.save(null as unknown as Uint8Array)).toThrow(/got null/);
    // A rejected save changes nothing.
    expect(p.raftStateSize()).toBe(0);
  });

  it("a Node Buffer (a Uint8Array subclass) is accepted and read back as a plain Uint8Array", () => {
    const p = new Persister();
    p.save(Buffer.from([1, 2]));
    expect(Array.from(p.readRaftState())).toEqual([1, 2]);
  });
});
