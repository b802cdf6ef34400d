// Reading a scenario file: YAML (or JSON, which is YAML) text in, a checked Scenario out — or a
// ScenarioError that lists every mistake at once, each with its file, line and what was expected.
//
// Three passes, each collecting errors rather than stopping at the first:
//   1. YAML syntax (the yaml package; its errors carry a line and column);
//   2. the top level, by zod (format.ts), unknown keys answered with "did you mean";
//   3. each timeline step: its shape (a name, or a map with one key), the action's name (nearest
//      one suggested), its argument (zod again), then what needs the whole file: servers that
//      exist, actions the service has, each server in exactly one group of a partition; for
//      shardkv, its clients (the shardkv block) and the start-clients step that starts them;
//   4. the ends of links, cuts and message patterns: numbers in raft and kv, shardkv's names by
//      group in shardkv (shardkv-endpoints.ts), and no link given two latencies or cut twice.
// Line numbers come from the YAML document: every error's path is looked up in it, and an error
// about a missing key points at the map that lacks it.
import { readFileSync } from "node:fs";
import { basename, extname } from "node:path";
import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document, type Node } from "yaml";
import type { z } from "zod";
import { UsageError } from "../../sim/index.ts";
import { closestName } from "../harness/closest-name.ts";
import {
  actionArguments,
  actionNames,
  bareActions,
  endpointActions,
  flatServerActions,
  rpcNames,
  genericTestActions,
  raftOnlyActions,
  shardkvGids,
  shardkvOnlyActions,
  scenarioSchema,
  topLevelKeys,
  type ActionName,
  type Endpoint,
  type Scenario,
  type Step,
  type Workload,
} from "./format.ts";
import { checkEndpoint, linkMembers, memberLabel } from "./shardkv-endpoints.ts";

/** A scenario file with mistakes: the message lists them all, one per line. */
export class ScenarioError extends UsageError {
  override name = "ScenarioError";
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(
      problems.length === 1
        ? `${problems[0]}`
        : `${file} has ${problems.length} mistakes:\n${problems.map((problem) => `  ${problem}`).join("\n")}`,
    );
  }
}

/** Reads and checks a scenario file; throws a ScenarioError (a UsageError) for a bad one. */
export function loadScenarioFile(file: string): Scenario {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "there is no such file" : code === "EISDIR" ? "it is a folder" : (error as Error).message;
    throw new ScenarioError(file, [`cannot read the scenario ${file}: ${why}.`]);
  }
  return parseScenario(text, file);
}

type Path = readonly (string | number)[];

