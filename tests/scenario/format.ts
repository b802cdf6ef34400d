// The scenario format: what a scenario file may say, as types and as the zod schemas that check
// it. docs/scenarios.md is the reader's guide; this file is the definition.
//
// A scenario describes one run:
//   service    raft (a tests/raft Config), kv (a tests/kvraft Config with clerks) or shardkv (a
//              tests/shardkv Config: the shardmaster and groups 100, 101, 102)
//   servers    how many (1–9); shardkv: per group
//   network    the fault profile at the start: reliable, long-reordering, long-delays,
//              duplication, latency, per-link latency, one-way cuts (shardkv: between servers
//              named by group, shardkv-endpoints.ts)
//   timeline   actions, run one after another by the tester; only `sleep` (and `one`, which
//              waits for agreement, and `elect`) take virtual time, so the others happen at one
//              instant. Message-level steps (hold, deliver, drop, unhold, elect, expect) script
//              single RPCs in the style of etcd's datadriven tests (messages.ts)
//   workload   kv only: clients doing gets, puts and appends while the timeline runs (drawn from
//              a mix, or an explicit list of operations)
//   shardkv    shardkv only: its clients (4B's appenders or random clients), started by the
//              timeline's start-clients step once a group has joined
//   checks     what must hold when the timeline ends
// Whatever the file leaves random (election timeouts, message delays, the commands, the clients'
// keys and values) is drawn from the run's seed, so (code, seed, scenario) fixes the run.
//
// A timeline step is an action name alone (`- heal`) or a map with one key, the action, whose
// value is its argument (`- crash: 2`, `- partition: [[0, 1], [2, 3, 4]]`). The file is checked
// in two passes (load.ts): zod checks the top level and each action's argument; the step shapes
// and action names are checked by hand first, so that a misspelled action gets "did you mean".
import { z } from "zod";

/** A server by number, or `leader`: the server that last claimed leadership (see `start-all`). */
const serverOrLeader = z.union([z.number().int().min(0), z.literal("leader")]);
const server = z.number().int().min(0);
/** A replica group of the shardkv tester, by gid: 100, 101 or 102. */
export const shardkvGids = [100, 101, 102] as const;
/** A gid (load.ts checks that it is one of shardkvGids). */
const gid = z.number().int();
const groupServer = z.strictObject({ gid, server });
/**
 * shardkv: an end of a link, or of a message pattern (shardkv-endpoints.ts): a gid alone (`101`,
 * every server of the group), one server of a group (`"101-2"` or `{gid: 101, server: 2}`), the
 * shardmaster's servers (`master`) or one of them (`"master-1"`). In a raft or kv scenario an
 * end is a server's number, and load.ts refuses the other forms.
 */
export const endpoint = z.union([z.number().int().min(0), z.string(), groupServer], {
  error: 'expected a server: a gid (101), "101-2" or {gid: 101, server: 2}, master or "master-1" (shardkv), or a server\'s number (raft, kv)',
});
export type Endpoint = z.output<typeof endpoint>;
/** Virtual milliseconds: 1500, "1500ms" or "1.5s". */
const durationMessage = 'expected a duration: whole milliseconds (1500) or a string such as "1500ms" or "1.5s"';
export const duration = z.union(
  [
    z.number().int().min(0),
    z
      .string()
      .regex(/^\d+(\.\d+)?(ms|s)$/)
      .transform((text) => (text.endsWith("ms") ? Number(text.slice(0, -2)) : Math.round(Number(text.slice(0, -1)) * 1000))),
  ],
  { error: durationMessage },
);
/** A Raft RPC, by Figure 2's name. */
export const rpcNames = ["AppendEntries", "RequestVote", "InstallSnapshot"] as const;
/**
 * shardkv: the RPCs between servers besides Raft's — the reference's shard migration
 * (ShardKV.installShard) and a group's questions to the shardmaster (ShardMaster.query). Any other
 * is named by its wire method, "Service.method" (a student's own migration RPC, say).
 */
