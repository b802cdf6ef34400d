// simlab jepsen kv [--nodes 3] [--time 30s] …: a Jepsen-style test of the real KV service — a
// local cluster of real processes under concurrent clients and real faults, its history checked
// for linearizability (kv-jepsen-run.ts does the run; this file reads options and reports).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { kvHistoryToJsonLines } from "../../sim/check/index.ts";
import { UsageError } from "../../sim/index.ts";
import type { Command } from "./command.ts";
import { list, readOptions, wholeNumber } from "./options.ts";
import { faultKinds, runJepsen, type FaultKind, type JepsenResult } from "./kv-jepsen-run.ts";

const usage = `usage: simlab jepsen kv [--nodes 3] [--time 30s] [--clients 10] [--keys 5]
                       [--faults kill,pause-leader,restart-all] [--fault-every 5s] [--down 2s]
                       [--dir DIR] [--port 17380] [--out FILE] [--volatile]

Starts a local cluster of real processes (simlab serve kv's nodes: simlab's Raft and KV server
on real time, sockets and disk), runs concurrent HTTP clients against it for --time while real
faults strike on a schedule, heals the cluster, reads every key, and checks the history with
simlab's linearizability checker. Loopback only; it stops by itself and stops every process it
started.

options:
  --nodes N          cluster size (default 3)
  --time T           how long the clients run: 30s, 90s, 1500ms (default 30s)
  --clients N        concurrent clients (default 10)
  --keys N           keys they work on (default 5)
  --faults LIST      the faults, taken in turn (default kill,pause-leader,restart-all):
                       kill          kill -9 the leader, restart it --down later
                       pause-leader  SIGSTOP the leader, SIGCONT it --down later
                       restart-all   kill -9 every node, restart them all
                     "none" runs without faults
  --fault-every T    time between faults (default 5s)
  --down T           how long a killed or stopped node stays down (default 2s)
  --dir DIR          the nodes' data (default .simlab/jepsen/<time>); it is kept
  --port P           node i serves HTTP on P+i and RPCs on P+100+i (default 17380)
  --out FILE         the history, as JSON lines (default DIR/history.jsonl); read it with
                     simlab check FILE and simlab viz --history FILE
  --volatile         break the service on purpose: nodes keep their state in memory only, so
                     a restart forgets it (with restart-all, jepsen reports lost writes)

exit code: 0 linearizable and nothing acknowledged lost, 1 not, 3 the check ran out of budget,
2 bad input`;

export const jepsenCommand: Command = {
  name: "jepsen",
  summary: "test the real KV service (real processes, real faults) and check its history",
  usage,
  async run(args) {
    const { values, positionals } = readOptions("jepsen", args, {
      nodes: { type: "string" },
      time: { type: "string" },
      clients: { type: "string" },
      keys: { type: "string" },
      faults: { type: "string" },
      "fault-every": { type: "string" },
      down: { type: "string" },
      dir: { type: "string" },
      port: { type: "string" },
      out: { type: "string" },
      volatile: { type: "boolean" },
    }, { min: 1, max: 1, what: "the service to test: simlab jepsen kv" });
    if (positionals[0] !== "kv") throw new UsageError(`jepsen tests the kv service only, not "${positionals[0]}": simlab jepsen kv.`);
    const faultNames = list("--faults", values.faults) ?? [...faultKinds];
    const faults = faultNames.length === 1 && faultNames[0] === "none" ? [] : faultNames.map(checkFault);
    const dir = String(values.dir ?? join(".simlab", "jepsen", new Date().toISOString().replace(/[:.]/g, "-")));
    const out = String(values.out ?? join(dir, "history.jsonl"));
    const options = {
      nodes: wholeNumber("--nodes", values.nodes, 3, 1),
      durationMs: duration("--time", values.time, 30_000),
      clients: wholeNumber("--clients", values.clients, 10, 1),
      keys: wholeNumber("--keys", values.keys, 5, 1),
      faults,
      faultEveryMs: duration("--fault-every", values["fault-every"], 5_000),
      downMs: duration("--down", values.down, 2_000),
      port: wholeNumber("--port", values.port, 17380, 1024),
      dir,
      volatile: values.volatile === true,
      say: (line: string) => console.log(line),
    };
    if (options.nodes > 9) throw new UsageError(`--nodes is at most 9, got ${options.nodes}.`);
    if (options.durationMs > 3_600_000) throw new UsageError(`--time is at most 1h, got ${options.durationMs} ms.`);
    if (options.clients > 200) throw new UsageError(`--clients is at most 200, got ${options.clients}.`);
    mkdirSync(dir, { recursive: true });
    let result: JepsenResult;
    try {
      result = await runJepsen(options);
    } catch (error) {
      // Every process is stopped already (runJepsen's finally); say what went wrong in a sentence.
      const message = (error as Error).message;
      console.error(`simlab jepsen: the run failed: ${message}`);
      if (message.includes("EADDRINUSE")) console.error(`(port ${options.port}, ${options.port + 100} or a neighbour is in use; choose others with --port)`);
      return 1;
    }
    writeFileSync(out, kvHistoryToJsonLines(result.operations));
    writeFileSync(join(dir, "faults.json"), JSON.stringify({ startedAt: result.startedAt, faults: result.faults }, null, 2) + "\n");
    console.log(summary(result, out));
    if (result.check.verdict === "unknown") return 3;
    return result.check.verdict === "ok" && result.lost.length === 0 ? 0 : 1;
  },
};

function checkFault(name: string): FaultKind {
  if (!(faultKinds as readonly string[]).includes(name)) {
    throw new UsageError(`unknown fault "${name}"; the faults are ${faultKinds.join(", ")} (or none).`);
  }
  return name as FaultKind;
}

/** A real duration: "30s", "1500ms", "1500" (ms), "2m". */
function duration(option: string, text: string | boolean | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(String(text).trim());
  if (match === null || Number(match[1]) <= 0) throw new UsageError(`${option} needs a duration such as 30s, 1500ms or 2m, not "${text}".`);
  const value = Number(match[1]);
  return Math.round(match[2] === "m" ? value * 60_000 : match[2] === "s" ? value * 1000 : value);
}

export function summary(result: JepsenResult, out: string): string {
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  const faults = result.faults.map((f) => `${f.fault}${f.node === "all" ? "" : ` node ${f.node}`} at ${(f.time / 1000).toFixed(1)} s`);
  const verdict =
    result.check.verdict === "ok" ? "linearizable" : result.check.verdict === "illegal" ? "NOT linearizable" : "unknown (the checker's budget ran out)";
  return [
    "",
    `operations    ${result.operations.length} (${result.completed} completed, ${result.unknown} with unknown outcome)`,
    `throughput    ${result.throughput.toFixed(1)} completed ops/s`,
    `latency       p50 ${ms(result.latency.p50)}, p90 ${ms(result.latency.p90)}, p99 ${ms(result.latency.p99)}, max ${ms(result.latency.max)}`,
    `faults        ${faults.length}${faults.length > 0 ? `: ${faults.join("; ")}` : ""}`,
    `lost writes   ${result.lost.length} acknowledged appends missing from the final reads`,
    `verdict       ${verdict} (${result.check.steps} search steps over ${result.check.partitions} keys)`,
    ...(result.check.failure ? [`              key ${result.check.failure.partition}: no order explains its operations`] : []),
    `history       ${out} (simlab check ${out}; simlab viz --history ${out})`,
  ].join("\n");
}
