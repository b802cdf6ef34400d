// ReadIndex's bookkeeping (dissertation §6.4; lab 5C): the reads a leader is confirming.
//
// A read is registered with the leader's commit index at that moment (its read index). It may be
// served once the leader has confirmed, after the read was registered, that it still leads: a
// majority answered a ConfirmLeadership of its term *sent after* the registration. One round
// confirms every read registered before the round went out, so reads wait in two places: `waiting`
// (registered since the round in flight went out: that round proves nothing about them) and
// `confirming` (the round in flight's reads). When a round ends, the reads that waited go out in
// the next one: however many reads arrive together, each waits for at most two rounds.
import type { ReadIndexResult } from "./types.ts";

/** A registered read: its read index, and how to answer it. */
export interface PendingRead {
  index: number;
  answer(result: ReadIndexResult): void;
}

export class ReadQueue {
  // SOLUTION BEGIN
  // TODO(5C): the reads waiting for a round, and the round in flight.
  /** Reads registered since the round in flight went out (or while none was). */
  private waiting: PendingRead[] = [];
  /** The reads the round in flight confirms, or null if no round is in flight. */
  private confirming: PendingRead[] | null = null;
  /** Which round is in flight: each new one gets the next number. */
  round = 0;

  /** Registers a read; it waits for the next round. */
  add(read: PendingRead): void {
    this.waiting.push(read);
  }

  /** Whether a round is in flight. */
  inFlight(): boolean {
    return this.confirming !== null;
  }

  /** Starts a round for every waiting read, if there is one and no round is in flight; returns its number, or undefined. */
  startRound(): number | undefined {
    if (this.confirming !== null || this.waiting.length === 0) return undefined;
    this.confirming = this.waiting;
    this.waiting = [];
    return ++this.round;
  }

  /** Round `round` ends: its reads get `result` (an ok result carries each read's own index). */
  endRound(round: number, result: "confirmed" | ReadIndexResult): void {
    if (round !== this.round || this.confirming === null) return;
    const reads = this.confirming;
    this.confirming = null;
    for (const read of reads) read.answer(result === "confirmed" ? { ok: true, index: read.index } : result);
  }

  /** Every read, waiting or in a round, fails with `result` (this peer stopped leading). */
  failAll(result: ReadIndexResult): void {
    const reads = [...(this.confirming ?? []), ...this.waiting];
    this.confirming = null;
    this.waiting = [];
    this.round++;
    for (const read of reads) read.answer(result);
  }
  // SOLUTION END
}
