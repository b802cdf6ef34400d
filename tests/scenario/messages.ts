// Message-level scripts: the timeline's hold, deliver, drop, unhold, elect and expect steps, in the
// style of etcd's datadriven Raft tests, on the network's hold hook (Network.holdRequests).
//
//   hold: {from, to, rpc, term, entries, count}   from now on the network holds every request that
//                   matches (the next `count` only, if given) instead of delivering it
//   deliver: {…, count}   delivers held requests that match, now, oldest first: exactly `count`
//                   of them (the step fails if fewer are held), or every match when no count is given
//   drop: {…, count}      the same, but their calls fail now
//   unhold          every hold rule ends; what is held stays held
//   elect: i        (raft) server i becomes leader: until it leads in a term no live server is
//                   past, the others' RequestVotes and every AppendEntries and InstallSnapshot
//                   sent to i are held (so i's election timer runs out and nobody else can win);
//                   then they are dropped. Fails after
//                   30 s (i's log may be behind a majority's). Like etcd's `campaign`.
//   expect: {server, role, term, applied, voted-for}   (raft) what the tester observes of a server
//
// A pattern's fields all must match; a missing field matches anything. Patterns see only the RPCs
// between servers, never a clerk's: in raft and kv scenarios Raft's (Raft.appendEntries,
// Raft.requestVote, Raft.installSnapshot). In a shardkv scenario `from` and `to` name servers by
// group (shardkv-endpoints.ts: 101, "101-2", master, "master-1"; the world's linkNames gives the
// network's names) and `rpc` may also be InstallShard (the reference's shard migration,
// ShardKV.installShard), Query (a group asking the shardmaster) or any wire method
// "Service.method" (a student's own migration RPC); the shardkv world's expect-group asserts a
// group's state (tests/shardkv/scenario-world.ts).
//
// A request is held after the fault model let it through, and one held for a server that
// then restarts is lost when delivered (it was on its way to the old incarnation). When the
// timeline ends, every hold rule ends, and a request still held fails the run, listing them:
// a script says what becomes of every message it holds.
//
// Nothing here runs unless a scenario uses a message step: the hold hook is installed by the
// first hold or elect, so every other scenario (and every nemesis test) runs as before.
import { log, now, sleep, type HeldRequest, type WatchedCall } from "../../sim/index.ts";
import { fail } from "../harness/failure.ts";
import type { Endpoint, MessagePattern, Step } from "./format.ts";
import { endpointLabel } from "./shardkv-endpoints.ts";
import { namesOf, type ScenarioWorld } from "./world.ts";

/** The wire's method names of the RPCs patterns name by a short name (format.ts: rpcNames, shardkvRpcNames). */
const rpcOfMethod: ReadonlyMap<string, NonNullable<MessagePattern["rpc"]>> = new Map([
  ["Raft.appendEntries", "AppendEntries"],
  ["Raft.requestVote", "RequestVote"],
  ["Raft.installSnapshot", "InstallSnapshot"],
  ["ShardKV.installShard", "InstallShard"],
  ["ShardMaster.query", "Query"],
]);

/** How long elect waits for its server to lead, and how often it looks. */
const ELECT_LIMIT_MS = 30_000;
const ELECT_POLL_MS = 10;

interface HoldRule {
  readonly pattern: MessagePattern;
  /** How many more it holds; undefined: every match. */
  left: number | undefined;
}

type MessageStep = Extract<Step, { action: "hold" | "deliver" | "drop" | "unhold" | "elect" | "expect" }>;

export class MessageScript {
  private rules: HoldRule[] = [];
  /** While an elect step runs: whether it holds a request, and the ids it held. */
  private electRule: ((call: WatchedCall) => boolean) | undefined;
  private readonly heldByElect = new Set<number>();
  private installed = false;

  constructor(private readonly world: ScenarioWorld) {}

