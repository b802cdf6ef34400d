// What a frame's body holds in real mode's RPC protocol (frames.ts cuts the frames).
//
//   request  {"i": id, "m": "Service.method", "a": args}
//   reply    {"i": id, "r": reply}          the handler's reply
//            {"i": id, "e": "why"}          no such method, or the arguments could not be read
//
// Bodies are the simulation's own codec (sim/codec): UTF-8 JSON, Uint8Array as tagged bytes. So
// exactly what may cross the simulated network may cross the real one, and nothing else: the
// same CodecError names the field that cannot. Ids are per connection; a reply carries its
// request's id, so many calls share one connection and replies may come back in any order.
import { decodeFromBytes, encodeToBytes } from "../codec/index.ts";

export interface RequestMessage {
  i: number;
  m: string;
  a: unknown;
}

export type ReplyMessage = { i: number; r: unknown } | { i: number; e: string };

export function encodeRequest(id: number, method: string, args: unknown): Uint8Array {
  return encodeToBytes({ i: id, m: method, a: args } satisfies RequestMessage, `the arguments of ${method}`);
}

export function encodeReply(message: ReplyMessage, method: string): Uint8Array {
  return encodeToBytes(message, `the reply of ${method}`);
}

/** Reads a request body; undefined if it is not one. */
export function decodeRequest(body: Uint8Array): RequestMessage | undefined {
  const m = decodeFromBytes<unknown>(body, "an RPC request");
  if (typeof m !== "object" || m === null) return undefined;
  const { i, m: method } = m as Partial<RequestMessage>;
  if (!Number.isSafeInteger(i) || typeof method !== "string") return undefined;
  return m as RequestMessage;
}

/** Reads a reply body; undefined if it is not one. */
export function decodeReply(body: Uint8Array): ReplyMessage | undefined {
  const m = decodeFromBytes<unknown>(body, "an RPC reply");
  if (typeof m !== "object" || m === null || !Number.isSafeInteger((m as { i?: unknown }).i)) return undefined;
  return m as ReplyMessage;
}
