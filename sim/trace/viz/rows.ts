// The page's rows: one lane per node (by column: a restarted "kv-1#2" stays on "kv-1"), grouped
// as a reader of the sharded labs thinks of them — the shardmaster's replicas first, then each
// replica group, then everything else, the tester last — and one row per client of the history.
//
// A node's group is its name without the number at the end: "server-101-2" is in group
// "server-101", "ctrler0" in "ctrler", "kv-3" in "kv".
import { columnOf } from "../filter.ts";
import type { GroupInfo, RowInfo } from "./page-data.ts";

export interface Rows {
  rows: RowInfo[];
  groups: GroupInfo[];
  /** The row of a node ("kv-1#2"), or -1 for a node that has no lane. */
  rowOfNode(node: string): number;
  /** The row of a client id of the history. */
  rowOfClient(clientId: number): number;
}

/** The group a node column belongs to ("server-101-2" → "server-101"). */
export function groupOf(column: string): string {
  const stripped = column.replace(/-?\d+$/, "");
  return stripped === "" ? column : stripped;
}

function groupLabel(group: string): string {
  if (group === "ctrler") return "shardmaster";
  const gid = /^server-(\d+)$/.exec(group);
  return gid === null ? group : `group ${gid[1]}`;
}

function groupRank(group: string): number {
  if (group === "ctrler") return 0;
  if (group === "tester") return 2;
  return 1;
}

const byName = (a: string, b: string): number => a.localeCompare(b, "en", { numeric: true });

/** Lanes for `nodes` (journal node names, any incarnation) and rows for `clientIds`. */
export function layoutRows(nodes: Iterable<string>, clientIds: Iterable<number>): Rows {
  const columns = [...new Set([...nodes].map(columnOf))].filter((column) => column !== "net");
  const groupNames = [...new Set(columns.map(groupOf))].sort((a, b) => groupRank(a) - groupRank(b) || byName(a, b));
  const groups: GroupInfo[] = groupNames.map((name) => ({ label: groupLabel(name) }));
  const rows: RowInfo[] = [];
  const rowOfColumn = new Map<string, number>();
  groupNames.forEach((group, index) => {
    for (const column of columns.filter((c) => groupOf(c) === group).sort(byName)) {
      rowOfColumn.set(column, rows.length);
      rows.push({ name: column, kind: "node", group: index });
    }
  });
  const clients = [...new Set(clientIds)].sort((a, b) => a - b);
  const rowOfClientId = new Map<number, number>();
  if (clients.length > 0) {
    const clientGroup = groups.length;
    groups.push({ label: "clients" });
    for (const id of clients) {
      rowOfClientId.set(id, rows.length);
      rows.push({ name: `client ${id}`, kind: "client", group: clientGroup });
    }
  }
  // Asked for every journal entry: remember each node's row.
  const rowOfNodeName = new Map<string, number>();
  return {
    rows,
    groups,
    rowOfNode: (node) => {
      let row = rowOfNodeName.get(node);
      if (row === undefined) rowOfNodeName.set(node, (row = rowOfColumn.get(columnOf(node)) ?? -1));
      return row;
    },
    rowOfClient: (id) => rowOfClientId.get(id) ?? -1,
  };
}
