// The grader can fail: broken servers and bad inputs must fail the KV tests, each with a message
// that says what went wrong.
//   1. A server that acknowledges a Put/Append before Raft commits it (so a leader cut off in a
//      minority acknowledges writes that are then lost) fails a linearizability-checking test with
//      a linearizability message, and its history is saved where the message says.
//   2. A clerk call with a non-string key or value fails with a clear error (both the reference
//      Clerk's own check and the tester's wrappers).
//   3. A server restarted on a corrupt snapshot fails the run with a message naming the node.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkEvents, kvModel, parseJsonLines } from "../../sim/check/index.ts";
import { ackBeforeCommit } from "./ack-before-commit.ts";
import { makeConfig } from "./config.ts";
import { defineTest } from "../harness/define-test.ts";
import { Get, Put, genericTest } from "./generic-test.ts";

const SEED = 1;
const repoRoot = join(import.meta.dirname, "..", "..");

describe("kvraft grader against bad servers", () => {
  it("a server that acknowledges writes before they commit fails the linearizability check", async () => {
    const name = "TestSnapshotUnreliableRecoverConcurrentPartitionLinearizable3B";
    const test = defineTest("3B", name, (t) => genericTest(t, "3B", 15, 7, true, true, true, 1000, true));
    const report = await test.run(SEED, { substitutes: { startKVServer: ackBeforeCommit } });
    expect(report.passed).toBe(false);
    const failure = report.failure!;
    expect(failure).toContain("history is not linearizable");
    expect(failure).toMatch(/key "\d+": its operations cannot be put in any order/);
    expect(failure).toContain("None of the operations that could come next works:");
    expect(failure).toContain(`replay: SEED=${SEED} npm test -- 3B -t "${name}$"`);
    const file = join(repoRoot, ".simlab", "histories", `${name}-seed${SEED}.jsonl`);
    expect(failure).toContain(`${name}-seed${SEED}.jsonl`);
    expect(existsSync(file)).toBe(true);
    // The saved history is the one that failed: checked again from the file, it is still illegal.
    const parsed = parseJsonLines(readFileSync(file, "utf8"), file);
    expect(checkEvents(kvModel, parsed.events as never).verdict).toBe("illegal");
  }, 300_000);

  it("the reference server passes the same test with the same seed", async () => {
    const test = defineTest("3B", "TestSnapshotRecover3B", (t) => genericTest(t, "3B", 1, 5, false, true, false, 1000, false));
    const report = await test.run(SEED);
    expect(report.failure).toBeUndefined();
    expect(report.passed).toBe(true);
  }, 300_000);

  it("a clerk call with a non-string key fails with a clear error", async () => {
    const test = defineTest("3A", "BadKey", async (t) => {
      const cfg = makeConfig(t, 3, false, -1);
      const ck = cfg.makeClient(cfg.all());
      await ck.get(5 as unknown as string);
    });
    const report = await test.run(SEED);
    expect(report.passed).toBe(false);
    expect(report.failure).toContain("Clerk.get: the key must be a string, got number 5");
  });

  it("a clerk call with a non-string value fails with a clear error", async () => {
    const test = defineTest("3A", "BadValue", async (t) => {
      const cfg = makeConfig(t, 3, false, -1);
      const ck = cfg.makeClient(cfg.all());
      await ck.append("k", { v: 1 } as unknown as string);
    });
    const report = await test.run(SEED);
    expect(report.passed).toBe(false);
    expect(report.failure).toContain("Clerk.append: the value must be a string, got object");
  });

  it("the tester's wrappers reject a non-string key or value before calling the clerk", async () => {
    const badValue = defineTest("3A", "BadWrapperValue", async (t) => {
      const cfg = makeConfig(t, 3, false, -1);
      const ck = cfg.makeClient(cfg.all());
      await Put(cfg, ck, "k", 7 as unknown as string, null, -1);
    });
    const r1 = await badValue.run(SEED);
    expect(r1.passed).toBe(false);
    expect(r1.failure).toContain("Put: the value must be a string, got number 7");

    const badKey = defineTest("3A", "BadWrapperKey", async (t) => {
      const cfg = makeConfig(t, 3, false, -1);
      const ck = cfg.makeClient(cfg.all());
      await Get(cfg, ck, null as unknown as string, null, -1);
    });
    const r2 = await badKey.run(SEED);
    expect(r2.passed).toBe(false);
    expect(r2.failure).toContain("Get: the key must be a string, got null");
  });

  it("a server restarted on a corrupt snapshot fails the run, naming the node", async () => {
    const test = defineTest("3B", "CorruptSnapshot", async (t) => {
      const cfg = makeConfig(t, 3, false, 1000);
      const ck = cfg.makeClient(cfg.all());
      for (let i = 0; i < 60; i++) await Put(cfg, ck, String(i), "value " + i, null, -1);
      cfg.shutdownServer(1);
      const saved = cfg.persister(1)!;
      saved.save(saved.readRaftState(), new Uint8Array([0x7b, 0x22, 0xff, 0x00, 0x13])); // not a snapshot
      cfg.startServer(1);
      cfg.connectAll();
      await Get(cfg, ck, "1", null, -1);
    });
    const report = await test.run(SEED);
    expect(report.passed).toBe(false);
    expect(report.failure).toContain("kv-1#1");
    expect(report.failure).toMatch(/snapshot/);
  });
});
