// Edge cases of the checker: its inputs, its verdicts, its budget and its failure report.
import { describe, expect, test } from "vitest";
import {
  checkEvents,
  checkOperations,
  HistoryRecorder,
  kvModel,
  MalformedHistoryError,
  registerModel,
  unknownOutput,
  type HistoryEvent,
  type KvInput,
  type KvOutput,
  type Operation,
  type RegisterInput,
  type RegisterOutput,
} from "../../sim/check/index.ts";
import { loadCorpus } from "./porcupine-corpus.ts";

type KvOp = Operation<KvInput, KvOutput>;
const put = (key: string, value: string, call: number, ret: number, clientId = 0): KvOp => ({
  clientId,
  input: { op: "put", key, value },
  call,
  output: "",
  return: ret,
});
const get = (key: string, output: string, call: number, ret: number, clientId = 1): KvOp => ({
  clientId,
  input: { op: "get", key },
  call,
  output,
  return: ret,
});
const open = (op: KvOp): KvOp => ({ ...op, output: unknownOutput, return: Infinity });

type RegisterOp = Operation<RegisterInput, RegisterOutput>;
const write = (value: number, call: number, ret: number): RegisterOp => ({ clientId: 0, input: { op: "write", value }, call, output: "ok", return: ret });
const read = (output: number | null, call: number, ret: number): RegisterOp => ({ clientId: 1, input: { op: "read" }, call, output, return: ret });
const cas = (from: number, to: number, output: boolean | typeof unknownOutput, call: number, ret: number): RegisterOp => ({
  clientId: 2,
  input: { op: "cas", from, to },
  call,
  output,
  return: ret,
});

describe("verdicts", () => {
  test("an empty history is linearizable", () => {
    expect(checkOperations(kvModel, []).verdict).toBe("ok");
    expect(checkEvents(registerModel, []).verdict).toBe("ok");
  });

  test("a stale read after a completed write is illegal", () => {
    expect(checkOperations(kvModel, [put("k", "v", 0, 10), get("k", "", 11, 20)]).verdict).toBe("illegal");
    expect(checkOperations(kvModel, [put("k", "v", 0, 10), get("k", "v", 11, 20)]).verdict).toBe("ok");
  });

  test("equal timestamps: a call orders before a return, so touching operations are concurrent", () => {
    // The get is called at 10, the instant the put returns: it may still be ordered first.
    expect(checkOperations(kvModel, [put("k", "v", 0, 10), get("k", "", 10, 20)]).verdict).toBe("ok");
    // The same in the other direction: the put may take effect after the get that ends at 10.
    expect(checkOperations(kvModel, [get("k", "v", 0, 10), put("k", "v", 10, 20)]).verdict).toBe("ok");
    expect(checkOperations(kvModel, [get("k", "v", 0, 9), put("k", "v", 10, 20)]).verdict).toBe("illegal");
  });

  test("an open operation may or may not have taken effect, at any time after its call", () => {
    const history = (seen: string[]): KvOp[] => [open(put("k", "v", 5, 0)), ...seen.map((value, i) => get("k", value, 10 + 10 * i, 15 + 10 * i))];
    expect(checkOperations(kvModel, history([""])).verdict).toBe("ok");
    expect(checkOperations(kvModel, history(["v"])).verdict).toBe("ok");
    expect(checkOperations(kvModel, history(["", "", "v", "v"])).verdict).toBe("ok");
    // Once seen, its effect cannot be undone.
    expect(checkOperations(kvModel, history(["v", ""])).verdict).toBe("illegal");
    // It cannot take effect before its call.
    expect(checkOperations(kvModel, [get("k", "v", 0, 4), open(put("k", "v", 5, 0))]).verdict).toBe("illegal");
  });

  test("events that are never returned are closed at the end with an unknown output", () => {
    const events: HistoryEvent<KvInput, KvOutput>[] = [
      { kind: "call", id: 7, clientId: 0, input: { op: "append", key: "k", value: "x" } },
      { kind: "call", id: 8, clientId: 1, input: { op: "get", key: "k" } },
      { kind: "return", id: 8, clientId: 1, output: "x" },
    ];
    expect(checkEvents(kvModel, events).verdict).toBe("ok");
  });

  test("a cas with an unknown outcome applies only when its comparison holds", () => {
    // The cas may have applied: reading 2 is fine, and then 1 can never come back.
    expect(checkOperations(registerModel, [write(1, 0, 1), cas(1, 2, unknownOutput, 2, Infinity), read(2, 5, 6)]).verdict).toBe("ok");
    expect(checkOperations(registerModel, [write(1, 0, 1), cas(1, 2, unknownOutput, 2, Infinity), read(1, 5, 6)]).verdict).toBe("ok");
    expect(checkOperations(registerModel, [write(1, 0, 1), cas(1, 2, unknownOutput, 2, Infinity), read(2, 5, 6), read(1, 7, 8)]).verdict).toBe(
      "illegal",
    );
    // Its comparison fails (the value is 1, not 3), so it cannot produce 4.
    expect(checkOperations(registerModel, [write(1, 0, 1), cas(3, 4, unknownOutput, 2, Infinity), read(4, 5, 6)]).verdict).toBe("illegal");
  });

  test("a failed cas saw a different value; reads of an unwritten register return absent (null)", () => {
    expect(checkOperations(registerModel, [read(null, 0, 1), cas(0, 1, false, 2, 3)]).verdict).toBe("ok");
    expect(checkOperations(registerModel, [write(0, 0, 1), cas(0, 1, false, 2, 3)]).verdict).toBe("illegal");
    expect(checkOperations(registerModel, [write(0, 0, 1), read(null, 2, 3)]).verdict).toBe("illegal");
  });

  test("keys are checked independently, and the failing key is reported", () => {
    const history = [put("a", "1", 0, 1), put("b", "2", 0, 1), get("a", "1", 2, 3), get("b", "1", 2, 3)];
    const result = checkOperations(kvModel, history);
    expect(result.verdict).toBe("illegal");
    expect(result.partitions).toBe(2);
    expect(result.failure?.partition).toBe("b");
  });
});

