// The journal: what happened in a simulation, as structured events (time, node, kind, detail).
//
// It is kept cheap for the common case where nobody reads it: a fixed ring of the most recent
// events (for failure reports) and a running hash (for determinism checks). Details are stored as
// given and formatted only when someone prints them. The hash covers every entry's time, node,
// kind and topic, and the numbers, strings and booleans of log lines. With `keepAll`, every event
// is kept, for replay, exports and comparing two runs event by event.
//
// Observations (`note`) are entries only a reader asked for: what the debugger page shows beyond
// the journal (each peer's term sampled after every event, client operations, message payloads,
// link changes). They are kept with every entry, but never hashed and never in the ring, so an
// observed run has the same hash and the same failure report as one nobody watched.

export interface JournalEntry {
  /** Virtual time in milliseconds. */
  time: number;
  /** The node name ("raft-2", "tester", "net"). */
  node: string;
  /** What happened: "log", "crash", "start", or a step of an RPC (sim/net's RpcKind: "send", "deliver", …). */
  kind: string;
  /** Topic for "log" entries ("vote", "append"); "" otherwise. */
  topic: string;
  /** Anything else, formatted lazily. */
  detail: unknown;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

export class Journal {
  private readonly ring: (JournalEntry | undefined)[];
  private next = 0;
  private count = 0;
  private hashState = FNV_OFFSET;
  private readonly stringIds = new Map<string, number>();
  readonly all: JournalEntry[] | undefined;

  constructor(capacity = 400, keepAll = false) {
    this.ring = new Array(capacity);
    this.all = keepAll ? [] : undefined;
  }

  record(time: number, node: string, kind: string, topic = "", detail: unknown = undefined): void {
    const entry: JournalEntry = { time, node, kind, topic, detail };
    this.ring[this.next] = entry;
    this.next = (this.next + 1) % this.ring.length;
    this.count++;
    this.all?.push(entry);
    this.mix(time);
    this.mix(this.idOf(node));
    this.mix(this.idOf(kind));
    if (topic !== "") this.mix(this.idOf(topic));
    if (kind === "log") this.mixDetail(detail);
  }

  /** Keeps an observation (see the top of this file); does nothing unless every entry is kept. */
  note(time: number, node: string, kind: string, detail: unknown): void {
    this.all?.push({ time, node, kind, topic: "", detail });
  }

  /** Folds what a log line says into the hash, so a value that differs between runs is caught. */
  private mixDetail(detail: unknown): void {
    if (Array.isArray(detail)) {
      for (const value of detail) this.mixDetail(value);
    } else if (typeof detail === "number") {
      this.mix(detail);
      this.mix(Math.round((detail % 1) * 0x7fffffff));
    } else if (typeof detail === "string") {
      let h = FNV_OFFSET;
      for (let i = 0; i < detail.length; i++) h = Math.imul(h ^ detail.charCodeAt(i), FNV_PRIME);
      this.mix(h >>> 0);
    } else if (typeof detail === "boolean") {
      this.mix(detail ? 1 : 0);
    }
  }

  /** Folds a number into the hash only (for events that are too frequent to keep as entries). */
  mix(value: number): void {
    let h = this.hashState;
    h = Math.imul(h ^ (value & 0xffff), FNV_PRIME);
    h = Math.imul(h ^ (value >>> 16), FNV_PRIME);
    this.hashState = h >>> 0;
  }

  /** A stable hash of everything recorded: same code and seed ⇒ same hash, in any process. */
  get hash(): string {
    return this.hashState.toString(16).padStart(8, "0");
  }

  /** The most recent entries, oldest first. */
  tail(n = this.ring.length): JournalEntry[] {
    const out: JournalEntry[] = [];
    const have = Math.min(this.count, this.ring.length, n);
    for (let i = have; i > 0; i--) {
      const idx = (this.next - i + this.ring.length) % this.ring.length;
      out.push(this.ring[idx]!);
    }
    return out;
  }

  private idOf(s: string): number {
    let id = this.stringIds.get(s);
    if (id === undefined) {
      // Hash the characters once, so ids do not depend on the order strings were first seen.
      let h = FNV_OFFSET;
      for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
      id = h >>> 0;
      this.stringIds.set(s, id);
    }
    return id;
  }
}

/** One line per entry: `  1234ms raft-1     vote     granted vote to 2 in term 3`. */
export function formatEntry(e: JournalEntry): string {
  const time = `${e.time}ms`.padStart(9);
  const label = e.kind === "log" ? e.topic : e.kind;
  return `${time} ${e.node.padEnd(10)} ${label.padEnd(9)} ${formatDetail(e.detail)}`.trimEnd();
}

export function formatDetail(detail: unknown): string {
  if (detail === undefined) return "";
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) return detail.map(formatValue).join(" ");
  return formatValue(detail);
}

function formatValue(v: unknown): string {
  if (typeof v === "string") return v;
  // Objects that define their own toString (the network's RPC notes) print with it.
  if (typeof v === "object" && v !== null && v.toString !== Object.prototype.toString && !Array.isArray(v)) {
    return String(v);
  }
  if (typeof v === "function") return `[function ${v.name || "anonymous"}]`;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
