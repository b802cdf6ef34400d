// What the throughput benchmarks share: reading `--name N` from their arguments, and reporting
// the median of repeated measurements (robust to one slow repetition on a shared machine).

/** The number after `--name` in `args`, or `fallback`. */
export function numberOption(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? Number(args[i + 1]) : fallback;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
