// Lab 5G: joint consensus (Ongaro's dissertation §4.3), in the style of etcd's ConfChangeV2. This
// file holds what a joint change is, which configurations it leads to, when a set of servers is a
// quorum, and why a change is refused; extended-raft.ts's proposeConfChange() holds the leader's
// rules for proposing one, and membership.ts's Configuration finds the one a server uses.
//
//   rf.proposeConfChange({ joint: [{ type: "removeVoter", id: 1 }, { type: "addVoter", id: 4 }] })
//                                 enter C_old,new; the leader leaves it on its own once it commits
//   rf.proposeConfChange({ joint: [...], autoLeave: false })   stay joint until asked to leave
//   rf.proposeConfChange({ leaveJoint: true })                 leave: C_new alone
//   rf.status().outgoing          C_old's voters while joint ([] otherwise); .config is C_new's
//
// A joint change changes any number of servers at once: adds voters, removes them, adds learners,
// promotes learners (addVoter) and demotes voters to learners (addLearner of a voter). The leader
// appends one config entry for C_old,new: its `voters` are C_new's (the incoming configuration),
// its `outgoing` are C_old's. From the moment a server appends it, every decision — an election, a
// pre-vote, a commit, a ReadIndex round, a CheckQuorum check — needs a majority of C_new AND a
// majority of C_old (isQuorum below), and a server calls the voters of both. Once the joint entry
// has committed, the leader appends the entry that leaves: C_new alone, `outgoing` empty. With
// autoLeave (the default) it does so by itself, and so does a leader elected mid-change once the
// joint entry commits under it (a new leader appends a no-op to get there); without it, it waits
// for proposeConfChange({ leaveJoint: true }) — and a leader elected before the joint entry
// committed appends that no-op all the same, or the entry would never commit and the leave be
// refused forever.
//
// A voter demoted to learner stays a voter of C_old while joint: it sits in `learnersNext` and
// becomes a learner only when the leave entry is appended, for a server is never a voter and a
// learner at once. A leader that is not a voter of C_new leads until the leave entry commits, then
// steps down (5E's rule for a removed leader: it is no voter any more, and never campaigns again).
//
// The guards (etcd's confchange/testdata/joint_safety.txt), each refused with a sentence that says
// what was wrong (the result's `reason`): entering joint while joint, a simple (5E) change while
// joint, leaving when not joint, leaving before the joint entry has committed, a change that leaves
// C_new without a voter, and a joint change that changes nothing. As for 5E's changes, the entry
// before must have committed, and an entry of the leader's term must have committed.
import type { ConfChange, ConfEntry, Members } from "./membership.ts";
// SOLUTION BEGIN
// TODO(5G): replace each stub below with your code.
// SOLUTION ELSE
// import { notImplemented } from "../sim/index.ts";
// SOLUTION END

/** Enter the joint configuration C_old,new that `joint`'s changes lead to (in order, on C_old). */
export interface EnterJoint {
  joint: ConfChange[];
  /** Leave C_old,new as soon as its entry commits (default true); false: wait for { leaveJoint: true }. */
  autoLeave?: boolean;
}

/** Leave the joint configuration: C_new alone. */
export interface LeaveJoint {
  leaveJoint: true;
}

/** A configuration that may be joint: C_new's voters and learners, and, while joint, C_old's voters. */
export interface JointMembers extends Members {
  /** C_old's voters while joint; empty otherwise. */
  outgoing: number[];
  /** Voters of C_old that C_new demotes: learners once the configuration leaves joint. */
  learnersNext: number[];
  /** Whether the leader leaves this joint configuration by itself once its entry commits. */
  autoLeave: boolean;
}

/** The change a joint config entry records. */
export type JointConfChange = { type: "enterJoint"; changes: ConfChange[]; autoLeave: boolean } | { type: "leaveJoint" };

/** A joint config entry's command: the joint change, and the configuration it leads to. */
export interface JointConfEntry extends JointMembers {
  confChange: JointConfChange;
}

/** Whether a proposal is a joint one (enter or leave), rather than one of 5E's simple changes. */
export function isJointProposal(change: unknown): change is EnterJoint | LeaveJoint {
  if (typeof change !== "object" || change === null) return false;
  return "joint" in change || "leaveJoint" in change;
}

