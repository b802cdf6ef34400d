// simlab worker --queue redis://HOST:PORT [--jobs K]: a member of a sweeping fleet. It takes jobs
// (chunks of (test, seed) runs, queue-protocol.ts) from the queue of its own code identity, runs
// them in K local worker processes (pool.ts serveChunks: started once, fed as jobs come) and
// reports each chunk's runs back as the job's result; any number of machines may run one. It
// says which sweeps it refuses because they were started from other code, and ends when told
// (Ctrl-C, SIGTERM: the jobs it holds are finished first) or when Redis cannot be reached for
// --wait seconds. If it dies instead (kill -9), its jobs are taken over by other workers.
import { UsageError } from "../../sim/index.ts";
import type { Command } from "./command.ts";
import { defaultJobs, readOptions, wholeNumber } from "./options.ts";
import { serveChunks, type Chunk, type Job } from "./pool.ts";
import {
  announce,
  connectionTo,
  connectLimitMs,
  describePresence,
  loadBullmq,
  lockMs,
  maxStalls,
  me,
  present,
  presenceTtlS,
  queueName,
  readRedisUrl,
  stalledCheckMs,
  within,
  type PresenceClient,
  type QueueJobData,
} from "./queue-protocol.ts";
import { describeIdentity, sameIdentity, sourceIdentity } from "./source-identity.ts";
import type { RunSummary } from "./worker.ts";

const defaultWaitS = 120;

const usage = `usage: simlab worker --queue redis://HOST:PORT [--jobs K] [--wait SECONDS]

Serves the sweeps started with simlab sweep … --queue redis://HOST:PORT, on this machine: takes
their runs from the queue, runs them in K worker processes and sends the results back. Start one
on each machine of the fleet, from a checkout of the same commit as the sweep's: a worker only
takes jobs of sweeps started from the same simlab version and sources (a content hash), and
says which sweeps it refuses. Stop it with Ctrl-C or SIGTERM (it finishes the jobs it holds);
one killed outright loses nothing, as its jobs are taken over by the others within ${(lockMs + stalledCheckMs) / 1000} s.

options:
  --queue URL  the Redis server (redis://HOST:PORT, or redis://:PASSWORD@HOST:PORT/DB)
  --jobs K     worker processes (default: one per core, here ${defaultJobs()})
  --wait S     stop with an error when Redis cannot be reached for S seconds (default ${defaultWaitS})

exit code: 0 stopped when told, 1 lost Redis, 2 bad input`;

export const workerCommand: Command = {
  name: "worker",
  summary: "serve sweeps started with sweep --queue redis://HOST:PORT, from any number of machines",
  usage,
  async run(args) {
    const { values } = readOptions(
      "worker",
      args,
      { queue: { type: "string" }, jobs: { type: "string" }, wait: { type: "string" } },
      { min: 0, max: 0, what: "no positional argument, e.g. simlab worker --queue redis://localhost:6379" },
    );
    if (values.queue === undefined) throw new UsageError("worker needs --queue redis://HOST:PORT, the Redis server the sweeps use (see simlab worker --help).");
    const address = readRedisUrl(String(values.queue));
    const workers = wholeNumber("--jobs", values.jobs, defaultJobs(), 1);
    const waitS = wholeNumber("--wait", values.wait, defaultWaitS, 1);
    return serve(address, workers, waitS);
  },
};

