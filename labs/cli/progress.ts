// The sweep's progress: a bar redrawn on stderr when it is a terminal, one line at the end
// otherwise (so logs and CI output stay clean).
export class Progress {
  private done = 0;
  private failed = 0;
  private lastDraw = 0;
  private readonly started = performance.now();
  private readonly live: boolean;

  constructor(
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream,
  ) {
    this.live = stream.isTTY === true;
  }

  update(passed: boolean): void {
    this.done++;
    if (!passed) this.failed++;
    if (!this.live) return;
    const now = performance.now();
    if (now - this.lastDraw < 100 && this.done < this.total) return;
    this.lastDraw = now;
    const width = Math.max(10, Math.min(40, (this.stream.columns ?? 80) - 50));
    const filled = Math.round((width * this.done) / Math.max(1, this.total));
    const rate = this.done / Math.max(0.001, (now - this.started) / 1000);
    this.stream.write(
      `\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${this.done}/${this.total} runs  ${this.failed} failed  ${rate.toFixed(1)} runs/s `,
    );
  }

  /** The last line: the runs, the time, and where they ran (so many local workers, or a place). */
  finish(seconds: number, workers: number | string): void {
    if (this.live) this.stream.write("\r\x1b[K");
    const rate = this.done / Math.max(0.001, seconds);
    this.stream.write(
      `${this.done} runs in ${seconds.toFixed(1)} s on ${typeof workers === "string" ? workers : `${workers} worker${workers === 1 ? "" : "s"}`} (${rate.toFixed(1)} runs/s), ${this.failed} failed\n`,
    );
  }
}
