// Bounded depth-first search over a run's choices, for small configurations (a few servers, a
// short test): the first `bound` choices of the run (order, delivery and fate alike) are tried
// systematically, every alternative of each, the last choice first — the first run takes
// alternative 0 everywhere (FIFO order, the shortest latency, no loss, the shortest election
// timeout: every node times out at once), the next changes the last
// choice it can, and so on, as a depth-first walk of the tree of choice sequences. Choices past
// the bound keep the seeded default. Every run uses the same seed, so the runs differ only in
// their choices, and the search ends when every sequence of the first `bound` choices has run.
//
// It is stateless search (as in CHESS, or DSLabs' search over message orders): no state is saved
// or compared; a run is rebuilt from its prefix of choices, which the kernel's determinism makes
// exact. The tree grows as the product of the alternatives, so keep the bound small: the search
// is thorough only near its root's end, and `--runs` caps it.
import type { ChoiceKind, ChoiceSource, RecordedChoice } from "../core/index.ts";
import type { ExplorationRun, Strategy } from "./strategy.ts";

/** The first choices follow `prefix`, then alternative 0 up to `bound`; after it, the default. */
export class PrefixChoices implements ChoiceSource {
  private index = 0;

  constructor(
    private readonly prefix: readonly number[],
    private readonly bound: number,
  ) {}

  choose(_kind: ChoiceKind, n: number, _nodes: unknown, byDefault: () => number): number {
    if (n <= 1) return byDefault();
    const index = this.index++;
    if (index >= this.bound) return byDefault();
    return Math.min(this.prefix[index] ?? 0, n - 1);
  }
}

export class DfsStrategy implements Strategy {
  readonly name = "dfs";
  readonly settings: Readonly<Record<string, number>>;
  /** The choices of the next run; undefined once the tree is exhausted. */
  private prefix: number[] | undefined = [];

  constructor(
    private readonly seed: number,
    private readonly bound: number,
  ) {
    this.settings = { seed, bound };
  }

  next(): ExplorationRun | undefined {
    if (this.prefix === undefined) return undefined;
    return { seed: this.seed, choices: new PrefixChoices(this.prefix, this.bound) };
  }

  /** Backtracks: the deepest choice within the bound that has an untried alternative takes the next one. */
  finished(recorded: readonly RecordedChoice[]): void {
    const within = recorded.slice(0, this.bound);
    for (let i = within.length - 1; i >= 0; i--) {
      const [, n, value] = within[i]!;
      if (value + 1 < n) {
        this.prefix = [...within.slice(0, i).map(([, , v]) => v), value + 1];
        return;
      }
    }
    this.prefix = undefined;
  }
}
