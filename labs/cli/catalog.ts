// Which tests a command line names: a part ("2A") or one test by its 6.824 name
// ("TestBackup2B"). Parts come from tests/registry.ts, plus — for simlab's own tests — the modules
// listed in SIMLAB_EXTRA_PARTS (separated like PATH), each exporting
// `parts: Record<string, () => Promise<LabTest[]>>`. A scenario file (`--scenario FILE`) is a part
// of its own, "scenario:<absolute path>", holding the one test the file describes, so a worker
// process finds it the way it finds a lab test.
import { delimiter, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { LabTest } from "../../tests/registry.ts";
import { parts as graderParts, PartUnavailableError, scenarioPartPrefix, type PartLoader } from "../../tests/registry.ts";
import { UsageError } from "../../sim/index.ts";
import { closestName } from "../../tests/harness/closest-name.ts";

export interface Selection {
  /** What the user named, spelled as the catalog spells it ("2A", "TestBackup2B"). */
  label: string;
  tests: LabTest[];
}

let loaders: Promise<Map<string, PartLoader>> | undefined;

/** Every part: the graders', then the extra ones. */
export function partLoaders(): Promise<Map<string, PartLoader>> {
  loaders ??= (async () => {
    const all = new Map(Object.entries(graderParts));
    const extra = process.env.SIMLAB_EXTRA_PARTS ?? "";
    for (const path of extra.split(delimiter).filter((p) => p !== "")) {
      let module: { parts?: Record<string, PartLoader> };
      try {
        module = (await import(pathToFileURL(resolve(path)).href)) as typeof module;
      } catch (error) {
        throw new UsageError(`SIMLAB_EXTRA_PARTS: cannot load ${path}: ${(error as Error).message.split("\n")[0]}`);
      }
      if (module.parts === undefined) throw new UsageError(`SIMLAB_EXTRA_PARTS: ${path} does not export \`parts\`.`);
      for (const [name, loader] of Object.entries(module.parts)) all.set(name, loader);
    }
    return all;
  })();
  return loaders;
}

/** The tests of one part; a part whose grader is missing is the user's error, not a crash. */
export async function loadPart(part: string): Promise<LabTest[]> {
  // Loaded once per process: a dynamic import() goes through tsx's loader hooks even when the
  // module is cached (about 1 ms), and a sweep worker asks for its part before every run.
  let loaded = loadedParts.get(part);
  if (loaded === undefined) {
    loaded = loadPartOnce(part);
    loadedParts.set(part, loaded);
  }
  return loaded;
}

const loadedParts = new Map<string, Promise<LabTest[]>>();

async function loadPartOnce(part: string): Promise<LabTest[]> {
  if (part.startsWith(scenarioPartPrefix)) {
    // Loaded only for a scenario, so that the commands that run lab tests (and every sweep
    // worker) do not pay for the YAML parser and the schema library at start-up.
    const [{ loadScenarioFile }, { scenarioFileTest }] = await Promise.all([
      import("../../tests/scenario/load.ts"),
      import("../../tests/scenario/run-scenario.ts"),
    ]);
    // Errors name the file as the user would: relative to the working folder.
    const absolute = part.slice(scenarioPartPrefix.length);
    const file = relative(process.cwd(), absolute) || absolute;
    return [scenarioFileTest(loadScenarioFile(file), file)];
  }
  const loader = (await partLoaders()).get(part);
  if (loader === undefined) throw new UsageError(`unknown part "${part}".`);
  try {
    return await loader();
  } catch (error) {
    if (error instanceof PartUnavailableError) throw new UsageError(error.message);
    throw error;
  }
}

/** One test of a part, by exact name (as a worker process finds the test it is sent). */
export async function findTest(part: string, name: string): Promise<LabTest> {
  const test = (await loadPart(part)).find((candidate) => candidate.name === name);
  if (test === undefined) throw new UsageError(`part ${part} has no test named ${name}.`);
  return test;
}

/**
 * What a command runs: its `<part|test>` argument, or the test of `--scenario FILE` — one or the
 * other. `example` shows the command's use ("simlab run 2A").
 */
export async function selectTarget(command: string, scenario: string | boolean | undefined, positionals: string[], example: string): Promise<Selection> {
  if (scenario !== undefined) {
    if (positionals.length > 0) {
      throw new UsageError(`${command} takes a part or test, or --scenario FILE, not both (see simlab ${command} --help).`);
    }
    const file = String(scenario);
    const tests = await loadPart(`${scenarioPartPrefix}${resolve(file)}`);
    return { label: tests[0]!.name, tests };
  }
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? `${command} needs one part or test, or --scenario FILE, e.g. ${example} (see simlab ${command} --help).`
        : `${command} takes one part or test, but got ${positionals.length} arguments: ${positionals.join(" ")} (see simlab ${command} --help).`,
    );
  }
  return selectTests(positionals[0]!);
}

/** Resolves a `<part|test>` argument, suggesting the closest name when nothing matches. */
export async function selectTests(target: string): Promise<Selection> {
  const all = await partLoaders();
  const names = [...all.keys()];
  const part = names.find((name) => name.toLowerCase() === target.toLowerCase());
  if (part !== undefined) return { label: part, tests: await loadPart(part) };

  // A test name ends in its part: TestBackup2B belongs to 2B.
  const owner = names
    .filter((name) => target.toLowerCase().endsWith(name.toLowerCase()))
    .sort((a, b) => b.length - a.length)[0];
  if (owner !== undefined) {
    const tests = await loadPart(owner);
    const test = tests.find((t) => t.name === target) ?? tests.find((t) => t.name.toLowerCase() === target.toLowerCase());
    if (test !== undefined) return { label: test.name, tests: [test] };
    const closest = closestName(target, tests.map((t) => t.name));
    throw new UsageError(`part ${owner} has no test "${target}"${closest ? `; did you mean ${closest}?` : "."}`);
  }

  // Only a name that looks like a test is worth loading every part for. Some 6.824 names do not
  // end in their part (4A's TestBasic, 4B's TestStaticShards): those are found here, by exact name.
  const candidates = [...names];
  for (const name of /^test/i.test(target) ? names : []) {
    let tests: LabTest[];
    try {
      tests = await loadPart(name);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      continue;
    }
    const test = tests.find((t) => t.name === target);
    if (test !== undefined) return { label: test.name, tests: [test] };
    candidates.push(...tests.map((t) => t.name));
  }
  const closest = closestName(target, candidates);
  throw new UsageError(
    `unknown part or test "${target}"${closest ? `; did you mean ${closest}?` : ""} (parts: ${names.join(", ")})`,
  );
}
