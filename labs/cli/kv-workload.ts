// The client side of a Jepsen-style test of `simlab serve kv`: concurrent HTTP clients for a
// bounded time, each recording what it did as an operation with real timestamps, for simlab's
// linearizability checker (sim/check/). kv-jepsen-run.ts runs it against a cluster under faults.
//
// Each client does one operation at a time: a get (half of them) or an append of a value nobody
// else ever appends ("c3.17;" — client 3's 17th), on one of a few keys, through one node's HTTP
// API; after a failure it moves on to the next node. Outcomes:
//   200                        ok; a get's output is the value it read
//   connection refused         the node is down and the request never left: not recorded
//   anything else (a timeout,  unknown — it may have taken effect, at any time after its call.
//   a 503, a reset)            The client then takes a new process id, as Jepsen's do, since an
//                              open operation stays in flight forever in the history
// Appends with unique values make lost writes visible twice over: the checker would find no
// order that explains a read missing an acknowledged append, and lostAcknowledgedAppends()
// counts, from the final reads, the acknowledged appends that no final read contains.
//
// Times are milliseconds since `origin` (performance.now(): monotonic). Every loop is bounded in
// time (the deadline) and count (maxOperationsPerClient).
import { unknownOutput, type KvInput, type KvOutput, type Operation } from "../../sim/check/index.ts";

export type KvOperation = Operation<KvInput, KvOutput>;

export interface WorkloadOptions {
  /** The HTTP ports of the nodes. */
  ports: readonly number[];
  clients: number;
  durationMs: number;
  keys: number;
  /** The moment time 0 of the history is (performance.now()). */
  origin: number;
  /** A request without an answer after this long is given up on (unknown). */
  requestTimeoutMs: number;
  maxOperationsPerClient?: number;
}

export interface WorkloadResult {
  operations: KvOperation[];
  /** Latencies of the operations that completed, in ms. */
  latenciesMs: number[];
  unknown: number;
}

type Outcome = { kind: "ok"; value: string } | { kind: "refused" } | { kind: "unknown" };

/** One HTTP request to the KV API; never throws for a network reason. */
export async function request(port: number, method: "GET" | "PUT" | "POST", key: string, body: string | undefined, timeoutMs: number): Promise<Outcome> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/kv/${encodeURIComponent(key)}`, {
      method,
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const answer = (await response.json()) as { value?: string; error?: string };
    if (response.status === 200) return { kind: "ok", value: answer.value ?? "" };
    if (response.status >= 400 && response.status < 500) {
      throw new Error(`the KV API refused a well-formed ${method} /kv/${key} with ${response.status}: ${answer.error}`);
    }
    return { kind: "unknown" };
  } catch (error) {
    if (isRefused(error)) return { kind: "refused" };
    if (error instanceof Error && error.message.startsWith("the KV API refused")) throw error;
    return { kind: "unknown" };
  }
}

function isRefused(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } } | null)?.cause;
  return cause?.code === "ECONNREFUSED";
}

/** Runs the clients until the deadline; resolves once every client has finished its last operation. */
export async function runWorkload(options: WorkloadOptions): Promise<WorkloadResult> {
  const operations: KvOperation[] = [];
  const latenciesMs: number[] = [];
  let unknown = 0;
  let nextProcess = 0;
  const deadline = options.origin + options.durationMs;
  const maxOps = options.maxOperationsPerClient ?? 1_000_000;
  const clock = () => performance.now() - options.origin;

  const client = async (c: number): Promise<void> => {
    let process = nextProcess++;
    let node = c % options.ports.length;
    let appended = 0;
    let seed = (c + 1) * 2654435761;
    const draw = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    for (let done = 0; done < maxOps && performance.now() < deadline; done++) {
      const key = `k${draw(options.keys)}`;
      const isGet = draw(2) === 0;
      const value = isGet ? "" : `c${c}.${++appended};`;
      const input: KvInput = isGet ? { op: "get", key } : { op: "append", key, value };
      const call = clock();
      const outcome = await request(options.ports[node]!, isGet ? "GET" : "POST", key, isGet ? undefined : value, options.requestTimeoutMs);
      const returned = clock();
      if (outcome.kind === "ok") {
        operations.push({ clientId: process, input, call, output: isGet ? outcome.value : "", return: returned });
        latenciesMs.push(returned - call);
        continue;
      }
      node = (node + 1) % options.ports.length;
      if (outcome.kind === "unknown") {
        operations.push({ clientId: process, input, call, output: unknownOutput, return: Infinity });
        unknown++;
        process = nextProcess++;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  await Promise.all(Array.from({ length: options.clients }, (_, c) => client(c)));
  return { operations, latenciesMs, unknown };
}

/**
 * Reads every key once more after the faults have healed, retrying until each read succeeds or
 * `timeoutMs` passes; the reads join the history. Resolves to each key's final value.
 */
export async function finalReads(ports: readonly number[], keys: number, origin: number, operations: KvOperation[], timeoutMs: number): Promise<Map<string, string>> {
  const deadline = performance.now() + timeoutMs;
  const values = new Map<string, string>();
  let process = 1_000_000;
  for (let k = 0; k < keys; k++) {
    const key = `k${k}`;
    for (let attempt = 0; !values.has(key); attempt++) {
      if (performance.now() > deadline) throw new Error(`the final read of ${key} did not succeed within ${timeoutMs} ms`);
      const call = performance.now() - origin;
      const outcome = await request(ports[attempt % ports.length]!, "GET", key, undefined, 5_000);
      if (outcome.kind === "ok") {
        operations.push({ clientId: process++, input: { op: "get", key }, call, output: outcome.value, return: performance.now() - origin });
        values.set(key, outcome.value);
      } else {
        if (outcome.kind === "unknown") operations.push({ clientId: process++, input: { op: "get", key }, call, output: unknownOutput, return: Infinity });
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }
  return values;
}

/** The acknowledged appends that no final read contains: lost writes. */
export function lostAcknowledgedAppends(operations: readonly KvOperation[], finalValues: ReadonlyMap<string, string>): KvOperation[] {
  return operations.filter(
    (op) => op.input.op === "append" && op.output !== unknownOutput && !(finalValues.get(op.input.key) ?? "").includes(op.input.value),
  );
}

/** The p-th percentile (0–100) of `values`, nearest rank; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
