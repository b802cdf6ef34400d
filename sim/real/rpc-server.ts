// The server side of real mode's RPC: a TCP listener on loopback that runs the same Service
// objects (sim/net's Service: every method of a receiver, as "Name.method") a simulated Server
// runs.
//
//   const server = await RpcServer.listen(7001, [new Service("Raft", raft), new Service("KVServer", kv)], {
//     onHandlerError: (err) => { log it; process.exit(70) },
//   });
//   …
//   await server.close();
//
// Each request frame is decoded and handed to its handler at once; replies go back as the
// handlers finish, in any order, each with its request's id (rpc-messages.ts). A request for a
// method nobody offers is answered with an error (the caller's call() resolves to null, and the
// caller logs why). A handler that throws is a bug, as in a simulation, where it fails the run:
// onHandlerError decides (simlab serve exits). A connection that sends something that is not a
// frame of this protocol is closed.
//
// Why TCP with length-prefixed frames rather than HTTP: see tcp-transport.ts.
import { createServer, type Server as NetServer, type Socket } from "node:net";
import type { Service } from "../net/index.ts";
import { describeError } from "../core/index.ts";
import { FrameReader, frame } from "./frames.ts";
import { decodeRequest, encodeReply, type ReplyMessage } from "./rpc-messages.ts";

export interface RpcServerOptions {
  /** A handler threw or rejected. */
  onHandlerError: (error: unknown, method: string) => void;
  /** Something worth a log line happened (a bad frame, an unknown method). */
  onNotice?: ((message: string) => void) | undefined;
  /** Sees every request before its handler (to read, never to change: a status page's counters). */
  onRequest?: ((method: string, args: unknown) => void) | undefined;
  /** The address to listen on (default 127.0.0.1: real mode is loopback only). */
  host?: string;
}

export class RpcServer {
  private readonly methods = new Map<string, (args: unknown) => unknown>();
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: NetServer,
    services: readonly Service[],
    private readonly options: RpcServerOptions,
  ) {
    for (const service of services) {
      for (const [name, method] of service.methods) this.methods.set(`${service.name}.${name}`, method);
    }
    server.on("connection", (socket) => this.serve(socket));
  }

  /** Listens on `port` (0: any free port; see `port`). Rejects if the port is taken. */
  static listen(port: number, services: readonly Service[], options: RpcServerOptions): Promise<RpcServer> {
    const server = createServer({ noDelay: true });
    const rpc = new RpcServer(server, services, options);
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, options.host ?? "127.0.0.1", () => {
        server.off("error", reject);
        resolve(rpc);
      });
    });
  }

  /** The port it listens on. */
  get port(): number {
    const address = this.server.address();
    return typeof address === "object" && address !== null ? address.port : 0;
  }

  /** Stops listening and closes every connection. */
  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private serve(socket: Socket): void {
    this.sockets.add(socket);
    const reader = new FrameReader();
    socket.on("data", (chunk: Buffer) => {
      let bodies: Buffer[];
      try {
        bodies = reader.push(chunk);
      } catch (error) {
        this.options.onNotice?.(`closed a connection that sent a bad frame: ${describeError(error)}`);
        socket.destroy();
        return;
      }
      for (const body of bodies) this.handle(socket, body);
    });
    socket.on("error", () => socket.destroy());
    socket.on("close", () => this.sockets.delete(socket));
  }

  private handle(socket: Socket, body: Uint8Array): void {
    let request;
    try {
      request = decodeRequest(body);
    } catch {
      request = undefined;
    }
    if (request === undefined) {
      this.options.onNotice?.("closed a connection that sent a frame that is not an RPC request");
      socket.destroy();
      return;
    }
    const { i: id, m: method, a: args } = request;
    const handler = this.methods.get(method);
    if (handler === undefined) {
      this.options.onNotice?.(`a call of ${method}, which this server does not offer (it offers ${[...this.methods.keys()].join(", ")})`);
      this.send(socket, { i: id, e: `no method ${method}` }, method);
      return;
    }
    this.options.onRequest?.(method, args);
    const threw = (error: unknown): void => this.options.onHandlerError(error, method);
    try {
      const out = handler(args);
      if (typeof (out as PromiseLike<unknown> | null)?.then === "function") {
        (out as Promise<unknown>).then((reply) => this.send(socket, { i: id, r: reply }, method), threw);
      } else {
        this.send(socket, { i: id, r: out }, method);
      }
    } catch (error) {
      threw(error);
    }
  }

  private send(socket: Socket, reply: ReplyMessage, method: string): void {
    if (socket.destroyed) return; // the caller hung up (or timed out and reconnected): nobody waits
    let bytes: Uint8Array;
    try {
      bytes = encodeReply(reply, method);
    } catch (error) {
      this.options.onHandlerError(error, method);
      return;
    }
    socket.write(frame(bytes));
  }
}
