// Raft roles over time, and when nodes were down, from an observed run's journal.
//
// The testers sample each peer's getState() after every event that ran its code
// (tests/harness/observe.ts): a "state" note gives the term and whether the peer leads. getState() cannot tell a candidate from
// a follower, so the messages do: only a candidate asks for votes, so a peer that sends
// RequestVote while not leading is a candidate from that send on, until its state changes or it
// accepts a leader of its term (it is delivered an AppendEntries or InstallSnapshot whose term is
// at least its own). That holds for any Raft, since the RPCs are Figure 2's.
import type { JournalEntry } from "../../core/index.ts";
import { RpcKind } from "../../net/index.ts";
import { rpcOf } from "../record.ts";
import { Role } from "./page-data.ts";

export interface RoleSpan {
  row: number;
  start: number;
  end: number;
  term: number;
  role: Role;
}

export interface CrashSpan {
  row: number;
  start: number;
  end: number;
  restored: string | undefined;
}

/** What a role change or a restart says in the event list. */
export interface RoleChange {
  entry: number;
  row: number;
  text: string;
}

export const roleNames = ["follower", "candidate", "leader"] as const;

/** The kinds of entries that can change a role or a crash span. */
const trackedKinds: ReadonlySet<string> = new Set(["state", RpcKind.send, RpcKind.deliver, "crash", "start", "restore"]);

/**
 * Follows roles and crashes through the journal. Feed it every entry in order (see), then ask
 * for the spans (finish). `termOf(rpc)` is the term in a call's arguments, when they were observed.
 */
export class RoleTracker {
  readonly roles: RoleSpan[] = [];
  readonly crashes: CrashSpan[] = [];
  private readonly open = new Map<number, RoleSpan>();
  private readonly down = new Map<number, CrashSpan>();
  private readonly lastRestart = new Map<number, CrashSpan>();

  constructor(
    private readonly rowOfNode: (node: string) => number,
    private readonly termOf: (rpc: number) => number | undefined,
  ) {}

  /** Takes entry `index`; returns the role change or restart it makes, if any. */
  see(entry: JournalEntry, index: number): RoleChange | undefined {
    // (Asked for every journal entry: most are of other kinds, and are turned away before the row is looked up.)
    if (!trackedKinds.has(entry.kind)) return undefined;
    const row = this.rowOfNode(entry.node);
    if (row < 0) return undefined;
    switch (entry.kind) {
      case "state": {
        const state = entry.detail as { term?: number; isLeader?: boolean };
        if (typeof state.term !== "number") return undefined;
        return this.become(row, entry.time, state.term, state.isLeader ? Role.leader : Role.follower, index);
      }
      case RpcKind.send: {
        const span = this.open.get(row);
        const note = rpcOf(entry);
        if (span === undefined || span.role !== Role.follower || !note?.method.endsWith(".requestVote")) return undefined;
        return this.become(row, entry.time, span.term, Role.candidate, index);
      }
      case RpcKind.deliver: {
        const span = this.open.get(row);
        const note = rpcOf(entry);
        if (span === undefined || span.role !== Role.candidate || note === undefined) return undefined;
        if (!note.method.endsWith(".appendEntries") && !note.method.endsWith(".installSnapshot")) return undefined;
        const term = this.termOf(note.rpc);
        if (term !== undefined && term < span.term) return undefined;
        return this.become(row, entry.time, span.term, Role.follower, index);
      }
      case "crash": {
        this.close(row, entry.time);
        const crash: CrashSpan = { row, start: entry.time, end: Infinity, restored: undefined };
        this.crashes.push(crash);
        this.down.set(row, crash);
        return undefined;
      }
      case "start": {
        const crash = this.down.get(row);
        if (crash === undefined) return undefined;
        crash.end = entry.time;
        this.down.delete(row);
        this.lastRestart.set(row, crash);
        return { entry: index, row, text: `restarts as ${entry.node}` };
      }
      case "restore": {
        const crash = this.lastRestart.get(row);
        const { raftStateBytes, snapshotBytes } = entry.detail as { raftStateBytes: number; snapshotBytes: number };
        if (crash !== undefined && crash.end === entry.time) {
          crash.restored = `${raftStateBytes} bytes of Raft state and ${snapshotBytes > 0 ? `a ${snapshotBytes}-byte snapshot` : "no snapshot"}`;
        }
        return undefined;
      }
      default:
        return undefined;
    }
  }

  /** Ends every open span at `end` (the end of the run). */
  finish(end: number): void {
    for (const row of [...this.open.keys()]) this.close(row, end);
    for (const crash of this.crashes) if (crash.end === Infinity) crash.end = end;
  }

  private become(row: number, time: number, term: number, role: Role, index: number): RoleChange | undefined {
    const span = this.open.get(row);
    if (span !== undefined && span.term === term && span.role === role) return undefined;
    this.close(row, time);
    const next: RoleSpan = { row, start: time, end: time, term, role };
    this.roles.push(next);
    this.open.set(row, next);
    return { entry: index, row, text: `${roleNames[role]} in term ${term}` };
  }

  private close(row: number, time: number): void {
    const span = this.open.get(row);
    if (span === undefined) return;
    span.end = time;
    this.open.delete(row);
  }
}
