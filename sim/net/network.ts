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
// The steps of a call (one method each, in this order, below)
//   send      at the caller: the request is journaled "send"; the fault model loses it ("drop"),
//             fails a call to a disabled end or a missing server later, or schedules its arrival
//             (or holds it for a script: "hold", see Holding below).
//   deliver   at the server, when the request arrives: if the end is enabled and the server is
//             still there and alive, it is journaled "deliver" and the handler runs as the
//             server's node, all of it: also what follows an `await` of a settled promise.
//             A server whose node is paused (Simulation.pause) gets it when the pause ends.
//   respond   at the server, when the handler returns: journaled "respond"; the reply is copied
//             and the fault model loses it ("reply-drop") or schedules its arrival.
//   answer    at the caller: journaled "reply" (call() resolves to the copy) or "rpc-fail" (call()
//             resolves to null). Every way a call can fail ends here too, with its DropReason.
//
// Observed runs (the debugger page's: Simulation option `observe`) also note the arguments and
// replies, every change of an end's enabled state, servers added and deleted, and changes of the
// fault settings: the page draws partitions from the links, and lanes from the servers.
//
// Watching (for graders)
//   net.watch(observer) shows an observer every call at three of its steps: the request as it
//   leaves its caller, the reply as it leaves the server, and the call's end at the caller. The
//   graders' Figure-2 monitors read Raft's messages this way, with no help from the code under
//   test. An observer only reads: it must not draw randomness, schedule events, change what it is
//   shown or throw (to fail the run it calls sim.fail()). So a watched run is the same run, with
//   the same journal hash; with nobody watching a step costs one length check.
//
// Holding (for message-level scripts)
//   net.holdRequests(rule) makes the network keep every request the rule matches, once the fault
//   model has let it through (not lost, link not cut), instead of scheduling its arrival: it is
//   journaled "hold" and waits in net.heldRequests(), oldest first, until the script calls
//   net.releaseHeld(id, "deliver") (it arrives now, as a fresh delivery) or (id, "drop") (the call
//   fails now, "dropped by the script"). The network never releases a held request by itself; a
//   caller waits on it as on a handler that has not returned. At most MAX_HELD_REQUESTS are held
//   at once: one more fails the run, as a rule that matches more than a script can release. The
//   rule, like an observer, only reads what it is shown. With no rule a step costs one check of
//   an undefined field, and the journal is the same as before holding existed.
//
// Counting (exactly where labrpc counts)
//   - totalCount: every call, including lost ones and those to disabled ends.
//   - totalBytes: the request's encoded size for every call, plus each reply's encoded size when
//     it is delivered.
//   - rpcCount(server): requests that reached that server object (reset when it is replaced).
import type { Simulation } from "../core/simulation.ts";
import type { SimNode } from "../core/node.ts";
import type { NetworkDraws } from "../core/choices.ts";
import { UsageError, describeError } from "../core/index.ts";
import { copyAcrossWire } from "../codec/codec.ts";
import { FaultModel, type LatencyRange } from "./faults.ts";
import { DropReason, RpcKind, RpcNote } from "./rpc-entries.ts";

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

/** What an observer is shown of a call (Network.watch). */
export interface WatchedCall {
  /** The journal's id of the call: it links the call's send, deliver, respond and reply. */
  readonly id: number;
  readonly method: string;
  /** The caller's node in the journal ("raft-0#1"). */
  readonly callerName: string;
  /** The server's node in the journal ("raft-1#2"), or "server <name>" when there was none. */
  readonly serverName: string;
  /** The link as the fault model names it: from the calling end's own server (undefined for clerks) to the server. */
  readonly from: string | undefined;
  readonly to: string;
}

/** Sees calls at three of their steps (Network.watch); each method is optional. */
export interface RpcObserver {
  /** Step send: the request leaves its caller. `args` is the copy the handler will get: read it now, the handler may change it. */
  request?(call: WatchedCall, args: unknown): void;
  /** Step respond: the handler's reply leaves the server (the network may still lose it). */
  reply?(call: WatchedCall, reply: unknown): void;
  /**
   * Step answer: the call ends at its caller, with the reply (the copy call() resolves to) or null
   * if it failed. Never, for a caller that crashed first.
   */
  answer?(call: WatchedCall, reply: unknown): void;
}

