// The codec: every message and persisted value crosses as a copy; what cannot cross a wire is
// rejected with the path of the offending field (labgob's warnings, made errors).
import { describe, expect, it } from "vitest";
import {
  CodecError,
  checkEncodable,
  copyAcrossWire,
  decode,
  decodeFromBytes,
  encode,
  encodeToBytes,
} from "../../sim/index.ts";

describe("codec: copies", () => {
  it("the copy shares no object with the original, at any depth", () => {
    const original = { term: 3, entries: [{ term: 1, command: { key: "k", value: "v" } }], votes: [1, 2] };
    const { value: copy } = copyAcrossWire(original, "AppendEntries args");
    expect(copy).toEqual(original);
    expect(copy).not.toBe(original);
    expect(copy.entries).not.toBe(original.entries);
    expect(copy.entries[0]).not.toBe(original.entries[0]);
    expect(copy.entries[0]!.command).not.toBe(original.entries[0]!.command);
    copy.entries[0]!.command.value = "changed";
    copy.votes.push(3);
    expect(original.entries[0]!.command.value).toBe("v");
    expect(original.votes).toEqual([1, 2]);
  });

  it("plain values round trip: null, booleans, numbers, strings, nested arrays, null-prototype objects", () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { a: 1 });
    const values: unknown[] = [null, true, false, 0, -1.5, 1e300, "", "ünïcødé ✓", [[1], [2, [3]]], {}, bare];
    for (const v of values) expect(decode(encode(v))).toEqual(v);
  });

  it("Uint8Array round trips as bytes, alone and inside objects, and the copy is independent", () => {
    const bytes = new Uint8Array([0, 1, 2, 253, 254, 255]);
    const { value } = copyAcrossWire({ snapshot: bytes, nested: [bytes.subarray(2, 4)] }, "snapshot");
    expect(value.snapshot).toBeInstanceOf(Uint8Array);
    expect(Array.from(value.snapshot)).toEqual([0, 1, 2, 253, 254, 255]);
    expect(Array.from(value.nested[0]!)).toEqual([2, 253]);
    value.snapshot[0] = 99;
    expect(bytes[0]).toBe(0);
    const alone = copyAcrossWire(new Uint8Array(0), "empty").value;
    expect(alone).toBeInstanceOf(Uint8Array);
    expect(alone.length).toBe(0);
  });

  it("encodeToBytes/decodeFromBytes round trip; corrupt or wrong input is a clear CodecError", () => {
    const state = { currentTerm: 5, votedFor: null, log: [{ term: 1, command: "x" }], snap: new Uint8Array([7]) };
    const bytes = encodeToBytes(state, "raft state");
    expect(bytes).toBeInstanceOf(Uint8Array);
    const back = decodeFromBytes<typeof state>(bytes);
    expect(back).toEqual(state);
    expect(back.snap).toBeInstanceOf(Uint8Array);
    expect(() => decodeFromBytes(new Uint8Array([1, 2, 3]), "the snapshot")).toThrow(/the snapshot are corrupt/);
    expect(() => decodeFromBytes("{}" as unknown as Uint8Array, "the state")).toThrow(/must be a Uint8Array, got string/);
  });

  it("byte counts are the encoded length", () => {
    expect(copyAcrossWire(111, "x").bytes).toBe(3);
    expect(copyAcrossWire("abc", "x").bytes).toBe(5); // with its quotes
    expect(copyAcrossWire({ a: [1, 2] }, "x").bytes).toBe(JSON.stringify({ a: [1, 2] }).length);
    const big = "y".repeat(1000);
    expect(copyAcrossWire({ big }, "x").bytes).toBe(1000 + '{"big":""}'.length);
    // UTF-8 bytes for storage: multi-byte characters count as their UTF-8 length.
    expect(encodeToBytes("é").length).toBe(4);
  });
});

describe("codec: rejections name the field", () => {
  const rejects = (value: unknown, pattern: RegExp) => {
    let error: unknown;
    try {
      encode(value, "the arguments of Raft.requestVote");
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(CodecError);
    expect((error as Error).message).toMatch(/^cannot send or store the arguments of Raft\.requestVote/);
    expect((error as Error).message).toMatch(pattern);
    expect(() => checkEncodable(value, "the arguments of Raft.requestVote")).toThrow(CodecError);
  };

  class LogEntry {
    constructor(readonly term: number) {}
  }

  it("a function", () => rejects({ args: { callback: function onDone() {} } }, /field args\.callback: it is a function \(onDone\)/));
  it("an undefined field", () => rejects({ term: 1, candidateId: undefined }, /field candidateId: it is undefined.*use null/));
  it("undefined as the whole value", () => rejects(undefined, /: it is undefined/));
  it("a class instance", () =>
    rejects({ entries: [{ term: 1 }, new LogEntry(2)] }, /field entries\[1\]: it is an instance of class LogEntry.*object literal/));
  it("a Map", () => rejects({ state: { kv: new Map([["a", "1"]]) } }, /field state\.kv: it is a Map.*plain object/));
  it("a Set", () => rejects({ seen: new Set([1]) }, /field seen: it is a Set.*use an array/));
  it("a Date", () => rejects({ at: new Date(0) }, /field at: it is a Date.*getTime\(\)/));
  it("NaN", () => rejects({ x: [1, Number.NaN] }, /field x\[1\]: NaN is not a finite number/));
  it("Infinity", () => rejects({ x: -Infinity }, /field x: -Infinity is not a finite number/));
  it("a bigint", () => rejects({ n: 10n }, /field n: it is a bigint/));
  it("a symbol", () => rejects({ s: Symbol("s") }, /field s: it is a symbol/));
  it("a cycle names where it points back to", () => {
    const root: Record<string, unknown> = { a: { b: {} } };
    (root.a as { b: Record<string, unknown> }).b.back = root.a;
    rejects(root, /field a\.b\.back: it refers back to a \(a cycle\)/);
    const self: unknown[] = [];
    self.push(self);
    rejects(self, /field \[0\]: it refers back to the value itself/);
  });
  it("an array hole", () => {
    const holey = [1, , 3]; // eslint-disable-line no-sparse-arrays
    rejects({ log: holey }, /field log: the array has a hole at index 1/);
  });
  it("the reserved key", () => rejects({ inner: { $bytes: "AA==" } }, /field inner: the key "\$bytes" is reserved/));
  it("too deep nesting", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 300; i++) deep = [deep];
    rejects(deep, /nested more than 200 levels deep/);
  });

  it("a shared (not cyclic) object is fine and arrives as two copies", () => {
    const shared = { v: 1 };
    const { value } = copyAcrossWire({ a: shared, b: shared }, "x");
    expect(value).toEqual({ a: { v: 1 }, b: { v: 1 } });
    expect(value.a).not.toBe(value.b);
  });

  it("the fast path and the explanation agree: a failed encode leaves no state behind", () => {
    expect(() => encode({ f: () => 1 })).toThrow(CodecError);
    // The next encode of bytes still works (the Uint8Array flag must not be stale).
    expect(decode(encode({ b: new Uint8Array([1]) }))).toEqual({ b: new Uint8Array([1]) });
    expect(decode(encode({ s: "plain" }))).toEqual({ s: "plain" });
  });
});
