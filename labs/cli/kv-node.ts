// One node of `simlab serve kv`: an OS process running simlab's Raft and KV server — the very code
// the lab 2 and 3 graders test in simulation, unchanged — on the real runtime (sim/real/), with
// an HTTP API for clients. kv-cluster.ts starts one per node; it is not a command of its own.
//
//   node --import tsx labs/cli/kv-node.ts --id 0 --nodes 3 --port 7380 --dir DATA/node-0
//
// Ports (loopback only): node i serves HTTP on port+i and Raft/KV RPCs on port+100+i.
//
// HTTP API, in etcd v2's spirit (every answer is JSON):
//   GET  /kv/KEY            200 {"key":"k","value":"v"}  (a key never written reads as "")
//   PUT  /kv/KEY   body=V   200 {"key":"k","ok":true}     sets the value to the body
//   POST /kv/KEY   body=V   200 {"key":"k","ok":true}     appends the body to the value
//   GET  /status            this node: role, term, commit index, ports, bytes on disk
//   GET  /cluster           every node's /status (null for a node that does not answer)
//   errors                  {"error":"a sentence"} with 400 (bad key), 404 (no such path), 405
//                           (method), 413 (body over 1 MiB), 503 (too many requests in flight, or
//                           no leader committed the operation within --request-timeout: it may
//                           still take effect later — the outcome is unknown).
// A request on any node works: the node runs a kvraft Clerk, which finds the leader and retries
// there, exactly as the lab's clerks do. Operations are linearizable; every acknowledged write is
// on a majority's disk (DiskPersister: write, fsync, rename) before the answer goes out.
//
// Role and commit index on /status are what this node can see without reaching into Raft: role
// from rf.getState() ("candidate" once it has asked for votes in its current term and heard no
// leader of that term since), and the
// commit index carried by the newest AppendEntries it sent or received (at most one heartbeat
// behind Raft's own).
//
// Logs are JSON lines on stdout ({"time","node","event",…}): ready, role changes, request
// errors, shutdown. With --trace, Raft's and the KV server's own log() lines go to
// DIR/trace.jsonl. SIGTERM or SIGINT shuts the node down cleanly, and so does the end of stdin
// (the process that started it is gone); kill -9 loses nothing acknowledged. --no-fsync saves
// without fsync (disk-persister.ts: still safe against kill -9, not against a power cut), for
// measuring what fsync costs. --volatile keeps the state in memory only (the simulation's
// Persister), so a restart forgets everything: it is there to show what simlab jepsen catches.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createWriteStream, type WriteStream } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Persister, Service, type ClientEnd, describeError } from "../../sim/index.ts";
import { DiskPersister, RpcServer, TcpTransport, startRealRuntime, type RealLogRecord } from "../../sim/real/index.ts";

// The service is lab 3's, loaded with a computed specifier (as tests/scenario/run-scenario.ts
// loads a lab's tester): this file is part of every student repository, and one without lab 3 must
// still type-check. What it uses of kvraft/, by shape (KVServer and Clerk have these):
interface KvServerLike {
  readonly rf: { getState(): { term: number; isLeader: boolean } };
  kill(): void;
}
interface ClerkLike {
  get(key: string): Promise<string>;
  put(key: string, value: string): Promise<void>;
  append(key: string, value: string): Promise<void>;
}
type StartKvServer = (peers: ClientEnd<object>[], me: number, persister: Persister, maxraftstate: number) => KvServerLike;
type ClerkClass = new (servers: ClientEnd<object>[]) => ClerkLike;

async function loadLab3(): Promise<{ startKVServer: StartKvServer; Clerk: ClerkClass }> {
  const server = new URL("../../kvraft/server.ts", import.meta.url);
  const client = new URL("../../kvraft/client.ts", import.meta.url);
  if (!existsSync(fileURLToPath(server)) || !existsSync(fileURLToPath(client))) {
    fatal("simlab serve kv runs lab 3's kvraft/server.ts and kvraft/client.ts", new Error("this repository does not have them (a handout without lab 3)"));
  }
  const [{ startKVServer }, { Clerk }] = (await Promise.all([import(server.href), import(client.href)])) as [{ startKVServer: StartKvServer }, { Clerk: ClerkClass }];
  return { startKVServer, Clerk };
}

const MAX_BODY_BYTES = 1024 * 1024;
const MAX_CLERKS = 64;
const RAFT_CALL_TIMEOUT_MS = 1_000;
/** Longer than the KV server's own wait for a commit (2 s), so a slow commit is not a failure. */
const KV_CALL_TIMEOUT_MS = 3_000;

