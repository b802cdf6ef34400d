// Reading and writing history files: Jepsen etcd logs, Porcupine's KV EDN, our JSON lines.
import { describe, expect, test } from "vitest";
import {
  checkEvents,
  checkOperations,
  HistoryFormatError,
  HistoryRecorder,
  kvHistoryToJsonLines,
  kvModel,
  parseHistory,
  parseJepsenLog,
  parseJsonLines,
  parseKvEdn,
  registerHistoryToJsonLines,
  registerModel,
  unknownOutput,
  type KvInput,
  type KvOutput,
  type Operation,
  type RegisterInput,
  type RegisterOutput,
} from "../../sim/check/index.ts";

const jepsen = (...lines: string[]): string => lines.map((line) => `INFO  jepsen.util - ${line}`).join("\n") + "\n";
const edn = (...lines: string[]): string => lines.join("\n") + "\n";

describe("Jepsen etcd logs", () => {
  test("tabs or spaces; info stays open; a timed-out read returns an unknown output", () => {
    const text = [
      "INFO  jepsen.util - 0\t:invoke\t:write\t3",
      "INFO jepsen.util -   1   :invoke   :cas   [3 4]",
      "INFO  jepsen.util - 2\t:invoke\t:read\tnil",
      "INFO  jepsen.util - 0\t:info\t:write\t:timed-out",
      "INFO  jepsen.util - 1\t:fail\t:cas\t[3 4]",
      "INFO  jepsen.util - 2\t:fail\t:read\t:timed-out",
      "",
    ].join("\n");
    expect(parseJepsenLog(text, "t.log")).toEqual([
      { kind: "call", id: 0, clientId: 0, input: { op: "write", value: 3 } },
      { kind: "call", id: 1, clientId: 1, input: { op: "cas", from: 3, to: 4 } },
      { kind: "call", id: 2, clientId: 2, input: { op: "read" } },
      { kind: "return", id: 1, clientId: 1, output: false },
      { kind: "return", id: 2, clientId: 2, output: unknownOutput },
    ]);
  });

  test("ok lines give the outputs: the value read (null when absent), ok, cas true", () => {
    const events = parseJepsenLog(
      jepsen("0 :invoke :read nil", "0 :ok :read nil", "0 :invoke :write 1", "0 :ok :write 1", "0 :invoke :cas [1 2]", "0 :ok :cas [1 2]", "0 :invoke :read nil", "0 :ok :read 2"),
      "t.log",
    );
    expect(events.filter((e) => e.kind === "return").map((e) => e.kind === "return" && e.output)).toEqual([null, "ok", true, 2]);
    expect(checkEvents(registerModel, events).verdict).toBe("ok");
  });

  test.each([
    ["a line of another shape", jepsen("0 :invoke :read nil") + "WARN something else\n", "t.log line 2: expected \"INFO jepsen.util"],
    ["an unknown operation", jepsen("0 :invoke :frob nil"), "t.log line 1: unknown operation :frob"],
    ["an unreadable value", jepsen("0 :invoke :write x"), `t.log line 1: cannot read the value "x"`],
    ["a value of the wrong shape", jepsen("0 :invoke :cas 3"), "t.log line 1: invoke cas needs [from to]"],
    ["a completion without an invocation", jepsen("0 :ok :read 1"), "t.log line 1: process 0 completes read but has no operation in flight"],
    ["a second invocation in flight", jepsen("0 :invoke :read nil", "0 :invoke :write 1"), "t.log line 2: process 0 invokes write while its read from line 1"],
    ["a completion of another operation", jepsen("0 :invoke :read nil", "0 :ok :write 1"), "t.log line 2: process 0 completes write but its operation in flight (line 1) is read"],
    ["an ok write of another value", jepsen("0 :invoke :write 1", "0 :ok :write 2"), "t.log line 2: ok write needs the value invoked on line 1 (1)"],
  ])("rejects %s with the file and line", (_what, text, message) => {
    expect(() => parseJepsenLog(text, "t.log")).toThrow(HistoryFormatError);
    expect(() => parseJepsenLog(text, "t.log")).toThrow(message);
  });
});

