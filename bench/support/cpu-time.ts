// CPU time for benchmarks on a shared machine: process.cpuUsage() (user + system, every thread of
// this process) counts the work done, not the time spent waiting for a core that another
// process holds, so it stays put when the machine is loaded and wall time does not. Variants are
// measured in alternating passes in one process, so that a change of load or a warming JIT
// favours neither, and each figure is the minimum over the passes: the run that was disturbed
// least. Every other pass runs them in reverse order (A B, B A, A B, …), so that neither is
// always the one that runs right after the other and collects the garbage it left.
// endedChildrenCpuSeconds is the same count for child processes, read from outside.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

/** CPU seconds this process has used so far. */
export function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/**
 * Runs each of `variants` `passes` times, alternating (the order reversed every other pass), and
 * gives each one's minimum CPU seconds and its last result.
 */
export async function alternatingMinimum<V extends Record<string, unknown>>(
  passes: number,
  variants: { [K in keyof V]: () => Promise<V[K]> | V[K] },
): Promise<{ [K in keyof V]: { s: number; value: V[K] } }> {
  const out = {} as { [K in keyof V]: { s: number; value: V[K] } };
  const names = Object.keys(variants) as (keyof V)[];
  for (let pass = 0; pass < passes; pass++) {
    for (const name of pass % 2 === 0 ? names : [...names].reverse()) {
      const started = cpuSeconds();
      const value = await variants[name]();
      const s = cpuSeconds() - started;
      if (out[name] === undefined || s < out[name].s) out[name] = { s, value };
      else out[name].value = value;
    }
  }
  return out;
}

/**
 * CPU seconds of this process's children that have ended and been waited for (Linux's
 * /proc/self/stat, cutime + cstime), their own children included: what a child process cost,
 * measured from outside. Undefined where there is no /proc. Ticks of 1/CLK_TCK s (10 ms).
 */
export function endedChildrenCpuSeconds(): number | undefined {
  let stat: string;
  try {
    stat = readFileSync("/proc/self/stat", "utf8");
  } catch {
    return undefined;
  }
  // The fields after the command's name (which may hold spaces, so it is skipped by its ")"):
  // state is field 3, cutime and cstime fields 16 and 17.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[13]) + Number(fields[14])) / clockTicks();
}

let ticks: number | undefined;
function clockTicks(): number {
  ticks ??= Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  return ticks;
}
