// A node's own clock, for runs that model clock drift (lab 5D's lease reads).
//
// By default every node reads the one virtual clock: now() is the simulation's time, and a
// sleep(100) lasts 100 virtual ms. Simulation.setClock(name, { rate, offsetMs }) gives node `name`
// a clock of its own, which from that moment on reads
//
//     local(t) = local(t0) + offsetMs + rate × (t − t0)        (t0: when setClock was called)
//
// where t is virtual time and local(t0) is what the node read just before (t0 itself if it had no
// clock yet). Set at time 0 this is the textbook drift model, rate × t + offset. Everything the node
// times by its clock follows it: now() reads local time, and sleep(ms), a channel's recvWithin(ms)
// and the guard's setTimeout wait until the node's clock has advanced ms, that is ms / rate virtual
// ms (rounded up to a whole ms, so a timer never fires early by its own clock). A node at rate 0.5
// sees time pass at half speed: its timers run twice as long in virtual time. What is physical
// stays on virtual time: the network's delays, other nodes, the tester, and every record a checker
// reads (a history's invoke and complete times are the tester's, never a node's clock).
//
// The clock belongs to the node's name: a restarted incarnation keeps it (a machine's clock does
// not change when its process restarts). A timer already waiting when the rate changes keeps the
// virtual deadline it was given. Everything here is arithmetic on virtual time: deterministic.
export interface ClockSetting {
  /** Local ms per virtual ms: 1 is a perfect clock, 0.5 runs slow, 1.5 fast. Must be > 0. */
  rate: number;
  /** A jump of the clock at the moment it is set, in ms (default 0). */
  offsetMs?: number;
}

export class NodeClock {
  private constructor(
    /** Local ms per virtual ms. */
    readonly rate: number,
    /** The virtual time the setting took effect. */
    private readonly since: number,
    /** The local reading at `since`. */
    private readonly localAtSince: number,
  ) {}

  /** A clock set at virtual time `now`, continuing from `previous` (or from virtual time itself). */
  static set(setting: ClockSetting, now: number, previous: NodeClock | undefined): NodeClock {
    const reading = previous === undefined ? now : previous.read(now);
    return new NodeClock(setting.rate, now, reading + (setting.offsetMs ?? 0));
  }

  /** The local time at virtual time `virtualNow`. */
  read(virtualNow: number): number {
    return this.localAtSince + this.rate * (virtualNow - this.since);
  }

  /** The virtual ms that pass while this clock advances `localMs` (whole ms, rounded up). */
  virtualDelay(localMs: number): number {
    return Math.ceil(localMs / this.rate);
  }
}
