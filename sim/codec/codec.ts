// The codec: how values cross the simulated network and reach stable storage.
//
// Every RPC argument, reply and persisted value is encoded and decoded, so the receiver always
// gets a copy and no two nodes ever share an object (as with labgob in the Go labs). The encoded
// form is JSON: JSON.stringify followed by JSON.parse is the fastest generic deep copy in Node
// (measured against structuredClone and hand-written copies), and the UTF-8 size of that text is
// the byte count the network reports.
//
// What may cross: null, booleans, finite numbers, strings, arrays without holes, plain objects
// (object literals), and Uint8Array (as bytes). Anything else would arrive changed or not at all
// — a function, undefined, a class instance (its prototype is lost), Map/Set (they become {}),
// NaN, a cycle — so it is rejected with the path of the offending field: labgob's warnings, made
// errors.
//
// A long array of immutable values (kept-encodings.ts) is cheap to encode to bytes again and again:
// the codec keeps its elements' bytes. A Raft log whose entries are immutable costs a copy of bytes
// to save, not an encoding of every entry.
import { keptElementBytes, keptPrefixLength, mayKeep, startEncoding } from "./kept-encodings.ts";

export class CodecError extends Error {
  override name = "CodecError";
}

const MAX_DEPTH = 200;
const BYTES_TAG = "$bytes";

/**
 * Checks that `value` can cross the wire. Returns normally or throws a CodecError naming the field.
 * `what` names the value in the message ("the arguments of Raft.requestVote").
 */
export function checkEncodable(value: unknown, what: string): void {
  if (!isEncodable(value, 0)) throw explain(value, what);
}

/** Encodes `value` to its wire text (JSON). Throws a CodecError naming the field if it cannot. */
export function encode(value: unknown, what = "value"): string {
  startEncoding();
  sawBytes = false;
  if (!isEncodable(value, 0)) throw explain(value, what);
  return sawBytes ? JSON.stringify(value, bytesReplacer) : JSON.stringify(value);
}

/** Decodes wire text made by encode(). */
export function decode<T = unknown>(text: string): T {
  return (text.includes(`"${BYTES_TAG}"`) ? JSON.parse(text, bytesReviver) : JSON.parse(text)) as T;
}

/** A deep copy of `value` as the receiver would see it, and its size on the wire in UTF-8 bytes. */
export function copyAcrossWire<T>(value: T, what: string): { value: T; bytes: number } {
  const text = encode(value, what);
  return { value: decode<T>(text), bytes: Buffer.byteLength(text, "utf8") };
}

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

/** Encodes `value` to bytes (UTF-8 JSON), for a Persister or a snapshot. */
export function encodeToBytes(value: unknown, what = "value"): Uint8Array {
  startEncoding();
  sawBytes = false;
  sawKeptArray = false;
  if (!isEncodable(value, 0)) throw explain(value, what);
  if (!sawKeptArray) return utf8Encoder.encode(sawBytes ? JSON.stringify(value, bytesReplacer) : JSON.stringify(value));
  const out = new ByteWriter();
  writeBytesReusingEncodings(value, out);
  return out.result();
}

/** Decodes bytes made by encodeToBytes(). Throws a CodecError if they are not such bytes. */
export function decodeFromBytes<T = unknown>(bytes: Uint8Array, what = "bytes"): T {
  if (!(bytes instanceof Uint8Array)) {
    throw new CodecError(`${what} must be a Uint8Array, got ${describeKind(bytes)}`);
  }
  const text = utf8Decoder.decode(bytes);
  try {
    return decode<T>(text);
  } catch (err) {
    throw new CodecError(
      `${what} are corrupt: they do not decode (${(err as Error).message}); ` +
        `they must come from encodeToBytes()`,
    );
  }
}

// --- the fast check -----------------------------------------------------------------------------

// Set by isEncodable() when it meets a Uint8Array, so encode() knows it needs the replacer.
let sawBytes = false;
// Set by isEncodable() when it meets an array whose bytes the codec keeps (kept-encodings.ts).
let sawKeptArray = false;


