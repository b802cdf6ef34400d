// A short real-cluster run, as CI can afford it: 3 OS processes running simlab's Raft and KV
// server, ~10 s of load from 5 HTTP clients, a kill -9 of the leader and its restart; then no
// acknowledged write may be missing and the history must be linearizable. Every process is
// stopped, also when the run fails (runJepsen stops the cluster in a finally; the exit handler
// of kv-cluster.ts kills whatever is left if this worker dies), and the test checks the ports
// are free afterwards. Timeouts are generous: a loaded 2-core machine starts tsx slowly.
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, readFileSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { kvHistoryToJsonLines, parseJsonLines, unknownOutput } from "../../sim/check/index.ts";
import { runJepsen } from "../../labs/cli/kv-jepsen-run.ts";
import { randomBasePort } from "../../labs/cli/kv-cluster.ts";
import { lostAcknowledgedAppends, percentile, type KvOperation } from "../../labs/cli/kv-workload.ts";

const dir = mkdtempSync(join(tmpdir(), "simlab-cluster-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    socket.on("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.on("error", () => resolve(true));
  });
}

describe("a real 3-node cluster", () => {
  it("loses no acknowledged write and stays linearizable through a kill -9 of the leader", async () => {
    const port = randomBasePort();
    const lines: string[] = [];
    const result = await runJepsen({
      nodes: 3,
      dir,
      port,
      durationMs: 10_000,
      clients: 5,
      keys: 3,
      faults: ["kill"],
      faultEveryMs: 3_000,
      downMs: 1_500,
      onLog: (line) => lines.push(line),
    });
    for (let i = 0; i < 3; i++) {
      expect(await portIsFree(port + i)).toBe(true);
      expect(await portIsFree(port + 100 + i)).toBe(true);
    }
    expect(result.faults.filter((f) => f.fault === "kill").length).toBeGreaterThanOrEqual(1);
    expect(lines.some((line) => line.includes('"event":"recovered"') && !line.includes('"stateBytes":0'))).toBe(true); // a restart read its disk
    expect(result.completed).toBeGreaterThan(20);
    expect(result.lost).toEqual([]);
    expect(result.check.verdict).toBe("ok");
    // The history round-trips through the file format simlab check and viz --history read.
    const file = join(dir, "history.jsonl");
    writeFileSync(file, kvHistoryToJsonLines(result.operations));
    expect(parseJsonLines(readFileSync(file, "utf8"), file).model).toBe("kv");
  }, 120_000);
});

describe("a real cluster that forgets on restart (--volatile)", () => {
  it("is caught: lost acknowledged writes, and a history that is not linearizable", async () => {
    const volatileDir = mkdtempSync(join(tmpdir(), "simlab-volatile-"));
    try {
      const result = await runJepsen({
        nodes: 3,
        dir: volatileDir,
        port: randomBasePort(),
        durationMs: 6_000,
        clients: 5,
        keys: 3,
        faults: ["restart-all"],
        faultEveryMs: 3_000,
        downMs: 500,
        volatile: true,
      });
      expect(result.faults.map((f) => f.fault)).toEqual(["restart-all"]);
      expect(result.lost.length).toBeGreaterThan(0);
      expect(result.check.verdict).toBe("illegal");
    } finally {
      rmSync(volatileDir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe("the workload's accounting", () => {
  const op = (key: string, value: string, output: string | typeof unknownOutput): KvOperation => ({
    clientId: 0,
    input: { op: "append", key, value },
    call: 0,
    output,
    return: output === unknownOutput ? Infinity : 1,
  });

  it("counts an acknowledged append that no final read contains as lost, and only that", () => {
    const history = [op("a", "c0.1;", ""), op("a", "c0.2;", ""), op("b", "c1.1;", unknownOutput)];
    expect(lostAcknowledgedAppends(history, new Map([["a", "c0.1;"], ["b", ""]]))).toEqual([history[1]]);
    expect(lostAcknowledgedAppends(history, new Map([["a", "c0.2;c0.1;"], ["b", ""]]))).toEqual([]);
  });

  it("percentiles by nearest rank", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(values, 50), percentile(values, 99), percentile(values, 100)]).toEqual([50, 99, 100]);
    expect(percentile([], 50)).toBeNaN();
  });
});
