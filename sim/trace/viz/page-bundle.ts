// The page's script (page/main.ts and what it imports), bundled with esbuild, and kept: bundling
// takes esbuild a few tenths of a second, more than any other step of writing a page but the
// page's data, and its result changes only when the page's sources do.
//
// A kept bundle is a JSON file in the cache folder (by default .simlab/cache/ under the current
// folder), named by what decides the output apart from the sources (the entry file, esbuild's
// version and the build options), holding the bundle's text and every input file esbuild read,
// each with the SHA-256 of its contents. It is used only when every one of those files still has
// that hash; otherwise the script is bundled again and the file replaced. A cache folder that
// cannot be read or written only means bundling every time: the page is the same either way.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { buildSync, version as esbuildVersion, type BuildOptions } from "esbuild";

const buildOptions = {
  bundle: true,
  write: false,
  metafile: true,
  format: "iife",
  target: "es2022",
  minify: true,
  legalComments: "none",
} satisfies BuildOptions;

interface KeptBundle {
  /** Input files (absolute paths) and the SHA-256 of each one's contents when it was bundled. */
  inputs: Record<string, string>;
  text: string;
}

export interface Bundle {
  text: string;
  /** Whether the text came from the cache folder or from esbuild just now. */
  from: "cache" | "esbuild";
}

/** `entry` bundled for the page (an IIFE, minified), from `cacheDir` when its sources are unchanged. */
export function bundleScript(entry: string, cacheDir: string): Bundle {
  const name = sha256(JSON.stringify([resolve(entry), esbuildVersion, buildOptions])).slice(0, 16);
  const file = join(cacheDir, `page-bundle-${name}.json`);
  const kept = readKept(file);
  if (kept !== undefined && Object.entries(kept.inputs).every(([path, hash]) => fileHash(path) === hash)) {
    return { text: kept.text, from: "cache" };
  }
  const result = buildSync({ ...buildOptions, entryPoints: [entry] });
  const text = result.outputFiles[0]!.text;
  const inputs: Record<string, string> = {};
  // The metafile names inputs relative to esbuild's working folder, this process's.
  for (const path of Object.keys(result.metafile.inputs).sort()) {
    const absolute = resolve(path);
    inputs[absolute] = fileHash(absolute) ?? "";
  }
  keep(file, { inputs, text });
  return { text, from: "esbuild" };
}

function readKept(file: string): KeptBundle | undefined {
  try {
    const kept = JSON.parse(readFileSync(file, "utf8")) as Partial<KeptBundle>;
    return typeof kept.text === "string" && typeof kept.inputs === "object" && kept.inputs !== null ? (kept as KeptBundle) : undefined;
  } catch {
    return undefined; // none kept yet, or unreadable: bundle again
  }
}

function keep(file: string, bundle: KeptBundle): void {
  try {
    mkdirSync(join(file, ".."), { recursive: true });
    // Written beside it, then renamed over it: a page written at the same time never reads half a file.
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify(bundle));
    renameSync(partial, file);
  } catch {
    // A folder that cannot be written: the next page bundles again.
  }
}

function fileHash(path: string): string | undefined {
  try {
    return sha256(readFileSync(path));
  } catch {
    return undefined;
  }
}

function sha256(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}
