// simlab serve kv, as a user runs it: the HTTP API answers on every node, Ctrl-C (SIGINT) stops
// every node cleanly, and starting again with the same --dir recovers what was written. Every
// process is stopped, also when an expectation fails (the finally blocks, and serve's own
// nodes shut down when their parent's pipe closes).
import { afterAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBasePort } from "../../labs/cli/kv-cluster.ts";

const simlab = join(import.meta.dirname, "..", "..", "labs", "cli", "simlab.mjs");
const dir = mkdtempSync(join(tmpdir(), "simlab-serve-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Serving {
  child: ChildProcess;
  stderr: () => string;
  stdout: () => string;
  exited: Promise<number | null>;
}

/** Starts simlab serve and resolves once it says the nodes are ready. */
function serve(port: number): Promise<Serving> {
  const child = spawn(process.execPath, [simlab, "serve", "kv", "--dir", dir, "--port", String(port)], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  let stdout = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`serve did not get ready within 60 s:\n${stderr}`));
    }, 60_000);
    child.stderr!.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes("ready")) {
        clearTimeout(timer);
        resolve({ child, stderr: () => stderr, stdout: () => stdout, exited });
      }
    });
    child.on("exit", () => {
      clearTimeout(timer);
      reject(new Error(`serve exited before it was ready:\n${stderr}`));
    });
  });
}

/** An HTTP request that retries while the cluster elects its first leader (bounded). */
async function kv(port: number, method: string, key: string, body?: string): Promise<{ status: number; json: Record<string, unknown> }> {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(`http://127.0.0.1:${port}/kv/${key}`, { method, body, signal: AbortSignal.timeout(20_000) });
    const json = (await response.json()) as Record<string, unknown>;
    if (response.status !== 503 || attempt >= 5) return { status: response.status, json };
  }
}

async function stop(serving: Serving): Promise<number | null> {
  serving.child.kill("SIGINT");
  return serving.exited;
}

describe("simlab serve kv", () => {
  it("serves the API on every node, stops cleanly on SIGINT, and recovers its data on restart", async () => {
    const port = randomBasePort();
    const first = await serve(port);
    try {
      expect((await kv(port, "PUT", "greeting", "hello")).json).toEqual({ key: "greeting", ok: true });
      expect((await kv(port + 1, "POST", "greeting", ", world")).json).toEqual({ key: "greeting", ok: true });
      expect((await kv(port + 2, "GET", "greeting")).json).toEqual({ key: "greeting", value: "hello, world" });
      const wrongMethod = await kv(port, "DELETE", "greeting");
      expect(wrongMethod.status).toBe(405);
      expect(String(wrongMethod.json.error)).toMatch(/answers GET \(read\), PUT \(set\) and POST \(append\)/);
      const cluster = (await (await fetch(`http://127.0.0.1:${port}/cluster`)).json()) as { nodes: { role: string; term: number }[] };
      expect(cluster.nodes.map((n) => n.role).filter((r) => r === "leader")).toHaveLength(1);
    } finally {
      expect(await stop(first)).toBe(0);
    }
    expect(first.stderr()).toMatch(/stopped/);
    expect(first.stdout().match(/"event":"stopped"/g)).toHaveLength(3);

    const second = await serve(port);
    try {
      expect((await kv(port + 1, "GET", "greeting")).json).toEqual({ key: "greeting", value: "hello, world" });
    } finally {
      expect(await stop(second)).toBe(0);
    }
  }, 180_000);
});
