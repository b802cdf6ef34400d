// Lab 5E: single-server membership change (Ongaro's dissertation §4.1–4.2), and 5F: learners
// (non-voting members). This file holds what a configuration is and how a server finds the one it
// uses; extended-raft.ts's proposeConfChange() holds the leader's rules for changing it.
//
//   rf.proposeConfChange({ type: "addVoter", id: 3 })   → { ok: true, index, term, voters, learners } or { ok: false, err }
//   rf.proposeConfChange({ type: "addLearner", id: 4 }) 5F: a member that receives the log and does not vote
//   rf.status().config, .learners, .configIndex          the voters and learners this server uses, and the entry they come from
//
// A configuration is the set of voters. It changes one server at a time, so that any majority of
// the old set and any majority of the new one share a server, and the switch can be direct.
//
// Configurations are log entries. A config entry's command is a ConfEntry: the change, and the
// whole voter set it leads to (so a server that joins late learns the set from one entry). A
// server uses the latest config entry in its log as soon as it is appended, committed or not; if a
// conflict truncates that entry, it falls back to the config entry before it, or to the initial
// configuration (the `voters` option; every peer by default) when the log holds none. Configuration
// caches which entry that is: refresh() looks only at entries it has not seen, and scans the log
// again only when the entry it last saw is gone (a truncation).
//
// Servers answer RPCs whatever their configuration says (a new server must accept the entry that
// adds it, and a candidate may need a vote from a server it does not know yet). But a server calls
// only the voters of its configuration: restrict() gives it ends through which a call to any other
// server is not made (it resolves to null at once, like a lost RPC). So a leader neither replicates
// to a removed server nor counts its votes, and a server not yet added calls nobody.
//
// Learners (5F) are members that do not vote: a leader replicates to them (AppendEntries and
// InstallSnapshot are the only calls restrict() lets through to a learner), so they count for no
// election, commit, CheckQuorum or ReadIndex round, and a learner never campaigns, not even on a
// TimeoutNow. It answers RequestVote as any server does (a promotion may commit before it hears
// of it, and then its vote may be needed). addVoter of a learner promotes it, once it holds
// everything the leader has committed; addVoter of a server that is not a member adds it directly.
//
// Joint consensus (5G, joint-consensus.ts) adds to a configuration C_old's voters while it is joint
// (`outgoing`: voters too, so a server calls them), the voters it demotes (`learnersNext`), and the
// servers that leaving joint removed (`departing`: replicated to until the next change, so that they
// learn they are out); isQuorum() is a majority of the voters and, while joint, of C_old's too.
//
// What the reference decides where the dissertation leaves a choice: a removed server is kept from
// disrupting the cluster by 5A's vote lease, not by refusing votes to strangers; a server that is
// not a voter of its configuration never starts an election. The configuration that a snapshot
// covers (the base) is saved with the Raft state (config-persistence.ts), so that a restarted
// server finds it again, and an InstallSnapshot carries it to the server it brings up to date.
import type { RaftLog } from "../raft/log.ts";
import type { Peer } from "../raft/types.ts";
// SOLUTION BEGIN
// TODO(5E): replace each stub below with your code.
import { isQuorum, jointFieldsOf } from "./joint-consensus.ts";
// SOLUTION ELSE
// import { notImplemented } from "../sim/index.ts";
// SOLUTION END

/** One membership change: add a voter (or promote a learner), remove one, or add a learner (5F); one server at a time. */
export interface ConfChange {
  type: "addVoter" | "removeVoter" | "addLearner";
  id: number;
}

/** A configuration: its voters and its learners (5F), each in increasing order, no server in both. */
export interface Members {
  voters: number[];
  learners: number[];
}

/** A config entry's command: the change, and the configuration it leads to. */
export interface ConfEntry extends Members {
  confChange: ConfChange;
}

/** Why a leader refuses a change (5E), or why a server that does not lead cannot take one. */
export type ConfChangeError =
  /** This server does not lead: ask the leader. */
  | "ErrWrongLeader"
  /** The previous config entry has not committed yet: one change at a time. */
  | "ErrChangeInProgress"
  /** No entry of the leader's term has committed yet (it has appended its no-op): try again soon. */
  | "ErrTermNotCommitted"
  /** The leader is handing its leadership over (5B). */
  | "ErrTransferInProgress"
  /** Not a change: an id outside the cluster, a voter added again, a non-voter removed, or the last voter removed. */
  | "ErrInvalidChange"
  /** 5F: a learner to promote does not hold everything the leader has committed yet: try again once it does. */
  | "ErrNotCaughtUp";

