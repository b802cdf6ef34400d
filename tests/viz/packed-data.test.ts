// The page data as the HTML file carries it (sim/trace/viz/packed-data.ts): JSON with the typed
// columns as bytes, unpacked by the page into views of the same types and values.
import { describe, expect, it } from "vitest";
import { packPageData, unpackPageData } from "../../sim/trace/viz/packed-data.ts";
import { historyPageData } from "../../sim/trace/viz/page-model.ts";
import type { PageData } from "../../sim/trace/viz/page-data.ts";

/** A history of two clients on one key, the second append lost: a page with every table filled. */
function samplePage(): PageData {
  const data = historyPageData(
    [
      { kind: "call", id: 0, clientId: 0, input: { op: "append", key: "k", value: "a" } },
      { kind: "call", id: 1, clientId: 1, input: { op: "append", key: "k", value: "b</script>é" } },
      { kind: "return", id: 0, clientId: 0, output: "" },
      { kind: "return", id: 1, clientId: 1, output: "" },
      { kind: "call", id: 2, clientId: 0, input: { op: "get", key: "k" } },
      { kind: "return", id: 2, clientId: 0, output: "a" },
    ],
    "sample.jsonl",
  );
  // Values a column must keep exactly: fractions, -1, the ends of the ranges.
  data.events.time[1] = 0.1 + 0.2;
  data.events.text[2] = 2 ** 31 - 1;
  data.events.kind[3] = 255;
  // A column that is a view into a larger buffer, at an offset.
  data.ops.index = new Int32Array(new ArrayBuffer(64), 12, data.ops.row.length).fill(-1);
  data.ops.index[0] = 7;
  data.messages.args = [{ typed: "Float64Array", offset: 1e9, length: 5 }];
  return data;
}

describe("the packed page data", () => {
  it("unpacks to the same data, each column the same typed array", () => {
    const data = samplePage();
    const back = unpackPageData(packPageData(data));
    expect(back).toEqual(structuredClone(data));
    expect(back.events.time).toBeInstanceOf(Float64Array);
    expect(back.events.time[1]).toBe(0.1 + 0.2);
    expect(back.events.kind).toBeInstanceOf(Uint8Array);
    expect(back.events.kind[3]).toBe(255);
    expect(back.events.text[2]).toBe(2 ** 31 - 1);
    expect(back.ops.index).toBeInstanceOf(Int32Array);
    expect([...back.ops.index]).toEqual([7, -1, -1]);
    expect(back.ops.call).toBeInstanceOf(Float64Array);
    expect(back.verdicts[0]!.verdict).toBe("illegal");
    expect(back.strings).toContain('append("k", "b</script>é")');
    // A payload that looks like a column's placeholder is a payload: only tables' fields are columns.
    expect(back.messages.args).toEqual([{ typed: "Float64Array", offset: 1e9, length: 5 }]);
  });

  it("keeps the numbers out of the JSON", () => {
    const data = samplePage();
    data.events = { ...data.events, time: new Float64Array(10_000).fill(123_456.75) };
    const packed = packPageData(data);
    const jsonLength = new DataView(packed.buffer, packed.byteOffset).getUint32(0, true);
    expect(jsonLength).toBeLessThan(4_000); // 10,000 times as JSON would be 110,000
    expect(packed.length).toBeGreaterThan(80_000);
    expect(unpackPageData(packed).events.time[9_999]).toBe(123_456.75);
  });

  it("stores each column in the narrowest type that keeps every value, and widens it back", () => {
    const data = samplePage();
    const count = 10_000;
    data.events = {
      ...data.events,
      time: Float64Array.from({ length: count }, (_, i) => i * 3), // whole: two bytes each
      row: new Int32Array(count).fill(-1), // one byte each
      text: Int32Array.from({ length: count }, (_, i) => (i === 5 ? -(2 ** 31) : i)), // four
    };
    const packed = packPageData(data);
    expect(packed.length).toBeLessThan(80_000);
    expect(packed.length).toBeGreaterThan(70_000);
    const back = unpackPageData(packed);
    expect(back.events.time).toBeInstanceOf(Float64Array);
    expect(back.events.time[9_999]).toBe(29_997);
    expect(back.events.row).toBeInstanceOf(Int32Array);
    expect(back.events.row[9_999]).toBe(-1);
    expect(back.events.text[5]).toBe(-(2 ** 31));
    // Values a narrower type would change keep the column's own: -0, a fraction, beyond 32 bits, NaN.
    for (const odd of [-0, 0.5, 2 ** 31, -(2 ** 40), Number.NaN]) {
      const column = new Float64Array(100).fill(7);
      column[50] = odd;
      data.events = { ...data.events, time: column };
      expect(Object.is(unpackPageData(packPageData(data)).events.time[50], odd)).toBe(true);
    }
  });

  it("unpacks bytes that do not start on an 8-byte boundary", () => {
    const packed = packPageData(samplePage());
    const shifted = new Uint8Array(packed.length + 3);
    shifted.set(packed, 3);
    expect(unpackPageData(shifted.subarray(3))).toEqual(unpackPageData(packed));
  });

  it("says what is wrong with data cut short, instead of showing garbage", () => {
    const packed = packPageData(samplePage());
    expect(() => unpackPageData(packed.subarray(0, packed.length - 8))).toThrow(/the page's data is damaged: column \w+ .* lies outside its \d+ bytes/);
    expect(() => unpackPageData(packed.subarray(0, 2))).toThrow(/cut short: 2 bytes/);
  });
});
