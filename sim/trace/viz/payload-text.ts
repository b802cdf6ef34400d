// Message payloads as the page gets them: data cut down to what a reader can take in. A KV value
// grows to kilobytes after many appends and an AppendEntries may carry hundreds of entries; the
// page keeps a few hundred characters of each, saying what was left out. Most payloads are short
// already (votes, heartbeats, a clerk's arguments): those go to the page as they are, and the page
// writes a payload as JSON only when it shows it (writing 100,000 of them here, to be escaped
// again inside the page's own JSON, was most of the cost of making a large run's page).

/** A string longer than this keeps its start and its end. */
const STRING_LIMIT = 64;
/** An array longer than this keeps its first few elements and its last. */
const ARRAY_LIMIT = 6;
/** Objects and arrays nested deeper than this are shown as "…". */
const DEPTH_LIMIT = 4;
/** A payload whose JSON is about this long or shorter is shown whole. */
const SHORT_ENOUGH = 300;

/** `value` itself when its JSON is short, else a shortened copy; either way plain JSON data. */
export function shortPayload(value: unknown): unknown {
  return roughSize(value, SHORT_ENOUGH) <= SHORT_ENOUGH ? value : shorten(value, 0);
}

/**
 * About how long `value`'s JSON is, counted only up to `limit` (a walk that stops early is what
 * makes a 200-kilobyte value cheap to turn away). Byte arrays, maps and sets count as too long:
 * plain JSON does not show them as they are.
 */
function roughSize(value: unknown, limit: number): number {
  if (typeof value === "string") return value.length + 2;
  if (value === null || typeof value !== "object") return typeof value === "bigint" ? Infinity : 6;
  if (value instanceof Uint8Array || value instanceof Map || value instanceof Set) return Infinity;
  let size = 2;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && size <= limit; i++) size += 1 + roughSize(value[i], limit - size);
    return size;
  }
  for (const key in value) {
    if (size > limit) break;
    size += key.length + 4 + roughSize((value as Record<string, unknown>)[key], limit - size);
  }
  return size;
}

function shorten(value: unknown, depth: number): unknown {
  if (typeof value === "string") {
    return value.length <= STRING_LIMIT ? value : `${value.slice(0, 24)}…(${value.length} chars)…${value.slice(-24)}`;
  }
  if (value === null || typeof value !== "object") {
    return typeof value === "bigint" || typeof value === "function" || typeof value === "symbol" ? String(value) : value;
  }
  if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
  if (depth >= DEPTH_LIMIT) return "…";
  if (value instanceof Map || value instanceof Set) return shorten([...value], depth);
  if (Array.isArray(value)) {
    if (value.length <= ARRAY_LIMIT) return value.map((item) => shorten(item, depth + 1));
    const head = value.slice(0, ARRAY_LIMIT - 2).map((item) => shorten(item, depth + 1));
    return [...head, `…${value.length - head.length - 1} more…`, shorten(value[value.length - 1], depth + 1)];
  }
  const out: Record<string, unknown> = {};
  for (const key in value) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined) out[key] = shorten(item, depth + 1);
  }
  return out;
}
