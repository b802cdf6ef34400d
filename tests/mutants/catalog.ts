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
import { jointMutants } from "./joint-mutants.ts";
import { configSnapshotMutants } from "./config-snapshot-mutants.ts";

export const allMutants: readonly Mutant[] = [...raftMutants, ...raft5Mutants, ...leaseMutants, ...membershipMutants, ...kvMutants, ...sessionMutants, ...jointMutants, ...configSnapshotMutants];

export function mutantNamed(name: string): Mutant {
  const mutant = allMutants.find((m) => m.name === name);
  if (mutant === undefined) {
    throw new UsageError(`there is no mutant "${name}"; the mutants are ${allMutants.map((m) => m.name).join(", ")}.`);
  }
  return mutant;
}