/** Checks scenario text; `file` names it in errors and gives the default name. */
export function parseScenario(text: string, file: string): Scenario {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const problems: string[] = [];
  const at = (path: Path, message: string): void => {
    problems.push(`${file}:${lineOf(doc, lines, path)}: ${message}`);
  };

  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      const line = error.linePos?.[0].line ?? 1;
      problems.push(`${file}:${line}: not valid YAML: ${error.message.split("\n")[0]}`);
    }
    throw new ScenarioError(file, problems);
  }
  const raw: unknown = doc.toJS();
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new ScenarioError(file, [`${file}:1: a scenario is a map (service, servers, network, timeline, workload, checks), not ${describe(raw)}.`]);
  }

  const head = scenarioSchema.safeParse(raw);
  if (!head.success) {
    for (const issue of head.error.issues) reportIssue(issue, [], topLevelKeys, at);
  }
  const rawTimeline = (raw as { timeline?: unknown }).timeline;
  const timeline = Array.isArray(rawTimeline) ? rawTimeline.map((step, i) => readStep(step, ["timeline", i], at)) : [];

  // The steps are checked against the servers and the service even when the top level has other
  // mistakes, so that one pass reports everything.
  const { servers, service } = raw as { servers?: unknown; service?: unknown };
  const serverCount = Number.isInteger(servers) ? (servers as number) : undefined;
  const checkServer = (path: Path, value: unknown): void => {
    if (serverCount !== undefined && typeof value === "number" && value >= serverCount) {
      at(path, `there is no server ${value}: the servers are 0…${serverCount - 1}.`);
    }
  };
  timeline.forEach((step, i) => {
    if (step === undefined) return;
    const path = ["timeline", i, step.action];
    const isGeneric = (raw as { "generic-test"?: unknown })["generic-test"] !== undefined;
    if (isGeneric && !genericTestActions.includes(step.action)) {
      at(path, `a generic-test timeline is its partitioner's schedule: only ${genericTestActions.join(", ")}, not ${step.action}.`);
    } else if (!isGeneric && step.action === "round") {
      at(path, "round marks a round of generic-test; this scenario has none.");
    }
    if (isGeneric && step.action === "partition" && step.argument.length !== 2) at(path, "GenericTest's partitioner makes two groups.");
    if (service === "kv" && raftOnlyActions.includes(step.action)) {
      at(path, `${step.action} is a raft action; a kv scenario's commands come from its workload.`);
    }
    if (service === "shardkv" && step.action === "expect") {
      at(path, "expect reads a Raft server of a raft scenario; a shardkv scenario reads a group with expect-group: {gid: 101, config: 2, serving: [0, 1]}.");
    } else if (service === "shardkv" && raftOnlyActions.includes(step.action)) {
      at(path, `${step.action} is a raft action; a shardkv scenario's commands come from its clients (the shardkv block).`);
    }
    if (service === "shardkv" && flatServerActions.includes(step.action)) {
      at(path, `${step.action} names a server by one number; a shardkv scenario names a group's servers: ${shardkvEquivalent(step.action)}.`);
    }
    if (service !== "shardkv" && typeof service === "string" && shardkvOnlyActions.includes(step.action)) {
      at(path, `${step.action} is a shardkv action (lab 4); this scenario's service is ${service}.`);
    }
    if (step.action === "partition-group" && step.argument.sides !== undefined && serverCount !== undefined) {
      if (step.argument.sides.length !== 2) at(path, "partition-group splits a group in two sides: sides: [[0, 1], [2]].");
      else checkPartition(step.argument.sides, serverCount, (message) => at(path, message), "side");
    }
    if (step.action === "partition-group" && step.argument.isolate !== undefined && serverCount === 1) {
      at(path, "partition-group isolate needs a group of two servers or more: with one, there is nobody to cut it off from.");
    }
    forEachGid(step, (value, where) => {
      if (!(shardkvGids as readonly number[]).includes(value)) at([...path, ...where], `there is no group ${value}: the groups are ${shardkvGids.join(", ")}.`);
    });
    forEachServer(step, (value, where) => checkServer([...path, ...where], value));
    if (endpointActions.includes(step.action)) checkStepEnds(step, path, service, serverCount, at);
    if (step.action === "expect-group") {
      const lists = (["serving", "receiving", "sending"] as const).flatMap((status) => (step.argument[status] ?? []).map((shard) => [status, shard] as const));
      const twice = lists.find(([, shard], k) => lists.findIndex(([, other]) => other === shard) !== k);
      if (twice !== undefined) at([...path, twice[0]], `shard ${twice[1]} is listed twice; a shard has one status at a time.`);
    }
    if (step.action === "partition" && serverCount !== undefined) checkPartition(step.argument, serverCount, (message) => at(path, message));
  });
  const checksGiven = ((raw as { checks?: unknown }).checks ?? {}) as Record<string, unknown>;
  if (service === "shardkv") checkShardkv(raw as Record<string, unknown>, timeline, checksGiven, at);
  else if ((raw as { shardkv?: unknown }).shardkv !== undefined) at(["shardkv"], "the shardkv block gives a shardkv scenario's clients; this scenario's service is not shardkv.");
  else if (checksGiven["shards-served"] === true) at(["checks", "shards-served"], "shards-served is a shardkv check.");
  if (service === "raft" && checksGiven.linearizable === true) at(["checks", "linearizable"], "linearizable checks a kv history; a raft scenario has none.");
  if (service === "kv" && checksGiven.agreement === true) at(["checks", "agreement"], "agreement is a raft check; a kv scenario checks its clients' history (linearizable).");

  if (head.success) {
    const scenario = head.data;
    for (const key of ["links", "cuts"] as const) {
      const named = new Map<string, number>();
      scenario.network[key].forEach((link, i) => {
        const path = ["network", key, i];
        const wrong = [checkEnd([...path, "from"], link.from, scenario.service, serverCount, at), checkEnd([...path, "to"], link.to, scenario.service, serverCount, at)];
        if (wrong.includes(true)) return;
        const pairs = scenario.service === "shardkv" ? linkMembers(link.from, link.to, scenario.servers).map(([a, b]) => `${memberLabel(a)} → ${memberLabel(b)}`) : [`${String(link.from)} → ${String(link.to)}`];
        const again = pairs.find((pair) => named.has(pair));
        if (again !== undefined) {
          const what = key === "links" ? "each link's latency is given once" : "each link is cut once";
          at(path, `network.${key}[${i}] names the link ${again} again (network.${key}[${named.get(again)}] named it); ${what}.`);
        }
        for (const pair of pairs) if (!named.has(pair)) named.set(pair, i);
      });
    }
    if (scenario["generic-test"] !== undefined) {
      if (scenario.service !== "kv") at(["generic-test"], "generic-test is lab 3's GenericTest: the service is kv.");
      if (scenario.workload !== undefined) at(["workload"], "generic-test has its own clients (GenericTest's); leave out the workload.");
      const networkGiven = Object.keys(((raw as { network?: unknown }).network ?? {}) as object).filter((key) => key !== "reliable");
      if (networkGiven.length > 0) at(["network", networkGiven[0]!], `generic-test runs GenericTest's network: only network.reliable applies, not ${networkGiven.join(", ")}.`);
      const checksNamed = Object.keys(checksGiven);
      if (checksNamed.length > 0) at(["checks"], `generic-test does GenericTest's own checks (appends, log sizes, linearizability); leave out checks.`);
    }
    if (scenario.service === "raft") {
      if (scenario.workload !== undefined) at(["workload"], "a raft scenario has no clients: its commands come from the timeline (one, start-all).");
      if (typeof scenario.snapshots === "number") at(["snapshots"], "a raft scenario's snapshots are true or false (the tester snapshots every 10 commands).");
    } else if (scenario.service === "kv") {
      if (scenario.workload?.ops !== undefined) checkExplicitOps(scenario.workload, ((raw as { workload: Record<string, unknown> }).workload), at);
      else if (scenario.workload !== undefined && scenario.workload.keys === undefined && scenario.workload.mix.put > 0) {
        at(["workload", "mix", "put"], "without `keys` each client appends to its own key and checks every value, so it does no puts; give `keys: N` for puts.");
      }
      if (scenario.checks.linearizable && scenario.workload === undefined && scenario["generic-test"] === undefined) at(["checks", "linearizable"], "linearizable needs a workload: there is no history without clients.");
    }
  }

  if (problems.length > 0 || !head.success) throw new ScenarioError(file, inLineOrder(problems, file));
  const name = head.data.name ?? basename(file, extname(file));
  return { ...head.data, name, timeline: timeline as Step[] };
}