/** A request the network holds for a script (see "Holding" at the top of this file). */
export interface HeldRequest {
  readonly call: WatchedCall;
  /** The handler's copy of the arguments: read it, never change it. */
  readonly args: unknown;
  /** When it was held (virtual ms). */
  readonly heldAt: number;
}

/** Whether to hold a request that is about to travel; it reads `args` and changes nothing. */
export type HoldRule = (call: WatchedCall, args: unknown) => boolean;

/** The most requests held at once; holding one more fails the run. */
export const MAX_HELD_REQUESTS = 1000;

/** One call on its way, from send to answer: what each step needs to know. */
interface Rpc extends WatchedCall {
  readonly end: ClientEnd<object>;
  /** The node that made the call: the answer resumes it. */
  readonly caller: SimNode;
  /** The server the end reached when the call was made: undefined if the end was disabled, or no server has that name. */
  readonly server: Server | undefined;
  /** The handler's copy of the arguments. */
  readonly args: unknown;
  /** Settles the promise that call() returned. */
  readonly resolve: (reply: unknown) => void;
}

/** A delivered request whose handler has not returned yet. */
interface InFlightCall {
  readonly rpc: Rpc;
  readonly server: Server;
  readonly deliveredAt: number;
  /** True once the call has its answer; a duplicate delivery starts settled, so its reply is never sent. */
  settled: boolean;
}

/**
 * What carries a ClientEnd's calls: the simulated Network, or in real mode a socket transport
 * (sim/real/). It resolves to the reply, or to null when the call failed.
 */
export interface RpcTransport {
  call(end: ClientEnd<object>, method: string, args: unknown): Promise<unknown>;
}

/** One caller's connection to one server (labrpc's ClientEnd). */
export class ClientEnd<Api extends object = UntypedApi> {
  enabled = false;
  serverName: string | undefined;
  readonly inFlight = new Set<InFlightCall>();

