// key2shard is 6.824's: the key's first character code modulo NShards, and shard 0 for "".
import { describe, expect, it } from "vitest";
import { NShards, key2shard } from "../../shardkv/common.ts";

describe("key2shard", () => {
  it("keys '0'..'9' land in shards 8, 9, 0, 1, …, 7: one key per shard", () => {
    const shards = Array.from({ length: 10 }, (_, i) => key2shard(String(i)));
    expect(shards).toEqual([8, 9, 0, 1, 2, 3, 4, 5, 6, 7]);
    expect(new Set(shards).size).toBe(NShards);
  });

  it("only the first character counts; the empty key is in shard 0", () => {
    expect(key2shard("")).toBe(0);
    expect(key2shard("10")).toBe(key2shard("1"));
    expect(key2shard("a")).toBe(97 % NShards);
    expect(key2shard("zebra")).toBe("z".charCodeAt(0) % NShards);
  });
});
