// Shrinking a failing scenario with fast-check: the smallest scenario found that still fails the
// same way — the same check, with the same kind of message (failureKind below).
//
// How. The scenario is split into the parts that may get smaller, each with a fast-check
// arbitrary that knows how to shrink it without having generated it:
//   unreliable, long reordering, duplication   booleans, shrinking toward off (a reliable network
//                                              where the failure does not need loss);
//   clients                                    an integer, toward 1 (kv: the workload's clients;
//                                              shardkv: the shardkv block's count);
//   ops                                        kv: the workload's ops-per-client, an integer toward
//                                              1, or its explicit ops list, toward fewer operations
//                                              (the first ones kept longest, as for the timeline;
//                                              the operations of clients shrunk away go too);
//   timeline                                   an array of steps, toward fewer steps, each sleep
//                                              toward 0 ms (shorter phases).
// The timeline is handed to fast-check reversed: fast-check's array shrinker first keeps a tail of
// the array, so reversed it keeps the beginning of the timeline — the steps a failure needs are
// the ones before it happened — and it bisects to the shortest beginning that still fails before
// it tries removing steps. The failing scenario is the property's one example (`examples`,
// numRuns 1), and fast-check shrinks it as it shrinks any counterexample.
// fast-check's array shrinker removes one element at a time once it has cut the end, which is slow
// on a 4000-step Figure 8 timeline; so the timeline is handed over in chunks of consecutive steps,
// in passes: first 16 chunks, then chunks 4 times smaller each pass, down to single steps (the
// way delta debugging narrows its granularity). A last pass of single steps shortens the sleeps.
//
// Limits. Every candidate is one run. After `maxRuns` runs every further candidate counts as
// passing, which ends the shrinking where it stands: a limit in runs, not in real time, so the
// same input shrinks to the same output on any machine. Everything else is deterministic too: the
// runs are (code, seed, scenario), and fast-check's order of candidates depends only on the value.
import fc from "fast-check";
import type { RunReport } from "../registry.ts";
import type { Scenario, Step, WorkloadOp } from "./format.ts";

/** How big a run is: what the shrinker makes smaller, and what it reports before and after. */
export interface RunSize {
  /** Timeline steps other than sleeps. */
  actions: number;
  /** All timeline steps. */
  steps: number;
  virtualMs: number;
  events: number;
}

export interface ShrinkResult {
  scenario: Scenario;
  /** The failure the shrinking kept, as failureKind gives it. */
  kind: string;
  before: RunSize;
  after: RunSize;
  /** The smallest scenario's failure report. */
  failure: string;
  /** Runs made, the original's included, and how many candidates were accepted. */
  runs: number;
  shrinks: number;
  /** Whether the shrinking stopped at maxRuns rather than running out of candidates. */
  stoppedAtLimit: boolean;
}

/** The default most runs a shrinking makes. */
export const DEFAULT_MAX_RUNS = 1000;

/** Runs one scenario at one seed, as the failing test runs it (same substitutes, same title). */
export type ScenarioRunner = (scenario: Scenario, seed: number) => Promise<RunReport>;

/**
 * A failure's kind: its first line without the test's name, up to a " — " (where a monitor's
 * rule ends and its particulars begin), every number as N. "apply error: commit index=12
 * server=3 …" and "… index=40 server=1 …" are one kind; a monitor's rule and a time-limit failure
 * are two.
 */
export function failureKind(report: RunReport): string {
  const first = (report.failure ?? "").split("\n")[0]!;
  const message = first.startsWith(`${report.test} failed: `) ? first.slice(report.test.length + 9) : first;
  return message.split(" — ")[0]!.replace(/\d+/g, "N").slice(0, 160);
}

export function sizeOf(scenario: Scenario, report: RunReport): RunSize {
  return {
    actions: scenario.timeline.filter((step) => step.action !== "sleep").length,
    steps: scenario.timeline.length,
    virtualMs: report.virtualMs,
    events: report.events,
  };
}

