// `simlab sweep --queue` and `simlab worker` against a real redis-server on localhost: two workers
// give the local sweep's table and its runs one by one; a worker killed with kill -9 in the
// middle of a run loses nothing and counts nothing twice; a Redis that restarts (empty) mid-sweep
// is resumed, one that is gone stops the sweep and the workers with a message, in bounded time;
// a worker running other code is refused, on both sides. The fixture part XW (fixtures/
// slow-part.ts: a second or so of real time per run, failing on multiples of 3) makes "in the
// middle of a run" certain.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { RedisServer, redisMissing } from "./redis-server.ts";
import { extraParts, simlab, simlabBin, usageError, type Outcome } from "./simlab.ts";

const cwd = mkdtempSync(join(tmpdir(), "simlab-queue-"));
const slowPart = fileURLToPath(new URL("./fixtures/slow-part.ts", import.meta.url));
const parts = `${extraParts}${delimiter}${slowPart}`;
const env = (more: Record<string, string> = {}): NodeJS.ProcessEnv => ({ ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", SIMLAB_EXTRA_PARTS: parts, ...more });

/** A simlab process left running (a worker, a sweep), its output as it comes, stopped in afterAll. */
class Running {
  readonly child: ChildProcess;
  stdout = "";
  stderr = "";
  readonly ended: Promise<Outcome>;

  constructor(args: string[], more: Record<string, string> = {}) {
    this.child = spawn(process.execPath, [simlabBin, ...args], { cwd, env: env(more), stdio: ["ignore", "pipe", "pipe"] });
    this.child.stdout!.setEncoding("utf8").on("data", (text: string) => (this.stdout += text));
    this.child.stderr!.setEncoding("utf8").on("data", (text: string) => (this.stderr += text));
    this.ended = new Promise((resolve) => this.child.on("exit", (status) => resolve({ status, stdout: this.stdout, stderr: this.stderr })));
    running.push(this);
  }

  /** Resolves when the output so far matches; fails after limitMs. */
  async waitFor(pattern: RegExp, limitMs = 60_000): Promise<RegExpMatchArray> {
    for (const end = Date.now() + limitMs; Date.now() < end; await pause(100)) {
      const match = pattern.exec(this.stdout + this.stderr);
      if (match !== null) return match;
      if (this.child.exitCode !== null) break;
    }
    throw new Error(`no ${pattern} in the output of simlab ${this.child.spawnargs.slice(2).join(" ")}:\n${this.stdout}${this.stderr}`);
  }

  kill(signal: NodeJS.Signals): Promise<Outcome> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.ended;
  }
}

const running: Running[] = [];
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const missing = redisMissing();
let redis: RedisServer;

/** The runs of a shard file, the worker's pid aside: what must be the same wherever they ran. */
function runsOf(file: string): unknown[] {
  return (JSON.parse(readFileSync(join(cwd, file), "utf8")).runs as Record<string, unknown>[]).map(({ pid: _pid, ...run }) => run);
}
const withoutFileName = (stdout: string): string => stdout.replace(/saved in \S+/, "saved in FILE");

/** A worker, once it serves; resolves to it and the name of its queue. */
async function startWorker(more: Record<string, string> = {}, args: string[] = []): Promise<{ worker: Running; queue: string; name: string }> {
  const worker = new Running(["worker", "--queue", redis.url, "--jobs", "1", ...args], more);
  const [, name, queue] = await worker.waitFor(/simlab worker (\S+): serving .* \(queue (\S+)\)/);
  return { worker, queue: queue!, name: name! };
}

async function stopAll(): Promise<void> {
  await Promise.all(running.splice(0).map((one) => one.kill("SIGKILL")));
}

const redisCli = (...args: string[]): string => execFileSync("redis-cli", ["-p", String(redis.port), ...args], { encoding: "utf8" }).trim();

/** The job a worker is running now, by BullMQ's record of who took it. */
async function jobRunBy(queue: string, workerName: string, limitMs = 60_000): Promise<string> {
  const cli = redisCli;
  for (const end = Date.now() + limitMs; Date.now() < end; await pause(50)) {
    for (const id of cli("lrange", `bull:${queue}:active`, "0", "-1").split("\n").filter((line) => line !== "")) {
      if (cli("hget", `bull:${queue}:${id}`, "pb") === workerName) return id;
    }
  }
  throw new Error(`worker ${workerName} took no job within ${limitMs / 1000} s`);
}

describe.skipIf(missing !== undefined)("sweeps over a Redis queue", () => {
  let local2A: Outcome;
  let localXW: Outcome;

  beforeAll(async () => {
    redis = await RedisServer.start();
    local2A = simlab(["sweep", "2A", "--seeds", "3", "--jobs", "2", "--out", "local-2A.json"], { cwd });
    localXW = simlab(["sweep", "XW", "--seeds", "4", "--jobs", "2", "--out", "local-XW.json"], { cwd, env: { SIMLAB_EXTRA_PARTS: parts } });
    expect(local2A.status).toBe(0);
    expect(localXW.status).toBe(1);
  }, 120_000);

  afterAll(async () => {
    await stopAll();
    await redis?.stop();
  });

  test("two workers: the local sweep's table, and its runs one by one", async () => {
    await Promise.all([startWorker(), startWorker()]);
    const sweep = new Running(["sweep", "2A", "--seeds", "3", "--queue", redis.url, "--out", "queue-2A.json"]);
    const { status, stdout, stderr } = await sweep.ended;
    expect(stdout).toBe(local2A.stdout);
    expect(stderr).toMatch(/^sweep [0-9a-f]{12}: 9 runs in 9 jobs on redis:\/\/127\.0\.0\.1:\d+ \(queue simlab-\S+\); start workers with: npx simlab worker --queue redis:\/\/127\.0\.0\.1:\d+\n9 runs in \d+\.\d s on the workers of redis:\/\/127\.0\.0\.1:\d+ \(\d+\.\d runs\/s\), 0 failed\n$/);
    expect(status).toBe(0);
    expect(runsOf("queue-2A.json")).toEqual(runsOf("local-2A.json"));
    // The sweep cleaned up after itself: no job of it is left in Redis.
    const sweepId = /^sweep ([0-9a-f]{12}):/.exec(stderr)![1]!;
    expect(redisCli("--scan", "--pattern", `bull:*:${sweepId}-*`)).toBe("");
    await stopAll();
  }, 120_000);

  test("a worker killed with kill -9 in the middle of a run: its job is taken over, nothing lost or counted twice", async () => {
    const [a] = await Promise.all([startWorker(), startWorker()]);
    const sweep = new Running(["sweep", "XW", "--seeds", "4", "--queue", redis.url, "--out", "queue-XW.json"]);
    await jobRunBy(a.queue, a.name);
    await a.worker.kill("SIGKILL");
    const { status, stdout, stderr } = await sweep.ended;
    expect(stderr).toContain("1 job was taken over from a worker that stopped");
    expect(withoutFileName(stdout)).toBe(withoutFileName(localXW.stdout));
    expect(stdout).toMatch(/^TestSlowXW +4 +1 +25\.0% /m);
    expect(status).toBe(1);
    expect(runsOf("queue-XW.json")).toEqual(runsOf("local-XW.json"));
    await stopAll();
  }, 180_000);

  test("Redis restarting empty mid-sweep: the lost jobs are queued again and the sweep ends as a local one", async () => {
    const { worker, queue, name } = await startWorker();
    const sweep = new Running(["sweep", "XW", "--seeds", "4", "--queue", redis.url, "--out", "restarted-XW.json"]);
    await jobRunBy(queue, name);
    await redis.restart();
    const { status, stdout, stderr } = await sweep.ended;
    expect(stderr).toMatch(/\d+ jobs? (was|were) lost by Redis and queued again/);
    expect(withoutFileName(stdout)).toBe(withoutFileName(localXW.stdout));
    expect(status).toBe(1);
    expect(runsOf("restarted-XW.json")).toEqual(runsOf("local-XW.json"));
    expect(worker.child.exitCode).toBeNull();
    await stopAll();
  }, 180_000);

  test("Redis gone for good: the sweep and the worker stop with a message within --wait", async () => {
    const { worker, queue, name } = await startWorker({}, ["--wait", "3"]);
    const sweep = new Running(["sweep", "XW", "--seeds", "4", "--queue", redis.url, "--wait", "3"]);
    await jobRunBy(queue, name);
    await redis.stop();
    const stoppedAt = Date.now();
    const [swept, served] = await Promise.all([sweep.ended, worker.ended]);
    expect(Date.now() - stoppedAt).toBeLessThan(30_000);
    expect(swept.stderr).toMatch(/^simlab: cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+ for 3 s \(.+\); is redis-server running there\?$/m);
    expect(swept.stdout).toBe("");
    expect(swept.status).toBe(2);
    expect(served.stderr).toMatch(/^simlab worker: cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+ for 3 s \(.+\); stopping \(the jobs it held go to other workers\)\.$/m);
    expect(served.status).toBe(1);
    await redis.restart();
  }, 120_000);

  test("a worker running other code is refused: it takes no job, and both sides say so", async () => {
    const other = join(cwd, "another-part.ts");
    writeFileSync(other, "// another lab's code: the worker's sources differ from the sweep's\nexport const parts = {};\n");
    const { worker } = await startWorker({ SIMLAB_EXTRA_PARTS: `${parts}${delimiter}${other}` });
    const sweep = new Running(["sweep", "XF", "--seeds", "2", "--queue", redis.url, "--wait", "8"]);
    const { status, stdout, stderr } = await sweep.ended;
    expect(stderr).toMatch(/^refused: worker \S+ \(pid \d+, simlab \S+, sources [0-9a-f]{12}\) runs other code than this sweep \(simlab \S+, sources [0-9a-f]{12}\); it takes none of its jobs/m);
    expect(stderr).toMatch(/^simlab: no run came back from the queue for 8 s \(0 of 2 runs done\): no worker serves this sweep's code .*, and 1 worker runs other code \(see above\)/m);
    expect(stdout).toBe("");
    expect(status).toBe(2);
    await worker.waitFor(/^refused: sweep [0-9a-f]{12} from \S+ \(pid \d+, .*\) runs other code than this worker .*; this worker takes none of its jobs$/m);
    await stopAll();
  }, 120_000);
});

describe("the queue's bad input, with or without Redis", () => {
  test("one sentence each, exit code 2", () => {
    expect(usageError(["sweep", "2A", "--seeds", "2", "--queue", "http://localhost:6379"])).toBe('simlab: --queue needs a Redis address such as redis://localhost:6379 (or redis://:PASSWORD@HOST:PORT/DB), not "http://localhost:6379".');
    expect(usageError(["sweep", "2A", "--seeds", "2", "--queue", "redis://localhost:1", "--shard", "1/2"])).toBe("simlab: sweep --queue hands every run to the queue's workers, so it takes neither --shard nor --jobs (give --jobs to simlab worker).");
    expect(usageError(["sweep", "2A", "--seeds", "2", "--wait", "5"])).toBe("simlab: --wait goes with --queue (see simlab sweep --help).");
    expect(usageError(["worker", "--jobs", "2"])).toBe("simlab: worker needs --queue redis://HOST:PORT, the Redis server the sweeps use (see simlab worker --help).");
    expect(usageError(["worker", "--queue", "redis://127.0.0.1:1", "--wait", "1"])).toMatch(/^simlab: cannot reach Redis at redis:\/\/127\.0\.0\.1:1 \(connect ECONNREFUSED 127\.0\.0\.1:1\); is redis-server running there\?$/);
  }, 120_000);
});
