// Broken lab-5 Rafts for the rules that 5A–5D's later scenarios put to the reference (see
// mutant.ts): a lease counted over every peer (TestLeaseCountsOnlyVoters5F), … Each is the
// reference's extended Raft with one step replaced, as in raft5-mutants.ts and lease-mutants.ts.
import type { ReadLease } from "../../raft-extensions/lease-read.ts";
import type { Mutant } from "./mutant.ts";
import { extendedMutant, type ExtendedInside } from "./raft5-mutants.ts";

/** The reference's extended Raft as these mutants see it: 5A–5C's inside, and what 5D adds. */
interface ScenarioInside extends ExtendedInside {
  lease: ReadLease | undefined;
}

export const raft5ScenarioMutants: Mutant[] = [
  {
    name: "lease-counts-every-member",
    rule: "Lease reads: the lease needs acknowledgements from a majority of the configuration's voters (a learner holds off no election)",
    bug: "counts a majority of every peer it replicates to, learners and all, as lab 2's peers.length would",
    parts: ["5F"],
    killedBy: { test: "TestLeaseCountsOnlyVoters5F", seed: 1, check: /learners vote for no one/ },
    substitutes: {
      makeExtendedRaft: extendedMutant(
        () => {},
        (raft) => {
          const lease = (raft as ScenarioInside).lease;
          if (lease !== undefined) (lease as unknown as { voters: () => readonly number[] }).voters = () => raft.peers.map((_, peer) => peer);
        },
      ),
    },
  },
];