describe("failure report", () => {
  test("names the longest order the model accepts and the operations that cannot follow it", () => {
    // put x, then two gets that disagree about what came after it.
    const history = [put("k", "x", 0, 1), put("k", "y", 2, 10, 2), get("k", "y", 3, 4), get("k", "x", 5, 6)];
    const { verdict, failure } = checkOperations(kvModel, history);
    expect(verdict).toBe("illegal");
    expect(failure!.partition).toBe("k");
    expect(failure!.initialState).toBe('""');
    expect(failure!.longestPartialLinearization.map(({ operation, stateAfter }) => [operation.id, stateAfter])).toEqual([
      [0, '"x"'],
      [1, '"y"'],
      [2, '"y"'],
    ]);
    expect(failure!.stuck.map(({ operation, rejectedByModel }) => [operation.id, rejectedByModel])).toEqual([[3, true]]);
  });
});

describe("malformed histories are errors, never verdicts", () => {
  test("an operation that returns before its call", () => {
    expect(() => checkOperations(kvModel, [put("k", "v", 10, 5)])).toThrow(MalformedHistoryError);
    expect(() => checkOperations(kvModel, [put("k", "v", 10, 5)])).toThrow("Operation 0 returns at 5, before its call at 10");
  });

  test("a time that is not a number", () => {
    expect(() => checkOperations(kvModel, [put("k", "v", Number.NaN, 5)])).toThrow(MalformedHistoryError);
  });

  test("events: a return without a call, a duplicate call id, a second return", () => {
    const call = { kind: "call", id: 1, clientId: 0, input: { op: "get", key: "k" } } as const;
    const ret = { kind: "return", id: 1, clientId: 0, output: "" } as const;
    expect(() => checkEvents(kvModel, [ret])).toThrow("Event 0 returns operation id 1, which has not been called");
    expect(() => checkEvents(kvModel, [ret, call])).toThrow("has not been called");
    expect(() => checkEvents(kvModel, [call, call])).toThrow("Event 1 calls operation id 1, which was already called");
    expect(() => checkEvents(kvModel, [call, ret, ret])).toThrow("Event 2 returns operation id 1 a second time");
  });
});

