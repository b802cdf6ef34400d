// Partitions, from the links the testers enable and disable (the network notes every change of an
// end in an observed run). Within each replica group, two servers are together when each has an
// enabled end to the other and neither direction is cut; the servers that are together form one
// side. The side with the most servers is side 0 (the page leaves it untinted); the others are
// numbered 1, 2, … in row order. Links across groups (to the shardmaster, between groups) are
// left out: a group split in two stays split even if both halves reach the shardmaster.
import type { JournalEntry } from "../../core/index.ts";

interface LinkNote {
  end: string;
  from: string | null;
  to: string | null;
  enabled: boolean;
}

export interface PartitionChange {
  entry: number;
  time: number;
  /** Per row: its side, or -1 for a row that is not a server. */
  sides: number[];
  text: string;
}

/** The notes that can change a partition. */
export const partitionNoteKinds: ReadonlySet<string> = new Set(["link", "cut", "server"]);

export class PartitionTracker {
  readonly changes: PartitionChange[] = [];
  private readonly ends = new Map<string, LinkNote>();
  private readonly cuts = new Set<string>();
  private readonly nodeOfServer = new Map<string, string>();
  private last = "";

  constructor(
    private readonly rowCount: number,
    private readonly rowOfNode: (node: string) => number,
    private readonly groupOfRow: (row: number) => number,
    private readonly nameOfRow: (row: number) => string,
  ) {}

  /** The node server `name` was last (for a request that never reached it). */
  serverNode(name: string): string | undefined {
    return this.nodeOfServer.get(name);
  }

  /** Takes a link, cut or server note. */
  see(entry: JournalEntry): void {
    const detail = entry.detail as Record<string, unknown>;
    if (entry.kind === "link") {
      const link = detail as unknown as LinkNote;
      this.ends.set(link.end, link);
    } else if (entry.kind === "cut") {
      const key = `${String(detail.from)}→${String(detail.to)}`;
      if (detail.cut === true) this.cuts.add(key);
      else this.cuts.delete(key);
    } else if (entry.kind === "server" && typeof detail.node === "string") {
      this.nodeOfServer.set(String(detail.server), detail.node);
    }
  }

  /** Called after the last note of an instant: records a change if the sides moved. */
  settle(entry: number, time: number): void {
    const sides = this.sides();
    const key = sides.join(",");
    if (key === this.last) return;
    this.last = key;
    this.changes.push({ entry, time, sides, text: this.describe(sides) });
  }

  private sides(): number[] {
    const rowOfServer = (server: string | null): number => {
      const node = server === null ? undefined : this.nodeOfServer.get(server);
      return node === undefined ? -1 : this.rowOfNode(node);
    };
    const enabled = new Set<string>();
    for (const link of this.ends.values()) {
      if (!link.enabled || link.from === null || link.to === null || this.cuts.has(`${link.from}→${link.to}`)) continue;
      const a = rowOfServer(link.from);
      const b = rowOfServer(link.to);
      if (a >= 0 && b >= 0 && a !== b && this.groupOfRow(a) === this.groupOfRow(b)) enabled.add(`${a}→${b}`);
    }
    const servers = new Set<number>();
    for (const node of this.nodeOfServer.values()) {
      const row = this.rowOfNode(node);
      if (row >= 0) servers.add(row);
    }
    // Union-find over rows: together when both directions are enabled.
    const parent = Array.from({ length: this.rowCount }, (_, i) => i);
    const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
    for (const link of enabled) {
      const [a, b] = link.split("→").map(Number) as [number, number];
      if (enabled.has(`${b}→${a}`)) parent[find(a)] = find(b);
    }
    const sides = new Array<number>(this.rowCount).fill(-1);
    const byGroup = new Map<number, number[]>();
    for (const row of [...servers].sort((a, b) => a - b)) {
      const group = this.groupOfRow(row);
      byGroup.set(group, [...(byGroup.get(group) ?? []), row]);
    }
    for (const rows of byGroup.values()) {
      const members = new Map<number, number[]>();
      for (const row of rows) members.set(find(row), [...(members.get(find(row)) ?? []), row]);
      const components = [...members.values()].sort((a, b) => b.length - a.length || a[0]! - b[0]!);
      const [largest, ...others] = components;
      for (const row of largest ?? []) sides[row] = 0;
      others.sort((a, b) => a[0]! - b[0]!).forEach((component, k) => {
        for (const row of component) sides[row] = k + 1;
      });
    }
    return sides;
  }

  private describe(sides: readonly number[]): string {
    const cut = [...this.cuts].map((link) => `one-way cut ${link}`);
    const groups = new Map<number, Map<number, string[]>>();
    sides.forEach((side, row) => {
      if (side < 0) return;
      const group = this.groupOfRow(row);
      const bySide = groups.get(group) ?? new Map<number, string[]>();
      groups.set(group, bySide);
      bySide.set(side, [...(bySide.get(side) ?? []), this.nameOfRow(row)]);
    });
    const split = [...groups.values()]
      .filter((bySide) => bySide.size > 1)
      .map((bySide) => [...bySide.entries()].sort((a, b) => a[0] - b[0]).map(([, names]) => names.join(" ")).join(" | "));
    if (split.length === 0 && cut.length === 0) return "connected";
    return [...split.map((text) => `partition ${text}`), ...cut].join("; ");
  }
}
