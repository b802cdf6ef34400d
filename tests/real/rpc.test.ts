// Real mode's RPC (sim/real/tcp-transport.ts, rpc-server.ts, frames.ts): labrpc's contract over
// loopback TCP — a reply, or null when the call failed — in all the ways a call can fail.
import { afterEach, describe, expect, it } from "vitest";
import { createServer, connect } from "node:net";
import { Service } from "../../sim/index.ts";
import { FrameReader, RpcServer, TcpTransport, frame } from "../../sim/real/index.ts";

class Echo {
  calls = 0;
  shout(args: { text: string; bytes?: Uint8Array }) {
    this.calls++;
    return { text: args.text.toUpperCase(), size: args.bytes?.byteLength ?? 0 };
  }
  async slowly(args: { ms: number }) {
    await new Promise((resolve) => setTimeout(resolve, args.ms));
    return { waited: args.ms };
  }
  never(): Promise<never> {
    return new Promise(() => {});
  }
  broken(): never {
    throw new Error("handler bug");
  }
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(handlerErrors: unknown[] = []) {
  const echo = new Echo();
  const server = await RpcServer.listen(0, [new Service("Echo", echo)], { onHandlerError: (e) => handlerErrors.push(e) });
  cleanups.push(() => server.close());
  return { echo, server };
}
function transport(callTimeoutMs: number) {
  const t = new TcpTransport({ callTimeoutMs });
  cleanups.push(() => t.close());
  return t;
}

describe("real-mode RPC", () => {
  it("a call gets the reply, bytes included, and many calls share one connection in any order", async () => {
    const { server } = await serve();
    const end = transport(5_000).makeEnd("c->s", server.port);
    expect(await end.call("Echo.shout", { text: "hi", bytes: new Uint8Array([1, 2, 3]) })).toEqual({ text: "HI", size: 3 });
    const replies = await Promise.all([300, 10, 150].map((ms) => end.call("Echo.slowly", { ms })));
    expect(replies).toEqual([{ waited: 300 }, { waited: 10 }, { waited: 150 }]);
  });

  it("a call to a port nobody listens on resolves to null, quickly", async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    const started = performance.now();
    expect(await transport(10_000).makeEnd("c->gone", port).call("Echo.shout", { text: "x" })).toBeNull();
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it("a call without a reply resolves to null after the timeout; the connection keeps working", async () => {
    const { server } = await serve();
    const end = transport(200).makeEnd("c->s", server.port);
    const started = performance.now();
    expect(await end.call("Echo.never", {})).toBeNull();
    expect(performance.now() - started).toBeGreaterThanOrEqual(199);
    expect(await end.call("Echo.slowly", { ms: 1_000 })).toBeNull(); // its late reply is dropped
    expect(await end.call("Echo.shout", { text: "still" })).toEqual({ text: "STILL", size: 0 });
  });

  it("a server that goes away fails the calls waiting on it, and a new one on the port is reached", async () => {
    const { server } = await serve();
    const port = server.port;
    const end = transport(30_000).makeEnd("c->s", port);
    const waiting = end.call("Echo.never", {});
    await new Promise((resolve) => setTimeout(resolve, 50));
    await server.close();
    expect(await waiting).toBeNull();
    const again = await RpcServer.listen(port, [new Service("Echo", new Echo())], { onHandlerError: () => {} });
    cleanups.push(() => again.close());
    expect(await end.call("Echo.shout", { text: "back" })).toEqual({ text: "BACK", size: 0 });
  });

  it("an unknown method resolves to null and says so; a handler that throws goes to onHandlerError", async () => {
    const errors: unknown[] = [];
    const { server } = await serve(errors);
    const notices: string[] = [];
    const t = new TcpTransport({ callTimeoutMs: 500, onNotice: (m) => notices.push(m) });
    cleanups.push(() => t.close());
    const end = t.makeEnd("c->s", server.port);
    expect(await end.call("Echo.nothing", {})).toBeNull();
    expect(notices.join()).toMatch(/no method Echo.nothing/);
    expect(await end.call("Echo.broken", {})).toBeNull(); // no reply: the caller times out
    expect(errors.map(String)).toEqual(["Error: handler bug"]);
  });

  it("arguments the codec cannot encode are a programming error, as in a simulation", async () => {
    const { server, echo } = await serve();
    const end = transport(500).makeEnd("c->s", server.port);
    expect(() => end.call("Echo.shout", { text: "x", when: new Date() } as never)).toThrow(/arguments of Echo.shout/);
    expect(echo.calls).toBe(0);
  });

  it("a connection that sends garbage is closed, and the server keeps serving others", async () => {
    const { server } = await serve();
    const raw = connect({ port: server.port, host: "127.0.0.1" });
    const closed = new Promise((resolve) => raw.on("close", resolve));
    raw.on("error", () => {});
    raw.write(Buffer.from([0xff, 0xff, 0xff, 0xff, 1, 2, 3])); // a 4 GiB frame
    await closed;
    expect(await transport(2_000).makeEnd("c->s", server.port).call("Echo.shout", { text: "ok" })).toEqual({ text: "OK", size: 0 });
  });
});

describe("frames", () => {
  it("are cut out of a stream however it is split", () => {
    const bodies = ["a", "", "hello world", "x".repeat(10_000)].map((t) => Buffer.from(t));
    const stream = Buffer.concat(bodies.map((b) => frame(b)));
    for (const step of [1, 3, 7, 4096, stream.length]) {
      const reader = new FrameReader();
      const out: string[] = [];
      for (let i = 0; i < stream.length; i += step) out.push(...reader.push(stream.subarray(i, i + step)).map(String));
      expect(out).toEqual(bodies.map(String));
    }
  });
});
