// simlab sweep … --queue redis://HOST:PORT: the producer. It puts the sweep's (test, seed) runs on
// the queue of its code identity in chunks (queue-protocol.ts), then collects each chunk's runs
// as `simlab worker`s finish them — told by BullMQ's completion events, and, every few seconds,
// by looking at each chunk still out, which also finds the chunks Redis lost (it restarted
// without persistence) and puts them back. It draws the progress and resolves to the runs in the jobs'
// order, which sweep.ts prints as a local sweep's table.
//
// Bounded: when Redis cannot be reached, or no run comes back, for `waitS` seconds, the sweep
// stops with an error that says which (and names the workers it refused for running other code);
// when it ends either way its jobs are removed from Redis.
import { randomUUID } from "node:crypto";
import { UsageError } from "../../sim/index.ts";
import type { Job } from "./pool.ts";
import { Progress } from "./progress.ts";
import {
  announce,
  connectionTo,
  connectLimitMs,
  describePresence,
  loadBullmq,
  maxStalls,
  me,
  present,
  queueName,
  readRedisUrl,
  within,
  type PresenceClient,
  type QueueJobData,
} from "./queue-protocol.ts";
import { describeIdentity, sameIdentity, sourceIdentity } from "./source-identity.ts";
import type { RunSummary } from "./worker.ts";

const checkEveryMs = 1000;
/** Every how many checks the chunks still out are looked at one by one. */
const lookEvery = 5;

