// The per-node log: one column per node (raft-0 | raft-1 | raft-2 | tester), one row per journal
// entry, the virtual time on the left. An entry's text sits in its node's column and wraps within
// it; labels (log topics, network kinds) are colored. The output is a pure function of the
// entries and the width, so the same seed always prints the same lines.
import { Chalk, type ChalkInstance } from "chalk";
import { formatDetail, type JournalEntry } from "../core/index.ts";
import { RpcKind } from "../net/index.ts";
import { columnOf, columnsIn, labelOf } from "./filter.ts";
import { rpcOf, type TraceRecord } from "./record.ts";

export interface ColumnOptions {
  /** Total line width in characters. */
  width: number;
  /** Columns to show, in order (default: every node in the entries). */
  columns?: readonly string[];
  /** Color level: 0 none … 3 truecolor (default: none). */
  colorLevel?: 0 | 1 | 2 | 3;
}

const timeWidth = 9;
const separator = " │ ";
const minColumnWidth = 14;

export function renderColumns(entries: readonly (JournalEntry | TraceRecord)[], options: ColumnOptions): string[] {
  const chalk = new Chalk({ level: options.colorLevel ?? 0 });
  const columns = options.columns ?? columnsIn(entries);
  if (columns.length === 0) return [];
  const index = new Map(columns.map((column, i) => [column, i]));
  const columnWidth = Math.max(
    minColumnWidth,
    Math.floor((options.width - timeWidth - separator.length * columns.length) / columns.length),
  );
  const row = (time: string, cells: string[]): string =>
    `${time.padStart(timeWidth)}${chalk.dim(separator)}${cells.join(chalk.dim(separator))}`.trimEnd();
  const blank = " ".repeat(columnWidth);

  const lines = [
    row("time", columns.map((column) => chalk.bold(column.slice(0, columnWidth).padEnd(columnWidth)))),
    chalk.dim(`${"─".repeat(timeWidth)}─┼─${columns.map(() => "─".repeat(columnWidth)).join("─┼─")}`),
  ];
  for (const entry of entries) {
    const at = index.get(columnOf(entry.node));
    if (at === undefined) continue;
    const label = labelOf(entry);
    const pieces = wrap(`${label} ${describe(entry)}`.trimEnd(), columnWidth);
    pieces.forEach((piece, i) => {
      let text = piece.padEnd(columnWidth);
      if (i === 0) text = paint(chalk, entry, label) + text.slice(label.length);
      const cells = columns.map((_, c) => (c === at ? text : blank));
      lines.push(row(i === 0 ? `${entry.time}ms` : "", cells));
    });
  }
  return lines;
}

/** The text after the label: RPCs as "Method #id → peer", crashes and restarts with the incarnation. */
export function describe(entry: JournalEntry | TraceRecord): string {
  const rpc = rpcOf(entry);
  if (rpc !== undefined) {
    const id = `${rpc.method} #${rpc.rpc}`;
    const why = rpc.reason === undefined ? "" : ` (${rpc.reason})`;
    switch (entry.kind) {
      case RpcKind.send:
      case RpcKind.drop:
      case RpcKind.hold:
      case RpcKind.respond:
      case RpcKind.replyDrop:
        return `${id} → ${rpc.to}${why}`;
      default:
        return `${id} ← ${rpc.from}${why}`;
    }
  }
  if (entry.kind === "crash" || entry.kind === "start") return entry.node;
  return formatDetail(entry.detail).replace(/\s*\n\s*/g, " ⏎ ");
}

const kindColors: Record<string, (chalk: ChalkInstance) => ChalkInstance> = {
  [RpcKind.send]: (c) => c.blue,
  [RpcKind.deliver]: (c) => c.cyan,
  [RpcKind.respond]: (c) => c.blue,
  [RpcKind.reply]: (c) => c.green,
  [RpcKind.drop]: (c) => c.yellow,
  [RpcKind.replyDrop]: (c) => c.yellow,
  [RpcKind.fail]: (c) => c.yellow,
  crash: (c) => c.red.bold,
  start: (c) => c.green.bold,
};
const topicPalette: ((chalk: ChalkInstance) => ChalkInstance)[] = [
  (c) => c.magenta,
  (c) => c.cyanBright,
  (c) => c.greenBright,
  (c) => c.yellowBright,
  (c) => c.blueBright,
  (c) => c.magentaBright,
  (c) => c.redBright,
  (c) => c.whiteBright,
];

function paint(chalk: ChalkInstance, entry: JournalEntry | TraceRecord, label: string): string {
  if (entry.kind !== "log") return (kindColors[entry.kind]?.(chalk) ?? chalk.white)(label);
  if (label === "tester") return chalk.bold(label);
  let h = 0;
  for (let i = 0; i < label.length; i++) h = (h * 31 + label.charCodeAt(i)) >>> 0;
  return topicPalette[h % topicPalette.length]!(chalk).bold(label);
}

/** Splits text into pieces of at most `width` characters, at spaces where that is not wasteful. */
function wrap(text: string, width: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > width) {
    const space = rest.lastIndexOf(" ", width);
    const cut = space > width / 2 ? space : width;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^ /, "");
  }
  pieces.push(rest);
  return pieces;
}
