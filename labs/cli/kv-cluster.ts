// A local cluster of kv-node.ts processes, and the faults a Jepsen-style test puts on them:
// kill -9 and restart a node, SIGSTOP/SIGCONT it, restart them all. `simlab serve`, `simlab
// jepsen`, tests/real/ and `npm run bench -- real` start their clusters here.
//
//   const cluster = await KvCluster.start({ nodes: 3, dir: "DATA", port: 7380 });
//   const leader = await cluster.waitForLeader(10_000);
//   await cluster.kill(leader); await cluster.restart(leader);
//   await cluster.stop();                           // SIGTERM, then SIGKILL whoever lingers
//
// Every process started here is killed when this process exits, however it exits (a normal end,
// an uncaught error, or — unless the caller handles signals itself, as `simlab serve` does for a
// clean shutdown — SIGINT, SIGTERM or SIGHUP): each node runs in its own process group, and an
// exit handler SIGKILLs every group still alive, synchronously. Should this process die by kill -9,
// which no handler sees, each node notices its stdin close and shuts down. A node is never left
// behind.
//
// Every wait is bounded: a node that does not say "ready" within readyTimeoutMs fails start()
// or restart() with a sentence and its last log lines.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { UsageError } from "../../sim/index.ts";

const nodeProgram = fileURLToPath(new URL("./kv-node.ts", import.meta.url));

export interface KvClusterOptions {
  nodes: number;
  /** Node i keeps its state in dir/node-i. */
  dir: string;
  /** Node i serves HTTP on port+i and RPCs on port+100+i. */
  port: number;
  /** Each JSON log line of every node (default: dropped). */
  onLog?: ((line: string) => void) | undefined;
  /** How long a node may take to start (default 30 s: tsx compiles on a loaded machine). */
  readyTimeoutMs?: number;
  /** Passed to every node. */
  maxraftstate?: number;
  requestTimeoutMs?: number;
  trace?: boolean;
  /** Save without fsync (kv-node.ts --no-fsync): for measuring what fsync costs. */
  noFsync?: boolean;
  /** Keep state in memory only (kv-node.ts --volatile): a broken service, for showing what jepsen catches. */
  volatile?: boolean;
  /** Kill the cluster and exit on SIGINT/SIGTERM/SIGHUP (default true; false: the caller handles them). */
  handleSignals?: boolean;
}

export interface NodeStatus {
  node: number;
  role: "leader" | "candidate" | "follower";
  term: number;
  commitIndex: number;
  pid: number;
}

/**
 * A random base port for a throw-away cluster (tests, benchmarks), so that two at once rarely
 * collide: from 20000 to 32000, below Linux's ephemeral range (32768 and up), where the cluster's
 * own outgoing connections could otherwise be holding the port a node must listen on.
 */
export function randomBasePort(): number {
  return 20_000 + Math.floor(Math.random() * 12_000);
}

/** Every node process alive, of every cluster in this process: the exit handler kills them. */
const alive = new Set<ChildProcess>();
let exitHandlerInstalled = false;
let signalHandlersInstalled = false;

function killEverything(): void {
  for (const child of alive) {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  }
  alive.clear();
}

function installExitHandlers(handleSignals: boolean): void {
  if (!exitHandlerInstalled) process.on("exit", killEverything);
  exitHandlerInstalled = true;
  if (!handleSignals || signalHandlersInstalled) return;
  signalHandlersInstalled = true;
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      killEverything();
      process.exit(128 + (signal === "SIGINT" ? 2 : signal === "SIGTERM" ? 15 : 1));
    });
  }
}

export class KvCluster {
  private readonly children: (ChildProcess | undefined)[];
  private readonly stopped = new Set<number>();
  private readonly recentLines: string[][];

  private constructor(readonly options: KvClusterOptions) {
    this.children = new Array<ChildProcess | undefined>(options.nodes).fill(undefined);
    this.recentLines = Array.from({ length: options.nodes }, () => []);
  }

  /** Starts every node and waits until each says it is ready. */
  static async start(options: KvClusterOptions): Promise<KvCluster> {
    if (!Number.isInteger(options.nodes) || options.nodes < 1 || options.nodes > 9) {
      throw new UsageError(`--nodes must be a whole number from 1 to 9, got ${options.nodes}`);
    }
    if (!Number.isInteger(options.port) || options.port < 1024 || options.port + 100 + options.nodes > 65535) {
      throw new UsageError(`--port must be a whole number from 1024 to ${65535 - 100 - options.nodes}, got ${options.port}`);
    }
    installExitHandlers(options.handleSignals ?? true);
    const cluster = new KvCluster(options);
    try {
      await Promise.all(Array.from({ length: options.nodes }, (_, i) => cluster.launch(i)));
    } catch (error) {
      cluster.killAll();
      throw error;
    }
    return cluster;
  }

  get size(): number {
    return this.options.nodes;
  }

  httpPort(i: number): number {
    return this.options.port + i;
  }

  isRunning(i: number): boolean {
    return this.children[i] !== undefined;
  }