async function serve(address: ReturnType<typeof readRedisUrl>, workers: number, waitS: number): Promise<number> {
  const { Queue, Worker, UnrecoverableError } = await loadBullmq();
  const identity = sourceIdentity();
  const name = queueName(identity);
  const self = me(identity);
  const presenceKey = `simlab:worker:${self.host}:${self.pid}`;

  // The chunks BullMQ handed over, waiting for a free worker process, and the lanes waiting for one.
  const waiting: Chunk[] = [];
  const idleLanes: ((chunk: Chunk | undefined) => void)[] = [];
  let stopping = false;
  const next = (): Promise<Chunk | undefined> | Chunk | undefined => {
    if (waiting.length > 0) return waiting.shift();
    if (stopping) return undefined;
    return new Promise((resolve) => idleLanes.push(resolve));
  };
  const hand = (chunk: Chunk): void => {
    const lane = idleLanes.shift();
    if (lane !== undefined) lane(chunk);
    else waiting.push(chunk);
  };
  const lanes = serveChunks(next, { workers, maxReplacements: Number.MAX_SAFE_INTEGER });

  let lastError = "";
  const noteError = (error: Error): void => {
    lastError = error.message;
  };
  const { connection, giveUp } = connectionTo(address);
  let jobsDone = 0;
  let runsDone = 0;
  const worker = new Worker<QueueJobData, RunSummary[]>(
    name,
    async (job) => {
      const data = job.data;
      if (!sameIdentity(data, identity)) {
        throw new UnrecoverableError(`refused: this job comes from other code (${describeIdentity(data)}) than the worker's (${describeIdentity(identity)})`);
      }
      const runs = await new Promise<RunSummary[]>((resolve) => {
        const results = new Map<Job, RunSummary>();
        hand({
          jobs: data.runs,
          report: (run, summary) => {
            results.set(run, summary);
            if (results.size === data.runs.length) resolve(data.runs.map((one) => results.get(one)!));
          },
        });
      });
      jobsDone++;
      runsDone += runs.length;
      return runs;
    },
    { connection, concurrency: workers, lockDuration: lockMs, stalledInterval: stalledCheckMs, maxStalledCount: maxStalls - 1, name: `${self.host}:${self.pid}`, autorun: false },
  );
  worker.on("error", noteError);
  const queue = new Queue(name, { connection });
  queue.on("error", noteError);

  let exitCode = 0;
  let lastContact = performance.now();
  let ending = false;
  let stop: (code: number) => void = () => undefined;
  const stopped = new Promise<void>((resolve) => {
    stop = (code) => {
      if (ending) return;
      ending = true;
      exitCode = code;
      resolve();
    };
  });
  const onSignal = (): void => stop(0);
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  let client: PresenceClient | undefined;
  try {
    await within(queue.waitUntilReady(), Math.min(connectLimitMs, waitS * 1000), "timeout");
    client = (await queue.getBackend().client) as unknown as PresenceClient;
  } catch {
    exitCode = 2;
    await closeAll();
    throw new UsageError(`cannot reach Redis at ${address.url}${lastError ? ` (${lastError})` : ""}; is redis-server running there?`);
  }
  void worker.run().catch(noteError);
  console.log(`simlab worker ${self.host}:${self.pid}: serving the sweeps of ${describeIdentity(identity)} from ${address.url} (queue ${name}) in ${workers} process${workers === 1 ? "" : "es"}`);

  // Every few seconds: stay present, say which sweeps are refused, and check that Redis answers.
  const refused = new Set<string>();
  const beat = async (): Promise<void> => {
    if (ending) return;
    try {
      await within(
        (async () => {
          await announce(client!, presenceKey, self);
          for (const [key, sweep] of await present(client!, "sweep")) {
            if (sameIdentity(sweep, identity) || refused.has(key)) continue;
            refused.add(key);
            console.log(`refused: sweep ${key.slice("simlab:sweep:".length)} from ${describePresence(sweep)} runs other code than this worker (${describeIdentity(identity)}); this worker takes none of its jobs`);
          }
        })(),
        (presenceTtlS * 1000) / 3,
        "timeout",
      );
      lastContact = performance.now();
    } catch (error) {
      if ((error as Error).message !== "timeout") noteError(error as Error);
    }
    if (!ending && performance.now() - lastContact > waitS * 1000) {
      console.error(`simlab worker: cannot reach Redis at ${address.url} for ${waitS} s${lastError ? ` (${lastError})` : ""}; stopping (the jobs it held go to other workers).`);
      stop(1);
    }
  };
  await beat();
  const heartbeat = setInterval(() => void beat(), 2000);

  await stopped;
  clearInterval(heartbeat);
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  await closeAll();
  console.log(`simlab worker ${self.host}:${self.pid}: stopped after ${jobsDone} job${jobsDone === 1 ? "" : "s"} (${runsDone} runs)`);
  return exitCode;

  /** Finishes the jobs held (unless Redis is gone), leaves the queue and ends the worker processes. */
  async function closeAll(): Promise<void> {
    // The jobs held are finished only when their results can be sent: not when Redis is away.
    const force = exitCode !== 0 || performance.now() - lastContact > 5000;
    await within(worker.close(force), force ? 2000 : 10 * 60_000, "timeout").catch(() => undefined);
    await within((async () => void (await client?.del(presenceKey)))(), 2000, "timeout").catch(() => undefined);
    giveUp();
    await within(queue.close(), 2000, "timeout").catch(() => undefined);
    await within(Promise.all([worker.disconnect(), queue.disconnect()]), 2000, "timeout").catch(() => undefined);
    stopping = true;
    for (const lane of idleLanes.splice(0)) lane(undefined);
    await lanes;
  }
}