export async function sweepOverQueue(urlText: string, jobs: readonly Job[], options: { waitS: number }): Promise<RunSummary[]> {
  const address = readRedisUrl(urlText);
  const { Queue, QueueEvents, Job: QueueJob } = await loadBullmq();
  const identity = sourceIdentity();
  const name = queueName(identity);
  const sweep = randomUUID().replaceAll("-", "").slice(0, 12);
  // Chunks as a local pool cuts them for 64 workers, of at most 50 runs: few enough jobs, and each
  // long enough that BullMQ's few milliseconds per job weigh little (at 20 runs a job, 2,000 seeds
  // of 2A ran 12% slower over the queue than in the local pool; at 50, as fast).
  const chunkSize = Math.min(50, Math.max(1, Math.ceil(jobs.length / 64)));
  const chunks = new Map<string, Job[]>();
  for (let i = 0; i < jobs.length; i += chunkSize) chunks.set(`${sweep}-${i / chunkSize}`, jobs.slice(i, i + chunkSize));

  // Errors come again on every reconnection attempt; only the last is kept, for the message.
  let lastError = "";
  const noteError = (error: Error): void => {
    lastError = error.message;
  };
  const { connection, giveUp } = connectionTo(address);
  const queue = new Queue<QueueJobData, RunSummary[]>(name, { connection });
  queue.on("error", noteError);
  const events = new QueueEvents(name, { connection });
  events.on("error", noteError);
  const unreachable = (seconds: number): UsageError =>
    new UsageError(`cannot reach Redis at ${address.url} for ${seconds} s${lastError ? ` (${lastError})` : ""}; is redis-server running there?`);

  const results = new Map<string, RunSummary[]>();
  const progress = new Progress(jobs.length, process.stderr);
  const started = performance.now();
  const refused = new Set<string>();
  let takenOver = 0;
  let requeued = 0;
  const sweepKey = `simlab:sweep:${sweep}`;
  let client: PresenceClient | undefined;
  let lastContact = performance.now();

  // The check loop's pause, cut short by the last result so the sweep ends as soon as it is in.
  let wake = (): void => undefined;
  const record = (id: string, runs: RunSummary[]): void => {
    if (results.has(id) || !chunks.has(id)) return;
    results.set(id, runs);
    for (const run of runs) progress.update(run.passed);
    if (results.size === chunks.size) wake();
  };
  /** Looks at one chunk in Redis: takes its runs when it is done, puts it back when Redis lost it. */
  const look = async (id: string): Promise<void> => {
    const job = await QueueJob.fromId<QueueJobData, RunSummary[]>(queue, id);
    if (results.has(id)) return;
    if (job === undefined) {
      await add([id]);
      requeued++;
      return;
    }
    if (job.finishedOn === undefined) return;
    if (job.stalledCounter > 0) takenOver++;
    if (Array.isArray(job.returnvalue)) return record(id, job.returnvalue);
    // Failed for good: every worker that took it died, maxStalls times over.
    const why = job.failedReason || "its workers failed it";
    record(
      id,
      chunks.get(id)!.map((run) => ({ part: run.part, test: run.test, seed: run.seed, passed: false, virtualMs: 0, events: 0, journalHash: "", pid: 0, ended: "worker ended", failure: `${run.test} failed: the queue gave up on seed ${run.seed} after ${maxStalls} workers stopped while running it (${why})` })),
    );
  };
  const add = (ids: string[]): Promise<unknown> =>
    queue.addBulk(
      ids.map((id) => ({
        name: "runs",
        data: { ...identity, sweep, runs: chunks.get(id)! },
        opts: { jobId: id, attempts: 1, removeOnComplete: { age: 24 * 3600 }, removeOnFail: { age: 24 * 3600 } },
      })),
    );

  try {
    try {
      await within(Promise.all([queue.waitUntilReady(), events.waitUntilReady()]), Math.min(connectLimitMs, options.waitS * 1000), "timeout");
      client = (await queue.getBackend().client) as unknown as PresenceClient;
    } catch {
      throw unreachable(Math.round(Math.min(connectLimitMs, options.waitS * 1000) / 1000));
    }
    await announce(client, sweepKey, me(identity));
    events.on("completed", ({ jobId }) => {
      if (chunks.has(jobId) && !results.has(jobId)) look(jobId).catch(noteError);
    });
    await add([...chunks.keys()]);
    process.stderr.write(`sweep ${sweep}: ${jobs.length} runs in ${chunks.size} jobs on ${address.url} (queue ${name}); start workers with: npx simlab worker --queue ${address.url}\n`);

    lastContact = performance.now();
    let lastProgress = performance.now();
    let doneBefore = 0;
    // Bounded: each pass waits a second, and `waitS` without contact or without progress ends it.
    for (let pass = 1; results.size < chunks.size; pass++) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, checkEveryMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (results.size === chunks.size) break;
      try {
        await within(
          (async () => {
            await announce(client!, sweepKey, me(identity));
            if (pass % lookEvery !== 0) return;
            for (const id of chunks.keys()) if (!results.has(id)) await look(id);
            await noteRefusals(client!);
          })(),
          options.waitS * 1000,
          "timeout",
        );
        lastContact = performance.now();
      } catch (error) {
        if ((error as Error).message !== "timeout") noteError(error as Error);
      }
      const now = performance.now();
      if (results.size > doneBefore) [doneBefore, lastProgress] = [results.size, now];
      if (now - lastContact > options.waitS * 1000) throw unreachable(options.waitS);
      if (now - lastProgress > options.waitS * 1000) {
        const runsDone = [...results.values()].reduce((sum, runs) => sum + runs.length, 0);
        throw new UsageError(
          `no run came back from the queue for ${options.waitS} s (${runsDone} of ${jobs.length} runs done): no worker serves this sweep's code (${describeIdentity(identity)})` +
            `${refused.size > 0 ? `, and ${refused.size} worker${refused.size === 1 ? " runs" : "s run"} other code (see above)` : ""}; start one with npx simlab worker --queue ${address.url}, or give --wait more seconds.`,
        );
      }
    }
  } finally {
    await finish();
  }
  const seconds = (performance.now() - started) / 1000;
  progress.finish(seconds, `the workers of ${address.url}`);
  const notes = [
    takenOver > 0 ? `${takenOver} job${takenOver === 1 ? " was" : "s were"} taken over from a worker that stopped` : "",
    requeued > 0 ? `${requeued} job${requeued === 1 ? " was" : "s were"} lost by Redis and queued again` : "",
  ].filter((note) => note !== "");
  if (notes.length > 0) process.stderr.write(`${notes.join("; ")}\n`);
  const runs = new Map<Job, RunSummary>();
  for (const [id, chunk] of chunks) chunk.forEach((job, i) => runs.set(job, results.get(id)![i]!));
  return jobs.map((job) => runs.get(job)!);

  /** Says once per worker which workers run other code: they take none of this sweep's jobs. */
  async function noteRefusals(presenceClient: PresenceClient): Promise<void> {
    for (const [key, worker] of await present(presenceClient, "worker")) {
      if (sameIdentity(worker, identity) || refused.has(key)) continue;
      refused.add(key);
      process.stderr.write(`refused: worker ${describePresence(worker)} runs other code than this sweep (${describeIdentity(identity)}); it takes none of its jobs (update its checkout to the same commit)\n`);
    }
  }

  /** Removes the sweep's jobs and presence from Redis (when it can be reached) and closes the connections. */
  async function finish(): Promise<void> {
    const cleanup = (async () => {
      // When Redis is away, there is nothing to clean up with.
      if (client === undefined || performance.now() - lastContact > 2 * checkEveryMs) return;
      await client.del(sweepKey);
      for (const id of chunks.keys()) await (await QueueJob.fromId(queue, id))?.remove();
    })();
    await within(cleanup, 5000, "timeout").catch(() => undefined);
    giveUp();
    await within(Promise.all([queue.close(), events.close()]), 3000, "timeout").catch(() => undefined);
    await within(Promise.all([queue.disconnect(), events.disconnect()]), 2000, "timeout").catch(() => undefined);
  }
}
