// Go's sync.WaitGroup for tester tasks: add() before go(), done() when a task finishes, and
// `await wait()` until every task has. Waiting takes no virtual time.
import { Cond } from "../../sim/index.ts";

export class WaitGroup {
  private count = 0;
  private readonly zero = new Cond();

  add(n = 1): void {
    this.count += n;
  }

  done(): void {
    this.count--;
    if (this.count < 0) throw new Error("WaitGroup: negative counter");
    if (this.count === 0) this.zero.broadcast();
  }

  async wait(): Promise<void> {
    while (this.count > 0) await this.zero.wait();
  }
}
