// `npm run bench -- NAME` runs bench/NAME.ts (modules the benchmarks share live in bench/support/).
// Each benchmark module's default export returns the result object; it may print a human-readable
// table first. The last line is always the JSON.
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith(".ts") && f !== "run.ts")
  .map((f) => f.slice(0, -3))
  .sort();

const name = process.argv[2];
if (!name || !available.includes(name)) {
  console.error(
    `${name ? `unknown benchmark "${name}"` : "no benchmark named"}; available: ${available.join(", ")}\n` +
      `usage: npm run bench -- NAME`,
  );
  process.exit(2);
}
const mod = (await import(`./${name}.ts`)) as { default: (args: string[]) => Promise<Record<string, unknown>> };
const result = await mod.default(process.argv.slice(3));
console.log(JSON.stringify(result));
