// Network.holdRequests: a held request waits until the script delivers or drops it, the network
// never lets one go by itself, it holds at most MAX_HELD_REQUESTS, and a run without a rule is the
// run it was before holding existed.
import { describe, expect, it } from "vitest";
import { MAX_HELD_REQUESTS, Network, Server, Service, Simulation, go, sleep, type HoldRule } from "../../sim/index.ts";

interface EchoRun {
  hash: string;
  /** What each call resolved to, by its x, as "y" or "null", in the order they resolved. */
  answers: string[];
  /** The kinds of the journal's network entries, in order ("send #1", "hold #1", …). */
  steps: string[];
  failure: string | undefined;
}

/**
 * `calls` echo calls one ms apart; `script` runs on the tester's node with the network, after they
 * are sent; `rule` holds some of them.
 */
async function echoRun(calls: number, rule?: HoldRule, script?: (net: Network) => Promise<void>): Promise<EchoRun> {
  const sim = new Simulation({ seed: 1, keepJournal: true });
  const net = new Network(sim);
  net.addServer("a", new Server(sim.createNode("server-a"), [new Service("Echo", { double: (args: { x: number }) => ({ y: 2 * args.x }) })]));
  const end = net.makeEnd("c->a", "c");
  net.connect(end, "a");
  net.enable(end, true);
  if (rule !== undefined) net.holdRequests(rule);
  const answers: string[] = [];
  let failure: string | undefined;
  try {
    await sim.run(async () => {
      for (let i = 0; i < calls; i++) {
        go(async () => {
          const reply = (await end.call("Echo.double", { x: i })) as { y: number } | null;
          answers.push(`${i}: ${reply === null ? "null" : reply.y}`);
        });
        await sleep(1);
      }
      await sleep(100);
      await script?.(net);
      await sleep(100);
    });
  } catch (err) {
    failure = String(err);
  }
  const steps = sim.journal.all!
    .filter((e) => ["send", "hold", "deliver", "drop", "reply", "rpc-fail"].includes(e.kind))
    .map((e) => `${e.kind} #${(e.detail as { rpc: number }).rpc}`);
  return { hash: sim.journal.hash, answers, steps, failure };
}

describe("Network.holdRequests", () => {
  it("holds what the rule matches until the script delivers or drops it; the rest goes through", async () => {
    const odd: HoldRule = (_call, args) => (args as { x: number }).x % 2 === 1;
    let heldIds: number[] = [];
    const run = await echoRun(4, odd, async (net) => {
      heldIds = net.heldRequests().map((h) => h.call.id);
      expect(net.heldRequests().map((h) => [h.call.method, h.call.from, h.call.to, h.args])).toEqual([
        ["Echo.double", "c", "a", { x: 1 }],
        ["Echo.double", "c", "a", { x: 3 }],
      ]);
      net.releaseHeld(heldIds[1]!, "deliver");
      net.releaseHeld(heldIds[0]!, "drop");
      expect(net.heldRequests()).toEqual([]);
    });
    expect(run.failure).toBeUndefined();
    // x=3 is answered although it was sent after x=1, and x=1 fails: the script decided.
    expect(run.answers.slice(0, 2).sort()).toEqual(["0: 0", "2: 4"]);
    expect(run.answers.slice(2)).toEqual(["1: null", "3: 6"]);
    expect(run.steps).toContain("hold #2");
    expect(run.steps).toContain("drop #2");
    expect(run.steps.filter((s) => s.endsWith("#4"))).toEqual(["send #4", "hold #4", "deliver #4", "reply #4"]);
  });

  it("never lets a held request go by itself: its call waits", async () => {
    const run = await echoRun(2, () => true);
    expect(run.failure).toBeUndefined();
    expect(run.answers).toEqual([]);
    expect(run.steps).toEqual(["send #1", "hold #1", "send #2", "hold #2"]);
  });

  it(`fails the run when it would hold more than ${MAX_HELD_REQUESTS}`, async () => {
    const run = await echoRun(MAX_HELD_REQUESTS + 1, () => true);
    expect(run.failure).toMatch(new RegExp(`already holds ${MAX_HELD_REQUESTS} requests .* a hold rule matches more messages than the script releases`));
  });

  it("releasing a request that is not held is a usage error naming it", async () => {
    const run = await echoRun(1, undefined, async (net) => net.releaseHeld(7, "deliver"));
    expect(run.failure).toMatch(/no request #7 is held/);
  });

  it("a rule that matches nothing, or no rule, leaves the journal as it was", async () => {
    const plain = await echoRun(5);
    expect((await echoRun(5, () => false)).hash).toBe(plain.hash);
    expect(plain.steps.some((s) => s.startsWith("hold"))).toBe(false);
  });
});
