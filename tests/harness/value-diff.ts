// How a value a clerk read differs from the one the test expected, for the KV testers' messages.
// The tests build values by appending (kvraft's "x <client> <n> y" elements, shardkv's random
// strings), so a wrong value is almost always some appends lost or applied twice, somewhere in a
// string thousands of characters long. Printing both strings hides that; this says it: the
// elements missing or extra (when the value is made of kvraft's elements), and the first place
// where the two differ, with a little of what comes before.
import { describeValue } from "../../sim/index.ts";

/** One of kvraft's appended elements: "x 3 17 y" is client 3's 18th append. */
const ELEMENT = /x -?\d+ \d+ y/g;
/** How many elements of each kind (missing, extra) to name. */
const SHOWN_ELEMENTS = 5;
/** Characters of context shown before the first difference, and of each side after it. */
const CONTEXT = 24;
const SHOWN_AFTER = 40;

/** Several lines, indented: how `received` differs from `expected`. */
export function describeDifference(expected: string, received: unknown): string {
  if (typeof received !== "string") return `    expected a string of ${expected.length} characters, received ${describeValue(received)}`;
  const lines = [`    expected ${expected.length} characters, received ${received.length}`];
  const elements = elementDifference(expected, received);
  if (elements !== undefined) lines.push(...elements);
  lines.push(firstDifference(expected, received));
  return lines.join("\n");
}

/** Which of client `client`'s elements a kvraft value holds, as ranges of their numbers: "0–7, 9, 10–12". */
export function clientElements(value: string, client: number): string {
  const numbers: number[] = [];
  for (const e of value.match(ELEMENT) ?? []) {
    const [, c, n] = e.split(" ");
    if (Number(c) === client) numbers.push(Number(n));
  }
  if (numbers.length === 0) return "none";
  const ranges: string[] = [];
  let start = numbers[0]!;
  for (let k = 1; k <= numbers.length; k++) {
    if (k < numbers.length && numbers[k] === numbers[k - 1]! + 1) continue;
    const end = numbers[k - 1]!;
    ranges.push(start === end ? `${start}` : `${start}–${end}`);
    start = numbers[k]!;
  }
  return ranges.join(", ");
}

/** The missing and extra elements, if both values are made of kvraft's elements only. */
function elementDifference(expected: string, received: string): string[] | undefined {
  const want = elementsOf(expected);
  const got = elementsOf(received);
  if (want === undefined || got === undefined) return undefined;
  const lines: string[] = [];
  const missing = surplus(want, got);
  const extra = surplus(got, want);
  if (missing.length > 0) lines.push(`    missing: ${list(missing)}`);
  for (const e of extra) if (!want.includes(e)) lines.push(`    never appended by the test: ${e}`);
  const twice = extra.filter((e) => want.includes(e));
  if (twice.length > 0) lines.push(`    applied more than once: ${list(twice)}`);
  if (missing.length === 0 && extra.length === 0) lines.push("    the same elements, in another order");
  return lines;
}

function elementsOf(value: string): string[] | undefined {
  const elements = value.match(ELEMENT) ?? [];
  return elements.join("") === value ? elements : undefined;
}

/** The elements of `a` that `b` lacks, counting repeats. */
function surplus(a: string[], b: string[]): string[] {
  const left = new Map<string, number>();
  for (const e of b) left.set(e, (left.get(e) ?? 0) + 1);
  const out: string[] = [];
  for (const e of a) {
    const n = left.get(e) ?? 0;
    if (n > 0) left.set(e, n - 1);
    else out.push(e);
  }
  return out;
}

function list(elements: string[]): string {
  const shown = elements.slice(0, SHOWN_ELEMENTS).map((e) => JSON.stringify(e)).join(", ");
  return elements.length > SHOWN_ELEMENTS ? `${shown} and ${elements.length - SHOWN_ELEMENTS} more` : shown;
}

function firstDifference(expected: string, received: string): string {
  let at = 0;
  while (at < expected.length && at < received.length && expected[at] === received[at]) at++;
  const before = expected.slice(Math.max(0, at - CONTEXT), at);
  const side = (s: string): string => {
    const rest = s.slice(at, at + SHOWN_AFTER);
    return rest === "" ? "(the end)" : `${JSON.stringify(rest)}${s.length > at + SHOWN_AFTER ? "…" : ""}`;
  };
  return (
    `    the first ${at} characters agree${at > 0 ? ` (…${JSON.stringify(before)})` : ""}; then\n` +
    `      expected ${side(expected)}\n` +
    `      received ${side(received)}`
  );
}
