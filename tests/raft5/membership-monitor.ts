// Monitor: the rules of single-server membership change (lab 5E; dissertation §4.1), checked on
// every Raft message, from the wire alone. It stands in for the two Figure-2 monitors that count a
// majority of every server (elected-before-leading.ts and commit-rule.ts), which a tester of
// changing clusters switches off: here a majority is one of the configuration in use.
//
// What it reads. Each server's log as the wire shows it: the entries a leader sends are in its log;
// the entries of an AppendEntries a follower accepts are in its log, and a conflicting one cuts off
// what followed (recorded when the follower replies, which is when its handler ran); a server's
// RequestVote says exactly where its log ends. A config entry is one whose command is a ConfEntry
// (raft-extensions/membership.ts). A server's configuration is the latest config entry in that
// log, or the initial configuration if there is none.
//
// The rules, for a leader L of term T, on each AppendEntries it sends:
//   - at most one config entry of L's log lies past the highest index known committed (one change
//     at a time): announced by a leader, or proven by acknowledgements on the wire (an entry of a
//     leader's term that a majority of its configuration, both while joint, acknowledged to it in
//     that term), for a leader may commit, append the next config entry and crash before any
//     message announces the commit;
//   - on its first message of T, L holds the votes of a majority of its configuration (its own
//     counts if it is a voter);
//   - a config entry L appended and never sent (a leader that crashed before it could, and now
//     campaigns with it) is not on the wire: when L's status() reports a config entry past the
//     latest the wire has shown, the monitor takes that one;
//   - each new commit index c that L announces for an entry of T is held by a majority of the
//     configuration L uses (L itself counting only if it is one of its voters; a follower as far as
//     L has received its acknowledgements in T). The configuration in use when L decided may be the
//     one before its latest config entry, if that entry lies past c: either is accepted (with, as
//     above, a config entry L has appended and not sent yet: the one status() reports);
//   - a leader that is not a voter of its configuration never announces a commit index that
//     reaches that config entry: a leader that removed itself steps down once its removal commits,
//     and a learner never leads.
// One leader per term over every server ever started is Figure 2's OneLeaderPerTerm, which counts
// nothing and stays on.
// Joint configurations (5G: raft-extensions/joint-consensus.ts): a config entry with `outgoing`
// voters is C_old,new, and there "a majority of the configuration" means a majority of its voters
// (C_new) and one of its outgoing voters (C_old), for elections and commits alike: the ack audit of
// joint consensus. A leader that is a voter of C_old only is a voter while the configuration is joint.
import { isConfEntry } from "../../raft-extensions/membership.ts";
import { describeCall, peerName, type AppendCall, type RaftCall, type RaftMonitor, type VoteCall } from "../harness/monitors/raft-wire.ts";

/** One server's log as the wire showed it. */
class WireLog {
  /** terms[i]: the term of the entry at index i (terms[0] unused). */
  readonly terms: number[] = [0];
  /** The indexes of config entries, increasing, and the voters each one sets. */
  readonly configIndexes: number[] = [];
  readonly configVoters: number[][] = [];
  /** 5G: the outgoing voters (C_old) each config entry sets; empty for one that is not joint. */
  readonly configOutgoing: number[][] = [];

  /** The log holds `call`'s entries after its prevLogIndex; an entry of another term there cuts off the rest. */
  hold(call: AppendCall): void {
    const { prevLogIndex, entries } = call.args;
    for (let k = 0; k < entries.length; k++) {
      const index = prevLogIndex + 1 + k;
      const entry = entries[k]!;
      if (this.terms[index] === entry.term) continue;
      this.truncateAfter(index - 1);
      while (this.terms.length < index) this.terms.push(-1); // a gap the wire never showed
      this.terms[index] = entry.term;
      if (isConfEntry(entry.command)) {
        this.configIndexes.push(index);
        this.configVoters.push([...entry.command.voters]);
        this.configOutgoing.push([...((entry.command as { outgoing?: number[] }).outgoing ?? [])]);
      }
    }
  }

