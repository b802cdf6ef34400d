// Choice sources: where a run's scheduling decisions come from.
//
// A run is a pure function of its code and its choices. The kernel and the network make three
// kinds of choice:
//   order      which of the n events due at this virtual instant runs next (the kernel);
//   delivery   when a message arrives, within the latency model: the link latency, an unreliable
//              request's jitter, a reply held back by long reordering, when a call to an
//              unreachable server fails (the network);
//   fate       whether an unreliable network loses a message, whether a request is duplicated;
//   draw       a node's own whole-number draw, randomInt(n) or randomBetween(lo, hi): in the labs,
//              Raft's election timeout (which node times out first is a scheduling choice too).
// By default (no choice source) nothing changes from what simlab always did: same-instant events
// run FIFO, the network draws from each client end's seeded stream and a node from its own. A ChoiceSource replaces
// those decisions:
//   SeededChoices      makes exactly the default decisions, through the choice-source path (a test
//                      proves every lab test keeps its journal hash with it);
//   RecordingChoices   asks another source and writes down every answer (a choice file);
//   ReplayChoices      answers from a recorded list, so an explored run replays exactly;
//   search strategies  (sim/explore/: PCT, bounded DFS, uniform random) pick to find bugs.
// Only choices among two or more alternatives are recorded and replayed; a choice of one is no
// choice (though a seeded draw of it still advances its stream, as it always did).
//
// A replayed run that asks for a choice the file does not have, or a different one (the code
// changed since the file was written), fails with a sentence naming the choice: it does not fall
// back to the seed, because a run that silently stops following its file is not that run.
//
// The rest of a node's randomness — random() floats, randomId() (clerk ids, which must not collide),
// Math.random — is not a choice: it stays the node's seeded stream, so a choice file always goes
// with its seed.
import type { RandomStream } from "./random.ts";
import type { SimNode } from "./node.ts";

/** What a choice decides (see the top of this file). */
export type ChoiceKind =
  | "order"
  | "latency"
  | "jitter"
  | "hold-back"
  | "hold-back-ms"
  | "unreachable-ms"
  | "loss"
  | "duplicate"
  | "draw";

export const choiceKinds: readonly ChoiceKind[] = [
  "order",
  "latency",
  "jitter",
  "hold-back",
  "hold-back-ms",
  "unreachable-ms",
  "loss",
  "duplicate",
  "draw",
];

/** One choice as a run made it: of `n` alternatives, it took `value` (0 … n-1). */
export type RecordedChoice = readonly [kind: ChoiceKind, n: number, value: number];

export interface ChoiceSource {
  /**
   * Picks one of `n` alternatives (0 … n-1). `nodes`: for "order", the owners of the events in
   * FIFO order; for the others, the one node whose code makes the choice.
   * `byDefault()` makes the choice the default run makes (for "order" 0, the FIFO event; for the
   * network, the client end's seeded draw); a source that calls it advances that stream as the
   * default run does.
   */
  choose(kind: ChoiceKind, n: number, nodes: readonly SimNode[], byDefault: () => number): number;
}

/** The default decisions, made through a choice source: FIFO order, the ends' seeded draws. */
export class SeededChoices implements ChoiceSource {
  choose(_kind: ChoiceKind, _n: number, _nodes: readonly SimNode[], byDefault: () => number): number {
    return byDefault();
  }
}

/** Asks `inner` and keeps every choice of two or more alternatives, in order. */
export class RecordingChoices implements ChoiceSource {
  readonly recorded: RecordedChoice[] = [];

  constructor(private readonly inner: ChoiceSource) {}

  choose(kind: ChoiceKind, n: number, nodes: readonly SimNode[], byDefault: () => number): number {
    const value = this.inner.choose(kind, n, nodes, byDefault);
    if (n > 1) this.recorded.push([kind, n, value]);
    return value;
  }
}

/** A replayed run parted from its choice file (see the top of this file). */
export class ChoiceReplayError extends Error {
  override name = "ChoiceReplayError";
}

/** Answers from a recorded list, checking that the run asks the same choices in the same order. */
export class ReplayChoices implements ChoiceSource {
  private next = 0;

  constructor(private readonly recorded: readonly RecordedChoice[]) {}

  /** How many recorded choices the run has used so far. */
  get used(): number {
    return this.next;
  }

  choose(kind: ChoiceKind, n: number): number {
    if (n <= 1) return 0;
    const index = this.next;
    const choice = this.recorded[index];
    if (choice === undefined) {
      throw new ChoiceReplayError(
        `the choice file ran out: the run asked for choice #${index} (${kind} of ${n}) but the file ` +
          `holds only ${this.recorded.length} choices. The code has changed since the file was ` +
          `written; explore again to make a new one.`,
      );
    }
    const [fileKind, fileN, value] = choice;
    if (fileKind !== kind || fileN !== n) {
      throw new ChoiceReplayError(
        `the run parted from its choice file at choice #${index}: the file has ${fileKind} of ` +
          `${fileN}, the run asked for ${kind} of ${n}. The code has changed since the file was ` +
          `written; explore again to make a new one.`,
      );
    }
    this.next++;
    return value;
  }
}

/**
 * The draws the network's fault model makes (faults.ts). A RandomStream is one (the default run);
 * ChoiceDraws is the other, for a run with a choice source.
 */
export interface NetworkDraws {
  /** An integer in [0, n), for a choice of this kind. */
  int(n: number, kind: ChoiceKind): number;
  /** True with probability p, for a choice of this kind. */
  chance(p: number, kind: ChoiceKind): boolean;
}

/** Asks the run's choice source (Simulation.choose): a network choice made by the running node. */
export type AskChoice = (kind: ChoiceKind, n: number, byDefault: () => number) => number;

/** The network's draws of one client end, answered by the run's choice source. */
export class ChoiceDraws implements NetworkDraws {
  constructor(
    private readonly ask: AskChoice,
    private readonly seeded: RandomStream,
  ) {}

  int(n: number, kind: ChoiceKind): number {
    return this.ask(kind, n, () => this.seeded.int(n));
  }

  /** A choice of two, 1 meaning yes; by default drawn as RandomStream.chance(p) draws it. */
  chance(p: number, kind: ChoiceKind): boolean {
    return this.ask(kind, 2, () => (this.seeded.chance(p) ? 1 : 0)) === 1;
  }
}
