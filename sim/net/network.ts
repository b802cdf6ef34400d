// The simulated network: labrpc, in virtual time.
//
// How to use it
//   const net = new Network(sim);
//   net.addServer("1", new Server(node, [new Service("Raft", raft)]));
//   const end = net.makeEnd("0->1", "0");   // a client end, from server "0" (optional)
//   net.connect(end, "1");                 // it talks to server "1"
//   net.enable(end, true);                 // ends start disabled
//   const reply = await end.call("Raft.requestVote", args);
//   if (reply === null) { /* lost, timed out, or unreachable: like labrpc's Call returning false */ }
//
// What call() does
//   - It always settles, and never rejects for a network reason: it resolves to a copy of the
//     reply, or to null when the request or the reply was lost, the end is disabled, or the
//     server is gone. (It rejects only for a programming error: arguments that cannot be encoded,
//     an end that was never connected.)
//   - Arguments and replies cross as copies made by the codec; no object is ever shared.
//   - If the handler never returns, the call waits — unless the server is deleted or the end
//     disabled, in which case it fails at the next 100 ms check, as labrpc's does. That is how a
//     crashed server's replies are suppressed: the tester deletes the server before it restarts.
//   - Timing and loss follow the fault model (faults.ts): reliable, unreliable, long reordering,
//     long delays, and opt-in one-way cuts, duplication and per-link latency.
//
// Counting (exactly where labrpc counts)
//   - totalCount: every call, including lost ones and those to disabled ends.
//   - totalBytes: the request's encoded size for every call, plus each reply's encoded size when
//     it is delivered.
//   - rpcCount(server): requests that reached that server object (reset when it is replaced).
import type { Simulation } from "../core/simulation.ts";
import type { SimNode } from "../core/node.ts";
import type { RandomStream } from "../core/random.ts";
import { UsageError, describeError } from "../core/index.ts";
import { copyAcrossWire } from "../codec/codec.ts";
import { FaultModel, type LatencyRange } from "./faults.ts";

/** A handler takes the arguments and returns the reply (or a promise of it). */
type Handler = (args: never) => unknown;
/** An untyped API: any "Service.method", any arguments (for ends made without a service type). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type UntypedApi = Record<string, (args: any) => unknown>;

/** The RPC methods of a service object `T` named `Name`, keyed "Name.method". */
export type ServiceApi<Name extends string, T> = {
  [K in keyof T & string as T[K] extends Handler ? `${Name}.${K}` : never]: T[K];
};

type ArgsOf<F> = F extends (args: infer A) => unknown ? A : never;
type ReplyOf<F> = F extends (args: never) => infer R ? Awaited<R> : never;

/**
 * What the journal records about one message: the call's id links a request's send, delivery and
 * reply, so tools can draw the message (and derive vector clocks) from the journal.
 */
export class RpcNote {
  constructor(
    readonly rpc: number,
    readonly method: string,
    /** The node that sent this message. */
    readonly from: string,
    /** The node (or server name, for a request that never reached one) it was sent to. */
    readonly to: string,
  ) {}

  toString(): string {
    return `${this.method} #${this.rpc} ${this.from} → ${this.to}`;
  }
}

/** How often a caller checks whether the server it waits on is still there (labrpc: 100 ms). */
const DEAD_SERVER_CHECK_MS = 100;

/** A set of RPC handlers: every method of `receiver`, callable as "name.method". */
export class Service {
  readonly methods: ReadonlyMap<string, (args: unknown) => unknown>;

  constructor(
    readonly name: string,
    receiver: object,
  ) {
    const methods = new Map<string, (args: unknown) => unknown>();
    for (let o: object | null = receiver; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
      for (const key of Object.getOwnPropertyNames(o)) {
        const value = (receiver as Record<string, unknown>)[key];
        if (key !== "constructor" && typeof value === "function" && !methods.has(key)) {
          methods.set(key, (value as (a: unknown) => unknown).bind(receiver));
        }
      }
    }
    this.methods = methods;
  }
}

/** A server: one or more services on one node. */
export class Server {
  private readonly services = new Map<string, Service>();
  /** Requests that reached this server object. */
  rpcCount = 0;
  /** Calls whose handler has not returned yet. */
  readonly inFlight = new Set<InFlightCall>();

  constructor(
    readonly node: SimNode,
    services: Service[] = [],
  ) {
    for (const s of services) this.addService(s);
  }

  addService(service: Service): void {
    this.services.set(service.name, service);
  }

  handler(method: string): ((args: unknown) => unknown) | undefined {
    const dot = method.lastIndexOf(".");
    return this.services.get(method.slice(0, dot))?.methods.get(method.slice(dot + 1));
  }

  describeMethods(): string {
    const all: string[] = [];
    for (const s of this.services.values()) for (const m of s.methods.keys()) all.push(`${s.name}.${m}`);
    return all.join(", ");
  }
}