  async step(step: MessageStep): Promise<void> {
    switch (step.action) {
      case "hold":
        log("scenario", `hold ${describePattern(step.argument, this.world.linkNames !== undefined)}${step.argument.count === undefined ? "" : ` (the next ${step.argument.count})`}`);
        this.rules.push({ pattern: step.argument, left: step.argument.count });
        this.install();
        return;
      case "deliver":
      case "drop":
        this.release(step.action, step.argument);
        return;
      case "unhold":
        log("scenario", "unhold");
        this.rules = [];
        return;
      case "elect":
        await this.elect(step.argument);
        return;
      case "expect":
        this.expect(step.argument);
        return;
    }
  }

  /** The end of the timeline: every rule ends; a request still held fails the run. */
  finish(): void {
    if (!this.installed) return;
    this.rules = [];
    this.world.net.holdRequests(undefined);
    this.installed = false;
    const held = this.world.net.heldRequests();
    if (held.length > 0) {
      fail(
        `the timeline ended with ${held.length} request${held.length === 1 ? "" : "s"} still held: ${held.map(describeHeld).join("; ")}. ` +
          "A script delivers or drops every request it holds (deliver: {…} or drop: {…} before the end).",
      );
    }
  }

  private install(): void {
    if (this.installed) return;
    this.installed = true;
    this.world.net.holdRequests((call, args) => this.holds(call, args));
  }

  /** The hook's rule: a script's rule first (it counts down), then a running elect's. */
  private holds(call: WatchedCall, args: unknown): boolean {
    for (const rule of this.rules) {
      if (rule.left !== 0 && this.matches(rule.pattern, call, args)) {
        if (rule.left !== undefined) rule.left--;
        return true;
      }
    }
    if (this.electRule?.(call) === true) {
      this.heldByElect.add(call.id);
      return true;
    }
    return false;
  }

  private release(fate: "deliver" | "drop", argument: MessagePattern & { count?: number | undefined }): void {
    const { count, ...pattern } = argument;
    const net = this.world.net;
    const matching = net.heldRequests().filter((h) => !this.heldByElect.has(h.call.id) && this.matches(pattern, h.call, h.args));
    if (count !== undefined && matching.length < count) {
      const held = net.heldRequests();
      fail(
        `${fate} ${describePattern(pattern, this.world.linkNames !== undefined)}, count ${count}: only ${matching.length} held request${matching.length === 1 ? "" : "s"} match; ` +
          `held now: ${held.length === 0 ? "none" : held.map(describeHeld).join("; ")}`,
      );
    }
    for (const h of count === undefined ? matching : matching.slice(0, count)) {
      log("scenario", `${fate} ${describeHeld(h)}`);
      net.releaseHeld(h.call.id, fate);
    }
  }

  private async elect(i: number): Promise<void> {
    const world = this.world;
    if (world.observe === undefined) fail("elect is a raft step");
    if (!world.isLive(i)) fail(`elect ${i}: server ${i} is crashed; restart it first`);
    const me = String(i);
    log("scenario", `elect ${i}`);
    this.electRule = (call) => {
      const rpc = rpcOfMethod.get(call.method);
      if (rpc === undefined || call.from === undefined) return false;
      return rpc === "RequestVote" ? call.from !== me : call.to === me;
    };
    this.install();
    const deadline = now() + ELECT_LIMIT_MS;
    // Leading is not enough: a server whose vote requests were held may be in a higher term
    // already, and would depose i at its first AppendEntries. So until i leads in a term no
    // live server is past, with the others' vote requests still held.
    const settled = (): boolean => {
      const mine = world.observe!(i);
      if (mine.role !== "leader") return false;
      for (let j = 0; j < world.n; j++) if (j !== i && world.isLive(j) && world.observe!(j).term > mine.term) return false;
      return true;
    };
    while (!settled()) {
      if (now() > deadline) {
        fail(`elect ${i}: server ${i} did not become leader within ${ELECT_LIMIT_MS} ms, with every other server's vote requests held (is its log behind a majority's?)`);
      }
      await sleep(ELECT_POLL_MS);
    }
    this.electRule = undefined;
    for (const h of world.net.heldRequests()) if (this.heldByElect.has(h.call.id)) world.net.releaseHeld(h.call.id, "drop");
    this.heldByElect.clear();
    log("scenario", `elect ${i}: leads in term ${world.observe(i).term}`);
  }