describe("Porcupine KV EDN logs", () => {
  test("get/put/append with any whitespace; outputs are the strings read", () => {
    const events = parseKvEdn(
      edn(
        '{:process 0, :type :invoke, :f :put, :key "1", :value "a"}',
        '{:process 1,  :type :invoke,\t:f :get, :key "1", :value nil}',
        '{:process 0, :type :ok, :f :put, :key "1", :value "a"}',
        '{:process 1, :type :ok, :f :get, :key "1", :value "a"}',
        '{:process 0, :type :invoke, :f :append, :key "1", :value "x 0 1 y"}',
      ),
      "k.txt",
    );
    expect(events).toEqual([
      { kind: "call", id: 0, clientId: 0, input: { op: "put", key: "1", value: "a" } },
      { kind: "call", id: 1, clientId: 1, input: { op: "get", key: "1" } },
      { kind: "return", id: 0, clientId: 0, output: "" },
      { kind: "return", id: 1, clientId: 1, output: "a" },
      { kind: "call", id: 2, clientId: 0, input: { op: "append", key: "1", value: "x 0 1 y" } },
    ]);
  });

  test.each([
    ["a malformed line", edn('{:process 0, :type :invoke, :f :get, :key "1"}'), "k.txt line 1: expected {:process P"],
    ["an unknown operation", edn('{:process 0, :type :invoke, :f :cas, :key "1", :value nil}'), "k.txt line 1: unknown operation :cas"],
    ["an unknown type", edn('{:process 0, :type :done, :f :get, :key "1", :value nil}'), "k.txt line 1: expected {:process P"],
    ["a return without a call", edn('{:process 3, :type :ok, :f :get, :key "1", :value "a"}'), "k.txt line 1: process 3 completes get but has no operation in flight"],
    [
      "a completion on another key",
      edn('{:process 0, :type :invoke, :f :get, :key "1", :value nil}', '{:process 0, :type :ok, :f :get, :key "2", :value ""}'),
      'k.txt line 2: process 0 completes get on key "2" but invoked it on key "1"',
    ],
  ])("rejects %s with the file and line", (_what, text, message) => {
    expect(() => parseKvEdn(text, "k.txt")).toThrow(message);
  });
});