/** The parts of a scenario the shrinker changes (see the top of the file). */
interface Shrinkable {
  unreliable: boolean;
  longReordering: boolean;
  duplication: boolean;
  clients: number;
  /** kv: the workload's ops-per-client, if it has one. */
  opsPerClient: number | undefined;
  /** kv: the workload's explicit ops list, if it has one. */
  ops: WorkloadOp[] | undefined;
  /** The timeline cut into runs of consecutive steps, the pass's unit of removal. */
  chunks: Step[][];
}

/** How many chunks the first pass cuts the timeline into; each later pass cuts chunks 4 times smaller. */
const FIRST_PASS_CHUNKS = 16;
const CHUNK_SHRINK_FACTOR = 4;

export async function shrinkScenario(
  original: Scenario,
  seed: number,
  run: ScenarioRunner,
  maxRuns = DEFAULT_MAX_RUNS,
): Promise<ShrinkResult> {
  const first = await run(original, seed);
  if (first.passed) throw new Error(`the scenario ${original.name} passes at seed ${seed}: there is no failure to shrink`);
  const kind = failureKind(first);
  let runs = 1;
  let shrinks = 0;
  let smallest = { scenario: original, report: first };
  let accepted: Omit<Shrinkable, "chunks"> & { timeline: Step[] } = {
    unreliable: !original.network.reliable,
    longReordering: original.network["long-reordering"],
    duplication: original.network.duplication > 0,
    clients: clientsOf(original),
    opsPerClient: original.workload?.["ops-per-client"],
    ops: original.workload?.ops,
    timeline: original.timeline,
  };
  const rebuild = (parts: Shrinkable): Scenario => ({
    ...original,
    network: {
      ...original.network,
      reliable: !parts.unreliable,
      "long-reordering": parts.longReordering,
      duplication: parts.duplication ? original.network.duplication : 0,
    },
    ...(original.workload === undefined
      ? {}
      : {
          workload: {
            ...original.workload,
            clients: parts.clients,
            ...(parts.opsPerClient === undefined ? {} : { "ops-per-client": parts.opsPerClient }),
            ...(parts.ops === undefined ? {} : { ops: keepAtLeastOne(parts.ops.filter((op) => op.client < parts.clients), parts.ops) }),
          },
        }),
    ...(original.shardkv === undefined || parts.clients === clientsOf(original) ? {} : { shardkv: { ...original.shardkv, count: parts.clients } }),
    timeline: parts.chunks.flat(),
  });

  /** One pass of fast-check's shrinking, removing chunks of `chunkSize` steps (and, last, shortening sleeps). */
  const pass = async (chunkSize: number, shrinkSleeps: boolean): Promise<void> => {
    const { timeline, ...flags } = accepted;
    const start: Shrinkable = { ...flags, chunks: chunksOf(timeline, chunkSize) };
    const arbitrary = fc.record({
      unreliable: fc.boolean(),
      longReordering: fc.boolean(),
      duplication: fc.boolean(),
      clients: fc.integer({ min: 1, max: Math.max(1, start.clients) }),
      opsPerClient: start.opsPerClient === undefined ? fc.constant(undefined) : fc.integer({ min: 1, max: start.opsPerClient }),
      ops:
        start.ops === undefined
          ? fc.constant(undefined)
          : fc.array(new OpArbitrary(), { minLength: 1, maxLength: start.ops.length }).map(reversed, unreverse<WorkloadOp>),
      chunks: fc.array(new ChunkArbitrary(shrinkSleeps), { maxLength: start.chunks.length }).map(reversed, unreverse<Step[]>),
    });
    const property = fc.asyncProperty(arbitrary, async (parts) => {
      if (runs >= maxRuns) return true;
      const scenario = rebuild(parts);
      runs++;
      const report = await run(scenario, seed);
      const sameFailure = !report.passed && failureKind(report) === kind;
      if (sameFailure) {
        smallest = { scenario, report };
        const { chunks, ...kept } = parts;
        accepted = { ...kept, timeline: chunks.flat() };
      }
      return !sameFailure;
    });
    const outcome = await fc.check(property, { examples: [[start]], numRuns: 1, seed: 0 });
    shrinks += outcome.numShrinks;
  };

  for (const chunkSize of chunkSizes(original.timeline.length)) await pass(chunkSize, false);
  await pass(1, true);

  return {
    scenario: smallest.scenario,
    kind,
    before: sizeOf(original, first),
    after: sizeOf(smallest.scenario, smallest.report),
    failure: smallest.report.failure ?? "",
    runs,
    shrinks,
    stoppedAtLimit: runs >= maxRuns,
  };
}

