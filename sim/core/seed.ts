// What a seed may be, and the one place that checks it.

export const DEFAULT_SEED = 1;

/** Parses a seed given by a person (SEED=…, --seed …). Throws a sentence saying what is wrong. */
export function parseSeed(text: string | number | undefined, source = "seed"): number {
  if (text === undefined) return DEFAULT_SEED;
  const raw = typeof text === "number" ? String(text) : text.trim();
  if (raw === "") {
    throw new SeedError(`${source} is empty; give a non-negative integer such as ${source}=4711`);
  }
  if (!/^\d+$/.test(raw)) {
    const why = /^-\d+$/.test(raw) ? "is negative" : "is not a whole number";
    throw new SeedError(`${source} "${raw}" ${why}; give a non-negative integer such as ${source}=4711`);
  }
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) {
    throw new SeedError(`${source} "${raw}" is too large; give an integer below ${Number.MAX_SAFE_INTEGER}`);
  }
  return seed;
}

export class SeedError extends Error {
  override name = "SeedError";
}
