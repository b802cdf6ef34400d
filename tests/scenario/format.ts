// The scenario format: what a scenario file may say, as types and as the zod schemas that check
// it. docs/scenarios.md is the reader's guide; this file is the definition.
//
// A scenario describes one run:
//   service    raft (a tests/raft Config) or kv (a tests/kvraft Config with clerks)
//   servers    how many (1–9)
//   network    the fault profile at the start: reliable, long-reordering, long-delays,
//              duplication, latency, per-link latency, one-way cuts
//   timeline   actions, run one after another by the tester; only `sleep` (and `one`, which
//              waits for agreement, and `elect`) take virtual time, so the others happen at one
//              instant. Message-level steps (hold, deliver, drop, unhold, elect, expect) script
//              single RPCs in the style of etcd's datadriven tests (messages.ts)
//   workload   kv only: clients doing gets, puts and appends while the timeline runs
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
/** Which requests a message step means: every field given must match (messages.ts). */
const messageFields = {
  from: server.optional(),
  to: server.optional(),
  rpc: z.enum(rpcNames).optional(),
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
  cut: z.strictObject({ from: server, to: server, cut: z.boolean().default(true) }),
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
export const bareActions: readonly ActionName[] = ["heal", "start-all", "unhold", "round"];
/** Actions only a raft scenario may use (a kv scenario's commands come from its clients). */
export const raftOnlyActions: readonly ActionName[] = ["one", "start-all", "restart-if-few-up", "connect-if-few-up", "elect", "expect"];

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
    links: z.array(z.strictObject({ from: server, to: server, min: z.number().int().min(1), max: z.number().int().min(1) })).default([]),
    cuts: z.array(z.strictObject({ from: server, to: server })).default([]),
  })
  .default({ reliable: true, "long-reordering": false, duplication: 0, links: [], cuts: [] });

const workload = z.strictObject({
  clients: z.number().int().min(1).max(50),
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

/** The top level, with the timeline left as raw steps (load.ts checks them one by one). */
export const scenarioSchema = z.strictObject({
  /** A name for reports (default: the file's name). */
  name: z.string().regex(/^[A-Za-z0-9_.-]+$/, { message: "a name is letters, digits, '.', '_' and '-'" }).optional(),
  description: z.string().optional(),
  service: z.enum(["raft", "kv"]),
  servers: z.number().int().min(1).max(9),
  /** kv: the servers' maxraftstate (-1: no snapshots). raft: snapshot every 10 commands when true. */
  snapshots: z.union([z.boolean(), z.number().int().min(-1)]).default(false),
  network,
  timeline: z.array(z.unknown()).default([]),
  workload: workload.optional(),
  "generic-test": genericTest.optional(),
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
