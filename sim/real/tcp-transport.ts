// The client side of real mode's RPC: ClientEnds whose calls cross loopback TCP to another OS
// process, with labrpc's contract — call() resolves to the reply, or to null when the call
// failed — so Raft and the KV clerk use them exactly as they use simulated ends.
//
//   const transport = new TcpTransport({ callTimeoutMs: 1000 });
//   const end = transport.makeEnd<RaftApi>("raft-0->2", 7002);
//   const reply = await end.call("Raft.requestVote", args);   // null: refused, reset, timed out
//   transport.close();
//
// How a call can fail (each resolves to null, never rejects):
//   - the connection is refused or reset (the peer is down, or was killed mid-call);
//   - no reply within callTimeoutMs (the peer is stopped — SIGSTOP — or overloaded); a reply
//     that comes later is dropped;
//   - the peer answered with an error (it offers no such method);
//   - the connection's send buffer already holds more than MAX_QUEUED_BYTES (a peer that reads
//     nothing, such as a stopped one, so a leader's heartbeats cannot pile up in memory).
// It rejects only for a programming error, as in a simulation: arguments the codec cannot encode.
//
// Why TCP with length-prefixed frames, and not HTTP/1.1 with keep-alive:
//   - one connection per end carries any number of concurrent calls, each with an id, answered in
//     any order. Raft has several calls to one peer outstanding at once (a heartbeat while an
//     AppendEntries waits on a stopped peer); HTTP/1.1 answers in request order on a connection,
//     so one slow call would hold up the next, or each concurrent call would need its own socket.
//   - a frame is 4 bytes of length; an HTTP request is a few hundred bytes of headers to write and
//     parse for every heartbeat.
//   - failure is what labrpc needs and nothing more: a reset or a timeout, with no status codes
//     and no retries by an HTTP agent behind the caller's back.
// HTTP is where it belongs: on the client-facing API of `simlab serve` (curl, browsers).
//
// A connection is opened on an end's first call, and again on the first call after it closed; a
// call never waits for more than one connection attempt. Loopback only, like all of real mode.
import { connect, type Socket } from "node:net";
import { ClientEnd, type RpcTransport } from "../net/index.ts";
import { RandomStream } from "../core/random.ts";
import { UsageError } from "../core/errors.ts";
import { FrameReader, frame } from "./frames.ts";
import { decodeReply, encodeRequest } from "./rpc-messages.ts";

/** An end made without an API type calls any "Service.method" (as Network.makeEnd's do). */
type DefaultApi = ClientEnd extends ClientEnd<infer Api> ? Api : never;

/** A connection whose unsent bytes exceed this fails new calls at once. */
export const MAX_QUEUED_BYTES = 8 * 1024 * 1024;

export interface TcpTransportOptions {
  /** A call without a reply after this many ms resolves to null. */
  callTimeoutMs: number;
  /** The host every end connects to (default 127.0.0.1). */
  host?: string;
  /** Something worth a log line happened (an error reply). */
  onNotice?: ((message: string) => void) | undefined;
  /** Sees every call as it leaves (to read, never to change: a status page's counters). */
  onCall?: ((method: string, args: unknown) => void) | undefined;
}

interface PendingCall {
  resolve: (reply: unknown) => void;
  timer: NodeJS.Timeout;
}

/** One end's connection to its server, with the calls waiting on it. */
class Connection {
  private socket: Socket | undefined;
  private reader = new FrameReader();
  private readonly pending = new Map<number, PendingCall>();
  private nextId = 1;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly options: TcpTransportOptions,
  ) {}

  call(method: string, args: unknown): Promise<unknown> {
    const id = this.nextId++;
    const bytes = frame(encodeRequest(id, method, args)); // a CodecError rejects: a programming error
    const socket = this.open();
    if (socket.writableLength > MAX_QUEUED_BYTES) return Promise.resolve(null);
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.settle(id, null), this.options.callTimeoutMs);
      this.pending.set(id, { resolve, timer });
      socket.write(bytes);
    });
  }

  close(): void {
    this.socket?.destroy();
    this.failAll();
  }

  private open(): Socket {
    // A socket being torn down (destroyed, its close event still to come) takes no new calls.
    if (this.socket !== undefined && !this.socket.destroyed) return this.socket;
    if (this.socket !== undefined) this.failAll(); // their replies could only come on the old socket
    const socket = connect({ host: this.host, port: this.port, noDelay: true });
    this.socket = socket;
    this.reader = new FrameReader();
    socket.on("data", (chunk: Buffer) => {
      let bodies: Buffer[];
      try {
        bodies = this.reader.push(chunk);
      } catch {
        socket.destroy();
        return;
      }
      for (const body of bodies) this.receive(body);
    });
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      if (this.socket === socket) {
        this.socket = undefined;
        this.failAll();
      }
    });
    return socket;
  }

  private receive(body: Uint8Array): void {
    let reply;
    try {
      reply = decodeReply(body);
    } catch {
      reply = undefined;
    }
    if (reply === undefined) {
      this.socket?.destroy();
      return;
    }
    if ("e" in reply) {
      this.options.onNotice?.(`a call to port ${this.port} failed: ${reply.e}`);
      this.settle(reply.i, null);
    } else {
      this.settle(reply.i, reply.r);
    }
  }

  private settle(id: number, reply: unknown): void {
    const call = this.pending.get(id);
    if (call === undefined) return; // timed out already, or the connection closed
    this.pending.delete(id);
    clearTimeout(call.timer);
    call.resolve(reply);
  }

  private failAll(): void {
    for (const id of [...this.pending.keys()]) this.settle(id, null);
  }
}

export class TcpTransport implements RpcTransport {
  private readonly connections = new Map<ClientEnd<object>, Connection>();
  private readonly names = new Set<string>();
  private closed = false;

  constructor(private readonly options: TcpTransportOptions) {
    if (!(options.callTimeoutMs > 0)) throw new UsageError(`callTimeoutMs must be a positive number of ms, got ${options.callTimeoutMs}`);
  }

  /** An end whose calls go to the RPC server on `port` (rpc-server.ts). */
  makeEnd<Api extends object = DefaultApi>(name: string, port: number): ClientEnd<Api> {
    if (this.names.has(name)) throw new UsageError(`makeEnd: an end named "${name}" already exists`);
    if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new UsageError(`makeEnd: port must be 1–65535, got ${port}`);
    this.names.add(name);
    const end = new ClientEnd<Api>(this, name, undefined, new RandomStream(0, `real/end/${name}`));
    end.serverName = String(port);
    end.enabled = true;
    this.connections.set(end as ClientEnd<object>, new Connection(this.options.host ?? "127.0.0.1", port, this.options));
    return end;
  }

  call(end: ClientEnd<object>, method: string, args: unknown): Promise<unknown> {
    const connection = this.connections.get(end);
    if (connection === undefined) throw new UsageError(`end "${end.name}" was not made by this transport`);
    if (this.closed) return Promise.resolve(null);
    this.options.onCall?.(method, args);
    return connection.call(method, args);
  }

  /** Closes every connection; calls waiting resolve to null, later calls too. */
  close(): void {
    this.closed = true;
    for (const connection of this.connections.values()) connection.close();
  }
}