/** What proposeConfChange() returns: where the config entry went, or why there is none (5G: `reason` says why, in a sentence). */
export type ConfChangeResult = ({ ok: true; index: number; term: number } & Members) | { ok: false; err: ConfChangeError; reason?: string };

/** The configuration a snapshot covers, and the index of the config entry it comes from (0: the initial one): saved with the Raft state (config-persistence.ts) and sent with InstallSnapshot. */
export interface SnapshotBase {
  voters: readonly number[];
  learners: readonly number[];
  index: number;
  /** 5G: a joint configuration's outgoing voters, its learners next, and whether it leaves by itself. */
  outgoing?: readonly number[];
  learnersNext?: readonly number[];
  autoLeave?: boolean;
}

/** Whether a log entry's command is a config entry. */
export function isConfEntry(command: unknown): command is ConfEntry {
  return typeof command === "object" && command !== null && typeof (command as { confChange?: unknown }).confChange === "object";
}

/**
 * The configuration `change` leads to from `members`, or why it is no change: `servers` is how
 * many servers the cluster may ever have (the ends a Raft was given).
 */
export function changedMembers(members: { readonly voters: readonly number[]; readonly learners: readonly number[] }, change: ConfChange, servers: number): Members | string {
  // SOLUTION BEGIN
  // TODO(5E, 5F)
  const { id } = change;
  if (!Number.isInteger(id) || id < 0 || id >= servers) return `server ${id} is not one of the cluster's ${servers} servers`;
  const isVoter = members.voters.includes(id);
  const isLearner = members.learners.includes(id);
  const sorted = (ids: number[]) => ids.sort((a, b) => a - b);
  switch (change.type) {
    case "addVoter":
      if (isVoter) return `server ${id} is a voter already`;
      return { voters: sorted([...members.voters, id]), learners: members.learners.filter((l) => l !== id) };
    case "addLearner":
      if (isVoter) return `server ${id} is a voter: a voter is never made a learner here`;
      if (isLearner) return `server ${id} is a learner already`;
      return { voters: [...members.voters], learners: sorted([...members.learners, id]) };
    case "removeVoter":
      if (!isVoter) return `server ${id} is not a voter`;
      if (members.voters.length === 1) return `server ${id} is the last voter`;
      return { voters: members.voters.filter((v) => v !== id), learners: [...members.learners] };
    default:
      return `"${String((change as { type: unknown }).type)}" is not a change: use addVoter, removeVoter or addLearner`;
  }
  // SOLUTION ELSE
  // throw notImplemented("changedMembers (5E)");
  // SOLUTION END
}

// SOLUTION BEGIN
// TODO(5F): the calls a leader makes to a learner.
/** The calls a leader makes to a learner (5F): it replicates to it, and asks nothing else. */
const REPLICATION = new Set(["Raft.appendEntries", "Raft.installSnapshot"]);
// SOLUTION END

export class Configuration {
  // SOLUTION BEGIN
  // TODO(5E): find the configuration in use, cheaply, and keep calls to non-voters from being made.
  /** The voters in use, in increasing order. */
  voters: readonly number[];
  /** The learners in use (5F), in increasing order. */
  learners: readonly number[] = [];
  /** The index of the config entry they come from (0: the initial configuration, or the one a snapshot covers). */
  index = 0;
  /** 5G: C_old's voters while the configuration is joint (`voters` are C_new's); empty otherwise. */
  outgoing: readonly number[] = [];
  /** 5G: voters of C_old that become learners when the configuration leaves joint. */
  learnersNext: readonly number[] = [];
  /** 5G: whether the leader leaves this joint configuration by itself once its entry commits. */
  autoLeave = false;
  /**
   * 5G: the servers the entry in use removed by leaving joint. A leader replicates to them (as to a
   * learner) until the next config entry, so that they learn they are out and never campaign.
   */
  departing: readonly number[] = [];
  /** 5G: the voters of C_old,new that the leave entry in use made non-voters: the departing ones, and those it demoted to learners. */
  unseated: readonly number[] = [];
  /** The configuration when the log holds no config entry: the initial one, or the one the snapshot covers. */
  private base: SnapshotBase;
  /** The last entry refresh() looked at (index and term): if the log still holds it, nothing before it changed. */
  private seenIndex = 0;
  private seenTerm = 0;

  constructor(initialVoters: readonly number[]) {
    this.base = { voters: [...initialVoters].sort((a, b) => a - b), learners: [], index: 0 };
    this.voters = this.base.voters;
  }

