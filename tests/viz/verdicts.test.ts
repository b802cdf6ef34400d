// Each key's verdict on the debugger page (sim/trace/viz/verdicts.ts): checked in Node, or taken
// from the run's own check when that one check found every operation linearizable.
import { describe, expect, it } from "vitest";
import { unknownOutput, type KvInput, type KvOutput, type Operation } from "../../sim/check/index.ts";
import { keyVerdicts, type CheckNote } from "../../sim/trace/viz/verdicts.ts";

const op = (clientId: number, input: KvInput, output: KvOutput | typeof unknownOutput, call: number, ret: number): Operation<KvInput, KvOutput> => ({ clientId, input, output, call, return: ret });

/** Key "a" is fine; key "b" lost an append: its get, after both appends returned, sees one. */
const history = [
  op(0, { op: "put", key: "a", value: "1" }, "", 0, 10),
  op(1, { op: "get", key: "a" }, "1", 11, 20),
  op(0, { op: "append", key: "b", value: "x" }, "", 30, 40),
  op(1, { op: "append", key: "b", value: "y" }, "", 31, 41),
  op(2, { op: "get", key: "b" }, "x", 50, 60),
];

describe("the page's verdicts", () => {
  it("check every key when the run noted no check (a history file)", () => {
    const verdicts = keyVerdicts(history);
    expect(verdicts.map((v) => [v.key, v.verdict])).toEqual([["a", "ok"], ["b", "illegal"]]);
    const b = verdicts[1]!;
    expect(b.ops).toEqual([2, 3, 4]);
    expect(b.linearization.length).toBeGreaterThan(0);
    expect(b.illegalNext.map((n) => n.op)).toContain(4);
  });

  it("check every key again when the run's check failed, covered other operations, or was one of several", () => {
    const cases: CheckNote[][] = [
      [{ verdict: "illegal", operations: history.length }],
      [{ verdict: "unknown", operations: history.length }],
      [{ verdict: "ok", operations: history.length - 1 }],
      [{ verdict: "ok", operations: history.length }, { verdict: "ok", operations: history.length }],
    ];
    for (const runChecks of cases) expect(keyVerdicts(history, runChecks)).toEqual(keyVerdicts(history));
  });

  it("take the run's word when its one check covered every operation and found them linearizable", () => {
    const linearizable = history.slice(0, 2);
    expect(keyVerdicts(linearizable, [{ verdict: "ok", operations: 2 }])).toEqual(keyVerdicts(linearizable));
    // Not checked again: even a history the page would refute shows the run's verdict.
    const taken = keyVerdicts(history, [{ verdict: "ok", operations: history.length }]);
    expect(taken.map((v) => [v.key, v.verdict, v.ops])).toEqual([["a", "ok", [0, 1]], ["b", "ok", [2, 3, 4]]]);
  });
});
