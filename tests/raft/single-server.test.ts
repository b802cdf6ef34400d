// A Raft of one server is its own majority: it elects itself and commits what it is given, with
// no peer to answer it. (No 6.824 test runs one server; a Raft that commits only when a follower
// replies never commits here.)
import { describe, expect, it } from "vitest";
import { defineTest } from "../harness/define-test.ts";
import { makeConfig } from "./config.ts";

describe("a one-server Raft", () => {
  it("elects itself and commits every command", async () => {
    const test = defineTest("2B", "SingleServer", async (t) => {
      const cfg = makeConfig(t, 1, false, false);
      await cfg.checkOneLeader();
      for (let i = 1; i <= 5; i++) {
        const index = await cfg.one(100 + i, 1, false);
        expect(index).toBe(i);
      }
    });
    const report = await test.run(1);
    expect(report.failure).toBeUndefined();
    expect(report.passed).toBe(true);
  });
});
