// Cond: tasks wait until another task signals them. Go's sync.Cond without the mutex: simulated
// code runs one task at a time, so there is nothing to lock.
//
//   const changed = new Cond();
//   while (!this.ready) await changed.wait();   // always re-check the condition after waking
//   …
//   this.ready = true;
//   changed.broadcast();
//
// A woken task runs as its own node, as a separate event at the current virtual time, in the
// order the tasks started waiting. A crashed node's waiting tasks are skipped.
import { activeRuntime } from "./simulation.ts";
import type { SimNode } from "./node.ts";

export class Cond {
  private waiters: { owner: SimNode; wake: () => void }[] = [];

  /** Waits until signal() or broadcast() wakes this task. */
  wait(): Promise<void> {
    const sim = activeRuntime("Cond.wait()");
    return new Promise<void>((wake) => {
      this.waiters.push({ owner: sim.current, wake });
    });
  }

  /** Wakes the longest-waiting live task. */
  signal(): void {
    const sim = activeRuntime("Cond.signal()");
    while (this.waiters.length > 0) {
      const w = this.waiters.shift()!;
      if (!w.owner.alive) continue;
      sim.wake(w.owner, w.wake);
      return;
    }
  }

  /** Wakes every waiting task. */
  broadcast(): void {
    const sim = activeRuntime("Cond.broadcast()");
    for (const w of this.waiters.splice(0)) sim.wake(w.owner, w.wake);
  }
}
