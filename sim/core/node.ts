// A node is one incarnation of a simulated machine (a Raft peer, a KV server, a clerk, the tester).
// Every task, timer and pending wake-up belongs to the node that created it. Crashing a node drops
// all of them: nothing of a crashed incarnation ever runs again. A restart is a new SimNode with
// the same name and the next incarnation number.
import { RandomStream } from "./random.ts";

export class SimNode {
  alive = true;

  constructor(
    /** Unique across the simulation, including incarnations. */
    readonly id: number,
    /** Stable across restarts ("raft-2"). */
    readonly name: string,
    /** 0 for the first start, 1 after the first restart, … */
    readonly incarnation: number,
    /** This incarnation's own random stream. */
    readonly random: RandomStream,
  ) {}

  toString(): string {
    return this.incarnation === 0 ? this.name : `${this.name}#${this.incarnation}`;
  }
}
