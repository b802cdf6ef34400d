// The checker against a brute-force oracle on small random histories. The oracle knows nothing of
// the checker: it enumerates every subset of the operations with unknown outputs to leave out
// (they may never have taken effect), and every order of the rest, and replays each order that
// respects real time with its own little interpreter.
import fc from "fast-check";
import { describe, expect, onTestFinished, test } from "vitest";
import {
  checkOperations,
  kvModel,
  registerModel,
  unknownOutput,
  type KvInput,
  type KvOutput,
  type Observed,
  type Operation,
  type RegisterInput,
  type RegisterOutput,
} from "../../sim/check/index.ts";

const runs = 400;
// As everywhere in simlab: a fixed seed by default, SEED=… to explore others.
const seed = Number(process.env.SEED ?? 6824);

// ---- the oracle ----

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

function subsets<T>(items: T[]): T[][] {
  return items.reduce<T[][]>((all, item) => [...all, ...all.map((subset) => [...subset, item])], [[]]);
}

/** Whether some order of some allowed selection of `history` replays correctly under `accepts`. */
function oracleLinearizable<Input, Output>(
  history: Operation<Input, Output>[],
  accepts: (order: Operation<Input, Output>[]) => boolean,
): boolean {
  const optional = history.filter((op) => op.output === unknownOutput);
  const required = history.filter((op) => op.output !== unknownOutput);
  return subsets(optional).some((kept) =>
    permutations([...required, ...kept]).some((order) => {
      // Real time: if b returned before a was called, b must come first.
      const respectsRealTime = order.every((a, i) => order.slice(i + 1).every((b) => !(b.return < a.call)));
      return respectsRealTime && accepts(order);
    }),
  );
}

function kvReplays(order: Operation<KvInput, KvOutput>[]): boolean {
  const values = new Map<string, string>();
  for (const { input, output } of order) {
    const current = values.get(input.key) ?? "";
    if (input.op === "get" && output !== unknownOutput && output !== current) return false;
    if (input.op === "put") values.set(input.key, input.value);
    if (input.op === "append") values.set(input.key, current + input.value);
  }
  return true;
}

function registerReplays(order: Operation<RegisterInput, RegisterOutput>[]): boolean {
  let value: number | null = null;
  for (const { input, output } of order) {
    if (input.op === "read" && output !== unknownOutput && output !== value) return false;
    if (input.op === "write") value = input.value;
    if (input.op === "cas") {
      const matches = value === input.from;
      if (output === true && !matches) return false;
      if (output === false && matches) return false;
      if (matches && output !== false) value = input.to;
    }
  }
  return true;
}

// ---- histories: simulated executions, sometimes corrupted ----

interface Shape<Input> {
  clientId: number;
  input: Input;
  call: number;
  duration: number;
  /** Where in [call, return] the operation takes effect, as a fraction. */
  point: number;
  /** Never returns (its client crashed); then `tookEffect` says whether it applied. */
  open: boolean;
  tookEffect: boolean;
}

function shapeArbitrary<Input>(input: fc.Arbitrary<Input>): fc.Arbitrary<Shape<Input>> {
  return fc.record({
    clientId: fc.integer({ min: 0, max: 3 }),
    input,
    call: fc.integer({ min: 0, max: 12 }),
    duration: fc.integer({ min: 0, max: 6 }),
    point: fc.double({ min: 0, max: 1, noNaN: true }),
    open: fc.constant(false), // set by historyArbitrary: about one operation in six
    tookEffect: fc.boolean(),
  });
}

/**
 * Runs the shapes in order of their effect points through `apply` (which returns the output),
 * then optionally replaces one output by `corrupt`.
 */
function simulate<Input, Output>(
  shapes: Shape<Input>[],
  apply: (input: Input) => Output,
  corruption: { index: number; output: Output } | null,
): Operation<Input, Output>[] {
  const effectTime = (s: Shape<Input>): number => s.call + s.point * s.duration;
  const outputs = new Map<Shape<Input>, Output>();
  for (const shape of [...shapes].sort((a, b) => effectTime(a) - effectTime(b))) {
    if (!shape.open || shape.tookEffect) outputs.set(shape, apply(shape.input));
  }
  return shapes.map((shape, index): Operation<Input, Output> => {
    if (shape.open) return { clientId: shape.clientId, input: shape.input, call: shape.call, output: unknownOutput, return: Infinity };
    const output: Observed<Output> = corruption?.index === index ? corruption.output : outputs.get(shape)!;
    return { clientId: shape.clientId, input: shape.input, call: shape.call, output, return: shape.call + shape.duration };
  });
}