export const shardkvRpcNames = ["InstallShard", "Query"] as const;
/** Which requests a message step means: every field given must match (messages.ts). */
const messageFields = {
  from: endpoint.optional(),
  to: endpoint.optional(),
  rpc: z
    .string()
    .refine((rpc) => (rpcNames as readonly string[]).includes(rpc) || (shardkvRpcNames as readonly string[]).includes(rpc) || /^[A-Za-z_]\w*\.[A-Za-z_]\w*$/.test(rpc), {
      message: `expected ${rpcNames.join(", ")}, or in a shardkv scenario also ${shardkvRpcNames.join(", ")} or a wire method "Service.method"`,
    })
    .optional(),
  /** The request's term. */
  term: z.number().int().min(0).optional(),
  /** AppendEntries only: how many log entries it carries (0: a heartbeat). */
  entries: z.number().int().min(0).optional(),
};
export const messagePattern = z.strictObject(messageFields);
export type MessagePattern = z.output<typeof messagePattern>;
/** deliver/drop: `count` held requests exactly (the oldest first), or every match when it is not given. */
const releaseArgument = z.strictObject({ ...messageFields, count: z.number().int().min(1).optional() });
const latency = z.strictObject({ min: z.number().int().min(1), max: z.number().int().min(1) });

/** Each action, by name, with the schema of its argument (`true` for an action without one). */
export const actionArguments = {
  /** Wait this long (virtual time). */
  sleep: duration,
  /** Crash a server (its state survives in its persister). */
  crash: serverOrLeader,
  /** Restart a crashed server from its persister (and connect it), or every crashed server. */
  restart: z.union([server, z.literal("crashed")]),
  /** Cut a server off from everyone (6.824's disconnect). */
  disconnect: serverOrLeader,
  /** Connect a server to everyone connected, or connect all. */
  connect: z.union([server, z.literal("all")]),
  /** Split the servers into groups that reach only their own group; every server in one group (a group may be empty). */
  partition: z.array(z.array(server)).min(2),
  /** Undo every partition, cut and disconnect. */
  heal: z.literal(true),
  /** Make the network reliable (true) or lose and delay messages like labrpc's unreliable mode. */
  reliable: z.boolean(),
  "long-reordering": z.boolean(),
  /** Cut (or, with `cut: false`, restore) the one-way link from → to. */
  cut: z.strictObject({ from: endpoint, to: endpoint, cut: z.boolean().default(true) }),
  /** raft: agree on a fresh command, committed by at least this many servers (6.824's cfg.one). */
  one: z.number().int().min(1),
  /** raft: hand a fresh command to every live server (Figure 8); a connected one that accepts it is `leader`. */
  "start-all": z.literal(true),
  /** raft: if fewer than `below` servers are live, restart `server` when it is crashed (Figure 8). */
  "restart-if-few-up": z.strictObject({ server, below: z.number().int().min(1) }),
  /** raft: if fewer than `below` servers are connected, connect `server` (Figure 8, unreliable). */
  "connect-if-few-up": z.strictObject({ server, below: z.number().int().min(1) }),
  /** kv, with generic-test: the partitioner's schedule of the next round of GenericTest begins. */
  round: z.literal(true),
  // --- repeating until a deadline (TestConcurrent3's loop, as data) ---
  /** Remember the current virtual time, for skip-after (the timeline starts with one). */
  mark: z.literal(true),
  /** If this long has passed since the last mark, skip every step up to the next skip-end (or to the end). */
  "skip-after": duration,
  /** Where a skip-after's skipping ends; otherwise nothing. */
  "skip-end": z.literal(true),
  // --- lab 4 (shardkv) ---
  /** shardkv: the tester's master clerk joins these groups, in one Join. */
  join: z.array(gid).min(1),
  /** shardkv: the groups leave, in one Leave. */
  leave: z.array(gid).min(1),
  /** shardkv: the shardmaster puts one shard on one group. */
  move: z.strictObject({ shard: z.number().int().min(0).max(9), gid }),
  /** shardkv: shut down every server of a group (their persisters survive). */
  "crash-group": gid,
  /** shardkv: start every server of a group from its persister. */
  "restart-group": gid,
  /** shardkv: shut down one server of a group. */
  "crash-server": groupServer,
  /** shardkv: start one crashed server of a group. */
  "restart-server": groupServer,
  /**
   * shardkv: split one group's Raft links in two sides; links to the master, other groups and
   * clerks stay (heal undoes it). Either `sides: [[0, 1], [2]]`, or `isolate: 2` or `isolate:
   * leader`: that server alone on one side, the rest on the other; `leader` is whichever server of
   * the group thinks it leads at that moment (when none does, the step does nothing).
   */
  "partition-group": z
    .strictObject({ gid, sides: z.array(z.array(server)).min(2).optional(), isolate: serverOrLeader.optional() })
    .refine((p) => (p.sides === undefined) !== (p.isolate === undefined), {
      message: "give either sides ([[0, 1], [2]]) or isolate (a server, or leader), exactly one of them",
    }),
  /** shardkv: Put every key's first value, then start the clients (the `shardkv` block). */
  "start-clients": z.literal(true),
  /**
   * shardkv: assert a group's state now, as its leader (or `server`) has applied it: its
   * configuration's number, and which shards are in each state (each list exact, shard.ts's
   * statuses). Read through the server's stateForTester() (shardkv/server.ts).
   */
  "expect-group": z
    .strictObject({
      gid,
      server: server.optional(),
      config: z.number().int().min(0).optional(),
      serving: z.array(z.number().int().min(0).max(9)).optional(),
      receiving: z.array(z.number().int().min(0).max(9)).optional(),
      sending: z.array(z.number().int().min(0).max(9)).optional(),
    })
    .refine((e) => e.config !== undefined || e.serving !== undefined || e.receiving !== undefined || e.sending !== undefined, {
      message: "expect-group needs something to check: config, serving, receiving or sending",
    }),
  // --- message-level scripts (messages.ts) ---
  /** From now on, hold every request that matches (only the next `count`, if given), until deliver or drop. */
  hold: z.strictObject({ ...messageFields, count: z.number().int().min(1).optional() }),
  /** Deliver held requests that match, now, oldest first. */
  deliver: releaseArgument,
  /** Drop held requests that match: their calls fail now. */
  drop: releaseArgument,
  /** Stop holding: every hold rule ends (what is held stays held). */
  unhold: z.literal(true),
  /** raft: make this server the leader: hold the others' vote requests, and what is sent to it, until it leads (then drop them). */
  elect: server,
  /** raft: assert what the tester observes of a server now. */
  expect: z
    .strictObject({
      server,
      /** candidate: not leading, asked for votes in its current term and answered no leader of it since (as the wire shows). */
      role: z.enum(["leader", "candidate", "follower"]).optional(),
      term: z.number().int().min(0).optional(),
      /** The highest log index its applyCh has delivered (commands applied). */
      applied: z.number().int().min(0).optional(),
      /** Whom it voted for in its current term, as its granted vote replies show, or none. */
      "voted-for": z.union([server, z.literal("none")]).optional(),
    })
    .refine((e) => e.role !== undefined || e.term !== undefined || e.applied !== undefined || e["voted-for"] !== undefined, {
      message: "expect needs something to check: role, term, applied or voted-for",
    }),
} as const;