  constructor(
    private readonly net: RpcTransport,
    readonly name: string,
    /** The name of the server this end belongs to, for link faults; undefined for clerks. */
    readonly from: string | undefined,
    /** Where the fault model's draws for this end's messages come from (Simulation.networkDraws). */
    readonly rng: NetworkDraws,
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

export class Network implements RpcTransport {
  readonly faults: FaultModel;
  private readonly ends = new Map<string, ClientEnd<object>>();
  private readonly servers = new Map<string, Server | undefined>();
  private readonly node: SimNode;
  private count = 0;
  private bytes = 0;
  private nextRpcId = 1;
  private readonly observers: RpcObserver[] = [];
  private holdRule: HoldRule | undefined;
  /** The requests held for a script, oldest first, with what delivering one needs. */
  private readonly held: { readonly request: HeldRequest; readonly rpc: Rpc; readonly server: Server }[] = [];

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
    const end = new ClientEnd<Api>(this, name, from === undefined ? undefined : String(from), this.sim.networkDraws(`net/end/${name}`));
    this.ends.set(name, end as ClientEnd<object>);
    return end;
  }

  connect(end: ClientEnd<object>, serverName: string | number): void {
    end.serverName = String(serverName);
  }

  /** Enables or disables an end; disabling fails its calls whose handler is still running. */
  enable(end: ClientEnd<object>, enabled: boolean): void {
    if (end.enabled !== enabled) this.sim.note("link", { end: end.name, from: end.from ?? null, to: end.serverName ?? null, enabled });
    end.enabled = enabled;
    if (!enabled) for (const c of end.inFlight) this.failAtNextCheck(c);
  }

  addServer(name: string | number, server: Server): void {
    const previous = this.servers.get(String(name));
    this.servers.set(String(name), server);
    this.sim.note("server", { server: String(name), node: server.node.toString() });
    if (previous) for (const c of previous.inFlight) this.failAtNextCheck(c);
  }

  /** Removes a server: calls waiting on it fail, and replies it sends later are suppressed. */
  deleteServer(name: string | number): void {
    const previous = this.servers.get(String(name));
    this.servers.set(String(name), undefined);
    this.sim.note("server", { server: String(name), node: null });
    if (previous) for (const c of previous.inFlight) this.failAtNextCheck(c);
  }

  /** Shows `observer` every call from now on (see "Watching" at the top of this file). */
  watch(observer: RpcObserver): void {
    this.observers.push(observer);
  }

  /** Holds every request `rule` matches from now on; undefined stops holding (see "Holding" at the top). */
  holdRequests(rule: HoldRule | undefined): void {
    this.holdRule = rule;
  }

  /** The requests held now, oldest first. */
  heldRequests(): readonly HeldRequest[] {
    return this.held.map((h) => h.request);
  }

  /** Delivers a held request now, or drops it (its call fails now). */
  releaseHeld(id: number, fate: "deliver" | "drop"): void {
    const at = this.held.findIndex((h) => h.request.call.id === id);
    if (at < 0) throw new UsageError(`releaseHeld: no request #${id} is held; heldRequests() lists those that are`);
    const [{ rpc, server }] = this.held.splice(at, 1) as [(typeof this.held)[number]];
    if (fate === "deliver") {
      this.sim.schedule(0, this.node, () => this.deliver(rpc, server, false), "deliver");
    } else {
      this.recordRequest(rpc, rpc.callerName, RpcKind.drop, DropReason.scripted);
      this.answer(rpc, 0, null, DropReason.scripted);
    }
  }

  private hold(rpc: Rpc, server: Server): void {
    if (this.held.length >= MAX_HELD_REQUESTS) {
      this.sim.fail(
        `the network already holds ${MAX_HELD_REQUESTS} requests for the script and would hold ${rpc.method} #${rpc.id} too: ` +
          `a hold rule matches more messages than the script releases; narrow it, or deliver or drop what it holds`,
      );
      return;
    }
    const { id, method, callerName, serverName, from, to } = rpc;
    this.held.push({ request: { call: { id, method, callerName, serverName, from, to }, args: rpc.args, heldAt: this.sim.now }, rpc, server });
    this.recordRequest(rpc, rpc.callerName, RpcKind.hold);
  }

  setReliable(reliable: boolean): void {
    this.faults.reliable = reliable;
    this.noteFaults();
  }

  setLongReordering(yes: boolean): void {
    this.faults.longReordering = yes;
    this.noteFaults();
  }

  setLongDelays(yes: boolean): void {
    this.faults.longDelays = yes;
    this.noteFaults();
  }

  private noteFaults(): void {
    const { reliable, longReordering, longDelays } = this.faults;
    this.sim.note("faults", { reliable, longReordering, longDelays });
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

  /** The engine behind ClientEnd.call(): checks and copies the request, then sends it. */
  call(end: ClientEnd<object>, method: string, args: unknown): Promise<unknown> {
    const caller = this.sim.current;
    if (typeof method !== "string" || !method.includes(".")) {
      throw new UsageError(`call(): the method must be "Service.method", got ${JSON.stringify(method)}`);
    }
    const to = end.serverName;
    if (to === undefined) {
      throw new UsageError(
        `end "${end.name}" is not connected to any server; connect it (network.connect(end, server)) before calling ${method}`,
      );
    }
    const request = copyAcrossWire(args, `the arguments of ${method}`);
    this.count++;
    this.bytes += request.bytes;
    const server = end.enabled ? this.servers.get(to) : undefined;
    const id = this.nextRpcId++;
    const callerName = caller.toString();
    const serverName = server?.node.toString() ?? `server ${to}`;
    return new Promise<unknown>((resolve) => {
      this.send({ id, method, end, caller, callerName, server, serverName, to, from: end.from, args: request.value, resolve });
    });
  }

  // --- the steps of a call, in order ------------------------------------------------------------

  /** Step 1, at the caller: the request leaves; the fault model decides whether and when it arrives. */
  private send(rpc: Rpc): void {
    const { sim, faults } = this;
    const rng = rpc.end.rng;
    this.recordRequest(rpc, rpc.callerName, RpcKind.send, undefined, sim.observing ? rpc.args : undefined);
    if (this.observers.length > 0) for (const o of this.observers) o.request?.(rpc, rpc.args);
    const server = rpc.server;
    if (server === undefined) {
      const reason = rpc.end.enabled ? DropReason.noServer : DropReason.disconnected;
      this.answer(rpc, 1 + faults.unreachableTimeout(rng), null, reason);
      return;
    }
    const delay = faults.latency(rng, rpc.from, rpc.to) + faults.requestJitter(rng);
    const lost = faults.loses(rng);
    if (lost || faults.isCut(rpc.from, rpc.to)) {
      const reason = lost ? DropReason.lost : DropReason.cut;
      this.recordRequest(rpc, rpc.callerName, RpcKind.drop, reason);
      this.answer(rpc, delay, null, reason);
      return;
    }
    if (this.holdRule !== undefined && this.holdRule(rpc, rpc.args)) {
      this.hold(rpc, server);
      return;
    }
    sim.schedule(delay, this.node, () => this.deliver(rpc, server, false), "deliver");
    if (faults.duplicates(rng)) {
      const again = delay + faults.latency(rng, rpc.from, rpc.to);
      sim.schedule(again, this.node, () => this.deliver(rpc, server, true), "deliver-dup");
    }
  }

  /**
   * Step 2, at the server, when the request arrives: the handler runs as the server's node. A
   * duplicate delivery runs the handler too, but its reply is never sent.
   */
  private deliver(rpc: Rpc, server: Server, isDuplicate: boolean): void {
    const sim = this.sim;
    // A paused server (Simulation.pause) takes the request when its pause ends, as its socket would.
    const paused = sim.pausedFor(server.node);
    if (paused > 0) {
      sim.schedule(paused, this.node, () => this.deliver(rpc, server, isDuplicate), "deliver");
      return;
    }
    // A crashed node's handlers never run, even before the tester deletes its server.
    if (!rpc.end.enabled || this.servers.get(rpc.to) !== server || !server.node.alive) {
      const reason = !rpc.end.enabled
        ? DropReason.disconnected
        : this.servers.get(rpc.to) !== server
          ? DropReason.serverGone
          : DropReason.crashed;
      if (!isDuplicate) this.answer(rpc, 0, null, reason);
      return;
    }
    const handler = server.handler(rpc.method);
    if (handler === undefined) {
      sim.fail(
        `unknown RPC: ${rpc.caller} called ${rpc.method} on server ${rpc.to}, which has no such method. ` +
          `It offers: ${server.describeMethods() || "nothing"}.`,
        { node: rpc.caller },
      );
      return;
    }
    server.rpcCount++;
    this.recordRequest(rpc, rpc.serverName, RpcKind.deliver);
    const call: InFlightCall = { rpc, server, deliveredAt: sim.now, settled: isDuplicate };
    if (!isDuplicate) {
      server.inFlight.add(call);
      rpc.end.inFlight.add(call);
    }
    const threw = (err: unknown): void => {
      if (!server.node.alive) return;
      sim.fail(`RPC handler ${rpc.method} on ${server.node} threw: ${describeError(err)}`, {
        node: server.node,
        cause: err,
      });
    };
    // The rest of this event is the server's, also what the handler runs after an `await`.
    sim.runRestOfEventAs(server.node);
    try {
      const out = handler(rpc.args);
      if (typeof (out as PromiseLike<unknown> | null)?.then === "function") {
        (out as Promise<unknown>).then((reply) => this.respond(call, reply), threw);
      } else {
        this.respond(call, out);
      }
    } catch (err) {
      threw(err);
    }
  }

  /**
   * Step 3, at the server, when the handler returned: the reply leaves (unless the call has
   * already failed); the fault model decides whether and when it arrives.
   */
  private respond(call: InFlightCall, reply: unknown): void {
    if (call.settled) return;
    call.settled = true;
    const { rpc, server } = call;
    this.recordReply(rpc, rpc.serverName, RpcKind.respond);
    server.inFlight.delete(call);
    rpc.end.inFlight.delete(call);
    if (!rpc.end.enabled || this.servers.get(rpc.to) !== server) {
      this.answer(rpc, 0, null, rpc.end.enabled ? DropReason.serverGone : DropReason.disconnected);
      return;
    }
    let copy: { value: unknown; bytes: number };
    try {
      copy = copyAcrossWire(reply, `the reply of ${rpc.method} from ${server.node}`);
    } catch (err) {
      this.sim.fail(describeError(err), { node: server.node, cause: err });
      return;
    }
    if (this.observers.length > 0) for (const o of this.observers) o.reply?.(rpc, copy.value);
    const rng = rpc.end.rng;
    const lost = this.faults.loses(rng);
    if (lost || this.faults.isCut(rpc.to, rpc.from ?? rpc.caller.name)) {
      const reason = lost ? DropReason.lost : DropReason.cut;
      this.recordReply(rpc, rpc.serverName, RpcKind.replyDrop, reason, this.sim.observing ? copy.value : undefined);
      this.answer(rpc, 0, null, reason);
      return;
    }
    this.answer(rpc, this.faults.latency(rng, rpc.to, rpc.from) + this.faults.replyHoldBack(rng), copy.value, undefined, copy.bytes);
  }

  /**
   * Step 4, at the caller, `delay` ms from now: call() resolves to the reply, or to null when the
   * call failed (for `reason`). Every call ends here exactly once.
   */
  private answer(rpc: Rpc, delay: number, reply: unknown, reason?: DropReason, replyBytes = 0): void {
    this.sim.schedule(delay, rpc.caller, () => {
      if (reply !== null) {
        this.bytes += replyBytes;
        this.recordReply(rpc, rpc.callerName, RpcKind.reply, undefined, this.sim.observing ? reply : undefined);
      } else {
        this.recordReply(rpc, rpc.callerName, RpcKind.fail, reason);
      }
      if (this.observers.length > 0) for (const o of this.observers) o.answer?.(rpc, reply);
      rpc.resolve(reply);
    }, reply === null ? "rpc-fail" : "reply");
  }

  /** labrpc polls a waiting call every 100 ms; a call whose server vanished fails at the next poll. */
  private failAtNextCheck(call: InFlightCall): void {
    if (call.settled) return;
    call.settled = true;
    call.server.inFlight.delete(call);
    call.rpc.end.inFlight.delete(call);
    const waited = this.sim.now - call.deliveredAt;
    const reason = call.rpc.end.enabled ? DropReason.serverGone : DropReason.disconnected;
    this.answer(call.rpc, DEAD_SERVER_CHECK_MS - (waited % DEAD_SERVER_CHECK_MS), null, reason);
  }

  /** Journals a step of the request (caller → server), as `node`. */
  private recordRequest(rpc: Rpc, node: string, kind: RpcKind, reason?: DropReason, payload?: unknown): void {
    const note = new RpcNote(rpc.id, rpc.method, rpc.callerName, rpc.serverName, reason, payload);
    this.sim.journal.record(this.sim.now, node, kind, "", note);
  }

  /** Journals a step of the reply (server → caller), as `node`. */
  private recordReply(rpc: Rpc, node: string, kind: RpcKind, reason?: DropReason, payload?: unknown): void {
    const note = new RpcNote(rpc.id, rpc.method, rpc.serverName, rpc.callerName, reason, payload);
    this.sim.journal.record(this.sim.now, node, kind, "", note);
  }

  // --- opt-in faults beyond labrpc ------------------------------------------------------------

  /** Cuts or heals the one-way link from server `from` to server `to`. */
  setOneWayCut(from: string | number, to: string | number, cut: boolean): void {
    this.faults.setCut(String(from), String(to), cut);
    this.sim.note("cut", { from: String(from), to: String(to), cut });
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
