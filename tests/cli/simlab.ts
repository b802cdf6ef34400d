// Runs the simlab CLI as a student does: a separate process (node labs/cli/simlab.mjs …), its
// output and exit code. The fixture parts XF and XN (fixtures/extra-parts.ts) are always loadable.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const simlabBin = join(here, "..", "..", "labs", "cli", "simlab.mjs");
export const extraParts = join(here, "fixtures", "extra-parts.ts");

export interface Outcome {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function simlab(args: string[], options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {}): Outcome {
  const { status, stdout, stderr } = spawnSync(process.execPath, [simlabBin, ...args], {
    encoding: "utf8",
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", SIMLAB_EXTRA_PARTS: extraParts, ...options.env },
    timeout: options.timeoutMs ?? 60_000,
  });
  return { status, stdout, stderr };
}

/** Runs simlab expecting a usage mistake: exit code 2, nothing on stdout, one line on stderr; returns that line. */
export function usageError(args: string[]): string {
  const { status, stdout, stderr } = simlab(args);
  if (status !== 2 || stdout !== "" || stderr.trimEnd().split("\n").length !== 1) {
    throw new Error(`simlab ${args.join(" ")}: expected exit code 2 and one line on stderr, got ${status}:\n${stdout}${stderr}`);
  }
  return stderr.trim();
}
