// --trace (JSON lines) and --shiviz (a log ShiViz parses, with vector clocks from the RPCs).
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { simlab } from "./simlab.ts";

describe("exports", () => {
  const dir = mkdtempSync(join(tmpdir(), "simlab-exports-"));
  const trace = join(dir, "run.jsonl");
  const shiviz = join(dir, "run.log");
  const { status, stdout } = simlab(["replay", "TestReElection2A", "--seed", "3", "--nodes", "0", "--trace", trace, "--shiviz", shiviz]);

  test("JSON lines: every journal entry (filters do not apply), RPC notes as their fields", () => {
    expect(status).toBe(0);
    const records = readFileSync(trace, "utf8").trimEnd().split("\n").map((line) => JSON.parse(line));
    expect(stdout).toContain(`trace: ${records.length} events as JSON lines in ${trace}`);
    expect(stdout).toMatch(new RegExp(`: \\d+ of ${records.length} journal entries`));
    for (const record of records) expect(Object.keys(record)).toEqual(["time", "node", "kind", "topic", "detail"]);
    const send = records.find((record) => record.kind === "send");
    expect(Object.keys(send.detail)).toEqual(["rpc", "method", "from", "to"]);
    const delivered = records.find((record) => record.kind === "deliver" && record.detail.rpc === send.detail.rpc);
    expect(delivered?.node).toBe(send.detail.to);
    expect(records.some((record) => record.kind === "log" && record.topic === "tester")).toBe(true);
  });

  test("ShiViz: its regex on line 1 matches every event; clocks are JSON; each host's own entry counts its events", () => {
    const text = readFileSync(shiviz, "utf8");
    const [regexLine, delimiter, ...rest] = text.split("\n");
    expect(regexLine).toBe(String.raw`(?<event>.*)\n(?<host>\S*) (?<clock>{.*})`);
    expect(delimiter).toBe("");
    const body = rest.join("\n");
    // ShiViz's named groups are JavaScript's; the regex runs over the whole log.
    const matches = [...body.matchAll(new RegExp(regexLine!.replace(/\\n/g, "\n"), "g"))];
    const events = readFileSync(trace, "utf8").trimEnd().split("\n").length;
    expect(matches).toHaveLength(events);
    expect(matches.map((m) => m[0]).join("\n")).toBe(body.trimEnd());

    const own = new Map<string, number>();
    const sendClock = new Map<number, Record<string, number>>();
    for (const match of matches) {
      const host = match.groups!.host!;
      const clock = JSON.parse(match.groups!.clock!) as Record<string, number>;
      expect(clock[host]).toBe((own.get(host) ?? 0) + 1);
      own.set(host, clock[host]!);
      const rpc = /^\d+ms (send|deliver) \S+ #(\d+)/.exec(match.groups!.event!);
      if (rpc?.[1] === "send") sendClock.set(Number(rpc[2]), clock);
      if (rpc?.[1] === "deliver") {
        // A delivery knows everything its send knew.
        for (const [h, n] of Object.entries(sendClock.get(Number(rpc[2]))!)) expect(clock[h]).toBeGreaterThanOrEqual(n);
      }
    }
    expect([...own.keys()].sort()).toEqual(["raft-0", "raft-1", "raft-2", "tester"]);
  });
});