/** True if `v` may cross the wire; if not, explain() finds out why (the slow path). */
function isEncodable(v: unknown, depth: number): boolean {
  switch (typeof v) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(v);
    case "object": {
      if (v === null) return true;
      if (depth > MAX_DEPTH) return false;
      if (Array.isArray(v)) {
        let checked = 0;
        if (mayKeep(v)) {
          sawKeptArray = true;
          checked = keptPrefixLength(v); // elements whose bytes are kept were checked before
        }
        for (let i = checked; i < v.length; i++) {
          if (!isEncodable(v[i], depth + 1)) return false;
        }
        return true;
      }
      if (v instanceof Uint8Array) {
        sawBytes = true;
        return true;
      }
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) return false;
      for (const key in v) {
        if (key === BYTES_TAG || !isEncodable((v as Record<string, unknown>)[key], depth + 1)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

/** JSON.stringify's output as UTF-8 bytes, with each long immutable array's kept bytes copied in. */
function writeBytesReusingEncodings(v: unknown, out: ByteWriter): void {
  if (Array.isArray(v)) {
    const elements = keptElementBytes(v);
    if (elements !== undefined) {
      out.text("[");
      out.bytes(elements);
      out.text("]");
      return;
    }
  } else if (typeof v === "object" && v !== null && !(v instanceof Uint8Array)) {
    // A plain object: one of its fields may be such an array (a Raft state's `entries`).
    let first = true;
    for (const key of Object.keys(v)) {
      out.text(`${first ? "{" : ","}${JSON.stringify(key)}:`);
      writeBytesReusingEncodings((v as Record<string, unknown>)[key], out);
      first = false;
    }
    out.text(first ? "{}" : "}");
    return;
  }
  out.text(sawBytes ? JSON.stringify(v, bytesReplacer) : JSON.stringify(v));
}

/**
 * Collects an encoding as pieces — text, and kept bytes — and copies each once into a result of
 * exactly the right size. Consecutive texts are joined into one piece, so a value without kept
 * bytes is encoded as one string, as JSON.stringify would give it.
 */
class ByteWriter {
  private readonly pieces: (string | Uint8Array)[] = [];
  private pending = "";

  text(s: string): void {
    this.pending += s;
  }

  bytes(b: Uint8Array): void {
    this.flush();
    this.pieces.push(b);
  }

  result(): Uint8Array {
    this.flush();
    let size = 0;
    for (const piece of this.pieces) size += typeof piece === "string" ? Buffer.byteLength(piece, "utf8") : piece.byteLength;
    const out = new Uint8Array(size);
    let at = 0;
    for (const piece of this.pieces) {
      if (typeof piece === "string") {
        at += utf8Encoder.encodeInto(piece, out.subarray(at)).written;
      } else {
        out.set(piece, at);
        at += piece.byteLength;
      }
    }
    return out;
  }

  private flush(): void {
    if (this.pending === "") return;
    this.pieces.push(this.pending);
    this.pending = "";
  }
}

function bytesReplacer(this: unknown, _key: string, v: unknown): unknown {
  if (v instanceof Uint8Array) return { [BYTES_TAG]: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64") };
  return v;
}

function bytesReviver(_key: string, v: unknown): unknown {
  if (v !== null && typeof v === "object" && BYTES_TAG in v) {
    const b = Buffer.from((v as Record<string, string>)[BYTES_TAG]!, "base64");
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength).slice();
  }
  return v;
}

// --- the explanation (slow path, only after the fast check failed) --------------------------------

function explain(value: unknown, what: string): CodecError {
  const problem = findProblem(value, "", [], []);
  const where = problem.path === "" ? what : `${what}, field ${problem.path}`;
  return new CodecError(`cannot send or store ${where}: ${problem.reason}`);
}

function findProblem(
  v: unknown,
  path: string,
  ancestors: object[],
  ancestorPaths: string[],
): { path: string; reason: string } {
  const at = (reason: string) => ({ path, reason });
  switch (typeof v) {
    case "string":
    case "boolean":
      return { path: "", reason: "" };
    case "number":
      return Number.isFinite(v) ? { path: "", reason: "" } : at(`${v} is not a finite number (JSON has no NaN or Infinity)`);
    case "undefined":
      return at("it is undefined, which does not survive encoding; use null or leave the field out");
    case "function":
      return at(`it is a function (${v.name || "anonymous"}); code cannot cross the network, only data`);
    case "bigint":
      return at("it is a bigint; send it as a number or a string");
    case "symbol":
      return at("it is a symbol; symbols cannot cross the network");
  }
  const obj = v as object;
  if (obj === null) return { path: "", reason: "" };
  const cycleAt = ancestors.indexOf(obj);
  if (cycleAt >= 0) {
    return at(`it refers back to ${ancestorPaths[cycleAt] || "the value itself"} (a cycle), which JSON cannot encode`);
  }
  if (ancestors.length > MAX_DEPTH) return at(`it is nested more than ${MAX_DEPTH} levels deep`);
  if (obj instanceof Uint8Array) return { path: "", reason: "" };
  const nextAncestors = [...ancestors, obj];
  const nextPaths = [...ancestorPaths, path];
  if (Array.isArray(obj)) {
    for (let i = 0; i < obj.length; i++) {
      if (!(i in obj)) return at(`the array has a hole at index ${i}; fill it (null) or use a shorter array`);
      const p = findProblem(obj[i], `${path}[${i}]`, nextAncestors, nextPaths);
      if (p.reason !== "") return p;
    }
    return { path: "", reason: "" };
  }
  const proto = Object.getPrototypeOf(obj);
  if (proto !== Object.prototype && proto !== null) {
    return at(
      `it is ${describeKind(obj)}; only plain data crosses the network (object literals, arrays, ` +
        `strings, numbers, booleans, null, Uint8Array)${adviceFor(obj)}`,
    );
  }
  for (const key of Object.keys(obj)) {
    if (key === BYTES_TAG) return at(`the key "${BYTES_TAG}" is reserved by the codec for bytes`);
    const childPath = path === "" ? key : `${path}.${key}`;
    const p = findProblem((obj as Record<string, unknown>)[key], childPath, nextAncestors, nextPaths);
    if (p.reason !== "") return p;
  }
  return { path: "", reason: "" };
}

/** A value as an error message shows it: `number 5`, `null`, `object {"v":1}`. */
export function describeValue(v: unknown): string {
  const text = typeof v === "function" ? "" : (JSON.stringify(v) ?? "");
  return `${v === null ? "null" : typeof v} ${v === null ? "" : text}`.trimEnd();
}

function describeKind(v: unknown): string {
  if (v === null) return "null";
  if (typeof v !== "object") return typeof v;
  const name = (Object.getPrototypeOf(v) as { constructor?: { name?: string } } | null)?.constructor?.name;
  if (v instanceof Map) return "a Map";
  if (v instanceof Set) return "a Set";
  if (v instanceof Date) return "a Date";
  return name ? `an instance of class ${name}` : "an object with a custom prototype";
}

function adviceFor(v: object): string {
  if (v instanceof Map) return "; use a plain object (Record<string, …>) or an array of [key, value] pairs";
  if (v instanceof Set) return "; use an array";
  if (v instanceof Date) return "; send date.getTime() instead";
  return "; build it as an object literal ({ ... }) instead of with `new`";
}
