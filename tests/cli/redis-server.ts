// A real redis-server (Debian's package) for the queue's tests: each test file starts its own, on
// a free port, in a temporary folder, without persistence, as a child process it stops when it
// is done (also when a test failed) — and can kill and start again on the same port, as a Redis
// that restarts. Where redis-server is missing, the tests are skipped with the reason printed —
// except under CI (CI=true), where they must run: .ci/run installs it first, and a CI without it
// fails.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const redisServerPath = process.env.SIMLAB_REDIS_SERVER ?? "redis-server";

/** Why the queue tests cannot run here, or undefined when they can. */
export function redisMissing(): string | undefined {
  if (spawnSync(redisServerPath, ["--version"], { encoding: "utf8" }).status === 0) return undefined;
  const reason = `the queue tests need ${redisServerPath} (apt-get install redis-server, or set SIMLAB_REDIS_SERVER)`;
  if (process.env.CI === "true") throw new Error(`${reason}; under CI they must run, and .ci/run installs it.`);
  console.warn(`skipped: ${reason}.`);
  return reason;
}

export class RedisServer {
  private child: ChildProcess | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), "simlab-redis-"));

  private constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await freePort());
    await server.restart();
    return server;
  }

  /** Starts redis-server (again, on the same port, empty); resolves once it accepts connections. */
  async restart(): Promise<void> {
    await this.stop();
    const child = spawn(redisServerPath, ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", this.dir], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    let output = "";
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start on port ${this.port} within 10 s:\n${output}`)), 10_000);
      child.stdout!.setEncoding("utf8").on("data", (text: string) => {
        output += text;
        if (output.includes("Ready to accept connections")) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (code ${code}) on port ${this.port}:\n${output}`));
      });
    });
    child.removeAllListeners("exit");
  }

  /** Kills redis-server outright (kill -9: nothing saved); resolves once it has exited. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.on("exit", () => resolve());
      child.kill("SIGKILL");
    });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
