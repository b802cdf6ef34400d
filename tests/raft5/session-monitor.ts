// Lab 5H's replica monitor: every session KV server reports its session table after each entry it
// applies and each snapshot it restores (the server's observeApplied option). The first table seen
// at an index is the one every other replica must show at that index; a replica whose table
// differs fails the run at once, naming the index, both servers and both tables. So eviction and
// expiry must be decided by the log alone (a replica's own clock, or its own random draws, would
// make replicas differ), and a snapshot must carry the table (a restored replica reports the
// table it restored, at the snapshot's index).
import type { Simulation } from "../../sim/index.ts";
import type { SessionView } from "../../raft-extensions/session-types.ts";

export class SessionTableMonitor {
  /** Per index, the first table a replica showed there, and which server showed it. */
  private readonly tables = new Map<number, { server: number; table: string }>();
  /** How many tables each server reported. */
  readonly reports: number[];

  constructor(
    private readonly sim: Simulation,
    n: number,
  ) {
    this.reports = new Array<number>(n).fill(0);
  }

  /** Server `server` shows `sessions` once it has applied everything through `index`. */
  saw(server: number, index: number, sessions: readonly SessionView[]): void {
    this.reports[server]!++;
    const table = JSON.stringify(sessions);
    const first = this.tables.get(index);
    if (first === undefined) {
      this.tables.set(index, { server, table });
      return;
    }
    if (first.table === table) return;
    this.sim.fail(
      `lab-5H monitor: every replica holds the same sessions after applying the same entries — at index ${index} server ${first.server} had ${first.table}, ` +
        `but server ${server} has ${table}. Eviction and expiry must be decided by the log alone (never a replica's clock or its own random draws), and a snapshot must carry the session table.`,
    );
  }

  /** The table the first replica to apply `index` showed there (undefined: none has yet). */
  tableAt(index: number): SessionView[] | undefined {
    const first = this.tables.get(index);
    return first === undefined ? undefined : (JSON.parse(first.table) as SessionView[]);
  }
}