/** An explicit list of operations: clients that exist, a value for each write and none for a read, and no drawing besides. */
function checkExplicitOps(workload: Workload, given: Record<string, unknown>, at: (path: Path, message: string) => void): void {
  for (const key of ["keys", "mix", "ops-per-client"]) {
    if (given[key] !== undefined) at(["workload", key], `workload.${key} is for drawn operations; with an explicit ops list, leave it out.`);
  }
  workload.ops!.forEach((op, i) => {
    const path = ["workload", "ops", i];
    if (op.client >= workload.clients) at([...path, "client"], `there is no client ${op.client}: the clients are 0…${workload.clients - 1}.`);
    if (op.op === "get" && op.value !== undefined) at([...path, "value"], "a get has no value; give the value it must return as expect.");
    if (op.op !== "get" && op.value === undefined) at(path, `${op.op} needs a value: {client: ${op.client}, op: ${op.op}, key: ${op.key}, value: x}.`);
    if (op.op !== "get" && op.expect !== undefined) at([...path, "expect"], `expect is what a get must return; a ${op.op} has none.`);
  });
}

/** What a shardkv scenario says instead of a step that numbers servers. */
function shardkvEquivalent(action: ActionName): string {
  if (action === "crash" || action === "restart") return `${action}-server: {gid: 101, server: 0}, or ${action}-group: 101`;
  if (action === "partition") return "partition-group: {gid: 101, sides: [[0, 1], [2]]}";
  return "partition-group: {gid: 101, sides: [[0, 1], [2]]} (heal undoes it), or cut: {from: 101, to: 102} between named servers";
}

