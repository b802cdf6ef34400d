// Every Porcupine corpus file with an asserted verdict must get it under the default budget.
import { describe, expect, test } from "vitest";
import { loadCorpus } from "./porcupine-corpus.ts";

const corpus = loadCorpus();

describe("Porcupine corpus", () => {
  test("has the 109 files FORMAT.md lists, 108 with a verdict", () => {
    expect(corpus.length).toBe(109);
    expect(corpus.filter((file) => file.expected !== "unknown").length).toBe(108);
  });

  test.each(corpus.filter((file) => file.expected !== "unknown").map((file) => [file.name, file] as const))(
    "%s",
    (_name, file) => {
      expect(file.check().verdict).toBe(file.expected ? "ok" : "illegal");
    },
  );

  test("the empty jepsen/etcd_095.log is linearizable", () => {
    const empty = corpus.find((file) => file.name === "jepsen/etcd_095.log")!;
    expect(empty.operations).toBe(0);
    expect(empty.check().verdict).toBe("ok");
  });
});
