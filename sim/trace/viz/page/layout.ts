// Where each row sits on the timeline: node lanes in their groups, each group under a heading,
// then the clients' rows. Hidden rows take no space. Pure: the timeline draws from it and the
// hit-tester reads it back.
import type { GroupInfo, RowInfo } from "../page-data.ts";

/** Heights in CSS pixels. */
export const NODE_ROW_HEIGHT = 30;
export const CLIENT_ROW_HEIGHT = 20;
export const GROUP_HEADING_HEIGHT = 16;

export interface RowBox {
  row: number;
  top: number;
  height: number;
}

export interface GroupHeading {
  group: number;
  top: number;
  label: string;
}

export interface Layout {
  boxes: RowBox[];
  headings: GroupHeading[];
  /** The total height. */
  height: number;
  /** Box of each row (undefined when hidden). */
  boxOf: (RowBox | undefined)[];
}

export function layOut(rows: readonly RowInfo[], groups: readonly GroupInfo[], hidden: ReadonlySet<number>): Layout {
  const boxes: RowBox[] = [];
  const headings: GroupHeading[] = [];
  const boxOf: (RowBox | undefined)[] = new Array(rows.length).fill(undefined);
  let top = 0;
  let group = -1;
  rows.forEach((info, row) => {
    if (hidden.has(row)) return;
    if (info.group !== group) {
      group = info.group;
      headings.push({ group, top, label: groups[group]?.label ?? "" });
      top += GROUP_HEADING_HEIGHT;
    }
    const box = { row, top, height: info.kind === "client" ? CLIENT_ROW_HEIGHT : NODE_ROW_HEIGHT };
    boxes.push(box);
    boxOf[row] = box;
    top += box.height;
  });
  return { boxes, headings, height: top, boxOf };
}

/** The row under `y`, or -1. */
export function rowAt(layout: Layout, y: number): number {
  let lo = 0;
  let hi = layout.boxes.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const box = layout.boxes[mid]!;
    if (y < box.top) hi = mid - 1;
    else if (y >= box.top + box.height) lo = mid + 1;
    else return box.row;
  }
  return -1;
}

/** The middle of a row, where its lane line and arrows meet it. */
export function middleOf(box: RowBox): number {
  return box.top + box.height / 2;
}
