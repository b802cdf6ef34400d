// Observed runs (the debugger page's): the network notes payloads, links, servers and fault
// settings, every failed call says why, and observing changes neither the run nor its hash.
import { describe, expect, it } from "vitest";
import { DropReason, Network, RpcNote, Server, Service, Simulation, sleep, type JournalEntry, type ServiceApi } from "../../sim/index.ts";

class Echo {
  echo(args: { n: number }): { n: number } {
    return { n: args.n + 1 };
  }
  async slow(args: { n: number }): Promise<{ n: number }> {
    await sleep(500);
    return args;
  }
}
type EchoApi = ServiceApi<"Echo", Echo>;

/** One server "s" and one end to it; the body makes calls, disconnects, deletes the server. */
async function runWorld(observe: boolean): Promise<{ sim: Simulation; entries: JournalEntry[] }> {
  const sim = new Simulation({ seed: 3, keepJournal: true, observe });
  const net = new Network(sim);
  net.addServer("s", new Server(sim.createNode("server"), [new Service("Echo", new Echo())]));
  const end = net.makeEnd<EchoApi>("c->s");
  net.connect(end, "s");
  await sim.run(async () => {
    net.enable(end, true);
    await end.call("Echo.echo", { n: 1 });
    net.setReliable(false);
    for (let i = 0; i < 30; i++) await end.call("Echo.echo", { n: i });
    net.setReliable(true);
    net.enable(end, false);
    await end.call("Echo.echo", { n: 2 });
    net.enable(end, true);
    const slow = end.call("Echo.slow", { n: 3 });
    await sleep(10);
    net.deleteServer("s");
    await slow;
  });
  return { sim, entries: sim.journal.all! };
}

const notes = (entries: JournalEntry[], kind: string) => entries.filter((e) => e.kind === kind).map((e) => e.detail);
const rpcNotes = (entries: JournalEntry[], kind: string) => entries.filter((e) => e.kind === kind).map((e) => e.detail as RpcNote);

describe("observed runs", () => {
  it("have the same hash, events and journal entries as unobserved ones, plus the observations", async () => {
    const plain = await runWorld(false);
    const observed = await runWorld(true);
    expect(observed.sim.journal.hash).toBe(plain.sim.journal.hash);
    expect(observed.sim.events).toBe(plain.sim.events);
    const observations = new Set(["link", "server", "faults"]);
    const journaled = observed.entries.filter((e) => !observations.has(e.kind));
    expect(journaled.map((e) => `${e.time} ${e.kind} ${String(e.detail)}`)).toEqual(plain.entries.map((e) => `${e.time} ${e.kind} ${String(e.detail)}`));
    expect(observed.entries.length).toBeGreaterThan(plain.entries.length);
  });

  it("note links, servers and fault settings", async () => {
    const { entries } = await runWorld(true);
    expect(notes(entries, "server")).toEqual([
      { server: "s", node: "server" },
      { server: "s", node: null },
    ]);
    expect(notes(entries, "link")).toEqual([
      { end: "c->s", from: null, to: "s", enabled: true },
      { end: "c->s", from: null, to: "s", enabled: false },
      { end: "c->s", from: null, to: "s", enabled: true },
    ]);
    expect(notes(entries, "faults").map((d) => (d as { reliable: boolean }).reliable)).toEqual([false, true]);
  });

  it("carry the arguments on sends and the replies on replies; unobserved runs carry neither", async () => {
    const observed = await runWorld(true);
    expect(rpcNotes(observed.entries, "send")[0]!.payload).toEqual({ n: 1 });
    expect(rpcNotes(observed.entries, "reply")[0]!.payload).toEqual({ n: 2 });
    const plain = await runWorld(false);
    expect(rpcNotes(plain.entries, "send").every((note) => note.payload === undefined)).toBe(true);
  });

  it("say why each message was dropped and each call failed", async () => {
    const { entries } = await runWorld(false);
    const drops = [...rpcNotes(entries, "drop"), ...rpcNotes(entries, "reply-drop")];
    expect(drops.length).toBeGreaterThan(0);
    expect(drops.every((note) => note.reason === DropReason.lost)).toBe(true);
    const failures = rpcNotes(entries, "rpc-fail").map((note) => note.reason);
    expect(failures).toContain(DropReason.lost);
    expect(failures).toContain(DropReason.disconnected);
    expect(failures.at(-1)).toBe(DropReason.serverGone);
    expect(failures.every((reason) => reason !== undefined)).toBe(true);
    expect(String(rpcNotes(entries, "rpc-fail").at(-1))).toContain("(server gone)");
  });
});
