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
