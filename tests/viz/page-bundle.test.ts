// The page script's kept bundle (sim/trace/viz/page-bundle.ts): used while every file esbuild read
// is unchanged, bundled again as soon as one changes (an imported file too), and a cache file that
// is not a bundle is bundled over, never trusted.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { bundleScript } from "../../sim/trace/viz/page-bundle.ts";

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A two-file page script in a fresh folder, and a fresh cache folder. */
function sources(): { entry: string; imported: string; cache: string } {
  const dir = mkdtempSync(join(tmpdir(), "simlab-bundle-"));
  made.push(dir);
  const imported = join(dir, "greeting.ts");
  writeFileSync(imported, `export const greeting: string = "hello";\n`);
  const entry = join(dir, "main.ts");
  writeFileSync(entry, `import { greeting } from "./greeting.ts";\n(globalThis as { said?: string }).said = greeting;\n`);
  return { entry, imported, cache: join(dir, "cache") };
}

describe("the page script's kept bundle", () => {
  it("is bundled once, then taken from the cache while its sources are unchanged", () => {
    const { entry, cache } = sources();
    const first = bundleScript(entry, cache);
    expect(first.from).toBe("esbuild");
    expect(first.text).toContain("hello");
    const second = bundleScript(entry, cache);
    expect(second).toEqual({ text: first.text, from: "cache" });
  });

  it("is bundled again when a file the entry imports changes", () => {
    const { entry, imported, cache } = sources();
    bundleScript(entry, cache);
    writeFileSync(imported, `export const greeting: string = "goodbye";\n`);
    const again = bundleScript(entry, cache);
    expect(again.from).toBe("esbuild");
    expect(again.text).toContain("goodbye");
    expect(again.text).not.toContain("hello");
    expect(bundleScript(entry, cache).from).toBe("cache");
  });

  it("bundles over a cache file that is not a kept bundle", () => {
    const { entry, cache } = sources();
    const first = bundleScript(entry, cache);
    const [file] = readdirSync(cache);
    writeFileSync(join(cache, file!), `{"inputs": {}, "text": 42}`);
    expect(bundleScript(entry, cache)).toEqual({ text: first.text, from: "esbuild" });
    writeFileSync(join(cache, file!), "not json");
    expect(bundleScript(entry, cache)).toEqual({ text: first.text, from: "esbuild" });
  });

  it("bundles every time, and the same, where the cache folder cannot be written", () => {
    const { entry, cache } = sources();
    writeFileSync(cache, "a file where the folder would be");
    const first = bundleScript(entry, cache);
    expect(first.from).toBe("esbuild");
    expect(bundleScript(entry, cache)).toEqual({ text: first.text, from: "esbuild" });
  });
});