interface InFlightCall {
  end: ClientEnd;
  server: Server;
  deliveredAt: number;
  settled: boolean;
  fail: (delay: number) => void;
}

/** One caller's connection to one server (labrpc's ClientEnd). */
export class ClientEnd<Api extends object = UntypedApi> {
  enabled = false;
  serverName: string | undefined;
  readonly inFlight = new Set<InFlightCall>();

  constructor(
    private readonly net: Network,
    readonly name: string,
    /** The name of the server this end belongs to, for link faults; undefined for clerks. */
    readonly from: string | undefined,
    readonly rng: RandomStream,
  ) {}

  /**
   * Sends a request and waits for the reply. Resolves to a copy of the reply, or to null if the
   * call failed (lost, timed out, server unreachable or gone). See the top of this file.
   */
  call<M extends keyof Api & string>(method: M, args: ArgsOf<Api[M]>): Promise<ReplyOf<Api[M]> | null> {
    return this.net.call(this, method, args) as Promise<ReplyOf<Api[M]> | null>;
  }
}

export interface NetworkOptions {
  /** One-way latency of a reliable link (default 2–8 ms: DEFAULT_LATENCY). */
  latency?: LatencyRange;
}

export class Network {
  readonly faults: FaultModel;
  private readonly ends = new Map<string, ClientEnd<object>>();
  private readonly servers = new Map<string, Server | undefined>();
  private readonly node: SimNode;
  private count = 0;
  private bytes = 0;
  private nextRpcId = 1;

  constructor(
    readonly sim: Simulation,
    options: NetworkOptions = {},
  ) {
    this.faults = new FaultModel(options.latency);
    this.node = sim.createNode("net");
  }

  /** Makes a client end. Ends start disabled and unconnected; names must be unique. */
  makeEnd<Api extends object = UntypedApi>(name: string, from?: string | number): ClientEnd<Api> {
    if (this.ends.has(name)) throw new UsageError(`makeEnd: an end named "${name}" already exists`);
    const end = new ClientEnd<Api>(this, name, from === undefined ? undefined : String(from), this.sim.stream(`net/end/${name}`));
    this.ends.set(name, end as ClientEnd<object>);
    return end;
  }

  connect(end: ClientEnd<object>, serverName: string | number): void {
    end.serverName = String(serverName);
  }

  /** Enables or disables an end; disabling fails its calls whose handler is still running. */
  enable(end: ClientEnd<object>, enabled: boolean): void {
    end.enabled = enabled;
    if (!enabled) for (const c of end.inFlight) this.failAtNextCheck(c);
  }

  addServer(name: string | number, server: Server): void {
    const previous = this.servers.get(String(name));
    this.servers.set(String(name), server);
    if (previous) for (const c of previous.inFlight) this.failAtNextCheck(c);
  }

  /** Removes a server: calls waiting on it fail, and replies it sends later are suppressed. */
  deleteServer(name: string | number): void {
    const previous = this.servers.get(String(name));
    this.servers.set(String(name), undefined);
    if (previous) for (const c of previous.inFlight) this.failAtNextCheck(c);
  }

  setReliable(reliable: boolean): void {
    this.faults.reliable = reliable;
  }

  setLongReordering(yes: boolean): void {
    this.faults.longReordering = yes;
  }

  setLongDelays(yes: boolean): void {
    this.faults.longDelays = yes;
  }

  /** Requests that reached server `name` (0 if it is deleted). */
  rpcCount(name: string | number): number {
    return this.servers.get(String(name))?.rpcCount ?? 0;
  }

  get totalCount(): number {
    return this.count;
  }

  get totalBytes(): number {
    return this.bytes;
  }

