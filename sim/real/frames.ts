// Length-prefixed frames on a TCP stream: how real mode's RPC messages are cut out of the bytes.
//
//   frame = length (4 bytes, big-endian, of the body) · body (that many bytes)
//
// A TCP stream has no message boundaries: one `data` event may carry half a frame or several.
// FrameReader collects the bytes and hands out whole bodies, in order. A length above the limit
// means the other side is not speaking this protocol (or is broken): the reader reports it and
// the connection is closed, rather than waiting for gigabytes that will never come.

/** The largest body a frame may carry (64 MiB: a Raft snapshot of a large KV store fits). */
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;

const HEADER_BYTES = 4;

export class FrameError extends Error {
  override name = "FrameError";
}

/** The bytes to write for one frame carrying `body`. */
export function frame(body: Uint8Array): Buffer {
  if (body.byteLength > MAX_FRAME_BYTES) {
    throw new FrameError(`a message of ${body.byteLength} bytes is larger than a frame may be (${MAX_FRAME_BYTES})`);
  }
  const out = Buffer.allocUnsafe(HEADER_BYTES + body.byteLength);
  out.writeUInt32BE(body.byteLength, 0);
  out.set(body, HEADER_BYTES);
  return out;
}

/** Cuts frames out of a byte stream; feed it every chunk in the order it arrived. */
export class FrameReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  /** Adds a chunk; returns every body it completed, in order. Throws a FrameError on a bad length. */
  push(chunk: Buffer): Buffer[] {
    this.pending.push(chunk);
    this.pendingBytes += chunk.byteLength;
    const bodies: Buffer[] = [];
    for (;;) {
      if (this.pendingBytes < HEADER_BYTES) break;
      const head = this.peekHeader();
      if (head > MAX_FRAME_BYTES) {
        throw new FrameError(`a frame announced ${head} bytes, more than the ${MAX_FRAME_BYTES} a frame may carry`);
      }
      if (this.pendingBytes < HEADER_BYTES + head) break;
      const all = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
      bodies.push(all.subarray(HEADER_BYTES, HEADER_BYTES + head));
      const rest = all.subarray(HEADER_BYTES + head);
      this.pending = rest.byteLength > 0 ? [rest] : [];
      this.pendingBytes = rest.byteLength;
    }
    return bodies;
  }

  private peekHeader(): number {
    if (this.pending[0]!.byteLength < HEADER_BYTES) this.pending = [Buffer.concat(this.pending, this.pendingBytes)];
    return this.pending[0]!.readUInt32BE(0);
  }
}
