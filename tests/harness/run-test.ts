// Runs one test body in a fresh simulation for one seed and turns any failure into a report that
// names the seed, the virtual time, what was expected, the recent events and the replay command.
import { Simulation, type SimulationOptions } from "../../sim/index.ts";
import { replayCommand, type RunOptions, type RunReport } from "./registry.ts";

export interface TestIdentity {
  part: string;
  name: string;
}

export async function runTest(
  id: TestIdentity,
  seed: number,
  options: RunOptions,
  simulationOptions: Omit<SimulationOptions, "seed">,
  body: (sim: Simulation) => Promise<void>,
): Promise<RunReport> {
  const sim = new Simulation({ ...simulationOptions, seed, keepJournal: options.keepJournal ?? false });
  const report: RunReport = {
    part: id.part,
    test: id.name,
    seed,
    passed: false,
    virtualMs: 0,
    events: 0,
    journalHash: "",
  };
  try {
    await sim.run(() => body(sim));
    report.passed = true;
  } catch (err) {
    const text = err instanceof Error ? err.message : String(err);
    report.failure = `${id.name} failed: ${text}\n  replay: ${replayCommand(id.part, id.name, seed)}`;
  }
  report.virtualMs = sim.now;
  report.events = sim.events;
  report.journalHash = sim.journal.hash;
  if (options.keepJournal) report.journal = sim.journal.all;
  return report;
}
