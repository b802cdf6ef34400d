// --mutant NAME (simlab explore, and choice files that name a mutant): runs a test against one of
// simlab's deliberately broken Rafts or KV servers (tests/mutants/) instead of the reference.
// Those are simlab's own tests, left out of student repositories, so they are loaded only when
// asked for, and their absence is a sentence, not a crash.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { UsageError } from "../../sim/index.ts";
import type { Substitutes } from "../../tests/harness/substitutes.ts";

/** What a run needs of a mutant: its substitutes, and the parts whose tests it is run against. */
export interface MutantChoice {
  name: string;
  parts: readonly string[];
  substitutes: Substitutes;
}

export async function loadMutant(name: string): Promise<MutantChoice> {
  const url = new URL("../../tests/mutants/catalog.ts", import.meta.url);
  if (!existsSync(fileURLToPath(url))) {
    throw new UsageError(`--mutant ${name}: this tree has no tests/mutants/ (a student repository leaves simlab's mutants out).`);
  }
  // A computed specifier: a tree without tests/mutants/ must still type-check.
  const catalog = (await import(url.href)) as { mutantNamed(name: string): MutantChoice };
  return catalog.mutantNamed(name);
}