  truncateAfter(index: number): void {
    if (this.terms.length > index + 1) this.terms.length = index + 1;
    while (this.configIndexes.length > 0 && this.configIndexes[this.configIndexes.length - 1]! > index) {
      this.configIndexes.pop();
      this.configVoters.pop();
      this.configOutgoing.pop();
    }
  }

  /** The latest config entry (index 0 and the initial voters if none), and the one before it. */
  configs(initial: readonly number[]): { latest: Config; previous: Config | undefined } {
    const n = this.configIndexes.length;
    const at = (k: number): Config => (k < 0 ? { index: 0, voters: initial } : this.configAt(k));
    return { latest: at(n - 1), previous: n === 0 ? undefined : at(n - 2) };
  }

  /** The configurations from the one in effect at `index` (the latest config entry at or before it) through the latest. */
  configsSince(index: number, initial: readonly number[]): Config[] {
    let k = this.configIndexes.length - 1;
    while (k >= 0 && this.configIndexes[k]! > index) k--;
    const configs: Config[] = [k < 0 ? { index: 0, voters: initial } : this.configAt(k)];
    for (let j = k + 1; j < this.configIndexes.length; j++) configs.push(this.configAt(j));
    return configs;
  }

  private configAt(k: number): Config {
    return { index: this.configIndexes[k]!, voters: this.configVoters[k]!, outgoing: this.configOutgoing[k]! };
  }

  uncommittedConfigs(commitIndex: number): number {
    let count = 0;
    for (let k = this.configIndexes.length - 1; k >= 0 && this.configIndexes[k]! > commitIndex; k--) count++;
    return count;
  }
}

interface Config {
  index: number;
  voters: readonly number[];
  /** 5G: C_old's voters while the configuration is joint (empty or absent otherwise). */
  outgoing?: readonly number[];
}

/** Whether `servers` hold a majority of `config`: of its voters and, while joint, of its outgoing voters too. */
function isMajorityOf(config: Config, servers: readonly number[]): boolean {
  const majority = (set: readonly number[]) => servers.filter((s) => set.includes(s)).length > set.length / 2;
  return majority(config.voters) && ((config.outgoing ?? []).length === 0 || majority(config.outgoing!));
}

/** "{0,1,2}", or "{3,4,5} joint with {0,1,2}" (5G). */
function describeConfig(config: Config): string {
  const outgoing = config.outgoing ?? [];
  return `{${config.voters.join(",")}}${outgoing.length > 0 ? ` joint with {${outgoing.join(",")}}` : ""}`;
}

/** What one leader did in one term, as the wire showed it. */
interface LeaderTerm {
  /** acked[f]: how far follower f's acknowledgements to this leader in this term reach (-1: none). */
  acked: number[];
  /** The highest commit index announced and checked so far. */
  checked: number;
  /** The AppendEntries that showed each follower's reach, for failure reports. */
  proof: (AppendCall | undefined)[];
}

export class MembershipRules implements RaftMonitor {
  private readonly logs: WireLog[];
  /** Per "leader/term". */
  private readonly terms = new Map<string, LeaderTerm>();
  /**
   * The highest index known committed: announced by a leader (leaderCommit), or proven by the
   * acknowledgements on the wire — an entry of leader L's term T that a majority of its
   * configuration (both majorities while joint) has acknowledged to L in T is committed, whether or
   * not L lived to announce it (it may crash in the very step it commits and appends the next config
   * entry, and lead again later with both in its log).
   */
  private committed = 0;
  /** Per "candidate/term": the votes granted to it that reached it. */
  private readonly votes = new Map<string, Map<number, VoteCall>>();