const { values } = parseArgs({
  options: {
    id: { type: "string" },
    nodes: { type: "string" },
    port: { type: "string" },
    dir: { type: "string" },
    maxraftstate: { type: "string", default: "65536" },
    "request-timeout": { type: "string", default: "5000" },
    trace: { type: "boolean", default: false },
    "no-fsync": { type: "boolean", default: false },
    volatile: { type: "boolean", default: false },
  },
});
const me = Number(values.id);
const nodes = Number(values.nodes);
const basePort = Number(values.port);
const directory = String(values.dir);
const maxraftstate = Number(values.maxraftstate);
const requestTimeoutMs = Number(values["request-timeout"]);
const httpPortOf = (i: number) => basePort + i;
const rpcPortOf = (i: number) => basePort + 100 + i;
const name = `kv-${me}`;

function logEvent(event: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(JSON.stringify({ time: new Date().toISOString(), node: name, event, ...fields }) + "\n");
}

function fatal(what: string, error: unknown): never {
  logEvent("fatal", { what, error: describeError(error) });
  process.exit(70);
}

let trace: WriteStream | undefined;
if (values.trace) trace = createWriteStream(join(directory, "trace.jsonl"), { flags: "a" });
const traceLine = (record: RealLogRecord): void => {
  let line: string;
  try {
    line = JSON.stringify(record);
  } catch {
    line = JSON.stringify({ ...record, detail: String(record.detail) });
  }
  trace!.write(line + "\n");
};

const { startKVServer, Clerk } = await loadLab3();
const runtime = startRealRuntime({ name, onTaskError: (error) => fatal("a task threw", error), logSink: trace === undefined ? undefined : traceLine });

// --- what /status shows, read off the wire --------------------------------------------------------
let commitIndexSeen = 0;
let voteRequestTerm = -1;
let leaderHeardTerm = -1;
const seeCommit = (args: unknown): void => {
  const commit = (args as { leaderCommit?: unknown }).leaderCommit;
  if (typeof commit === "number" && commit > commitIndexSeen) commitIndexSeen = commit;
};
const watchOutgoing = (method: string, args: unknown): void => {
  if (method === "Raft.appendEntries") seeCommit(args);
  if (method === "Raft.requestVote") voteRequestTerm = Math.max(voteRequestTerm, Number((args as { term?: unknown }).term));
};
const watchIncoming = (method: string, args: unknown): void => {
  if (method !== "Raft.appendEntries") return;
  seeCommit(args);
  leaderHeardTerm = Math.max(leaderHeardTerm, Number((args as { term?: unknown }).term));
};

// --- Raft and the KV server -----------------------------------------------------------------------
const persister = values.volatile ? new Persister() : DiskPersister.open(directory, { fsync: !values["no-fsync"] });
logEvent("recovered", { stateBytes: persister.raftStateSize(), snapshotBytes: persister.snapshotSize(), dir: directory, volatile: values.volatile });
const raftTransport = new TcpTransport({ callTimeoutMs: RAFT_CALL_TIMEOUT_MS, onCall: watchOutgoing });
const peers: ClientEnd<object>[] = Array.from({ length: nodes }, (_, i) => raftTransport.makeEnd(`${name}->raft-${i}`, rpcPortOf(i)));
const kv = startKVServer(peers, me, persister, maxraftstate);
const rpc = await RpcServer.listen(rpcPortOf(me), [new Service("KVServer", kv), new Service("Raft", kv.rf)], {
  onHandlerError: (error, method) => fatal(`the handler of ${method} threw`, error),
  onNotice: (message) => logEvent("rpc-notice", { message }),
  onRequest: watchIncoming,
}).catch((error: unknown) => fatal(`cannot listen for RPCs on port ${rpcPortOf(me)}`, error));

function role(): "leader" | "candidate" | "follower" {
  const { term, isLeader } = kv.rf.getState();
  return isLeader ? "leader" : voteRequestTerm === term && leaderHeardTerm < term ? "candidate" : "follower";
}

function status(): Record<string, unknown> {
  return {
    node: me,
    role: role(),
    term: kv.rf.getState().term,
    commitIndex: commitIndexSeen,
    pid: process.pid,
    httpPort: httpPortOf(me),
    rpcPort: rpcPortOf(me),
    stateBytes: persister.raftStateSize(),
    snapshotBytes: persister.snapshotSize(),
    uptimeMs: Math.round(runtime.now),
  };
}

let lastRole = "";
let lastTerm = -1;
const roleWatch = setInterval(() => {
  const now = { role: role(), term: kv.rf.getState().term };
  if (now.role !== lastRole || now.term !== lastTerm) logEvent("role", now);
  lastRole = now.role;
  lastTerm = now.term;
}, 100);

// --- clerks: one operation in flight each, as the lab's clerks require ----------------------------
const kvTransport = new TcpTransport({ callTimeoutMs: KV_CALL_TIMEOUT_MS });
const kvEnds: ClientEnd<object>[] = Array.from({ length: nodes }, (_, i) => kvTransport.makeEnd<object>(`${name}-clerks->kv-${i}`, rpcPortOf(i)));
const idleClerks: ClerkLike[] = [];
let clerksMade = 0;

