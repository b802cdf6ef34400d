import type { SimNode } from "./node.ts";

// The event queue: a binary min-heap ordered by (time, tie, seq).
//
// `seq` is a counter, so events at the same virtual time run in the order they were scheduled
// (FIFO). With `shuffleTies`, the scheduler draws `tie` from the seed, so events at one instant
// run in a random but reproducible order — a cheap way to explore more interleavings.

export interface SimEvent {
  time: number;
  tie: number;
  seq: number;
  /** What runs when the event fires. */
  fire: () => void;
  /** The node the event belongs to: if it has crashed by then, the event is dropped. */
  owner: SimNode;
  /** A short label for traces ("sleep", "deliver", …). */
  kind: string;
  cancelled: boolean;
}

function before(a: SimEvent, b: SimEvent): boolean {
  if (a.time !== b.time) return a.time < b.time;
  if (a.tie !== b.tie) return a.tie < b.tie;
  return a.seq < b.seq;
}

export class EventQueue {
  private heap: SimEvent[] = [];

  push(event: SimEvent): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(event);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(event, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = event;
  }

  /** The next event, left in the queue. */
  peek(): SimEvent | undefined {
    return this.heap[0];
  }

  pop(): SimEvent | undefined {
    const heap = this.heap;
    const top = heap[0];
    if (top === undefined) return undefined;
    const last = heap.pop()!;
    const n = heap.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= n) break;
        const right = left + 1;
        const child = right < n && before(heap[right]!, heap[left]!) ? right : left;
        if (!before(heap[child]!, last)) break;
        heap[i] = heap[child]!;
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }

  clear(): void {
    this.heap = [];
  }
}
