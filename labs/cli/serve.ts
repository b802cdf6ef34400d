// simlab serve kv --nodes 3 --dir DATA [--port P]: the KV service of lab 3 as a real local
// cluster — one OS process per node (kv-node.ts), simlab's Raft and KV server unchanged on the
// real runtime — until Ctrl-C. kv-node.ts documents the HTTP API.
import { mkdirSync } from "node:fs";
import { UsageError } from "../../sim/index.ts";
import type { Command } from "./command.ts";
import { readOptions, wholeNumber } from "./options.ts";
import { KvCluster } from "./kv-cluster.ts";

const usage = `usage: simlab serve kv --dir DATA [--nodes 3] [--port 7380] [--trace]

Starts a local cluster of the lab 3 KV service: one process per node, each running simlab's Raft
and KV server on real time, real sockets and a real disk (DATA/node-i). Loopback only. Ctrl-C
(or SIGTERM) stops every node cleanly; starting again with the same DATA recovers every
acknowledged write.

HTTP API (node i listens on 127.0.0.1:PORT+i; any node serves any request):
  curl -X PUT  localhost:7380/kv/greeting -d hello      set
  curl -X POST localhost:7380/kv/greeting -d ", world"  append
  curl         localhost:7381/kv/greeting               get: {"key":"greeting","value":"hello, world"}
  curl         localhost:7380/status                    this node's role, term, commit index
  curl         localhost:7380/cluster                   every node's status
Errors are JSON too: {"error":"…"} with 400, 404, 405, 413 or 503 (see docs/real-mode.md).

options:
  --dir DATA    where the nodes keep their state (created if needed)
  --nodes N     cluster size, 1–9 (default 3)
  --port P      node i serves HTTP on P+i and Raft/KV RPCs on P+100+i (default 7380)
  --trace       also write Raft's and the KV server's log() lines to DATA/node-i/trace.jsonl

The nodes' logs are JSON lines on stdout.`;

export const serveCommand: Command = {
  name: "serve",
  summary: "run the KV service as a real local cluster (one process per node) until Ctrl-C",
  usage,
  async run(args) {
    const { values, positionals } = readOptions("serve", args, {
      dir: { type: "string" },
      nodes: { type: "string" },
      port: { type: "string" },
      trace: { type: "boolean" },
    }, { min: 1, max: 1, what: "the service to serve: simlab serve kv --dir DATA" });
    if (positionals[0] !== "kv") throw new UsageError(`serve runs the kv service only, not "${positionals[0]}": simlab serve kv --dir DATA.`);
    if (values.dir === undefined) throw new UsageError("serve needs --dir DATA: the folder where the nodes keep their state.");
    const dir = String(values.dir);
    const nodes = wholeNumber("--nodes", values.nodes, 3, 1);
    if (nodes > 9) throw new UsageError(`--nodes is at most 9, got ${nodes}.`);
    const port = wholeNumber("--port", values.port, 7380, 1024);
    try {
      mkdirSync(dir, { recursive: true });
    } catch (error) {
      throw new UsageError(`cannot create --dir ${dir}: ${(error as Error).message}`);
    }
    const cluster = await KvCluster.start({
      nodes,
      dir,
      port,
      trace: values.trace === true,
      handleSignals: false,
      onLog: (line) => console.log(line),
    }).catch((error: unknown) => {
      if (error instanceof UsageError) throw error;
      console.error(`simlab serve: the cluster did not start: ${(error as Error).message}`);
      if ((error as Error).message.includes("EADDRINUSE")) console.error(`(port ${port}, ${port + 100} or a neighbour is in use; choose others with --port)`);
      return undefined;
    });
    if (cluster === undefined) return 1;
    console.error(`simlab serve: ${nodes} nodes ready on http://127.0.0.1:${port}${nodes > 1 ? `–${port + nodes - 1}` : ""} (data in ${dir}); Ctrl-C stops them.`);
    return new Promise<number>((resolve) => {
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        console.error(`simlab serve: ${signal}, stopping every node`);
        void cluster.stop().then(() => {
          console.error("simlab serve: stopped");
          resolve(0);
        });
      };
      process.on("SIGINT", () => stop("SIGINT"));
      process.on("SIGTERM", () => stop("SIGTERM"));
    });
  },
};
