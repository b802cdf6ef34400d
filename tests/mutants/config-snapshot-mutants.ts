// Broken configurations in snapshots (lab 5E's M8), each the reference extended Raft with one rule
// broken (see mutant.ts), run against the 5E tests: a configuration that a snapshot covers kept in
// memory only, and an InstallSnapshot that does not carry it.
import { ExtendedRaft } from "../../raft-extensions/extended-raft.ts";
import type { ConfigurationStore } from "../../raft-extensions/config-persistence.ts";
import type { InstallSnapshotArgs, InstallSnapshotReply } from "../../raft/types.ts";
import type { MakeExtendedRaft } from "../raft5/substitute.ts";
import type { Mutant, RaftInside } from "./mutant.ts";

/** The reference's extended Raft as these mutants see it. */
interface SnapshotInside extends RaftInside {
  store: ConfigurationStore;
}

const extendedReference = ExtendedRaft.prototype as unknown as SnapshotInside;

/** An extended Raft whose methods are the reference's except those `change` replaces; `afterMake` may change the new Raft itself. */
function snapshotMutant(change: (mutant: SnapshotInside) => void, afterMake: (raft: SnapshotInside) => void = () => {}): MakeExtendedRaft {
  class Mutant extends ExtendedRaft {}
  const mutant = Mutant.prototype as unknown as SnapshotInside;
  // Without the reference's assertion that no committed entry is deleted (see mutant.ts).
  mutant.deleteEntriesFrom = function (this: SnapshotInside, index: number) {
    this.log.truncateAfter(index - 1);
  };
  change(mutant);
  return (peers, me, persister, applyCh, options = {}) => {
    const raft = new Mutant(peers, me, persister, applyCh, options);
    afterMake(raft as unknown as SnapshotInside);
    return raft;
  };
}

const lab5E = ["5E", "5F", "5G"];

export const configSnapshotMutants: Mutant[] = [
  {
    name: "config-in-snapshot-kept-in-memory-only",
    rule: "The configuration a snapshot covers is saved with the Raft state, so that a restarted server finds it again",
    bug: "keeps the configuration a snapshot covers in memory only: restarted, a server whose snapshot covers its config entries starts from its initial configuration",
    parts: lab5E,
    killedBy: { test: "TestConfigInSnapshot5E", seed: 1, check: /should use the configuration|lab-5E monitor/ },
    substitutes: {
      makeExtendedRaft: snapshotMutant(
        () => {},
        (raft) => {
          (raft.store as unknown as { framed(raftState: Uint8Array): Uint8Array }).framed = (raftState) => raftState;
        },
      ),
    },
  },
  {
    name: "install-snapshot-without-config",
    rule: "An InstallSnapshot carries the configuration its snapshot covers",
    bug: "installs a leader's snapshot without its configuration, so that a server brought up to date by one keeps the configuration it had",
    parts: lab5E,
    killedBy: { test: "TestConfigInSnapshot5E", seed: 1, check: /brought up to date by a snapshot: server 4 should use/ },
    substitutes: {
      makeExtendedRaft: snapshotMutant((m) => {
        m.installSnapshot = function (this: SnapshotInside, args: InstallSnapshotArgs): InstallSnapshotReply {
          return extendedReference.installSnapshot.call(this, { ...args, configuration: undefined } as InstallSnapshotArgs);
        };
      }),
    },
  },
];