export type ActionName = keyof typeof actionArguments;
export const actionNames = Object.keys(actionArguments) as ActionName[];
/** Actions written as a name alone. */
export const bareActions: readonly ActionName[] = ["heal", "start-all", "unhold", "round", "mark", "skip-end", "start-clients"];
/** Actions only a raft scenario may use (a kv scenario's commands come from its clients). */
export const raftOnlyActions: readonly ActionName[] = ["one", "start-all", "restart-if-few-up", "connect-if-few-up", "elect", "expect"];
/** Actions only a shardkv scenario has. */
export const shardkvOnlyActions: readonly ActionName[] = [
  "join",
  "leave",
  "move",
  "crash-group",
  "restart-group",
  "crash-server",
  "restart-server",
  "partition-group",
  "start-clients",
  "expect-group",
];
/** Actions that name servers by one number, which a shardkv scenario names by group and server instead. */
export const flatServerActions: readonly ActionName[] = ["crash", "restart", "disconnect", "connect", "partition"];
/** Actions whose servers are endpoints: numbers in raft and kv, shardkv's names in shardkv (shardkv-endpoints.ts). */
export const endpointActions: readonly ActionName[] = ["cut", "hold", "deliver", "drop"];

/** One timeline step, after checking: its action and argument. */
export type Step = { [A in ActionName]: { action: A; argument: z.output<(typeof actionArguments)[A]> } }[ActionName];

