// describeDifference says which appends a wrong value lost or repeated, and where it first differs.
import { describe, expect, it } from "vitest";
import { clientElements, describeDifference } from "./value-diff.ts";

const appends = (client: number, ns: number[]) => ns.map((n) => `x ${client} ${n} y`).join("");

describe("describeDifference", () => {
  it("names the elements that are missing and those applied twice", () => {
    const text = describeDifference(appends(0, [0, 1, 2, 3]), appends(0, [0, 1, 1, 3]));
    expect(text).toContain("expected 28 characters, received 28");
    expect(text).toContain('missing: "x 0 2 y"');
    expect(text).toContain('applied more than once: "x 0 1 y"');
    expect(text).toMatch(/the first 18 characters agree \(…".*x 0 1 yx 0 "\); then\n {6}expected "2 yx 0 3 y"\n {6}received "1 yx 0 3 y"/);
  });

  it("finds the first difference in any two strings", () => {
    const text = describeDifference("abcdefgh", "abcdXXefgh");
    expect(text).not.toContain("missing");
    expect(text).toContain('the first 4 characters agree (…"abcd"); then');
    expect(text).toContain('received "XXefgh"');
  });

  it("says what a non-string is", () => {
    expect(describeDifference("a", undefined)).toContain("received undefined");
  });

  it("lists a client's elements as ranges", () => {
    expect(clientElements(appends(2, [0, 1, 2, 4, 6, 7]) + appends(1, [3]), 2)).toBe("0–2, 4, 6–7");
    expect(clientElements("", 0)).toBe("none");
  });
});
