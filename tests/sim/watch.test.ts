// Network.watch: an observer sees each call's request as it leaves, the reply as it leaves the
// server, and the call's end at the caller — and watching changes nothing about the run.
import { describe, expect, it } from "vitest";
import { Network, Server, Service, Simulation, go, sleep, type RpcObserver, type WatchedCall } from "../../sim/index.ts";

/** A run of `calls` echo calls, optionally watched; returns its journal hash. */
async function echoRun(seed: number, calls: number, reliable: boolean, observer?: RpcObserver): Promise<string> {
  const sim = new Simulation({ seed });
  const net = new Network(sim);
  if (observer !== undefined) net.watch(observer);
  net.addServer("a", new Server(sim.createNode("server-a"), [
    new Service("Echo", {
      double: (args: { x: number }) => {
        const reply = { y: 2 * args.x };
        args.x = -1; // a handler may change its arguments; what the observer saw stays as sent
        return reply;
      },
    }),
  ]));
  const end = net.makeEnd("c->a", "c");
  net.connect(end, "a");
  net.enable(end, true);
  net.setReliable(reliable);
  await sim.run(async () => {
    for (let i = 0; i < calls; i++) {
      go(() => end.call("Echo.double", { x: i }));
      await sleep(1);
    }
    await sleep(10_000);
  });
  return sim.journal.hash;
}

describe("Network.watch", () => {
  it("shows each call's request, reply and end, with its id, method and both sides", async () => {
    const seen: string[] = [];
    const show = (step: string, call: WatchedCall, value: unknown) =>
      seen.push(`${step} #${call.id} ${call.method} ${call.from}->${call.to} ${call.callerName}->${call.serverName} ${JSON.stringify(value)}`);
    await echoRun(1, 1, true, {
      request: (call, args) => show("request", call, { ...(args as object) }),
      reply: (call, reply) => show("reply", call, reply),
      answer: (call, reply) => show("answer", call, reply),
    });
    expect(seen).toEqual([
      'request #1 Echo.double c->a tester->server-a {"x":0}',
      'reply #1 Echo.double c->a tester->server-a {"y":0}',
      'answer #1 Echo.double c->a tester->server-a {"y":0}',
    ]);
  });

  it("shows a lost reply at the server, and its call's end as null", async () => {
    const replied = new Map<number, unknown>();
    const ended = new Map<number, unknown>();
    await echoRun(3, 200, false, {
      reply: (call, reply) => replied.set(call.id, reply),
      answer: (call, reply) => ended.set(call.id, reply),
    });
    expect(ended.size).toBe(200); // every call ends exactly once
    const lostReplies = [...replied.keys()].filter((id) => ended.get(id) === null);
    const lostRequests = [...ended.keys()].filter((id) => !replied.has(id));
    expect(lostReplies.length).toBeGreaterThan(5); // 10% of replies are lost
    expect(lostRequests.length).toBeGreaterThan(5); // and 10% of requests: no reply at all
    for (const id of lostRequests) expect(ended.get(id)).toBeNull();
  });

  it("leaves the run as it was: the same journal hash, watched or not", async () => {
    const watched = await echoRun(7, 100, false, { request: () => {}, reply: () => {}, answer: () => {} });
    expect(watched).toBe(await echoRun(7, 100, false));
  });
});
