// RPC throughput: many clients calling one server over the simulated network (labrpc in virtual
// time), in wall-clock round trips per second. A round trip is a call that got its reply back;
// on the unreliable network (10% of requests and 10% of replies lost, 0–26 ms extra delay) lost
// calls are not counted, but their cost is.
//
// Every call is encoded and decoded both ways (the codec's copy), counted, scheduled as events and
// journaled, so this is the cost a lab test pays per RPC.
// Usage: npm run bench -- rpc [--reps N] [--clients N] [--calls N]
import { Network, Server, Service, Simulation } from "../sim/index.ts";
import { median, numberOption } from "./support/repetitions.ts";


interface PutAppendArgs {
  key: string;
  value: string;
  op: "Put" | "Append";
  clientId: number;
  seq: number;
}

class KVServer {
  private readonly data = new Map<string, string>();
  putAppend(args: PutAppendArgs): { err: string } {
    const old = args.op === "Append" ? (this.data.get(args.key) ?? "") : "";
    this.data.set(args.key, old + args.value);
    return { err: "OK" };
  }
}

async function roundTrips(reliable: boolean, clients: number, calls: number, seed: number) {
  const sim = new Simulation({ seed });
  const net = new Network(sim);
  net.setReliable(reliable);
  net.addServer("kv", new Server(sim.createNode("kv"), [new Service("KVServer", new KVServer())]));
  let ok = 0;
  let failed = 0;
  const started = performance.now();
  await sim.run(async () => {
    let finished = 0;
    await new Promise<void>((allDone) => {
      for (let c = 0; c < clients; c++) {
        const node = sim.createNode(`clerk-${c}`);
        const end = net.makeEnd(`clerk-${c}`);
        net.connect(end, "kv");
        net.enable(end, true);
        sim.go(async () => {
          for (let i = 0; i < calls; i++) {
            const reply = await end.call("KVServer.putAppend", {
              key: `k${c % 10}`,
              value: `x ${c} ${i} y`,
              op: "Append",
              clientId: c,
              seq: i,
            });
            if (reply === null) failed++;
            else ok++;
          }
          if (++finished === clients) allDone();
        }, node);
      }
    });
  });
  const ms = performance.now() - started;
  return { ok, failed, ms, virtualMs: sim.now };
}

export default async function rpc(args: string[]): Promise<Record<string, unknown>> {
  const reps = numberOption(args, "reps", 5);
  const clients = numberOption(args, "clients", 100);
  const calls = numberOption(args, "calls", 200);

  await roundTrips(true, clients, calls / 4, 99); // warm-up
  await roundTrips(false, clients, calls / 4, 99);

  const reliable: number[] = [];
  const unreliable: number[] = [];
  for (let r = 0; r < reps; r++) {
    const a = await roundTrips(true, clients, calls, r + 1);
    const b = await roundTrips(false, clients, calls, r + 1);
    reliable.push((a.ok / a.ms) * 1000);
    unreliable.push((b.ok / b.ms) * 1000);
    console.log(
      `rep ${r + 1}/${reps}: reliable ${a.ok} round trips in ${a.ms.toFixed(0)} ms (${a.virtualMs} virtual ms); ` +
        `unreliable ${b.ok} ok + ${b.failed} lost in ${b.ms.toFixed(0)} ms (${b.virtualMs} virtual ms)`,
    );
  }
  return {
    bench: "rpc",
    reliable_rps: Math.round(median(reliable)),
    unreliable_rps: Math.round(median(unreliable)),
  };
}