const key = fc.constantFrom("a", "b", "c");
const kvInput: fc.Arbitrary<KvInput> = fc.oneof(
  key.map((k): KvInput => ({ op: "get", key: k })),
  fc.record({ op: fc.constant("put" as const), key, value: fc.constantFrom("x", "y") }),
  fc.record({ op: fc.constant("append" as const), key, value: fc.constantFrom("x", "y") }),
);
const registerInput: fc.Arbitrary<RegisterInput> = fc.oneof(
  fc.constant<RegisterInput>({ op: "read" }),
  fc.record({ op: fc.constant("write" as const), value: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ op: fc.constant("cas" as const), from: fc.integer({ min: 0, max: 2 }), to: fc.integer({ min: 0, max: 2 }) }),
);

/**
 * `wrongOutput(input, n)` picks an output of the right kind for `input`, which may or may not be
 * the one the execution produced.
 */
function historyArbitrary<Input, Output>(
  input: fc.Arbitrary<Input>,
  makeApply: () => (input: Input) => Output,
  wrongOutput: (input: Input, n: number) => Output,
): fc.Arbitrary<Operation<Input, Output>[]> {
  const shape = fc
    .tuple(shapeArbitrary(input), fc.integer({ min: 0, max: 5 }))
    .map(([s, roll]) => ({ ...s, open: roll === 0 })); // about one operation in six never returns
  return fc
    // Most histories get one output replaced (often by a wrong one), so both verdicts are common.
    .tuple(fc.array(shape, { minLength: 0, maxLength: 8 }), fc.option(fc.tuple(fc.nat(), fc.nat()), { freq: 5 }))
    .map(([shapes, corrupt]) => {
      if (corrupt === null || shapes.length === 0) return simulate(shapes, makeApply(), null);
      const index = corrupt[0] % shapes.length;
      return simulate(shapes, makeApply(), { index, output: wrongOutput(shapes[index]!.input, corrupt[1]) });
    });
}

function kvApply(): (input: KvInput) => KvOutput {
  const values = new Map<string, string>();
  return (input) => {
    const current = values.get(input.key) ?? "";
    if (input.op === "put") values.set(input.key, input.value);
    if (input.op === "append") values.set(input.key, current + input.value);
    return input.op === "get" ? current : "";
  };
}

function registerApply(): (input: RegisterInput) => RegisterOutput {
  let value: number | null = null;
  return (input) => {
    if (input.op === "read") return value;
    if (input.op === "write") {
      value = input.value;
      return "ok";
    }
    if (value !== input.from) return false;
    value = input.to;
    return true;
  };
}

describe("checker agrees with a brute-force oracle", () => {
  test(`KV model, ${runs} random histories (≤ 8 operations, ≤ 3 keys, some never return)`, () => {
    const verdicts = { ok: 0, illegal: 0 };
    onTestFinished(() => console.log(`${JSON.stringify(verdicts)} (seed ${seed})`));
    const gets = ["", "x", "y", "xy", "yx", "xx"];
    const wrong = (input: KvInput, n: number): KvOutput => (input.op === "get" ? gets[n % gets.length]! : "");
    fc.assert(
      fc.property(historyArbitrary(kvInput, kvApply, wrong), (history) => {
        const expected = oracleLinearizable(history, kvReplays) ? "ok" : "illegal";
        const { verdict } = checkOperations(kvModel, history);
        verdicts[expected]++;
        expect(verdict).toBe(expected);
      }),
      { numRuns: runs, seed },
    );
    // The generator must produce both kinds, or the property says little.
    expect(verdicts.ok).toBeGreaterThan(runs / 20);
    expect(verdicts.illegal).toBeGreaterThan(runs / 20);
  });

  test(`register model, ${runs} random histories (≤ 8 operations, cas with unknown outcomes)`, () => {
    const verdicts = { ok: 0, illegal: 0 };
    onTestFinished(() => console.log(`${JSON.stringify(verdicts)} (seed ${seed})`));
    const reads = [null, 0, 1, 2];
    const wrong = (input: RegisterInput, n: number): RegisterOutput =>
      input.op === "read" ? reads[n % reads.length]! : input.op === "write" ? "ok" : n % 2 === 0;
    fc.assert(
      fc.property(historyArbitrary(registerInput, registerApply, wrong), (history) => {
        const expected = oracleLinearizable(history, registerReplays) ? "ok" : "illegal";
        const { verdict } = checkOperations(registerModel, history);
        verdicts[expected]++;
        expect(verdict).toBe(expected);
      }),
      { numRuns: runs, seed },
    );
    expect(verdicts.ok).toBeGreaterThan(runs / 20);
    expect(verdicts.illegal).toBeGreaterThan(runs / 20);
  });
});
