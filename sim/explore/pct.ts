// PCT, probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi, Nagarakatte, "A
// Randomized Scheduler with Probabilistic Guarantees of Finding Bugs", ASPLOS 2010), adapted to
// simulated nodes and messages.
//
// The idea. Most concurrency bugs need only a few events to happen in a particular order: their
// depth d. PCT gives every thread a random priority, always runs the highest-priority thread, and
// at d-1 steps picked at random lowers the running thread below all others. A run of k steps and n
// threads then hits a given bug of depth d with probability at least 1/(n·k^(d-1)), however rare
// the bug is under uniformly random schedules.
//
// Here the threads are the nodes (by name, so a restarted node keeps its place) and a step is a
// choice of order, delivery or a node's draw:
//   order      of the events due at one instant, the one whose owner has the highest priority
//              runs (FIFO among one owner's events);
//   delivery   a message the highest-priority node sends takes the shortest latency, one the lowest
//              sends the longest, the others in between by rank (the same for an unreliable
//              request's jitter, a held-back reply's delay, an unreachable server's timeout): a
//              low-priority node is a slow node, and a change point slows a node down mid-run;
//   draw       a node's whole-number draw (Raft's election timeout) is the smallest for the
//              highest-priority node and the largest for the lowest: the high-priority node times
//              out first.
// Fates (loss, duplication, whether a reply is held back) are left to the seeded default: PCT
// orders, it does not add faults the test did not ask for.
//
// Run i uses seed firstSeed + i for the nodes' own streams and for its priorities and change
// points. k, the number of steps, is not known before a run: the first run guesses
// FIRST_GUESS_STEPS, each later run uses the number of steps of the run before it.
import { RandomStream, type ChoiceKind, type ChoiceSource, type RecordedChoice, type SimNode } from "../core/index.ts";
import type { ExplorationRun, Strategy } from "./strategy.ts";

/** The steps the first run assumes, before any run has counted them. */
const FIRST_GUESS_STEPS = 1000;

/** The choices PCT makes by priority; the others (fates) keep the seeded default. */
const steered: ReadonlySet<ChoiceKind> = new Set<ChoiceKind>(["order", "latency", "jitter", "hold-back-ms", "unreachable-ms", "draw"]);

export class PctChoices implements ChoiceSource {
  private readonly stream: RandomStream;
  /** Priority by node name: higher runs first. Initial priorities are ≥ depth, lowered ones < depth. */
  private readonly priority = new Map<string, number>();
  /** At which step each change point falls, and the priority it lowers the node to. */
  private readonly changePoints = new Map<number, number>();
  private step = 0;

  constructor(
    seed: number,
    private readonly depth: number,
    steps: number,
  ) {
    this.stream = new RandomStream(seed, "explore/pct");
    for (let i = 1; i < depth; i++) this.changePoints.set(this.stream.int(Math.max(1, steps)), depth - i);
  }

  choose(kind: ChoiceKind, n: number, nodes: readonly SimNode[], byDefault: () => number): number {
    if (!steered.has(kind)) return byDefault();
    if (n <= 1) return 0;
    const lowered = this.changePoints.get(this.step++);
    if (kind === "order") {
      if (lowered !== undefined) this.priority.set(nodes[this.highest(nodes)]!.name, lowered);
      return this.highest(nodes);
    }
    const actor = nodes[0]!.name;
    this.priorityOf(actor);
    if (lowered !== undefined) this.priority.set(actor, lowered);
    return this.slowness(actor, n);
  }

  /** The index of the alternative whose owner has the highest priority (the first such). */
  private highest(nodes: readonly SimNode[]): number {
    let best = 0;
    for (let i = 1; i < nodes.length; i++) {
      if (this.priorityOf(nodes[i]!.name) > this.priorityOf(nodes[best]!.name)) best = i;
    }
    return best;
  }

  /** 0 (fastest) for the highest-priority node known so far, n-1 (slowest) for the lowest. */
  private slowness(name: string, n: number): number {
    const mine = this.priorityOf(name);
    let above = 0;
    for (const p of this.priority.values()) if (p > mine) above++;
    const known = this.priority.size;
    return known <= 1 ? 0 : Math.round((above * (n - 1)) / (known - 1));
  }

  private priorityOf(name: string): number {
    let p = this.priority.get(name);
    if (p === undefined) {
      p = this.depth + this.stream.float();
      this.priority.set(name, p);
    }
    return p;
  }
}

export class PctStrategy implements Strategy {
  readonly name = "pct";
  readonly settings: Readonly<Record<string, number>>;
  private run = 0;
  private steps = FIRST_GUESS_STEPS;

  constructor(
    private readonly firstSeed: number,
    private readonly depth: number,
  ) {
    this.settings = { firstSeed, depth };
  }

  next(): ExplorationRun {
    const seed = this.firstSeed + this.run++;
    return { seed, choices: new PctChoices(seed, this.depth, this.steps) };
  }

  finished(recorded: readonly RecordedChoice[]): void {
    this.steps = Math.max(1, recorded.filter(([kind]) => steered.has(kind)).length);
  }
}