const network = z
  .strictObject({
    reliable: z.boolean().default(true),
    "long-reordering": z.boolean().default(false),
    /** Calls to an unreachable server fail after 0–7 s instead of 0–99 ms (the raft tester's default). */
    "long-delays": z.boolean().optional(),
    /** Probability that a delivered request is delivered again. */
    duplication: z.number().min(0).max(1).default(0),
    latency: latency.optional(),
    links: z.array(z.strictObject({ from: endpoint, to: endpoint, min: z.number().int().min(1), max: z.number().int().min(1) })).default([]),
    cuts: z.array(z.strictObject({ from: endpoint, to: endpoint })).default([]),
  })
  .default({ reliable: true, "long-reordering": false, duplication: 0, links: [], cuts: [] });

/** One operation of an explicit list: which client does it, on which key, with which value. */
const workloadOp = z.strictObject({
  client: z.number().int().min(0),
  op: z.enum(["get", "put", "append"]),
  /** A key, as a string (a number is read as its digits). */
  key: z.union([z.string(), z.number().int().min(0).transform(String)]),
  /** put and append: the value. */
  value: z.union([z.string(), z.number().transform(String)]).optional(),
  /** get: the value it must return (the run fails otherwise). */
  expect: z.union([z.string(), z.number().transform(String)]).optional(),
});
export type WorkloadOp = z.output<typeof workloadOp>;

const workload = z.strictObject({
  clients: z.number().int().min(1).max(50),
  /**
   * Instead of drawing: each client does its own operations of this list, in the list's order,
   * one after another (the clients run at once); every one is done, the timeline's end or not.
   */
  ops: z.array(workloadOp).min(1).optional(),
  /** Keys 0…keys-1, drawn at random; without it each client uses its own key (appends checked in order). */
  keys: z.number().int().min(1).optional(),
  /** Relative weights of the operations. */
  mix: z
    .strictObject({ get: z.number().min(0).default(0), put: z.number().min(0).default(0), append: z.number().min(0).default(0) })
    .refine((mix) => mix.get + mix.put + mix.append > 0, { message: "the mix needs some operation with a weight above 0" })
    .default({ get: 50, put: 0, append: 50 }),
  /** Pause between one client's operations. */
  think: duration.default(0),
  /** Most operations per client (default: until the timeline ends). */
  "ops-per-client": z.number().int().min(1).optional(),
});

