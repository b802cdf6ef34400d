// DiskPersister (sim/real/disk-persister.ts): what it saves survives the process, a kill -9 at
// any instant loses no acknowledged save and never leaves a mixture, and a damaged file is
// refused with a sentence.
import { afterEach, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DiskPersister, STATE_FILE } from "../../sim/real/index.ts";
import { UsageError } from "../../sim/index.ts";

const writer = join(import.meta.dirname, "fixtures", "persister-writer.ts");
const directories: string[] = [];
function freshDirectory(parent = tmpdir()): string {
  const dir = mkdtempSync(join(parent, "simlab-persister-"));
  directories.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of directories.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe("DiskPersister", () => {
  it("a new persister in the same directory reads what the last one saved", () => {
    const dir = freshDirectory();
    const first = DiskPersister.open(dir);
    expect(first.raftStateSize()).toBe(0);
    first.save(bytes("term 3"), bytes("snapshot A"));
    first.save(bytes("term 4")); // without a snapshot: the saved one stays
    const second = DiskPersister.open(dir);
    expect(text(second.readRaftState())).toBe("term 4");
    expect(text(second.readSnapshot())).toBe("snapshot A");
    expect(second.raftStateSize()).toBe(6);
  });

  it("refuses a damaged state file with a sentence naming it", () => {
    const dir = freshDirectory();
    DiskPersister.open(dir).save(bytes("term 3"), bytes("snap"));
    const path = join(dir, STATE_FILE);
    const good = readFileSync(path);
    const flipped = Buffer.from(good);
    flipped[flipped.length - 1] ^= 0xff;
    writeFileSync(path, flipped);
    expect(() => DiskPersister.open(dir)).toThrow(/damaged \(its checksum does not match\)/);
    writeFileSync(path, good.subarray(0, good.length - 2));
    expect(() => DiskPersister.open(dir)).toThrow(UsageError);
    writeFileSync(path, "hello");
    expect(() => DiskPersister.open(dir)).toThrow(/no SLP1 header/);
  });

  it("rejects what is not bytes, and changes nothing then", () => {
    const dir = freshDirectory();
    const p = DiskPersister.open(dir);
    p.save(bytes("a"));
    expect(() => p.save("b" as unknown as Uint8Array)).toThrow(/needs a Uint8Array/);
    expect(text(DiskPersister.open(dir).readRaftState())).toBe("a");
  });

  // SIMLAB_KILLS=200 npx vitest run tests/real/persister.test.ts kills it more often.
  it("a writer killed with SIGKILL at random moments never loses an acknowledged save", async () => {
    const dir = freshDirectory();
    const kills = Number(process.env.SIMLAB_KILLS ?? 10);
    let lastAcknowledged = 0;
    for (let round = 0; round < kills; round++) {
      const acknowledged = await runAndKill(dir, 20 + Math.floor(Math.random() * 150));
      const p = DiskPersister.open(dir); // throws if the file is damaged or mixed
      const state = text(p.readRaftState());
      const n = Number(state.split(" ")[0]);
      // What was saved is exactly one save: both parts carry the same N, and the filler fits N.
      expect(text(p.readSnapshot()).startsWith(`snap ${n} `)).toBe(true);
      expect(state.length).toBe(`${n} `.length + 1000 + ((n * 7919) % 60_000));
      expect(n).toBeGreaterThanOrEqual(Math.max(acknowledged, lastAcknowledged));
      lastAcknowledged = n;
    }
    expect(lastAcknowledged).toBeGreaterThan(kills); // the writer did make progress between kills
  }, 600_000);

  it("the test catches a persister that writes the file in place (it can fail)", async () => {
    const dir = freshDirectory();
    const scratch = freshDirectory(existsSync("/dev/shm") ? "/dev/shm" : tmpdir());
    let damaged = 0;
    for (let round = 0; round < 10 && damaged === 0; round++) {
      await runAndKill(dir, 20 + Math.floor(Math.random() * 150), "in-place", scratch);
      try {
        DiskPersister.open(dir);
      } catch (error) {
        expect(String(error)).toMatch(/is damaged/);
        damaged++;
      }
    }
    expect(damaged).toBe(1);
  }, 120_000);
});

/** Starts the writer, kills it `afterMs` after its first acknowledgment; resolves to the last N it acknowledged. */
function runAndKill(dir: string, afterMs: number, mode?: "in-place", scratch?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", writer, dir, ...(mode === undefined ? [] : [mode, scratch!])], { stdio: ["ignore", "pipe", "pipe"] });
    let acknowledged = 0;
    let killTimer: NodeJS.Timeout | undefined;
    let stderr = "";
    let buffered = "";
    const guard = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.stdout.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop()!;
      for (const line of lines) acknowledged = Number(line.slice("saved ".length));
      killTimer ??= setTimeout(() => child.kill("SIGKILL"), afterMs);
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("exit", (code, signal) => {
      clearTimeout(guard);
      clearTimeout(killTimer);
      if (signal !== "SIGKILL") reject(new Error(`the writer ended with ${code ?? signal} instead of being killed: ${stderr}`));
      else resolve(acknowledged);
    });
  });
}