describe("JSON lines", () => {
  test("a recorded KV history survives export and import, and gets the same verdict", () => {
    let now = 0;
    const recorder = new HistoryRecorder<KvInput, KvOutput>(() => now);
    const a = recorder.begin(0, { op: "append", key: "k", value: "x" });
    const b = recorder.begin(1, { op: "get", key: "k" });
    now = 3;
    recorder.end(a, "");
    recorder.end(b, "x");
    recorder.begin(2, { op: "put", key: "j", value: "never seen" });
    now = 4;
    recorder.end(recorder.begin(1, { op: "get", key: "k" }), "");
    const text = kvHistoryToJsonLines(recorder.operations());
    expect(text.split("\n")[0]).toBe('{"process":0,"type":"invoke","f":"append","key":"k","value":"x","time":0}');
    expect(text).toContain('{"process":2,"type":"info","f":"put","key":"j","value":"never seen"}');
    const parsed = parseHistory(text, "h.jsonl");
    expect(parsed.model).toBe("kv");
    expect(parsed.model === "kv" && parsed.events).toEqual([
      { kind: "call", id: 0, clientId: 0, input: { op: "append", key: "k", value: "x" } },
      { kind: "call", id: 1, clientId: 1, input: { op: "get", key: "k" } },
      // Called at 3, the instant the first two return: a call orders first.
      { kind: "call", id: 2, clientId: 2, input: { op: "put", key: "j", value: "never seen" } },
      { kind: "return", id: 0, clientId: 0, output: "" },
      { kind: "return", id: 1, clientId: 1, output: "x" },
      { kind: "call", id: 3, clientId: 1, input: { op: "get", key: "k" } },
      { kind: "return", id: 3, clientId: 1, output: "" },
    ]);
    expect(checkOperations(kvModel, recorder.operations()).verdict).toBe("illegal");
    expect(parsed.model === "kv" && checkEvents(kvModel, parsed.events).verdict).toBe("illegal");
  });

  test("register histories: cas outcomes as ok/fail, reads of an absent value as null", () => {
    let now = 0;
    const recorder = new HistoryRecorder<RegisterInput, RegisterOutput>(() => now++);
    recorder.end(recorder.begin(0, { op: "read" }), null);
    recorder.end(recorder.begin(0, { op: "write", value: 1 }), "ok");
    recorder.end(recorder.begin(1, { op: "cas", from: 2, to: 3 }), false);
    recorder.end(recorder.begin(1, { op: "cas", from: 1, to: 3 }), true);
    recorder.end(recorder.begin(0, { op: "read" }), 3);
    const text = registerHistoryToJsonLines(recorder.operations());
    expect(text).toContain('{"process":1,"type":"fail","f":"cas","value":[2,3],"time":5}');
    const parsed = parseJsonLines(text, "r.jsonl");
    expect(parsed.model).toBe("register");
    expect(parsed.model === "register" && parsed.events.filter((e) => e.kind === "return").map((e) => e.kind === "return" && e.output)).toEqual([
      null,
      "ok",
      false,
      true,
      3,
    ]);
    expect(parsed.model === "register" && checkEvents(registerModel, parsed.events).verdict).toBe("ok");
  });

  test.each([
    ["a line that is not JSON", '{"process":0,', "j.jsonl line 1: this line is not valid JSON"],
    ["an unknown type", '{"process":0,"type":"done","f":"get","key":"k","value":null}', 'j.jsonl line 1: "type" must be "invoke", "ok", "fail" or "info", not "done"'],
    ["an unknown operation", '{"process":0,"type":"invoke","f":"frob","value":null}', 'j.jsonl line 1: f "frob" is not a register operation (read, write, cas) or a key/value one'],
    ["a missing value", '{"process":0,"type":"invoke","f":"get","key":"k"}', 'j.jsonl line 1: "value" is missing'],
    ["a return without a call", '{"process":0,"type":"ok","f":"get","key":"k","value":""}', "j.jsonl line 1: process 0 completes get but has no operation in flight"],
    [
      "times out of order",
      '{"process":0,"type":"invoke","f":"get","key":"k","value":null,"time":5}\n{"process":0,"type":"ok","f":"get","key":"k","value":"","time":4}',
      "j.jsonl line 2: time 4 is earlier than the line before (5)",
    ],
    [
      "models mixed",
      '{"process":0,"type":"invoke","f":"get","key":"k","value":null}\n{"process":1,"type":"invoke","f":"read","value":null}',
      'j.jsonl line 2: f "read" is not a key/value operation',
    ],
  ])("rejects %s with the file and line", (_what, text, message) => {
    expect(() => parseJsonLines(text, "j.jsonl")).toThrow(message);
  });
});

describe("format detection", () => {
  test("from the first non-blank line", () => {
    expect(parseHistory("\n" + jepsen("0 :invoke :read nil"), "a").model).toBe("register");
    expect(parseHistory(edn('{:process 0, :type :invoke, :f :get, :key "1", :value nil}'), "b").model).toBe("kv");
    expect(parseHistory('{"process":0,"type":"invoke","f":"read","value":null}\n', "c").model).toBe("register");
    expect(parseHistory(" \n\n", "d")).toEqual({ model: undefined, events: [] });
    expect(() => parseHistory("\nhello\n", "e.txt")).toThrow("e.txt line 2: cannot tell the format");
  });
});

describe("JSON lines export at equal timestamps", () => {
  test("writes a client's return before its next call at the same instant, and reads it back", () => {
    const ops: Operation<KvInput, KvOutput>[] = [
      { clientId: 1, input: { op: "put", key: "k", value: "a" }, call: 0, output: "", return: 5 },
      { clientId: 1, input: { op: "get", key: "k" }, call: 5, output: "a", return: 9 },
      { clientId: 2, input: { op: "get", key: "k" }, call: 5, output: "a", return: 7 },
    ];
    const text = kvHistoryToJsonLines(ops);
    const parsed = parseJsonLines(text, "equal-times.jsonl");
    expect(parsed.model).toBe("kv");
    if (parsed.model !== "kv") return;
    expect(parsed.events.filter((e) => e.kind === "call")).toHaveLength(3);
    expect(checkEvents(kvModel, parsed.events).verdict).toBe("ok");
  });
});
