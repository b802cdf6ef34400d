// Broken lease reads (lab 5D), each with one rule broken (see mutant.ts), run against the 5D tests
// (tests/raft5/5D.ts). Each is the reference's extended Raft with one step of its lease replaced
// (raft-extensions/lease-read.ts, and ExtendedRaft's leaseRead and readLeaseHolds).
import type { ReadLease } from "../../raft-extensions/lease-read.ts";
import type { ReadIndexResult } from "../../raft-extensions/types.ts";
import { go, sleep } from "../../sim/index.ts";
import type { Mutant } from "./mutant.ts";
import { extendedMutant, type ExtendedInside } from "./raft5-mutants.ts";

/** The reference's extended Raft as a lease mutant sees it: 5A–5C's inside, and what 5D adds. */
interface LeaseInside extends ExtendedInside {
  lease: ReadLease;
  leaseAfterIndex: number;
  leaseRead(): Promise<ReadIndexResult>;
  readLeaseHolds(): boolean;
}

/** The reference's minimum election timeout: the followers' vote lease. */
const ELECTION_TIMEOUT_MIN_MS = 400;
/** The reference's heartbeat interval, which a tick-counting mutant counts in. */
const HEARTBEAT_MS = 100;

/** An extended Raft whose lease steps are the reference's except those `change` replaces. */
function leaseMutant(change: (mutant: LeaseInside) => void, afterMake?: (raft: LeaseInside) => void): ReturnType<typeof extendedMutant> {
  return extendedMutant(
    (m) => change(m as LeaseInside),
    afterMake === undefined ? undefined : (raft) => afterMake(raft as LeaseInside),
  );
}

const lab5D = ["5D"];

export const leaseMutants: Mutant[] = [
  {
    name: "lease-never-used",
    rule: "Lease reads: while the lease holds, a read needs no message (§6.4.1)",
    bug: "never trusts its lease, and confirms every read with a ReadIndex round",
    parts: lab5D,
    killedBy: { test: "TestLeaseReadsSendNothing5D", seed: 1, check: /should be answered at once/ },
    substitutes: {
      makeExtendedRaft: leaseMutant((m) => {
        m.readLeaseHolds = () => false;
      }),
    },
  },
  {
    name: "lease-before-its-terms-commit",
    rule: "Lease reads: no lease until an entry of the leader's term has committed (braft's NOT_READY; etcd-io/etcd#7331)",
    bug: "answers from its lease as soon as heartbeats renew it, with a commit index that may lag behind its predecessor's",
    parts: lab5D,
    killedBy: { test: "TestNoLeaseBeforeItsTermsCommit5D", seed: 1, check: /must not answer from its lease before an entry of its own term/ },
    substitutes: {
      makeExtendedRaft: leaseMutant((m) => {
        m.leaseRead = async function (this: LeaseInside) {
          if (this.role !== "leader") return { ok: false, err: "ErrWrongLeader" };
          if (this.lease.holds()) return { ok: true, index: this.commitIndex };
          return this.readIndex();
        };
      }),
    },
  },
  {
    name: "lease-from-still-leader",
    rule: "Lease reads: the lease runs from a majority's acknowledgements, not from still being leader (etcd-io/raft#166: CheckQuorum keeps a cut-off leader for up to 2 election timeouts)",
    bug: "takes being leader — CheckQuorum has not deposed it — for holding the lease",
    parts: lab5D,
    killedBy: { test: "TestLeaseNotFromCheckQuorum5D", seed: 1, check: /not linearizable|yet .*'s client read x = 1/ },
    substitutes: {
      makeExtendedRaft: leaseMutant((m) => {
        m.readLeaseHolds = function (this: LeaseInside) {
          return this.role === "leader" && this.log.term(this.commitIndex) === this.currentTerm && this.transfer.target === null && this.commitIndex > this.leaseAfterIndex;
        };
      }),
    },
  },
  {
    name: "lease-at-ack-receipt",
    rule: "Lease reads: the lease starts at the send time of the request a majority acknowledged (braft lease.cpp)",
    bug: "starts the lease when an acknowledgement arrives, however long it took to come back",
    parts: lab5D,
    killedBy: { test: "TestLeaseStartsAtSendTime5D", seed: 1, check: /not linearizable|yet .*'s client read x = 1/ },
    substitutes: {
      makeExtendedRaft: leaseMutant(
        () => {},
        (raft) => {
          const lease = raft.lease;
          const acknowledged = lease.acknowledged.bind(lease);
          lease.acknowledged = (peer, term) => acknowledged(peer, term, lease.clock());
        },
      ),
    },
  },
  {
    name: "lease-kept-across-transfer",
    rule: "Lease reads: a leader drops its lease when it begins a leadership transfer (TimeoutNow's election ignores vote leases)",
    bug: "keeps answering from its lease while it hands its leadership over, and right after",
    parts: lab5D,
    killedBy: { test: "TestLeaseDroppedForTransfer5D", seed: 1, check: /not linearizable|yet .*'s client read x = 1/ },
    substitutes: {
      makeExtendedRaft: leaseMutant((m) => {
        m.readLeaseHolds = function (this: LeaseInside) {
          return this.role === "leader" && this.log.term(this.commitIndex) === this.currentTerm && this.lease.holds();
        };
      }),
    },
  },
  {
    name: "lease-ignores-drift",
    rule: "Lease reads: size the lease for clock drift, ET × (1 − ρ)/(1 + ρ) of the leader's clock (a slow leader clock and fast follower clocks)",
    bug: "holds its lease for a whole minimum election timeout of its own clock, as if every clock kept perfect time",
    parts: lab5D,
    killedBy: { test: "TestLeaseUnderWorstCaseDrift5D", seed: 1, check: /not linearizable|yet .*'s client read x = 1/ },
    substitutes: {
      makeExtendedRaft: leaseMutant(
        () => {},
        (raft) => {
          (raft.lease as { durationMs: number }).durationMs = ELECTION_TIMEOUT_MIN_MS;
        },
      ),
    },
  },
  {
    name: "lease-judged-by-ticks",
    rule: "Lease reads: judge the lease by the clock when answering; a pause stops a tick counter, not time (etcd-io/etcd#6005)",
    bug: "measures its lease in heartbeat ticks it counts itself, so after a long pause it thinks a single tick went by",
    parts: lab5D,
    killedBy: { test: "TestLeaseReadAfterPause5D", seed: 1, check: /not linearizable|answered its client x = 1 from its lease/ },
    substitutes: {
      makeExtendedRaft: leaseMutant(
        () => {},
        (raft) => {
          let ticks = 0;
          go(async () => {
            while (!raft.killed()) {
              await sleep(HEARTBEAT_MS);
              ticks++;
            }
          });
          raft.lease.clock = () => ticks * HEARTBEAT_MS;
        },
      ),
    },
  },
];
