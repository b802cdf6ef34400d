// Every mutant of this folder by name, for the tools that take one by name:
// `simlab explore --mutant NAME`, a choice file that names its mutant, `npm run bench -- explore`.
import { UsageError } from "../../sim/index.ts";
import type { Mutant } from "./mutant.ts";
import { raftMutants } from "./raft-mutants.ts";
import { raft5Mutants } from "./raft5-mutants.ts";
import { leaseMutants } from "./lease-mutants.ts";
import { membershipMutants } from "./membership-mutants.ts";
import { kvMutants } from "./kv-mutants.ts";
import { sessionMutants } from "./session-mutants.ts";
import { shardkvMutants } from "./shardkv-mutants.ts";
import { raft5ScenarioMutants } from "./raft5-scenario-mutants.ts";
import { jointMutants } from "./joint-mutants.ts";
import { configSnapshotMutants } from "./config-snapshot-mutants.ts";
import { membershipKvMutants } from "./membership-kv-mutants.ts";

export const allMutants: readonly Mutant[] = [...raftMutants, ...raft5Mutants, ...leaseMutants, ...membershipMutants, ...kvMutants, ...sessionMutants, ...shardkvMutants, ...raft5ScenarioMutants, ...jointMutants, ...configSnapshotMutants, ...membershipKvMutants];

export function mutantNamed(name: string): Mutant {
  const mutant = allMutants.find((m) => m.name === name);
  if (mutant === undefined) {
    throw new UsageError(`there is no mutant "${name}"; the mutants are ${allMutants.map((m) => m.name).join(", ")}.`);
  }
  return mutant;
}
