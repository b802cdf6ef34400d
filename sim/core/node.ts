// A node is one incarnation of a simulated machine (a Raft peer, a KV server, a clerk, the tester).
// Every task, timer and pending wake-up belongs to the node that created it. Crashing a node drops
// all of them: nothing of a crashed incarnation ever runs again. A restart is a new SimNode with
// the same name and the next incarnation number.
//
// Two knobs a run may turn (lab 5D's lease tests do; by default they are off and cost nothing): a
// node's own clock (node-clock.ts: drift), and a pause (Simulation.pause: the process stops, its
// events wait, and its timers fire late).
import type { NodeClock } from "./node-clock.ts";
import { RandomStream } from "./random.ts";

export class SimNode {
  alive = true;
  /** Its own clock (Simulation.setClock); undefined: it reads virtual time. */
  clock: NodeClock | undefined = undefined;
  /** Virtual time until which it is paused (Simulation.pause); its events wait until then. */
  pausedUntil = 0;

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
