// The servers' milestone lines as the debugger page's "follow this operation" searches them
// (sim/trace/viz/milestones.ts): the first line after an entry that reaches an index, across a
// restart that starts the indices lower again.
import { describe, expect, it } from "vitest";
import type { JournalEntry } from "../../sim/core/index.ts";
import { collectMilestones, indexInLine, MilestoneList } from "../../sim/trace/viz/milestones.ts";

describe("milestone lines", () => {
  it("read the index a line names", () => {
    expect(indexInLine("leader appends index 17 in term 2")).toBe(17);
    expect(indexInLine("commits through index 9")).toBe(9);
    expect(indexInLine("applies the snapshot through index 36")).toBe(36);
    expect(indexInLine("reindex 3")).toBeUndefined();
  });

  it("find the first line after an entry that reaches an index, in every run of indices", () => {
    // Entries 10…17 apply 1, 2, 3, 5; then a restart applies 1, 2 again, then 6, 7.
    const list = new MilestoneList([10, 11, 12, 13, 14, 15, 16, 17], [1, 2, 3, 5, 1, 2, 6, 7]);
    expect(list.reaching(9, 1)).toBe(10);
    expect(list.reaching(10, 3)).toBe(12);
    expect(list.reaching(10, 4)).toBe(13); // 4 is passed over: 5 reaches it
    expect(list.reaching(13, 2)).toBe(15); // after entry 13: the second run
    expect(list.reaching(13, 6)).toBe(16);
    expect(list.reaching(11, 6)).toBe(16); // the first run never reaches 6
    expect(list.reaching(17, 1)).toBe(-1);
    expect(list.reaching(9, 8)).toBe(-1);
    expect(new MilestoneList([], []).reaching(0, 1)).toBe(-1);
  });

  it("are kept per column and kind, a restarted node's lines with its column's", () => {
    const log = (node: string, topic: string, detail: string): JournalEntry => ({ time: 0, node, kind: "log", topic, detail });
    const entries = [
      log("kv-1", "propose", "leader appends index 4 in term 1"),
      log("kv-1", "vote", "votes for 2 in term 1"),
      log("kv-2", "commit", "commits through index 4"),
      log("kv-1#1", "apply", "applies index 4"),
      log("kv-2", "apply", "applies nothing"),
    ];
    const byColumn = collectMilestones(entries);
    expect([...byColumn.keys()]).toEqual(["kv-1", "kv-2"]);
    expect([...byColumn.get("kv-1")!.propose.entries]).toEqual([0]);
    expect([...byColumn.get("kv-1")!.apply.entries]).toEqual([3]);
    expect([...byColumn.get("kv-2")!.commit.indices]).toEqual([4]);
    expect(byColumn.get("kv-2")!.apply.entries.length).toBe(0);
  });
});