/** What only a shardkv scenario must get right: its clients, where they start, and its checks. */
function checkShardkv(raw: Record<string, unknown>, timeline: (Step | undefined)[], checksGiven: Record<string, unknown>, at: (path: Path, message: string) => void): void {
  const clients = raw.shardkv as { clients?: unknown; keys?: unknown; count?: unknown } | undefined;
  if (raw.workload !== undefined) at(["workload"], "a shardkv scenario's clients are its shardkv block (shardkv: {clients: appenders}), not a workload.");
  for (const check of ["one-leader", "agreement"]) {
    if (checksGiven[check] === true) at(["checks", check], `${check} is a raft and kv check; a shardkv scenario checks its clients (linearizable, shards-served, liveness-after-heal).`);
  }
  const starts = timeline.flatMap((step, i) => (step?.action === "start-clients" ? [i] : []));
  if (clients === undefined) {
    if (starts.length > 0) at(["timeline", starts[0]!], "start-clients needs clients: give a shardkv block (shardkv: {clients: appenders}).");
    if (checksGiven.linearizable === true) at(["checks", "linearizable"], "linearizable needs clients: there is no history without a shardkv block.");
    return;
  }
  if (starts.length === 0) at(["shardkv"], "the clients start at a start-clients step, once a group has joined: the timeline has none.");
  if (starts.length > 1) at(["timeline", starts[1]!], "start-clients starts the clients once; the timeline has it twice.");
  const firstJoin = timeline.findIndex((step) => step?.action === "join");
  if (starts.length > 0 && (firstJoin < 0 || firstJoin > starts[0]!)) {
    at(["timeline", starts[0]!], "start-clients Puts every key first, which needs a group: join one before it (- join: [100]).");
  }
  if (clients.clients === "appenders" && typeof clients.count === "number" && clients.count > (typeof clients.keys === "number" ? clients.keys : 10)) {
    at(["shardkv", "count"], "appenders append to a key each (the tester then knows each key's value): count may be at most keys.");
  }
}

/** One timeline step: its shape, its action's name and its argument. */
function readStep(raw: unknown, path: Path, at: (path: Path, message: string) => void): Step | undefined {
  let name: string;
  let argument: unknown;
  if (typeof raw === "string") {
    name = raw;
    argument = true;
  } else if (typeof raw === "object" && raw !== null && !Array.isArray(raw) && Object.keys(raw).length === 1) {
    [name, argument] = Object.entries(raw)[0]!;
  } else {
    at(path, `a step is an action name (- heal) or a map with one key, the action (- crash: 2), not ${describe(raw)}.`);
    return undefined;
  }
  if (!(actionNames as string[]).includes(name)) {
    const closest = closestName(name, actionNames);
    at(path, `unknown action "${name}"${closest ? ` (did you mean ${closest}?)` : ""}; the actions are ${actionNames.join(", ")}.`);
    return undefined;
  }
  const action = name as ActionName;
  if (argument === true && !bareActions.includes(action) && typeof raw === "string") {
    at(path, `${action} needs an argument, e.g. - ${action}: ${exampleArgument(action)}.`);
    return undefined;
  }
  if (argument !== true && bareActions.includes(action)) {
    at([...path, action], `${action} takes no argument: write it alone, - ${action}.`);
    return undefined;
  }
  const parsed = actionArguments[action].safeParse(argument);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) reportIssue(issue, [...path, action], [], at, `${action}: `);
    return undefined;
  }
  return { action, argument: parsed.data } as Step;
}

