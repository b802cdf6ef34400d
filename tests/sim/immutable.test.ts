// The codec's immutable values: deep-frozen; a long array of them encoded to bytes again and again
// reuses its elements' kept bytes, always equal to what encoding afresh would give. And byte
// counts are UTF-8 bytes.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CodecError, copyAcrossWire, decode, encode, encodeToBytes, immutable } from "../../sim/index.ts";

describe("immutable()", () => {
  it("deep-freezes a plain object: nothing inside can change any more", () => {
    const entry = immutable({ term: 3, command: { op: "Put", key: "k", tags: ["a"] } });
    expect(Object.isFrozen(entry) && Object.isFrozen(entry.command) && Object.isFrozen(entry.command.tags)).toBe(true);
    expect(() => {
      (entry.command as { key: string }).key = "other";
    }).toThrow(TypeError);
  });

  it("freezes what was only frozen on the outside", () => {
    const entry = immutable(Object.freeze({ term: 1, command: { key: "k" } }));
    expect(Object.isFrozen(entry.command)).toBe(true);
  });

  it("encodes as any other value does, however often", () => {
    const a = immutable({ term: 1, command: "x" });
    const b = immutable({ term: 2, command: { n: 5 } });
    const state = { currentTerm: 2, votedFor: null, entries: [a, b, a] };
    for (let i = 0; i < 3; i++) {
      expect(encode(state)).toBe(JSON.stringify(state));
    }
    expect(decode(encode(state))).toEqual(state);
    state.entries.push(immutable({ term: 3, command: "y" }));
    expect(encode(state)).toBe(JSON.stringify(state));
  });

  it("bytes next to immutable values still cross as bytes", () => {
    const value = { entries: [immutable({ term: 1, command: 7 })], data: new Uint8Array([1, 2, 255]) };
    const copy = copyAcrossWire(value, "x").value;
    expect(copy.entries).toEqual([{ term: 1, command: 7 }]);
    expect(copy.data).toEqual(new Uint8Array([1, 2, 255]));
  });

  it("a value holding bytes is frozen but never kept: a change to its bytes shows in the next encoding", () => {
    const snapshot = immutable({ index: 4, data: new Uint8Array([1, 2]) });
    expect(Object.isFrozen(snapshot)).toBe(true);
    const before = encode({ snapshot });
    snapshot.data[0] = 9;
    expect(encode({ snapshot })).not.toBe(before);
    expect(copyAcrossWire({ snapshot }, "x").value.snapshot.data).toEqual(new Uint8Array([9, 2]));
  });

  it("an immutable value that cannot cross the wire is still rejected, naming the field", () => {
    const bad = immutable({ term: 1, command: { when: undefined } });
    expect(() => encode({ entries: [bad] }, "Raft's persistent state")).toThrow(CodecError);
    expect(() => encode({ entries: [bad] }, "Raft's persistent state")).toThrow("field entries[0].command.when");
  });

  it("for any value, with any of its objects made immutable, the encoding is JSON.stringify's", () => {
    const leaf = fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: "small" }, leaf, tie("array"), tie("object")),
      array: fc.array(tie("tree"), { maxLength: 4 }),
      object: fc.tuple(fc.dictionary(fc.string({ maxLength: 4 }).filter((key) => key !== "__proto__"), tie("tree"), { maxKeys: 4 }), fc.boolean()),
    }));
    const build = (v: unknown): unknown => {
      if (Array.isArray(v) && v.length === 2 && typeof v[1] === "boolean" && typeof v[0] === "object" && v[0] !== null && !Array.isArray(v[0])) {
        const object: Record<string, unknown> = {};
        for (const [key, child] of Object.entries(v[0] as Record<string, unknown>)) object[key] = build(child);
        return v[1] ? immutable(object) : object;
      }
      return Array.isArray(v) ? v.map(build) : v;
    };
    fc.assert(
      fc.property(tree, (raw) => {
        const value = build(raw);
        const expected = JSON.stringify(value);
        expect(encode(value)).toBe(expected);
        expect(encode(value)).toBe(expected); // and again, from the kept encodings
      }),
      { numRuns: 300, seed: Number(process.env.SEED ?? 6824) }, // a fixed seed, as everywhere in simlab
    );
  });
});

describe("a long array of immutable values, encoded to bytes again and again", () => {
  const fresh = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));
  const entry = (term: number, command: unknown) => immutable({ term, command });

  it("gives the same bytes as a fresh encoding after every kind of change to the array", () => {
    const log = Array.from({ length: 40 }, (_, i) => entry(1 + Math.floor(i / 10), { key: `k${i}`, value: "é".repeat(i % 3) }));
    const state = { currentTerm: 4, votedFor: null as number | null, entries: log };
    expect(encodeToBytes(state)).toEqual(fresh(state)); // first time: every element encoded
    expect(encodeToBytes(state)).toEqual(fresh(state)); // unchanged: the kept bytes
    log.push(entry(4, "appended"));
    expect(encodeToBytes(state)).toEqual(fresh(state));
    log.length = 35; // truncated
    expect(encodeToBytes(state)).toEqual(fresh(state));
    log[10] = entry(2, "replaced in the middle");
    expect(encodeToBytes(state)).toEqual(fresh(state));
    log.splice(0, 5); // compacted from the front
    state.votedFor = 2;
    expect(encodeToBytes(state)).toEqual(fresh(state));
  });

  it("is encoded afresh when it holds a value that is not immutable, which may change", () => {
    const mutable = { command: "before" };
    const log: unknown[] = [...Array.from({ length: 40 }, (_, i) => entry(1, i)), mutable];
    expect(encodeToBytes({ log })).toEqual(fresh({ log }));
    mutable.command = "after";
    expect(encodeToBytes({ log })).toEqual(fresh({ log }));
  });
});

describe("byte counts", () => {
  it("are UTF-8 bytes, as encodeToBytes stores them", () => {
    expect(copyAcrossWire("é", "x").bytes).toBe(4); // a quote, two bytes, a quote
    expect(copyAcrossWire({ k: "日本" }, "x").bytes).toBe(encodeToBytes({ k: "日本" }).byteLength);
  });
});
