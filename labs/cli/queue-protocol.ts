// What `simlab sweep --queue` (queue-sweep.ts) and `simlab worker` (queue-worker.ts) agree on, on
// top of BullMQ (a Redis job queue: retries, locks, stalled-job recovery), loaded only by them so
// the other commands do not pay for it.
//
// - The queue: one per code identity (source-identity.ts), "simlab-<version>-<hash>", so a
//   worker only ever takes jobs swept from the same simlab version and sources as its own.
// - A job: one chunk of a sweep's (test, seed) runs, id "<sweep id>-<chunk number>"; its result
//   is the chunk's RunSummary list, which the producer keeps by job id (first one wins), so a
//   job run twice (its worker died, Redis lost it) is counted once.
// - Presence: each worker and each sweep keeps a Redis key "simlab:worker:…" / "simlab:sweep:…"
//   alive (expiring after presenceTtlS) holding its identity and host; each side reads the other
//   side's keys to say which of them it refuses for running other code.
// - Locks: a worker holds each job's lock for lockMs and renews it every lockMs/2; a worker that
//   dies (kill -9) stops renewing, and another worker's stalled check (every stalledCheckMs)
//   puts the job back in the queue: taken over within lockMs + stalledCheckMs.
import { hostname } from "node:os";
import { UsageError } from "../../sim/index.ts";
import type { Job } from "./pool.ts";
import { describeIdentity, type SourceIdentity } from "./source-identity.ts";

export const lockMs = 8_000;
export const stalledCheckMs = 4_000;
/** How often a job may be taken over from a worker that died before it is given up. */
export const maxStalls = 3;
export const presenceTtlS = 15;
/** How long the first connection to Redis may take before the command gives up. */
export const connectLimitMs = 10_000;

export interface QueueJobData extends SourceIdentity {
  sweep: string;
  runs: Job[];
}

/** Where Redis is, as BullMQ (ioredis) takes it. */
export interface RedisAddress {
  url: string;
  connection: { host: string; port: number; username?: string; password?: string; db?: number };
}

/**
 * BullMQ's connection options for an address, and how to stop reconnecting: ioredis tries again
 * every second while Redis is away (it may come back), until giveUp() — without that, a closing
 * command would keep retrying, and its process would never end.
 */
export function connectionTo(address: RedisAddress): { connection: RedisAddress["connection"] & { retryStrategy(): number | null }; giveUp(): void } {
  let closing = false;
  return {
    connection: { ...address.connection, retryStrategy: () => (closing ? null : 1000) },
    giveUp: () => {
      closing = true;
    },
  };
}

/** A member of the fleet as its presence key describes it. */
export interface Presence extends SourceIdentity {
  host: string;
  pid: number;
}

export function readRedisUrl(text: string): RedisAddress {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    url = new URL("invalid:");
  }
  const port = url.port === "" ? 6379 : Number(url.port);
  const db = url.pathname.replace(/^\//, "");
  if (url.protocol !== "redis:" || url.hostname === "" || !/^\d*$/.test(db)) {
    throw new UsageError(`--queue needs a Redis address such as redis://localhost:6379 (or redis://:PASSWORD@HOST:PORT/DB), not "${text}".`);
  }
  const connection: RedisAddress["connection"] = { host: url.hostname.replace(/^\[(.*)\]$/, "$1"), port };
  if (url.username !== "") connection.username = decodeURIComponent(url.username);
  if (url.password !== "") connection.password = decodeURIComponent(url.password);
  if (db !== "") connection.db = Number(db);
  return { url: `redis://${url.host}${url.pathname === "/" ? "" : url.pathname}`, connection };
}

export function queueName(identity: SourceIdentity): string {
  return `simlab-${identity.simlab}-${identity.sources.slice(0, 16)}`;
}

export function loadBullmq(): Promise<typeof import("bullmq")> {
  return import("bullmq");
}

export function me(identity: SourceIdentity): Presence {
  return { ...identity, host: hostname(), pid: process.pid };
}

export function describePresence(presence: Presence): string {
  return `${presence.host} (pid ${presence.pid}, ${describeIdentity(presence)})`;
}

/** The presence keys of one side ("worker" or "sweep") that Redis holds now (a bounded scan). */
export async function present(client: PresenceClient, side: "worker" | "sweep"): Promise<Map<string, Presence>> {
  const found = new Map<string, Presence>();
  let cursor = "0";
  for (let round = 0; round < 1000; round++) {
    const [next, keys] = await client.scan(cursor, "MATCH", `simlab:${side}:*`, "COUNT", 200);
    const values = keys.length === 0 ? [] : await client.mget(...keys);
    keys.forEach((key, i) => {
      if (values[i] != null) found.set(key, JSON.parse(values[i]!) as Presence);
    });
    cursor = next;
    if (cursor === "0") break;
  }
  return found;
}

/** Keeps this process's presence key alive. */
export function announce(client: PresenceClient, key: string, presence: Presence): Promise<unknown> {
  return client.set(key, JSON.stringify(presence), "EX", presenceTtlS);
}

/** The few Redis commands presence needs (an ioredis client has them). */
export interface PresenceClient {
  scan(cursor: string, match: "MATCH", pattern: string, count: "COUNT", n: number): Promise<[string, string[]]>;
  mget(...keys: string[]): Promise<(string | null)[]>;
  set(key: string, value: string, ex: "EX", seconds: number): Promise<unknown>;
  del(key: string): Promise<number>;
  ping(): Promise<string>;
}

/** Rejects after ms with the message `what` when the promise has not settled by then. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(what)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