function exampleArgument(action: ActionName): string {
  const examples: Partial<Record<ActionName, string>> = {
    sleep: "500ms",
    crash: "2 (or leader)",
    restart: "2 (or crashed)",
    disconnect: "2 (or leader)",
    connect: "2 (or all)",
    partition: "[[0, 1], [2, 3, 4]]",
    reliable: "false",
    "long-reordering": "true",
    cut: "{from: 0, to: 1}",
    one: "3",
    "restart-if-few-up": "{server: 2, below: 3}",
    "connect-if-few-up": "{server: 2, below: 3}",
    hold: "{from: 0, to: 1, rpc: AppendEntries}",
    deliver: "{to: 1, rpc: AppendEntries, count: 1}",
    drop: "{rpc: RequestVote}",
    elect: "0",
    expect: "{server: 1, role: follower, term: 3}",
    "skip-after": "12s",
    join: "[101, 102]",
    leave: "[100]",
    move: "{shard: 3, gid: 101}",
    "crash-group": "101",
    "restart-group": "101",
    "crash-server": "{gid: 101, server: 0}",
    "restart-server": "{gid: 101, server: 0}",
    "partition-group": "{gid: 101, sides: [[0, 1], [2]]} (or {gid: 101, isolate: leader})",
    "expect-group": "{gid: 101, config: 2, receiving: [3, 4]}",
  };
  return examples[action] ?? "…";
}

/** A zod issue as a sentence, at its place in the file. */
function reportIssue(issue: z.core.$ZodIssue, base: Path, keys: readonly string[], at: (path: Path, message: string) => void, prefix = ""): void {
  const path = [...base, ...(issue.path as (string | number)[])];
  if (issue.code === "unrecognized_keys") {
    for (const key of issue.keys) {
      const closest = issue.path.length === 0 && keys.length > 0 ? closestName(key, keys) : undefined;
      const where = issue.path.length > 0 ? `in ${issue.path.join(".")}` : prefix === "" ? "at the top level" : "in its argument";
      at([...path, key], `${prefix}unknown key "${key}" ${where}${closest ? `; did you mean ${closest}?` : "."}`);
    }
    return;
  }
  const field = issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
  at(path, `${prefix}${field}${issueMessage(issue).replace(/\.$/, "")}.`);
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_value") return `expected ${issue.values.map((v) => JSON.stringify(v)).join(" or ")}`;
  if (issue.code === "invalid_type" && issue.message.includes("received undefined")) return `missing; expected ${issue.expected}`;
  if (issue.code === "invalid_union" && !issue.message.startsWith("Invalid input")) return issue.message;
  if (issue.code === "invalid_union") {
    const wanted = issue.errors.map((branch) => branch.map(issueMessage).join(", ")).filter((text) => text !== "");
    return `expected ${[...new Set(wanted.map((text) => text.replace(/^expected /, "").replace(/^Invalid input: expected /, "")))].join(", or ")}`;
  }
  return issue.message.replace(/^Invalid input: /, "");
}

/** Calls `visit` with every server number an action names, and where it is in the argument. */
function forEachServer(step: Step, visit: (value: number, where: Path) => void): void {
  switch (step.action) {
    case "crash":
    case "restart":
    case "disconnect":
    case "connect":
      if (typeof step.argument === "number") visit(step.argument, []);
      return;
    case "partition":
      step.argument.forEach((group, g) => group.forEach((s, k) => visit(s, [g, k])));
      return;
    case "restart-if-few-up":
    case "connect-if-few-up":
      visit(step.argument.server, ["server"]);
      return;
    case "elect":
      visit(step.argument, []);
      return;
    case "crash-server":
    case "restart-server":
      visit(step.argument.server, ["server"]);
      return;
    case "expect-group":
      if (step.argument.server !== undefined) visit(step.argument.server, ["server"]);
      return;
    case "partition-group":
      if (typeof step.argument.isolate === "number") visit(step.argument.isolate, ["isolate"]);
      return;
    case "expect":
      visit(step.argument.server, ["server"]);
      if (typeof step.argument["voted-for"] === "number") visit(step.argument["voted-for"], ["voted-for"]);
      return;
    default:
      return;
  }
}