function takeClerk(): ClerkLike | undefined {
  const idle = idleClerks.pop();
  if (idle !== undefined) return idle;
  if (clerksMade >= MAX_CLERKS) return undefined;
  clerksMade++;
  return new Clerk(kvEnds);
}

/**
 * Runs `op` on a clerk; resolves to its result, or to "timeout" after the request timeout. A
 * clerk that timed out goes back to the pool only once its operation is done.
 */
async function withClerk<T>(op: (clerk: ClerkLike) => Promise<T>): Promise<{ ok: T } | "busy" | "timeout"> {
  const clerk = takeClerk();
  if (clerk === undefined) return "busy";
  const done = op(clerk).then((value) => {
    idleClerks.push(clerk);
    return { ok: value };
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), requestTimeoutMs)));
  const outcome = await Promise.race([done, deadline]);
  clearTimeout(timer);
  return outcome;
}

// --- HTTP ----------------------------------------------------------------------------------------
function reply(res: ServerResponse, code: number, body: Record<string, unknown>): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

async function clusterStatus(): Promise<unknown[]> {
  return Promise.all(
    Array.from({ length: nodes }, async (_, i) => {
      if (i === me) return status();
      try {
        const response = await fetch(`http://127.0.0.1:${httpPortOf(i)}/status`, { signal: AbortSignal.timeout(1_000) });
        return (await response.json()) as unknown;
      } catch {
        return null;
      }
    }),
  );
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://localhost");
  if (url.pathname === "/status" || url.pathname === "/cluster") {
    if (req.method !== "GET") return reply(res, 405, { error: `${url.pathname} only answers GET.` });
    return reply(res, 200, url.pathname === "/status" ? status() : { nodes: await clusterStatus() });
  }
  if (!url.pathname.startsWith("/kv/")) {
    return reply(res, 404, { error: `no such path ${url.pathname}; the API is GET/PUT/POST /kv/KEY, GET /status and GET /cluster.` });
  }
  let key: string;
  try {
    key = decodeURIComponent(url.pathname.slice("/kv/".length));
  } catch {
    return reply(res, 400, { error: `the key in ${url.pathname} is not valid percent-encoding.` });
  }
  if (key === "") return reply(res, 400, { error: "the key is empty; use /kv/KEY." });
  let outcome: { ok: string | void } | "busy" | "timeout";
  if (req.method === "GET") {
    outcome = await withClerk((clerk) => clerk.get(key));
  } else if (req.method === "PUT" || req.method === "POST") {
    const value = await readBody(req);
    if (value === undefined) return reply(res, 413, { error: `the body is larger than ${MAX_BODY_BYTES} bytes.` });
    outcome = await withClerk((clerk) => (req.method === "PUT" ? clerk.put(key, value) : clerk.append(key, value)));
  } else {
    return reply(res, 405, { error: `/kv/KEY answers GET (read), PUT (set) and POST (append), not ${req.method}.` });
  }
  if (outcome === "busy") return reply(res, 503, { error: `this node already has ${MAX_CLERKS} operations in flight; retry later.` });
  if (outcome === "timeout") {
    return reply(res, 503, { error: `no leader committed the operation within ${requestTimeoutMs} ms; it may still take effect (the outcome is unknown).` });
  }
  return reply(res, 200, req.method === "GET" ? { key, value: outcome.ok } : { key, ok: true });
}

const http = createServer({ keepAlive: true }, (req, res) => {
  handle(req, res).catch((error: unknown) => {
    logEvent("http-error", { error: describeError(error) });
    if (!res.headersSent) reply(res, 500, { error: describeError(error) });
  });
});
http.keepAliveTimeout = 10_000;
await new Promise<void>((resolve) => {
  http.once("error", (error) => fatal(`cannot listen for HTTP on port ${httpPortOf(me)}`, error));
  http.listen(httpPortOf(me), "127.0.0.1", resolve);
});
logEvent("ready", { http: httpPortOf(me), rpc: rpcPortOf(me), pid: process.pid });

// --- clean shutdown --------------------------------------------------------------------------------
let stopping = false;
function shutDown(signal: string): void {
  if (stopping) return;
  stopping = true;
  logEvent("shutdown", { signal });
  setTimeout(() => process.exit(0), 2_000).unref();
  clearInterval(roleWatch);
  http.closeAllConnections();
  http.close();
  raftTransport.close();
  kvTransport.close();
  void rpc.close().then(() => {
    kv.kill();
    runtime.stop();
    trace?.end();
    logEvent("stopped");
    process.exit(0);
  });
}
process.on("SIGTERM", () => shutDown("SIGTERM"));
process.on("SIGINT", () => shutDown("SIGINT"));
// The process that started this node holds the other end of stdin: when it is gone, even by
// kill -9, the pipe closes, and the node does not outlive it.
process.stdin.on("close", () => shutDown("parent gone"));
process.stdin.resume();
