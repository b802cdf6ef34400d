// Broken lab-5 Rafts (and one KV server) for the rules that scenarios spanning two extensions put
// to the reference (see mutant.ts): a lease counted over every peer (TestLeaseCountsOnlyVoters5F), a read round not
// re-counted when the configuration shrinks (TestRemovalReleasesPendingRead5E), a KV server that
// keeps a deposed leader's clients waiting (TestIsolatedLeaderTurnsClientsAway5A), a TimeoutNow
// obeyed however late (TestLateTimeoutNowAfterAbort5D), a transfer that outlives the removal of
// its target (TestRemovingTransferTargetEndsTransfer5E), a target that campaigns before it has
// applied its configuration (TestTransferTargetWithUnappliedConfig5E). Each is the
// reference's extended Raft with one step replaced, as in raft5-mutants.ts and lease-mutants.ts.
import type { ReadLease } from "../../raft-extensions/lease-read.ts";
import { ExtendedRaft } from "../../raft-extensions/extended-raft.ts";
import type { ConfChange, ConfChangeResult } from "../../raft-extensions/membership.ts";
import type { TimeoutNowArgs } from "../../raft-extensions/types.ts";
import { ReadingKVServer } from "../../raft-extensions/kv-server.ts";
import { Channel, TIMEOUT } from "../../sim/index.ts";
import type { Mutant } from "./mutant.ts";
import { extendedMutant, type ExtendedInside } from "./raft5-mutants.ts";

/** The reference's extended Raft as these mutants see it: 5A–5C's inside, and what 5D and 5E add. */
interface ScenarioInside extends ExtendedInside {
  lease: ReadLease | undefined;
  countReadRound(): void;
  proposeConfChange(change: ConfChange): ConfChangeResult;
}

const scenarioReference = ExtendedRaft.prototype as unknown as ScenarioInside;

/** Lab 5's KV server as a mutant sees it: the Raft, and the handlers waiting for their entries. */
interface KvInside {
  rf: ExtendedRaft;
  waiters: Map<number, { op: unknown; term: number; result: Channel<{ err: string; value: string }> }>;
}

/** The reference KV server's give-up time for a request (raft-extensions/kv-server.ts). */
const KV_GIVE_UP_MS = 2000;

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
  {
    name: "read-round-not-recounted-on-conf-change",
    rule: "ReadIndex: a round's confirmations are counted against the voters in use, again once a config entry is appended (raft-rs: a read pending when the quorum shrinks is released)",
    bug: "counts a round only when a confirmation arrives, so a read waiting on a peer that is then removed waits until its round times out, and fails",
    parts: ["5E"],
    killedBy: { test: "TestRemovalReleasesPendingRead5E", seed: 1, check: /the read pending since before should succeed/ },
    substitutes: {
      makeExtendedRaft: extendedMutant((m) => {
        const inside = m as ScenarioInside;
        inside.proposeConfChange = function (this: ScenarioInside, change: ConfChange) {
          this.countReadRound = () => {}; // the re-count after the append does nothing …
          try {
            return scenarioReference.proposeConfChange.call(this, change);
          } finally {
            delete (this as Partial<ScenarioInside>).countReadRound; // … and confirmations count again
          }
        };
      }),
    },
  },
  {
    name: "deposed-leader-keeps-clients-waiting",
    rule: "A KV server whose Raft stops leading answers the requests waiting on it ErrWrongLeader at once, so that clients try another server",
    bug: "waits out each request's whole deadline (2 s) without looking whether its Raft still leads",
    parts: ["5A"],
    killedBy: { test: "TestIsolatedLeaderTurnsClientsAway5A", seed: 1, check: /a deposed leader turns clients away at once/ },
    substitutes: {
      startReadingKVServer: (peers, me, persister, maxraftstate, options) => {
        class Mutant extends ReadingKVServer {}
        (Mutant.prototype as unknown as { submit(op: unknown): Promise<unknown> }).submit = async function (this: KvInside, op: unknown) {
          const { index, term, isLeader } = this.rf.start(op);
          if (!isLeader) return { err: "ErrWrongLeader", value: "" };
          const waiter = { op, term, result: new Channel<{ err: string; value: string }>(1) };
          void this.waiters.get(index)?.result.send({ err: "ErrWrongLeader", value: "" });
          this.waiters.set(index, waiter);
          const r = await waiter.result.recvWithin(KV_GIVE_UP_MS);
          if (r !== TIMEOUT && r !== undefined) return r;
          if (this.waiters.get(index) === waiter) this.waiters.delete(index);
          return { err: "ErrWrongLeader", value: "" };
        };
        return new Mutant(peers, me, persister, maxraftstate, options);
      },
    },
  },
  {
    name: "stale-timeout-now-obeyed",
    rule: "Leadership transfer: a TimeoutNow whose last entry is not the target's own is stale, and ignored (tikv/raft-rs#234: after an abort, a late TimeoutNow let the target win while the old leader trusted its lease)",
    bug: "campaigns on any TimeoutNow of its term, however late, without comparing the leader's last entry with its own",
    parts: ["5D"],
    killedBy: { test: "TestLateTimeoutNowAfterAbort5D", seed: 1, check: /at most one server holds a read lease/ },
    substitutes: {
      makeExtendedRaft: extendedMutant((m) => {
        m.timeoutNow = function (this: ExtendedInside, args: TimeoutNowArgs) {
          return scenarioReference.timeoutNow.call(this, { ...args, lastLogIndex: this.log.lastIndex(), lastLogTerm: this.log.lastTerm() });
        };
      }),
    },
  },
  {
    name: "transfer-outlives-its-targets-removal",
    rule: "Leadership transfer: removing the transfer's target ends the transfer (§3.10; etcd aborts it when the lead transferee is removed)",
    bug: "removes the target but goes on transferring to it, refusing commands until the transfer's deadline",
    parts: ["5E"],
    killedBy: { test: "TestRemovingTransferTargetEndsTransfer5E", seed: 1, check: /should end once the entry that removes/ },
    substitutes: {
      makeExtendedRaft: extendedMutant((m) => {
        const inside = m as ScenarioInside;
        inside.proposeConfChange = function (this: ScenarioInside, change: ConfChange) {
          const { target, timeoutNowSent } = this.transfer;
          const result = scenarioReference.proposeConfChange.call(this, change);
          if (result.ok && target !== null && this.transfer.target === null) {
            this.transfer.target = target; // the same round: its deadline still gives it up
            this.transfer.timeoutNowSent = timeoutNowSent;
          }
          return result;
        };
      }),
    },
  },
  {
    name: "target-campaigns-with-unapplied-config",
    rule: "Leadership transfer: a target whose config entry has committed but is not applied yet refuses to campaign (etcd-io/etcd#12133)",
    bug: "campaigns on TimeoutNow whatever its service has applied",
    parts: ["5E"],
    killedBy: { test: "TestTransferTargetWithUnappliedConfig5E", seed: 1, check: /must not campaign on a TimeoutNow/ },
    substitutes: {
      makeExtendedRaft: extendedMutant(
        () => {},
        (raft) => {
          const everything = { get index() { return Number.MAX_SAFE_INTEGER; }, set index(_: number) {} };
          Object.defineProperty(raft, "applied", { value: everything }); // as if the service had applied it all
        },
      ),
    },
  },
];