/** The ends of a cut or a message pattern, and a pattern's RPC, as the service names them. */
function checkStepEnds(step: Step, path: Path, service: unknown, serverCount: number | undefined, at: (path: Path, message: string) => void): void {
  if (step.action !== "cut" && step.action !== "hold" && step.action !== "deliver" && step.action !== "drop") return;
  for (const key of ["from", "to"] as const) {
    const value = step.argument[key];
    if (value !== undefined) checkEnd([...path, key], value, service, serverCount, at);
  }
  const rpc = step.action === "cut" ? undefined : step.argument.rpc;
  if (service !== "shardkv" && rpc !== undefined && !(rpcNames as readonly string[]).includes(rpc)) {
    at([...path, "rpc"], `${rpc} is not a Raft RPC; a ${String(service)} scenario's patterns see Raft's RPCs between servers: ${rpcNames.join(", ")}.`);
  }
}

/**
 * One end: a server's number in raft and kv (checkServer's range), a name by group in shardkv
 * (shardkv-endpoints.ts). Returns whether it was wrong.
 */
function checkEnd(path: Path, value: Endpoint, service: unknown, serverCount: number | undefined, at: (path: Path, message: string) => void): boolean {
  if (service === "shardkv") {
    if (serverCount === undefined) return true;
    const problem = checkEndpoint(value, serverCount);
    if (problem !== undefined) at(path, problem);
    return problem !== undefined;
  }
  if (typeof value !== "number") {
    at(path, `${JSON.stringify(value)} names a server by group, as a shardkv scenario does; a ${String(service)} scenario's servers are numbers${serverCount === undefined ? "" : ` 0…${serverCount - 1}`}.`);
    return true;
  }
  if (serverCount !== undefined && value >= serverCount) {
    at(path, `there is no server ${value}: the servers are 0…${serverCount - 1}.`);
    return true;
  }
  return false;
}

/** Each server in exactly one group of a partition (`side` for partition-group, whose groups are sides). */
function checkPartition(groups: number[][], servers: number, report: (message: string) => void, word = "group"): void {
  const seen = groups.flat();
  const twice = seen.filter((s, i) => seen.indexOf(s) !== i);
  const missing = Array.from({ length: servers }, (_, s) => s).filter((s) => !seen.includes(s));
  if (twice.length > 0) report(`server ${twice[0]} is in two ${word}s; each server belongs to exactly one.`);
  if (missing.length === 1) report(`server ${missing[0]} is in no ${word}; each server belongs to exactly one.`);
  if (missing.length > 1) report(`servers ${missing.join(", ")} are in no ${word}; each server belongs to exactly one.`);
}

/** Calls `visit` with every gid a shardkv action names, and where it is in the argument. */
function forEachGid(step: Step, visit: (value: number, where: Path) => void): void {
  switch (step.action) {
    case "join":
    case "leave":
      step.argument.forEach((gid, k) => visit(gid, [k]));
      return;
    case "crash-group":
    case "restart-group":
      visit(step.argument, []);
      return;
    case "move":
    case "crash-server":
    case "restart-server":
    case "partition-group":
    case "expect-group":
      visit(step.argument.gid, ["gid"]);
      return;
    default:
      return;
  }
}

/** The line of the node at `path`, or of the nearest node above it that exists. */
function lineOf(doc: Document, lines: LineCounter, path: Path): number {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = nodeAt(doc, path.slice(0, depth));
    const offset = node?.range?.[0];
    if (offset !== undefined) return lines.linePos(offset).line;
  }
  return 1;
}

/** The node at `path`; for a key of a map, the key itself (where "network:" is written). */
function nodeAt(doc: Document, path: Path): Node | undefined {
  if (path.length === 0) return (doc.contents ?? undefined) as Node | undefined;
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1) as (string | number)[], true);
  const last = path[path.length - 1]!;
  if (isMap(parent)) {
    const pair = parent.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === last);
    return (pair?.key ?? undefined) as Node | undefined;
  }
  return (doc.getIn(path as (string | number)[], true) ?? undefined) as Node | undefined;
}

/** Problems sorted by their line (a stable sort: one line's problems keep their order). */
function inLineOrder(problems: string[], file: string): string[] {
  const line = (problem: string): number => Number(problem.slice(file.length + 1).split(":")[0]);
  return [...problems].sort((a, b) => line(a) - line(b));
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a map with several keys";
  return `${typeof value} ${JSON.stringify(value)}`;
}