/** How many clients a scenario has: its kv workload's, or its shardkv block's (one per key by default). */
function clientsOf(scenario: Scenario): number {
  if (scenario.workload !== undefined) return scenario.workload.clients;
  if (scenario.shardkv !== undefined) return scenario.shardkv.count ?? scenario.shardkv.keys;
  return 1;
}

/** The chunk sizes of the passes: about a sixteenth of the timeline, then 4 times smaller each pass, down to 1. */
function chunkSizes(length: number): number[] {
  const sizes: number[] = [];
  for (let size = Math.ceil(length / FIRST_PASS_CHUNKS); size > 1; size = Math.ceil(size / CHUNK_SHRINK_FACTOR)) sizes.push(size);
  sizes.push(1);
  return sizes;
}

function chunksOf(timeline: readonly Step[], size: number): Step[][] {
  const chunks: Step[][] = [];
  for (let i = 0; i < timeline.length; i += size) chunks.push(timeline.slice(i, i + size));
  return chunks;
}

function reversed<T>(items: readonly T[]): T[] {
  return [...items].reverse();
}

/** fast-check's unmapper: from the chunks (or ops) back to what the array arbitrary holds (it throws for what is not an array). */
function unreverse<T>(value: unknown): T[] {
  if (!Array.isArray(value)) throw new Error("not a list");
  return reversed(value as T[]);
}

/** An ops list may not be empty (format.ts): when every client left was shrunk away, client 0's first operation stays. */
function keepAtLeastOne(kept: WorkloadOp[], all: WorkloadOp[]): WorkloadOp[] {
  return kept.length > 0 ? kept : [{ ...all[0]!, client: 0 }];
}

/** One operation of an explicit ops list, for fast-check: removed whole (the array's shrinking), never changed. */
class OpArbitrary extends fc.Arbitrary<WorkloadOp> {
  /** Never asked for (see ChunkArbitrary.generate). */
  generate(): fc.Value<WorkloadOp> {
    return new fc.Value({ client: 0, op: "get", key: "0" }, undefined);
  }

  canShrinkWithoutContext(value: unknown): value is WorkloadOp {
    return typeof value === "object" && value !== null;
  }

  shrink(): fc.Stream<fc.Value<WorkloadOp>> {
    return fc.Stream.nil();
  }
}

/**
 * A chunk of consecutive timeline steps, for fast-check. A chunk is removed whole (that is the
 * array's shrinking); with `shrinkSleeps`, a chunk of one sleep shrinks toward 0 ms by
 * fast-check's integer shrinker.
 */
class ChunkArbitrary extends fc.Arbitrary<Step[]> {
  private readonly milliseconds = fc.nat();

  constructor(private readonly shrinkSleeps: boolean) {
    super();
  }

  /** fast-check generates only for numRuns beyond the examples, and the shrinker asks for none: an empty chunk. */
  generate(): fc.Value<Step[]> {
    return new fc.Value([], undefined);
  }

  canShrinkWithoutContext(value: unknown): value is Step[] {
    return Array.isArray(value);
  }

  shrink(chunk: Step[], context: unknown): fc.Stream<fc.Value<Step[]>> {
    const step = chunk[0];
    if (!this.shrinkSleeps || chunk.length !== 1 || step?.action !== "sleep") return fc.Stream.nil();
    return this.milliseconds.shrink(step.argument, context).map((ms) => new fc.Value<Step[]>([{ action: "sleep", argument: ms.value }], ms.context));
  }
}
