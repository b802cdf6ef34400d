// `simlab viz --history FILE`: the page of a saved key/value history alone (no run), with each
// key's verdict; read back here from the HTML file the way the page reads it.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { kvHistoryToJsonLines, registerHistoryToJsonLines, type KvInput, type KvOutput, type Operation } from "../../sim/check/index.ts";
import { unpackPageData } from "../../sim/trace/viz/packed-data.ts";
import { simlab, usageError } from "./simlab.ts";

const dir = mkdtempSync(join(tmpdir(), "simlab-viz-history-"));
const op = (clientId: number, input: KvInput, output: KvOutput, call: number, ret: number): Operation<KvInput, KvOutput> => ({ clientId, input, output, call, return: ret });

describe("simlab viz --history", () => {
  test("writes the page of a saved history: its operations and the illegal key's verdict", () => {
    const history = join(dir, "lost-append.jsonl");
    writeFileSync(
      history,
      kvHistoryToJsonLines([
        op(0, { op: "put", key: "a", value: "1" }, "", 0, 10),
        op(0, { op: "append", key: "b", value: "x" }, "", 20, 30),
        op(1, { op: "append", key: "b", value: "y" }, "", 21, 31),
        op(2, { op: "get", key: "b" }, "x", 40, 50),
      ]),
    );
    const page = join(dir, "lost-append.html");
    const { status, stdout, stderr } = simlab(["viz", "--history", history, "--out", page]);
    expect(status, stdout + stderr).toBe(0);
    expect(stdout).toContain(`${history}: 4 operations, keys not linearizable: b`);
    expect(stdout).toContain(`viz: wrote ${page}`);

    const html = readFileSync(page, "utf8");
    const packed = /<script id="simlab-data" type="application\/gzip\+base64">([^<]*)<\/script>/.exec(html)![1]!;
    const data = unpackPageData(new Uint8Array(gunzipSync(Buffer.from(packed, "base64"))));
    expect(data.header.test).toBe(history);
    expect(data.header.passed).toBe(false);
    expect(data.header.timeUnit).toBe("position in the file");
    expect(data.ops.row.length).toBe(4);
    expect(data.events.time.length).toBe(8);
    expect(data.verdicts.map((v) => [v.key, v.verdict])).toEqual([["a", "ok"], ["b", "illegal"]]);
    expect(data.verdicts[1]!.illegalNext.length).toBeGreaterThan(0);
  });

  test("refuses a register history, a test beside the file, and a file that is not there", () => {
    const registers = join(dir, "registers.jsonl");
    writeFileSync(registers, registerHistoryToJsonLines([{ clientId: 0, input: { op: "write", value: 1 }, output: "ok", call: 0, return: 1 }]));
    expect(usageError(["viz", "--history", registers])).toContain(`viz --history shows key/value histories; ${registers} holds register operations.`);
    expect(usageError(["viz", "--history", registers, "TestBasic3A"])).toContain("viz --history takes no test and no --seed (see simlab viz --help).");
    expect(usageError(["viz", "--history", join(dir, "missing.jsonl")])).toContain("there is no such file");
  });
});