  isStopped(i: number): boolean {
    return this.stopped.has(i);
  }

  /** kill -9: the node dies at once, in the middle of whatever it was doing. */
  async kill(i: number): Promise<void> {
    const child = this.children[i];
    if (child === undefined) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    process.kill(-child.pid!, "SIGKILL");
    await exited;
  }

  /** Starts a killed node again, from its directory. */
  async restart(i: number): Promise<void> {
    if (this.children[i] !== undefined) throw new Error(`node ${i} is still running; kill it first`);
    await this.launch(i);
  }

  /** SIGSTOP: the node freezes (no timers, no replies) but keeps its sockets. */
  pause(i: number): void {
    const child = this.children[i];
    if (child === undefined || this.stopped.has(i)) return;
    process.kill(-child.pid!, "SIGSTOP");
    this.stopped.add(i);
  }

  /** SIGCONT: a frozen node carries on. */
  resume(i: number): void {
    const child = this.children[i];
    this.stopped.delete(i);
    if (child !== undefined) process.kill(-child.pid!, "SIGCONT");
  }

  /** A node's /status, or undefined if it does not answer within `timeoutMs`. */
  async status(i: number, timeoutMs = 1_000): Promise<NodeStatus | undefined> {
    if (this.children[i] === undefined || this.stopped.has(i)) return undefined;
    try {
      const response = await fetch(`http://127.0.0.1:${this.httpPort(i)}/status`, { signal: AbortSignal.timeout(timeoutMs) });
      return (await response.json()) as NodeStatus;
    } catch {
      return undefined;
    }
  }

  /** The node that says it leads (in the highest term), polling until `timeoutMs` passes. */
  async waitForLeader(timeoutMs: number): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      const statuses = await Promise.all(Array.from({ length: this.size }, (_, i) => this.status(i)));
      const leaders = statuses.filter((s): s is NodeStatus => s?.role === "leader").sort((a, b) => b.term - a.term);
      if (leaders.length > 0) return leaders[0]!.node;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no node said it was the leader within ${timeoutMs} ms`);
  }

  /** Stops every node: SIGCONT and SIGTERM, then SIGKILL for any still alive after `graceMs`. */
  async stop(graceMs = 5_000): Promise<void> {
    const exits = this.children.map((child, i) => {
      if (child === undefined) return Promise.resolve();
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      this.resume(i);
      child.kill("SIGTERM");
      return exited;
    });
    const timer = setTimeout(() => this.killAll(), graceMs);
    await Promise.all(exits);
    clearTimeout(timer);
  }

  /** SIGKILL for every node of this cluster still alive, without waiting. */
  killAll(): void {
    for (const child of this.children) {
      if (child === undefined) continue;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    }
  }

  private launch(i: number): Promise<void> {
    const { options } = this;
    const args = ["--import", "tsx", nodeProgram, "--id", String(i), "--nodes", String(options.nodes), "--port", String(options.port), "--dir", join(options.dir, `node-${i}`)];
    if (options.maxraftstate !== undefined) args.push("--maxraftstate", String(options.maxraftstate));
    if (options.requestTimeoutMs !== undefined) args.push("--request-timeout", String(options.requestTimeoutMs));
    if (options.trace) args.push("--trace");
    if (options.noFsync) args.push("--no-fsync");
    if (options.volatile) args.push("--volatile");
    const child = spawn(process.execPath, args, { detached: true, stdio: ["pipe", "pipe", "pipe"] }); // stdin: the node stops when it closes
    this.children[i] = child;
    this.stopped.delete(i);
    alive.add(child);
    const recent = this.recentLines[i]!;
    recent.length = 0;
    return new Promise<void>((resolve, reject) => {
      let ready = false;
      let buffered = "";
      const onLine = (line: string): void => {
        recent.push(line);
        if (recent.length > 20) recent.shift();
        options.onLog?.(line);
        if (!ready && line.includes('"event":"ready"')) {
          ready = true;
          clearTimeout(timer);
          resolve();
        }
      };
      const timeoutMs = options.readyTimeoutMs ?? 30_000;
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`node ${i} did not say ready within ${timeoutMs} ms; its last lines:\n${recent.join("\n")}`));
      }, timeoutMs);
      child.stdout!.on("data", (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split("\n");
        buffered = lines.pop()!;
        for (const line of lines) if (line !== "") onLine(line);
      });
      child.stderr!.on("data", (chunk: Buffer) => {
        for (const line of chunk.toString().split("\n")) if (line.trim() !== "") onLine(JSON.stringify({ node: `kv-${i}`, event: "stderr", line }));
      });
      child.once("exit", (code, signal) => {
        alive.delete(child);
        if (this.children[i] === child) this.children[i] = undefined;
        this.stopped.delete(i);
        if (!ready) {
          clearTimeout(timer);
          reject(new Error(`node ${i} exited (${signal ?? `code ${code}`}) before it was ready; its last lines:\n${recent.join("\n")}`));
        }
      });
    });
  }
}
