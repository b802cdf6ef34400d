// The uniform random strategy: every choice of every run is drawn uniformly from the run's own
// stream, including the order of same-instant events (which the seeded default always runs FIFO);
// nodes' draws and the network's keep the default's distributions (uniform), from another stream.
// Run i uses seed `firstSeed + i` for the nodes' own streams and for its choices.
import { RandomStream, type ChoiceKind, type ChoiceSource } from "../core/index.ts";
import type { ExplorationRun, Strategy } from "./strategy.ts";

/** Uniform choices from one seed's stream "explore/random". */
export class UniformChoices implements ChoiceSource {
  private readonly stream: RandomStream;

  constructor(seed: number) {
    this.stream = new RandomStream(seed, "explore/random");
  }

  choose(_kind: ChoiceKind, n: number): number {
    return this.stream.int(n);
  }
}

export class RandomStrategy implements Strategy {
  readonly name = "random";
  readonly settings: Readonly<Record<string, number>>;
  private run = 0;

  constructor(private readonly firstSeed: number) {
    this.settings = { firstSeed };
  }

  next(): ExplorationRun {
    const seed = this.firstSeed + this.run++;
    return { seed, choices: new UniformChoices(seed) };
  }

  finished(): void {}
}