  constructor(
    /** Fails the run at once (the simulation's fail()). */
    private readonly fail: (message: string) => void,
    private readonly n: number,
    private readonly initial: readonly number[],
    /**
     * The configuration server i says it uses (status()), if it runs: a leader may decide with a
     * config entry it has appended and not sent yet, which the wire cannot show.
     */
    private readonly reported: (i: number) => Config | undefined,
  ) {
    this.logs = Array.from({ length: n }, () => new WireLog());
  }

  /** Server i's configuration as the wire shows its log: the voters, and the config entry's index (0: the initial one). */
  configOf(i: number): Config {
    return this.logs[i]!.configs(this.initial).latest;
  }

  request(call: RaftCall): void {
    if (call.method === "RequestVote") {
      this.logs[call.from]!.truncateAfter(call.args.lastLogIndex);
      return;
    }
    if (call.method !== "AppendEntries") return;
    const log = this.logs[call.from]!;
    log.hold(call);
    const key = `${call.from}/${call.term}`;
    let term = this.terms.get(key);
    if (term === undefined) {
      this.checkElected(call, log);
      term = { acked: new Array<number>(this.n).fill(-1), checked: call.args.leaderCommit, proof: new Array<AppendCall | undefined>(this.n).fill(undefined) };
      this.terms.set(key, term);
    }
    const onTheWire = log.configs(this.initial);
    const commit = call.args.leaderCommit;
    // Committed is what any leader has announced: a leader that restarted announces less until it
    // commits in its term, but what was committed is committed (and, by Leader Completeness, in its log).
    this.committed = Math.max(this.committed, commit);
    const uncommitted = log.uncommittedConfigs(this.committed);
    if (uncommitted > 1) {
      this.violation(
        "a log holds at most one uncommitted config entry",
        `${name(call.from)}, leading term ${call.term}, has ${uncommitted} config entries past the highest index known committed (announced, or acknowledged by a majority), ${this.committed} (at ${log.configIndexes.filter((i) => i > this.committed).join(", ")}):`,
        [call],
        "A leader appends a config entry only once the one before it has committed (one change at a time).",
      );
    }
    const { latest, previous } = this.withUnsent(call.from, onTheWire);
    if (!latest.voters.includes(call.from) && !(latest.outgoing ?? []).includes(call.from) && latest.index > 0 && commit >= latest.index) {
      this.violation(
        "a server that is no voter of a committed configuration does not lead",
        `${name(call.from)} is no voter of its configuration ${describeConfig(latest)} (entry ${latest.index}), which has committed (commit index ${commit}), and acts as leader of term ${call.term}:`,
        [call],
        "A leader that removes itself leads until the entry removing it commits, then steps down; a learner, or a server not added yet, never leads.",
      );
    }
    if (commit <= term.checked) return;
    term.checked = commit;
    if (log.terms[commit] !== call.term) return; // an earlier term's entry: committed before, learned
    const backed = (config: Config): boolean => isMajorityOf(config, this.holders(call.from, term, config, commit));
    if (backed(latest) || (previous !== undefined && latest.index > commit && backed(previous))) return;
    const holders = this.holders(call.from, term, latest, commit);
    this.violation(
      "a leader commits an entry only once a majority of its configuration holds it",
      `${name(call.from)} announced commit index ${commit} in term ${call.term}, held only by ${holders.length === 0 ? "no voter" : holders.map(name).join(", ")} ` +
        `of its configuration ${describeConfig(latest)} (entry ${latest.index}):`,
      [...holders.map((h) => term.proof[h]).filter((c): c is AppendCall => c !== undefined), call],
      "Commit by the voters of the latest configuration in the log, used from the moment it is appended (the leader counts itself only if it is one of them).",
    );
  }

  reply(call: RaftCall): void {
    if (call.method === "AppendEntries" && call.reply!.success && call.reply!.term === call.args.term) this.logs[call.to]!.hold(call);
  }