const checks = z
  .strictObject({
    /** At the end, exactly one connected server leads (the Figure-2 monitors check every term all along). */
    "one-leader": z.boolean().default(false),
    /** raft: at the end, every server agrees on a fresh command (applied logs are compared all along). */
    agreement: z.boolean().default(false),
    /** kv: the clients' history is linearizable. */
    linearizable: z.boolean().default(false),
    /** After the timeline, everything is healed and restarted; then this must complete within the time. */
    "liveness-after-heal": duration.optional(),
    /** No server's persisted Raft state may exceed this many bytes at the end. */
    "max-log-bytes": z.number().int().min(1).optional(),
    /** shardkv: after the clients stop, a Get of a key of every shard completes (within liveness-after-heal, or 10 s). */
    "shards-served": z.boolean().optional(),
  })
  .default({ "one-leader": false, agreement: false, linearizable: false });

/**
 * kv: the run is 6.824's GenericTest (tests/kvraft/generic-test.ts) with these parameters — its
 * clients, rounds and checks — and its partitioner follows the timeline instead of drawing: each
 * `round` step starts the schedule of one round, made of `partition` (two groups) and `sleep`
 * steps. The network's `reliable` is GenericTest's unreliable, `snapshots` its maxraftstate.
 * How 3A/3B's partition tests draw their faults as data (tests/kvraft/kv-nemesis.ts).
 */
const genericTest = z.strictObject({
  part: z.enum(["3A", "3B"]),
  clients: z.number().int().min(1).max(50),
  crash: z.boolean(),
  partitions: z.boolean(),
  "random-keys": z.boolean(),
});
export type GenericTestParameters = z.output<typeof genericTest>;
/** The only actions a generic-test timeline has. */
export const genericTestActions: readonly ActionName[] = ["round", "partition", "sleep"];

/**
 * shardkv: the clients, as in lab 4B's tests. `start-clients` Puts each key "0"…"keys-1" (one per
 * shard for 10 keys) with a random value of `value-length` characters through the tester's clerk,
 * then starts `clients` clients, each with its own clerk, that run until the timeline ends:
 *   appenders  client i appends a fresh random value to key i mod keys, then waits `think`; at the
 *              end every key must hold exactly its Put and appends, in order (4B's checkAll);
 *   random     each operation on a random key: 50% Append, else 10% Put, else Get (TestUnreliable3).
 * Every operation goes into the history, for checks.linearizable.
 */
const shardkvClients = z.strictObject({
  clients: z.enum(["appenders", "random"]),
  keys: z.number().int().min(1).max(100).default(10),
  /** Default: as many clients as keys. */
  count: z.number().int().min(1).max(50).optional(),
  "value-length": z.number().int().min(1).max(1000).default(5),
  think: duration.default(0),
});
export type ShardkvClients = z.output<typeof shardkvClients>;

/** The top level, with the timeline left as raw steps (load.ts checks them one by one). */
export const scenarioSchema = z.strictObject({
  /** A name for reports (default: the file's name). */
  name: z.string().regex(/^[A-Za-z0-9_.-]+$/, { message: "a name is letters, digits, '.', '_' and '-'" }).optional(),
  description: z.string().optional(),
  service: z.enum(["raft", "kv", "shardkv"]),
  /** shardkv: servers per group. */
  servers: z.number().int().min(1).max(9),
  /** kv, shardkv: the servers' maxraftstate (-1: no snapshots). raft: snapshot every 10 commands when true. */
  snapshots: z.union([z.boolean(), z.number().int().min(-1)]).default(false),
  network,
  timeline: z.array(z.unknown()).default([]),
  workload: workload.optional(),
  "generic-test": genericTest.optional(),
  shardkv: shardkvClients.optional(),
  checks,
});

export type ScenarioHead = z.output<typeof scenarioSchema>;
export type Network = ScenarioHead["network"];
export type Workload = NonNullable<ScenarioHead["workload"]>;
export type Checks = ScenarioHead["checks"];

/** A checked scenario, ready to run. */
export interface Scenario extends Omit<ScenarioHead, "timeline" | "name"> {
  name: string;
  timeline: Step[];
}

/** The top-level keys, for "did you mean" hints. */
export const topLevelKeys = Object.keys(scenarioSchema.shape);
