// The scenario library: every file in scenarios/ at the repository's root, as tests (part
// "scenarios"), in the order of their names. library.test.ts runs them under vitest on every
// `npm test`; tests/scenario/mutants.test.ts runs some against broken servers.
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { LabTest } from "../registry.ts";
import { loadScenarioFile } from "./load.ts";
import { scenarioFileTest } from "./run-scenario.ts";

export const scenarioFolder = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "scenarios");

/** The path of every scenario file in the library. */
export function libraryFiles(): string[] {
  return readdirSync(scenarioFolder)
    .filter((name) => /\.(ya?ml|json)$/.test(name))
    .sort()
    .map((name) => join(scenarioFolder, name));
}

/** The test of one library scenario, by its file name without the extension. */
export function libraryTest(name: string): LabTest {
  const file = libraryFiles().find((path) => path.replace(/\.[^./]+$/, "").endsWith(`/${name}`));
  if (file === undefined) throw new Error(`scenarios/ has no scenario ${name}`);
  return scenarioFileTest(loadScenarioFile(file), file);
}

export function libraryTests(): LabTest[] {
  return libraryFiles().map((file) => scenarioFileTest(loadScenarioFile(file), file));
}