  answer(call: RaftCall): void {
    if (call.method === "RequestVote") {
      if (!call.reply!.voteGranted || call.reply!.term !== call.args.term) return;
      const key = `${call.from}/${call.args.term}`;
      let granted = this.votes.get(key);
      if (granted === undefined) this.votes.set(key, (granted = new Map()));
      granted.set(call.to, call);
      return;
    }
    if (call.method !== "AppendEntries" || !call.reply!.success || call.reply!.term !== call.args.term) return;
    const term = this.terms.get(`${call.from}/${call.args.term}`);
    if (term === undefined) return;
    const reach = call.args.prevLogIndex + call.args.entries.length;
    if (reach > term.acked[call.to]!) {
      term.acked[call.to] = reach;
      term.proof[call.to] = call;
      this.countProvenCommit(call.from, call.args.term, term, reach);
    }
  }

  /**
   * Raises `committed` to the highest index up to `reach` that leader `leader`'s acknowledgements in
   * `termNumber` prove committed: an entry of that term, held by a majority of every configuration
   * of the leader's log from the one in effect at that index through the latest (with a config entry
   * it has appended and not sent yet): what any configuration it may have decided with requires.
   */
  private countProvenCommit(leader: number, termNumber: number, term: LeaderTerm, reach: number): void {
    const log = this.logs[leader]!;
    const candidates = [...new Set(term.acked.filter((a) => a > this.committed && a <= reach))].sort((a, b) => b - a);
    for (const index of candidates) {
      if (log.terms[index] !== termNumber) continue;
      const configs = log.configsSince(index, this.initial);
      const unsent = this.withUnsent(leader, log.configs(this.initial)).latest;
      if (unsent.index > configs[configs.length - 1]!.index) configs.push(unsent);
      if (configs.every((config) => isMajorityOf(config, this.holders(leader, term, config, index)))) {
        this.committed = index;
        return;
      }
    }
  }

  /** The wire's view of a leader's configurations, with the config entry it has appended and not sent yet, if any. */
  private withUnsent(leader: number, onTheWire: { latest: Config; previous: Config | undefined }): { latest: Config; previous: Config | undefined } {
    const reported = this.reported(leader);
    if (reported === undefined || reported.index <= onTheWire.latest.index) return onTheWire;
    return { latest: reported, previous: onTheWire.latest };
  }

  /** The voters of `config` (5G: of C_old too, while joint) that hold the leader's log through `index`. */
  private holders(leader: number, term: LeaderTerm, config: Config, index: number): number[] {
    const voters = [...new Set([...config.voters, ...(config.outgoing ?? [])])].sort((a, b) => a - b);
    return voters.filter((v) => v === leader || term.acked[v]! >= index);
  }

  private checkElected(call: AppendCall, log: WireLog): void {
    // (A leader that crashed with entries it never sent holds them when it restarts and campaigns.)
    const { latest } = this.withUnsent(call.from, log.configs(this.initial));
    const granted = this.votes.get(`${call.from}/${call.term}`) ?? new Map<number, VoteCall>();
    const all = [...new Set([...latest.voters, ...(latest.outgoing ?? [])])].sort((a, b) => a - b);
    const voters = all.filter((v) => v === call.from || granted.has(v));
    if (isMajorityOf(latest, voters)) return;
    this.violation(
      "a server leads a term only after a majority of its configuration voted for it",
      `${name(call.from)} acted as leader of term ${call.term} with the votes of ${voters.length === 0 ? "no voter" : voters.map(name).join(", ")} ` +
        `of its configuration ${describeConfig(latest)} (entry ${latest.index}):`,
      [...granted.values(), call],
      "Candidates: become leader once votes from a majority of the configuration's voters are received (while joint: a majority of C_old and one of C_new).",
    );
  }

  private violation(rule: string, what: string, evidence: RaftCall[], why: string): void {
    this.fail([`lab-5E monitor: ${rule} — ${what}`, ...evidence.map((c) => `    ${describeCall(c)}`), `  ${why}`].join("\n"));
  }
}

function name(i: number): string {
  return peerName({ name: "", servers: [] }, i);
}