describe("work budget", () => {
  const hard = loadCorpus().find((file) => file.name === "jepsen/etcd_002.log")!;
  const needed = hard.check().steps;

  test("running out gives unknown, deterministically", () => {
    const first = hard.check({ budget: needed - 1 });
    const second = hard.check({ budget: needed - 1 });
    expect(first.verdict).toBe("unknown");
    expect(first.steps).toBe(needed - 1);
    expect(second).toEqual(first);
    expect(hard.check({ budget: needed })).toEqual({ verdict: "ok", steps: needed, partitions: 1 });
  });

  test("a wall-clock limit also stops the search with unknown", () => {
    expect(hard.check({ timeLimitMs: 1 }).verdict).toBe("unknown");
  });

  test("kv/c50-bad is refuted quickly because keys take turns", () => {
    const bad = loadCorpus().find((file) => file.name === "kv/c50-bad.txt")!;
    const result = bad.check();
    expect(result.verdict).toBe("illegal");
    // Several of its keys cannot be refuted within millions of steps each.
    expect(result.steps).toBeLessThan(200_000);
  });
});

/**
 * A 6.824-style KV run: `clients` clients, each calling get or append on one of 15 keys, one
 * operation at a time, each taking effect at a random point while it is in flight. Seeded, so the
 * history is the same on every run.
 */
function kvRun(clients: number, operations: number, seed: number): KvOp[] {
  let state = seed;
  const random = (): number => {
    // mulberry32
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const clientTime = new Array<number>(clients).fill(0);
  const history: (KvOp & { effect: number })[] = [];
  for (let i = 0; i < operations; i++) {
    const clientId = i % clients;
    const call = clientTime[clientId]! + Math.floor(random() * 3);
    const duration = 1 + Math.floor(random() * random() * 50);
    const key = String(Math.floor(random() * 15));
    const input: KvInput = random() < 0.4 ? { op: "get", key } : { op: "append", key, value: `x ${clientId} ${i} y` };
    history.push({ clientId, input, call, output: "", return: call + duration, effect: call + random() * duration });
    clientTime[clientId] = call + duration;
  }
  const values = new Map<string, string>();
  for (const op of [...history].sort((a, b) => a.effect - b.effect)) {
    const current = values.get(op.input.key) ?? "";
    if (op.input.op === "get") op.output = current;
    if (op.input.op === "append") values.set(op.input.key, current + op.input.value);
  }
  return history.map(({ effect: _effect, ...op }) => op);
}

describe("large 6.824-style KV histories are decided under the default budget", () => {
  test("30,000 operations, 15 keys, 15 clients", () => {
    const history = kvRun(15, 30_000, 1);
    const result = checkOperations(kvModel, history);
    expect(result.verdict).toBe("ok");
    expect(result.partitions).toBe(15);
  });

  test("the same with one read cut short, near the end", () => {
    const history = kvRun(15, 30_000, 1);
    let last = history.length - 1;
    while (history[last]!.input.op !== "get" || history[last]!.output === "") last--;
    const read = history[last]!;
    history[last] = { ...read, output: (read.output as string).slice(0, -1) };
    const result = checkOperations(kvModel, history);
    expect(result.verdict).toBe("illegal");
    expect(result.failure?.partition).toBe(read.input.key);
  });
});

describe("HistoryRecorder", () => {
  test("records calls and returns at the clock's times; unended operations stay open", () => {
    let now = 0;
    const recorder = new HistoryRecorder<KvInput, KvOutput>(() => now);
    const a = recorder.begin(0, { op: "put", key: "k", value: "v" });
    now = 5;
    const b = recorder.begin(1, { op: "get", key: "k" });
    recorder.end(a, "");
    now = 9;
    recorder.end(b, "v");
    recorder.begin(2, { op: "append", key: "k", value: "w" });
    expect(recorder.operations()).toEqual([
      { clientId: 0, input: { op: "put", key: "k", value: "v" }, call: 0, output: "", return: 5 },
      { clientId: 1, input: { op: "get", key: "k" }, call: 5, output: "v", return: 9 },
      { clientId: 2, input: { op: "append", key: "k", value: "w" }, call: 9, output: unknownOutput, return: Infinity },
    ]);
    expect(checkOperations(kvModel, recorder.operations()).verdict).toBe("ok");
  });

  test("refuses a second end, a foreign handle and a clock going backwards", () => {
    let now = 10;
    const recorder = new HistoryRecorder<KvInput, KvOutput>(() => now);
    const op = recorder.begin(0, { op: "get", key: "k" });
    recorder.end(op, "");
    expect(() => recorder.end(op, "")).toThrow("already ended");
    expect(() => recorder.end(op + 1 as typeof op, "")).toThrow("was not returned by begin()");
    now = 9;
    expect(() => recorder.begin(0, { op: "get", key: "k" })).toThrow("went from 10 back to 9");
  });
});
