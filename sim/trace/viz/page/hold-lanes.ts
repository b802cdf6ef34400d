// Where the timeline draws the requests a script held (Network.holdRequests): each waits as a bar
// beside its sender's lane, leaning toward its receiver, from when it was held until the script
// let go of it. Two requests held at once on one link would share a bar; each gets a slot of its
// own instead (the lowest one free when it is held), so every bar can be seen and clicked. Pure.

/** Slots beyond this many reuse the last one (a bar per slot is 4 px: a node's row has room for four). */
export const HOLD_SLOTS = 4;

export interface HeldMessage {
  /** The link: sender's and receiver's rows. */
  fromRow: number;
  toRow: number;
  /** Held from `start` until `end`. */
  start: number;
  end: number;
}

/** Each held message's slot (0 is nearest the sender's lane), given in the order they were held. */
export function holdSlots(held: readonly HeldMessage[]): Int8Array {
  const slots = new Int8Array(held.length);
  // Per link, when each slot is free again.
  const freeAt = new Map<string, number[]>();
  held.forEach((message, i) => {
    const link = `${message.fromRow}→${message.toRow}`;
    let ends = freeAt.get(link);
    if (ends === undefined) freeAt.set(link, (ends = []));
    let slot = ends.findIndex((end) => end <= message.start);
    if (slot < 0) slot = ends.length;
    ends[slot] = message.end;
    slots[i] = Math.min(slot, HOLD_SLOTS - 1);
  });
  return slots;
}