/** The joint fields of a config entry's command (a 5E entry has none: not joint). */
export function jointFieldsOf(command: ConfEntry | JointConfEntry): { outgoing: readonly number[]; learnersNext: readonly number[]; autoLeave: boolean } {
  const joint = command as Partial<JointConfEntry>;
  return { outgoing: joint.outgoing ?? [], learnersNext: joint.learnersNext ?? [], autoLeave: joint.autoLeave ?? false };
}

/**
 * Whether the servers `acked` says yes to are a quorum of the configuration: a majority of
 * `voters` and, while joint (`outgoing` not empty), a majority of `outgoing` too.
 */
export function isQuorum(voters: readonly number[], outgoing: readonly number[], acked: (server: number) => boolean): boolean {
  // SOLUTION BEGIN
  // TODO(5G)
  const majorityOf = (set: readonly number[]) => set.filter(acked).length > set.length / 2;
  return majorityOf(voters) && (outgoing.length === 0 || majorityOf(outgoing));
  // SOLUTION ELSE
  // throw notImplemented("isQuorum (5G)");
  // SOLUTION END
}

/**
 * The joint configuration that `enter` leads to from `members` (which must not be joint), or a
 * sentence saying why it is no change: `servers` is how many servers the cluster may ever have.
 */
export function enteredJoint(members: { readonly voters: readonly number[]; readonly learners: readonly number[]; readonly outgoing: readonly number[] }, enter: EnterJoint, servers: number): JointMembers | string {
  // SOLUTION BEGIN
  // TODO(5G)
  if (members.outgoing.length > 0) return "the configuration is joint already: leave it first, with { leaveJoint: true }";
  if (!Array.isArray(enter.joint) || enter.joint.length === 0) return "a joint change needs at least one change in `joint`: [{ type, id }, …]";
  if (enter.autoLeave !== undefined && typeof enter.autoLeave !== "boolean") return `autoLeave must be true or false; got ${String(enter.autoLeave)}`;
  const outgoing = [...members.voters];
  const voters = new Set(members.voters);
  const learners = new Set(members.learners);
  const learnersNext = new Set<number>();
  for (const change of enter.joint) {
    const id = change?.id;
    if (!Number.isInteger(id) || id < 0 || id >= servers) return `server ${String(id)} is not one of the cluster's ${servers} servers`;
    switch (change.type) {
      case "addVoter":
        if (voters.has(id)) return `server ${id} is a voter already`;
        voters.add(id);
        learners.delete(id);
        learnersNext.delete(id);
        break;
      case "removeVoter":
        if (!voters.has(id)) return `server ${id} is not a voter`;
        voters.delete(id);
        break;
      case "addLearner":
        if (learners.has(id) || learnersNext.has(id)) return `server ${id} is a learner already`;
        if (voters.has(id)) voters.delete(id);
        // A voter of C_old stays one while joint: it becomes a learner when the configuration leaves.
        if (outgoing.includes(id)) learnersNext.add(id);
        else learners.add(id);
        break;
      default:
        return `"${String((change as { type: unknown })?.type)}" is not a change: use addVoter, removeVoter or addLearner`;
    }
  }
  if (voters.size === 0) return "the new configuration would have no voter: keep at least one";
  const sorted = (ids: Iterable<number>) => [...ids].sort((a, b) => a - b);
  return { voters: sorted(voters), learners: sorted(learners), outgoing, learnersNext: sorted(learnersNext), autoLeave: enter.autoLeave ?? true };
  // SOLUTION ELSE
  // throw notImplemented("enteredJoint (5G)");
  // SOLUTION END
}

/** The configuration that leaving joint leads to from `members`, or why it cannot leave (it is not joint). */
export function leftJoint(members: { readonly voters: readonly number[]; readonly learners: readonly number[]; readonly outgoing: readonly number[]; readonly learnersNext: readonly number[] }): JointMembers | string {
  // SOLUTION BEGIN
  // TODO(5G)
  if (members.outgoing.length === 0) return "the configuration is not joint: there is nothing to leave";
  const learners = [...members.learners, ...members.learnersNext].sort((a, b) => a - b);
  return { voters: [...members.voters], learners, outgoing: [], learnersNext: [], autoLeave: false };
  // SOLUTION ELSE
  // throw notImplemented("leftJoint (5G)");
  // SOLUTION END
}
