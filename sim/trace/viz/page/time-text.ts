// Times as the page writes them: virtual milliseconds as "1234.5 ms" or "12.345 s", and the
// positions of a history file as "#12".

/** `time` in `unit` (RunHeader.timeUnit); `step`, when given, is the ruler's spacing (for its precision). */
export function formatTime(time: number, unit: string, step?: number): string {
  if (unit !== "virtual ms") return `#${Math.round(time)}`;
  const precise = step === undefined ? 3 : Math.max(0, Math.min(3, -Math.floor(Math.log10(step / 1000))));
  if (Math.abs(time) >= 1000 || (step !== undefined && step >= 1000)) return `${(time / 1000).toFixed(precise)} s`;
  const ms = Number.isInteger(time) ? String(time) : time.toFixed(time % 1 === 0 ? 0 : 3).replace(/0+$/, "").replace(/\.$/, "");
  return `${ms} ms`;
}
