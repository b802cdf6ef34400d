// CPU time for benchmarks on a shared machine: process.cpuUsage() (user + system, every thread of
// this process) counts the work done, not the time spent waiting for a core that another
// process holds, so it stays put when the machine is loaded and wall time does not. Variants are
// measured in alternating passes in one process, so that a change of load or a warming JIT
// favours neither, and each figure is the minimum over the passes: the run that was disturbed
// least. Every other pass runs them in reverse order (A B, B A, A B, …), so that neither is
// always the one that runs right after the other and collects the garbage it left.

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