  private expect(wanted: Extract<Step, { action: "expect" }>["argument"]): void {
    const world = this.world;
    if (world.observe === undefined) fail("expect is a raft step");
    const i = wanted.server;
    if (!world.isLive(i)) fail(`expect: server ${i} is crashed`);
    const seen = world.observe(i);
    const wrong: string[] = [];
    if (wanted.role !== undefined && seen.role !== wanted.role) wrong.push(`role ${wanted.role}`);
    if (wanted.term !== undefined && seen.term !== wanted.term) wrong.push(`term ${wanted.term}`);
    if (wanted.applied !== undefined && seen.applied !== wanted.applied) wrong.push(`applied ${wanted.applied}`);
    const votedFor = seen.votedFor ?? "none";
    if (wanted["voted-for"] !== undefined && votedFor !== wanted["voted-for"]) wrong.push(`voted-for ${wanted["voted-for"]}`);
    const actual = `server ${i} is ${seen.role} in term ${seen.term}, applied through ${seen.applied}, voted for ${votedFor === "none" ? "nobody" : votedFor} in its term`;
    if (wrong.length > 0) fail(`expect: ${actual}; the script expected ${wrong.join(", ")}`);
    log("scenario", `expect: ${actual}`);
  }

  /** Whether a request between servers matches every field the pattern gives. */
  private matches(pattern: MessagePattern, call: WatchedCall, args: unknown): boolean {
    if (call.from === undefined) return false;
    const rpc = rpcOfMethod.get(call.method);
    if (this.world.linkNames === undefined && rpc === undefined) return false; // raft, kv: Raft's RPCs only
    if (pattern.rpc !== undefined && (pattern.rpc.includes(".") ? call.method !== pattern.rpc : rpc !== pattern.rpc)) return false;
    if (pattern.from !== undefined && !this.covers(pattern.from, call.from)) return false;
    if (pattern.to !== undefined && !this.covers(pattern.to, call.to)) return false;
    return matchesArguments(pattern, rpc, args);
  }

  /** Whether the server named `name` on the network is one `end` stands for. */
  private covers(end: Endpoint, name: string): boolean {
    return namesOf(this.world, end).includes(name);
  }
}

function matchesArguments(pattern: MessagePattern, rpc: string | undefined, args: unknown): boolean {
  const a = args as { term?: unknown; entries?: unknown };
  if (pattern.term !== undefined && a.term !== pattern.term) return false;
  if (pattern.entries !== undefined && (rpc !== "AppendEntries" || !Array.isArray(a.entries) || a.entries.length !== pattern.entries)) return false;
  return true;
}

/** A pattern in words; `byName`: a shardkv pattern, whose numbers are gids. */
function describePattern(pattern: MessagePattern, byName: boolean): string {
  const end = (e: Endpoint): string => (byName ? endpointLabel(e) : String(e));
  const parts = [
    pattern.rpc ?? (byName ? "any RPC between servers" : "any Raft RPC"),
    pattern.from === undefined ? "" : `from ${end(pattern.from)}`,
    pattern.to === undefined ? "" : `to ${end(pattern.to)}`,
    pattern.term === undefined ? "" : `of term ${pattern.term}`,
    pattern.entries === undefined ? "" : `with ${pattern.entries} entries`,
  ];
  return parts.filter((p) => p !== "").join(" ");
}

function describeHeld(h: HeldRequest): string {
  const a = h.args as { term?: unknown; entries?: unknown; configNum?: unknown; shard?: unknown };
  const entries = Array.isArray(a.entries) ? `, ${a.entries.length} entries` : "";
  const what = a.term !== undefined || a.configNum === undefined ? `term ${String(a.term)}${entries}` : `config ${String(a.configNum)}, shard ${String(a.shard)}`;
  return `${rpcOfMethod.get(h.call.method) ?? h.call.method} #${h.call.id} ${h.call.from}→${h.call.to} (${what})`;
}
