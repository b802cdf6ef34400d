// The page's place in the URL hash, so that a link (in a failure message, an e-mail) opens the
// page at the same cursor, selection, window and filters:
//   #t=1234.5&sel=op:17&from=1000&to=2000&hide=3,7&kinds=log,send&key=4&just=vote,append
// Pure: parse and format; the page applies what it parsed.

export type Selection = { kind: "op"; id: number } | { kind: "message"; id: number } | { kind: "event"; id: number };

export interface Place {
  cursor?: number;
  selection?: Selection;
  from?: number;
  to?: number;
  /** Rows hidden. */
  hidden?: number[];
  /** Event kinds shown (names); all when absent. */
  kinds?: string[];
  /** The key whose verdict is overlaid. */
  key?: string;
  /** Log topics shown (dslogs' --just); all when absent. */
  topics?: string[];
  /** RPC methods shown; all when absent. */
  methods?: string[];
}

const selectionKinds = new Set(["op", "message", "event"]);

export function formatPlace(place: Place): string {
  const parts: string[] = [];
  const put = (name: string, value: string | number | undefined): void => {
    if (value !== undefined && value !== "") parts.push(`${name}=${encodeURIComponent(String(value))}`);
  };
  put("t", place.cursor);
  if (place.selection !== undefined) put("sel", `${place.selection.kind}:${place.selection.id}`);
  put("from", place.from);
  put("to", place.to);
  put("hide", place.hidden?.join(","));
  put("kinds", place.kinds?.join(","));
  put("key", place.key);
  put("just", place.topics?.join(","));
  put("methods", place.methods?.join(","));
  return parts.length === 0 ? "" : `#${parts.join("&")}`;
}

/** What a hash says; anything malformed is left out. */
export function parsePlace(hash: string): Place {
  const place: Place = {};
  const number = (text: string | undefined): number | undefined => {
    if (text === undefined || text.trim() === "") return undefined;
    const value = Number(text);
    return Number.isFinite(value) ? value : undefined;
  };
  const list = (text: string | undefined): string[] | undefined => (text === undefined ? undefined : text.split(",").filter((item) => item !== ""));
  const values = new Map<string, string>();
  for (const part of hash.replace(/^#/, "").split("&")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    try {
      values.set(part.slice(0, eq), decodeURIComponent(part.slice(eq + 1)));
    } catch {
      // a malformed escape: ignore this part
    }
  }
  const cursor = number(values.get("t"));
  if (cursor !== undefined) place.cursor = cursor;
  const sel = /^(\w+):(\d+)$/.exec(values.get("sel") ?? "");
  if (sel !== null && selectionKinds.has(sel[1]!)) place.selection = { kind: sel[1] as Selection["kind"], id: Number(sel[2]) };
  const from = number(values.get("from"));
  const to = number(values.get("to"));
  if (from !== undefined && to !== undefined && to > from) [place.from, place.to] = [from, to];
  const hidden = list(values.get("hide"))?.map(Number).filter((row) => Number.isInteger(row) && row >= 0);
  if (hidden !== undefined) place.hidden = hidden;
  const kinds = list(values.get("kinds"));
  if (kinds !== undefined) place.kinds = kinds;
  const key = values.get("key");
  if (key !== undefined) place.key = key;
  const topics = list(values.get("just"));
  if (topics !== undefined) place.topics = topics;
  const methods = list(values.get("methods"));
  if (methods !== undefined) place.methods = methods;
  return place;
}
