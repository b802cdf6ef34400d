// The clients of lab 4B's tests, shared by the hand-written tests (4B.ts) and by shardkv
// scenarios (scenario-world.ts): keys with random first values, clients running concurrently
// until stopped (Go's `ff` goroutines and their `done` flag), and the checks of every key's value.
//
// Two kinds of client, as in shardkv/test_test.go:
//   appenders  one clerk per key, appending a fresh random string to it over and over
//              (TestConcurrent1/2/3, TestUnreliable2); the tester remembers what each key must hold;
//   random     one clerk each, on random keys: 50% Append, else a 10% chance of Put, else Get
//              (TestUnreliable3), every operation recorded for the linearizability checker.
// Randomness is the tester's stream (cfg.rand, Go's crypto/rand and math/rand).
import { Channel, TIMEOUT, go, now, sleep } from "../../sim/index.ts";
import type { HistoryRecorder, KvInput, KvOutput } from "../../sim/check/index.ts";
import type { Clerk } from "../../shardkv/client.ts";
import { fail } from "../harness/failure.ts";
import { describeDifference } from "../harness/value-diff.ts";
import type { Config } from "./config.ts";

export type OpLog = HistoryRecorder<KvInput, KvOutput>;

export async function check(ck: Clerk, key: string, value: string): Promise<void> {
  const v = await ck.get(key);
  if (v !== value) fail(`Get(${key}) returned a wrong value:\n${describeDifference(value, v)}`);
}

export async function checkAll(ck: Clerk, ka: string[], va: string[]): Promise<void> {
  for (let i = 0; i < ka.length; i++) await check(ck, ka[i]!, va[i]!);
}

/** n keys "0", "1", …: enough to cover every shard (key2shard), each with a random value. */
export function randomKeys(cfg: Config, n: number, valueLength: number): { ka: string[]; va: string[] } {
  const ka: string[] = [];
  const va: string[] = [];
  for (let i = 0; i < n; i++) {
    ka.push(String(i)); // ensure multiple shards
    va.push(cfg.rand.string(valueLength));
  }
  return { ka, va };
}

/** randomKeys(), each Put with `ck`. */
export async function putKeys(cfg: Config, ck: Clerk, n: number, valueLength: number): Promise<{ ka: string[]; va: string[] }> {
  const { ka, va } = randomKeys(cfg, n, valueLength);
  for (let i = 0; i < n; i++) await ck.put(ka[i]!, va[i]!);
  return { ka, va };
}

/** Puts every key's value with `ck`, each Put recorded in `log` as client 0's. */
export async function putKeysRecorded(ck: Clerk, ka: string[], va: string[], log: OpLog): Promise<void> {
  for (let i = 0; i < ka.length; i++) {
    const op = log.begin(0, { op: "put", key: ka[i]!, value: va[i]! });
    await ck.put(ka[i]!, va[i]!);
    log.end(op, "");
  }
}

/** Clients running concurrently (Go's ff goroutines) until stopped. */
export interface Clients {
  /** Tells every client to stop after its current operation (Go: atomic.StoreInt32(&done, 1)). */
  stop(): void;
  /** Waits until every client has stopped (Go: one <-ch per client). */
  allStopped(): Promise<void>;
  /**
   * Waits at most `ms` for every client to stop; fails naming the clients still running and the
   * operation each is waiting for (after a " — ", so that simlab shrink's failure kind leaves the
   * random values out).
   */
  allStoppedWithin(ms: number, what: string): Promise<void>;
}

/** Starts `n` clients; client i repeats `step(i)` until stopped; `pending[i]` says what it waits for. */
function startClients(n: number, step: (i: number) => Promise<void>, pending: string[]): Clients {
  const done = { value: false };
  const ch = new Channel<number>(0, "ch");
  const running = new Set<number>();
  for (let i = 0; i < n; i++) {
    running.add(i);
    go(async () => {
      try {
        while (!done.value) await step(i);
      } finally {
        await ch.send(i);
      }
    });
  }
  return {
    stop: () => void (done.value = true),
    allStopped: async () => {
      for (let i = 0; i < n; i++) await ch.recv();
    },
    allStoppedWithin: async (ms, what) => {
      const started = now();
      while (running.size > 0) {
        const got = await ch.recvWithin(Math.max(0, ms - (now() - started)));
        if (got === TIMEOUT) {
          const stuck = [...running].sort((a, b) => a - b);
          fail(
            `${what}: ${stuck.length} client${stuck.length === 1 ? "" : "s"} still waiting ${ms} ms after the heal — ` +
              stuck.map((c) => `client ${c} on ${pending[c] ?? "?"}`).join(", "),
          );
        }
        if (typeof got === "number") running.delete(got);
      }
    },
  };
}

/**
 * A clerk per client appending random strings to key i mod ka.length, pausing `pauseMs` after
 * each; va follows. With `log`, every Append is recorded as client i+1's.
 */
export function startAppenders(cfg: Config, ka: string[], va: string[], valueLength: number, pauseMs: number, log?: OpLog, count = ka.length): Clients {
  const clerks = Array.from({ length: count }, () => cfg.makeClient());
  const pending: string[] = [];
  return startClients(
    count,
    async (i) => {
      const k = i % ka.length;
      const x = cfg.rand.string(valueLength);
      pending[i] = `Append(${ka[k]}, "${x}")`;
      const op = log?.begin(i + 1, { op: "append", key: ka[k]!, value: x });
      await clerks[i]!.append(ka[k]!, x);
      if (op !== undefined) log!.end(op, "");
      pending[i] = "";
      va[k] += x;
      if (pauseMs > 0) {
        pending[i] = "its pause";
        await sleep(pauseMs);
        pending[i] = "";
      }
    },
    pending,
  );
}

/**
 * TestUnreliable3's clients: `count` clerks (default one per key), on random keys, 50% Append,
 * else a 10% chance of Put, else Get; every operation recorded in `log` under client id
 * `clientIdOf(i)`, then a pause of `pauseMs`.
 */
export function startRandomClients(cfg: Config, ka: string[], log: OpLog, clientIdOf: (i: number) => number, count = ka.length, pauseMs = 0): Clients {
  const clerks = Array.from({ length: count }, () => cfg.makeClient());
  const pending: string[] = [];
  return startClients(
    count,
    async (i) => {
      const ck = clerks[i]!;
      const key = ka[cfg.rand.int(ka.length)]!;
      const nv = cfg.rand.string(5);
      if (cfg.rand.int(1000) < 500) {
        pending[i] = `Append(${key}, "${nv}")`;
        const op = log.begin(clientIdOf(i), { op: "append", key, value: nv });
        await ck.append(key, nv);
        log.end(op, "");
      } else if (cfg.rand.int(1000) < 100) {
        pending[i] = `Put(${key}, "${nv}")`;
        const op = log.begin(clientIdOf(i), { op: "put", key, value: nv });
        await ck.put(key, nv);
        log.end(op, "");
      } else {
        pending[i] = `Get(${key})`;
        const op = log.begin(clientIdOf(i), { op: "get", key });
        const v = await ck.get(key);
        log.end(op, v);
      }
      pending[i] = "";
      if (pauseMs > 0) await sleep(pauseMs);
    },
    pending,
  );
}