  /** A voter of the configuration, or (5G, while joint) of the outgoing one. */
  isVoter(server: number): boolean {
    return this.voters.includes(server) || this.outgoing.includes(server);
  }

  /** 5G: whether this is a joint configuration C_old,new. */
  isJoint(): boolean {
    return this.outgoing.length > 0;
  }

  /** Whether the servers `acked` says yes to are a majority of the voters (5G: and, while joint, of C_old's too). */
  isQuorum(acked: (server: number) => boolean): boolean {
    return isQuorum(this.voters, this.outgoing, acked);
  }

  isLearner(server: number): boolean {
    return this.learners.includes(server);
  }

  /** Brings the configuration up to date with `log`: a new config entry takes effect, a truncated one falls back. */
  refresh(log: RaftLog): void {
    const last = log.lastIndex();
    const prefixKept = this.seenIndex <= last && this.seenIndex >= log.snapshotIndex && log.term(this.seenIndex) === this.seenTerm;
    if (!prefixKept) {
      // A truncation took the entries after some index away: look at the whole log again.
      this.voters = this.base.voters;
      this.learners = this.base.learners;
      this.index = this.base.index;
      this.outgoing = this.base.outgoing ?? [];
      this.learnersNext = this.base.learnersNext ?? [];
      this.autoLeave = this.base.autoLeave ?? false;
      this.departing = [];
      this.unseated = [];
      this.seenIndex = log.snapshotIndex;
      this.seenTerm = log.snapshotTerm;
    }
    for (let i = this.seenIndex + 1; i <= last; i++) {
      const command = log.entry(i).command;
      if (isConfEntry(command)) {
        const before = [...this.voters, ...this.outgoing];
        this.voters = command.voters;
        this.learners = command.learners ?? [];
        this.index = i;
        ({ outgoing: this.outgoing, learnersNext: this.learnersNext, autoLeave: this.autoLeave } = jointFieldsOf(command)); // 5G
        this.unseated = (command.confChange as { type: string }).type === "leaveJoint" ? before.filter((s) => !this.isVoter(s)) : [];
        this.departing = this.unseated.filter((s) => !this.isLearner(s));
      }
    }
    this.seenIndex = last;
    this.seenTerm = log.lastTerm();
  }

  /** The log is compacting through `index`: the configuration there becomes the base (call refresh() first). */
  compacting(log: RaftLog, index: number): void {
    let base = this.base;
    for (let i = Math.min(index, log.lastIndex()); i > log.snapshotIndex; i--) {
      const command = log.entry(i).command;
      if (isConfEntry(command)) {
        base = { voters: command.voters, learners: command.learners ?? [], index: i, ...jointFieldsOf(command) };
        break;
      }
    }
    this.base = base;
  }

  /** The configuration the snapshot covers (what a restart or an InstallSnapshot must find again). */
  snapshotBase(): SnapshotBase {
    return this.base;
  }

  /** A snapshot's configuration (saved, or from an InstallSnapshot) is the base now; the next refresh() looks at the whole log. */
  restoreBase(base: SnapshotBase): void {
    this.base = base;
    this.seenIndex = -1;
  }

  /**
   * `peers`, as ends that call only the voters of this configuration (as it is at the call), and its
   * learners only to replicate (5F); an InstallSnapshot carries the configuration it covers.
   */
  restrict(peers: Peer[]): Peer[] {
    return peers.map((end, peer) => {
      const restricted = Object.create(end) as Peer;
      const call = end.call.bind(end) as (method: string, args: unknown) => Promise<unknown>;
      (restricted as { call: unknown }).call = (method: string, args: unknown) =>
        this.isVoter(peer) || ((this.isLearner(peer) || this.departing.includes(peer)) && REPLICATION.has(method))
          ? call(method, method === "Raft.installSnapshot" ? { ...(args as object), configuration: this.base } : args)
          : Promise.resolve(null);
      return restricted;
    });
  }
  // SOLUTION ELSE
  // constructor(initialVoters: readonly number[]) {}
  //
  // /** Brings the configuration up to date with `log`: a new config entry takes effect, a truncated one falls back. */
  // refresh(log: RaftLog): void {
  //   throw notImplemented("Configuration.refresh (5E)");
  // }
  //
  // /** `peers`, as ends that call only the voters of this configuration (as it is at the call). */
  // restrict(peers: Peer[]): Peer[] {
  //   throw notImplemented("Configuration.restrict (5E)");
  // }
  // SOLUTION END
}
