// The page data (page-data.ts) as the bytes the HTML file carries, and back: the typed columns of
// the big tables go as their own bytes, everything else as JSON. Writing 200,000 events' numbers
// as JSON text, and parsing them back in the page, was most of the cost of the data; as bytes
// they are copied, not written, and the page reads them where they lie.
//
// The layout (little-endian, as every machine that runs Node or a browser today):
//
//   4 bytes    n, the length of the JSON in bytes
//   n bytes    the page data as JSON (UTF-8), each typed column replaced by
//              {"typed": "Float64Array" | "Int32Array" | "Uint8Array", "stored": S, "offset": o, "length": l}
//   padding    to a multiple of 8
//   columns    each column's bytes at its offset o from here (a multiple of 8)
//
// A column is stored in the narrowest type S that holds each of its values exactly (Int8Array,
// Int16Array or Int32Array; Float64Array only for times that are not whole milliseconds): most
// columns are small numbers (rows, kinds, fates) and whole times, and fewer bytes are less to
// gzip and inflate. The page widens them back to their own type.
//
// Only the fields of the data's top-level tables (data.events.time, data.ops.call, …) may be
// typed columns; html-page.ts gzips the whole and main.ts inflates it before unpacking.
import type { PageData } from "./page-data.ts";

type TypedColumn = Float64Array | Int32Array | Uint8Array;
type StoredColumn = TypedColumn | Int8Array | Int16Array;

interface ColumnPlaceholder {
  typed: "Float64Array" | "Int32Array" | "Uint8Array";
  stored: "Float64Array" | "Int32Array" | "Int16Array" | "Int8Array" | "Uint8Array";
  offset: number;
  length: number;
}

const constructors = { Float64Array, Int32Array, Int16Array, Int8Array, Uint8Array } as const;

/** The narrowest type that holds every value of `column` exactly. */
function storedType(column: TypedColumn): ColumnPlaceholder["stored"] {
  if (column instanceof Uint8Array) return "Uint8Array";
  let min = 0;
  let max = 0;
  for (let i = 0; i < column.length; i++) {
    const value = column[i]!;
    // A fraction, -0 or a number beyond 32 bits keeps its 8 bytes.
    if (value !== (value | 0) || Object.is(value, -0)) return "Float64Array";
    if (value < min) min = value;
    else if (value > max) max = value;
  }
  return min >= -128 && max <= 127 ? "Int8Array" : min >= -32768 && max <= 32767 ? "Int16Array" : "Int32Array";
}

function typedName(value: unknown): ColumnPlaceholder["typed"] | undefined {
  if (value instanceof Float64Array) return "Float64Array";
  if (value instanceof Int32Array) return "Int32Array";
  if (value instanceof Uint8Array) return "Uint8Array";
  return undefined;
}

const align = (offset: number): number => Math.ceil(offset / 8) * 8;

/** The page data as bytes: JSON, then the typed columns. */
export function packPageData(data: PageData): Uint8Array {
  const columns: StoredColumn[] = [];
  const placeholders: ColumnPlaceholder[] = [];
  const shallow: Record<string, unknown> = {};
  for (const [name, table] of Object.entries(data)) {
    if (table === null || typeof table !== "object" || Array.isArray(table)) {
      shallow[name] = table;
      continue;
    }
    const fields: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(table as Record<string, unknown>)) {
      const typed = typedName(value);
      if (typed === undefined) {
        fields[field] = value;
        continue;
      }
      const column = value as TypedColumn;
      const stored = storedType(column);
      const placeholder: ColumnPlaceholder = { typed, stored, offset: 0, length: column.length };
      columns.push(stored === typed ? column : constructors[stored].from(column));
      placeholders.push(placeholder);
      fields[field] = placeholder;
    }
    shallow[name] = fields;
  }
  let offset = 0;
  placeholders.forEach((placeholder, k) => {
    placeholder.offset = offset;
    offset = align(offset + columns[k]!.byteLength);
  });
  const json = new TextEncoder().encode(JSON.stringify(shallow));
  const start = align(4 + json.length);
  const bytes = new Uint8Array(start + offset);
  new DataView(bytes.buffer).setUint32(0, json.length, true);
  bytes.set(json, 4);
  placeholders.forEach((placeholder, k) => {
    const column = columns[k]!;
    bytes.set(new Uint8Array(column.buffer, column.byteOffset, column.byteLength), start + placeholder.offset);
  });
  return bytes;
}

/** The page data from packPageData's bytes; a typed column stored in its own type is a view of `packed`'s buffer. */
export function unpackPageData(packed: Uint8Array): PageData {
  // Views need offsets aligned to their element size from the buffer's start.
  const bytes = packed.byteOffset % 8 === 0 ? packed : packed.slice();
  if (bytes.length < 4) throw new Error(`the page's data is cut short: ${bytes.length} bytes`);
  const jsonLength = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true);
  const data = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + jsonLength))) as Record<string, unknown>;
  const start = align(4 + jsonLength);
  for (const table of Object.values(data)) {
    if (table === null || typeof table !== "object" || Array.isArray(table)) continue;
    const fields = table as Record<string, unknown>;
    for (const [field, value] of Object.entries(fields)) {
      if (value === null || typeof value !== "object" || !("typed" in value)) continue;
      const { typed, stored, offset, length } = value as ColumnPlaceholder;
      const [make, read] = [constructors[typed], constructors[stored]];
      if (make === undefined || read === undefined || start + offset + length * read.BYTES_PER_ELEMENT > bytes.length) {
        throw new Error(`the page's data is damaged: column ${field} (${typed} as ${stored}, ${length} at ${offset}) lies outside its ${bytes.length} bytes`);
      }
      const view = new read(bytes.buffer as ArrayBuffer, bytes.byteOffset + start + offset, length);
      if (stored === typed) fields[field] = view;
      else (fields[field] = new make(length)).set(view);
    }
  }
  return data as unknown as PageData;
}