  /** The engine behind ClientEnd.call(). */
  call(end: ClientEnd<object>, method: string, args: unknown): Promise<unknown> {
    const sim = this.sim;
    const caller = sim.current;
    if (typeof method !== "string" || !method.includes(".")) {
      throw new UsageError(`call(): the method must be "Service.method", got ${JSON.stringify(method)}`);
    }
    if (end.serverName === undefined) {
      throw new UsageError(
        `end "${end.name}" is not connected to any server; connect it (network.connect(end, server)) before calling ${method}`,
      );
    }
    const request = copyAcrossWire(args, `the arguments of ${method}`);
    this.count++;
    this.bytes += request.bytes;
    const rng = end.rng;
    const to = end.serverName;
    const from = end.from;
    const server = end.enabled ? this.servers.get(to) : undefined;
    const rpc = this.nextRpcId++;
    const callerName = caller.toString();
    const serverName = server?.node.toString() ?? `server ${to}`;
    sim.journal.record(sim.now, callerName, "send", "", new RpcNote(rpc, method, callerName, serverName));

    return new Promise<unknown>((resolve) => {
      const answer = (delay: number, reply: unknown, replyBytes: number): void => {
        sim.schedule(delay, caller, () => {
          if (reply !== null) {
            this.bytes += replyBytes;
            sim.journal.record(sim.now, callerName, "reply", "", new RpcNote(rpc, method, serverName, callerName));
          } else {
            sim.journal.record(sim.now, callerName, "rpc-fail", "", new RpcNote(rpc, method, serverName, callerName));
          }
          resolve(reply);
        }, reply === null ? "rpc-fail" : "reply");
      };

      if (server === undefined) {
        answer(1 + this.faults.unreachableTimeout(rng), null, 0);
        return;
      }
      const requestDelay = this.faults.latency(rng, from, to) + this.faults.requestJitter(rng);
      if (this.faults.loses(rng) || this.faults.isCut(from, to)) {
        sim.journal.record(sim.now, callerName, "drop", "", new RpcNote(rpc, method, callerName, serverName));
        answer(requestDelay, null, 0);
        return;
      }
      const deliver = (isDuplicate: boolean): void => {
        // A crashed node's handlers never run, even before the tester deletes its server.
        if (!end.enabled || this.servers.get(to) !== server || !server.node.alive) {
          if (!isDuplicate) answer(0, null, 0);
          return;
        }
        const handler = server.handler(method);
        if (handler === undefined) {
          sim.fail(
            `unknown RPC: ${caller} called ${method} on server ${to}, which has no such method. ` +
              `It offers: ${server.describeMethods() || "nothing"}.`,
            { node: caller },
          );
          return;
        }
        server.rpcCount++;
        sim.journal.record(sim.now, serverName, "deliver", "", new RpcNote(rpc, method, callerName, serverName));
        const call: InFlightCall = {
          end,
          server,
          deliveredAt: sim.now,
          settled: isDuplicate,
          fail: (delay) => answer(delay, null, 0),
        };
        if (!isDuplicate) {
          server.inFlight.add(call);
          end.inFlight.add(call);
        }
        const onReply = (reply: unknown): void => {
          if (call.settled) return;
          call.settled = true;
          sim.journal.record(sim.now, serverName, "respond", "", new RpcNote(rpc, method, serverName, callerName));
          server.inFlight.delete(call);
          end.inFlight.delete(call);
          if (!end.enabled || this.servers.get(to) !== server) {
            answer(0, null, 0);
            return;
          }
          let copy: { value: unknown; bytes: number };
          try {
            copy = copyAcrossWire(reply, `the reply of ${method} from ${server.node}`);
          } catch (err) {
            sim.fail(describeError(err), { node: server.node, cause: err });
            return;
          }
          if (this.faults.loses(rng) || this.faults.isCut(to, from ?? caller.name)) {
            sim.journal.record(sim.now, serverName, "reply-drop", "", new RpcNote(rpc, method, serverName, callerName));
            answer(0, null, 0);
            return;
          }
          answer(this.faults.latency(rng, to, from) + this.faults.replyHoldBack(rng), copy.value, copy.bytes);
        };
        const onThrow = (err: unknown): void => {
          if (!server.node.alive) return;
          sim.fail(`RPC handler ${method} on ${server.node} threw: ${describeError(err)}`, {
            node: server.node,
            cause: err,
          });
        };
        sim.runAs(server.node, () => {
          try {
            const out = handler(request.value);
            if (typeof (out as PromiseLike<unknown> | null)?.then === "function") {
              (out as Promise<unknown>).then(onReply, onThrow);
            } else {
              onReply(out);
            }
          } catch (err) {
            onThrow(err);
          }
        });
      };
      sim.schedule(requestDelay, this.node, () => deliver(false), "deliver");
      if (this.faults.duplicates(rng)) {
        sim.schedule(requestDelay + this.faults.latency(rng, from, to), this.node, () => deliver(true), "deliver-dup");
      }
    });
  }

  /** labrpc polls a waiting call every 100 ms; a call whose server vanished fails at the next poll. */
  private failAtNextCheck(call: InFlightCall): void {
    if (call.settled) return;
    call.settled = true;
    call.server.inFlight.delete(call);
    call.end.inFlight.delete(call);
    const waited = this.sim.now - call.deliveredAt;
    call.fail(DEAD_SERVER_CHECK_MS - (waited % DEAD_SERVER_CHECK_MS));
  }

  // --- opt-in faults beyond labrpc ------------------------------------------------------------

  /** Cuts or heals the one-way link from server `from` to server `to`. */
  setOneWayCut(from: string | number, to: string | number, cut: boolean): void {
    this.faults.setCut(String(from), String(to), cut);
  }

  /** Delivers each request a second time with this probability (the second reply is dropped). */
  setDuplication(probability: number): void {
    if (!(probability >= 0 && probability <= 1)) {
      throw new UsageError(`duplication probability must be in [0, 1], got ${probability}`);
    }
    this.faults.duplicateProbability = probability;
  }

  setLatency(range: LatencyRange): void {
    this.faults.setLatency(range);
  }

  setLinkLatency(from: string | number, to: string | number, range: LatencyRange | undefined): void {
    this.faults.setLinkLatency(String(from), String(to), range);
  }
}
