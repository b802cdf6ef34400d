// What the testers note for the debugger page (`simlab viz`) in an observed run, beyond what the
// simulation and the network record themselves (sim/core/simulation.ts, "Observing"):
//
//   state      a Raft peer's term and whether it leads, sampled with getState() after every
//              event that ran the peer's code (only that code changes them) and noted when
//              either changes — for any Raft, since getState() is the one thing every lab's Raft
//              offers the tester;
//   restore    what a peer's new incarnation was given: the sizes of its saved Raft state and
//              snapshot;
//   op-call    a client operation's call, from the tester's history (its handle, client id, input,
//   op-return  and the history's own timestamp), then its return with the output.
//
// In a run nobody observes these functions do nothing: no sampling, no extra getState() calls.
import type { Persister, SimNode, Simulation } from "../../sim/index.ts";
import type { HistoryObserver } from "../../sim/check/index.ts";

/** What the sampler needs of a Raft peer: the call every tester makes. */
export interface StateOf {
  getState(): { term: number; isLeader: boolean };
}

/** Notes a started peer's restored state, then its term and leadership whenever they change. */
export function observeRaftPeer(sim: Simulation, node: SimNode, rf: StateOf, persister: Persister): void {
  if (!sim.observing) return;
  sim.journal.note(sim.now, node.toString(), "restore", {
    raftStateBytes: persister.raftStateSize(),
    snapshotBytes: persister.snapshotSize(),
  });
  let term = -1;
  let isLeader = false;
  let sampling = true;
  sim.afterEachEvent(() => {
    if (!sampling || !node.alive) return;
    let state: { term: number; isLeader: boolean };
    try {
      state = sim.runAs(node, () => rf.getState());
    } catch (err) {
      // The page shows no state for this peer from here on; the run itself is not affected.
      sampling = false;
      sim.journal.note(sim.now, node.toString(), "state", { error: String(err) });
      return;
    }
    if (state.term === term && state.isLeader === isLeader) return;
    term = state.term;
    isLeader = state.isLeader;
    sim.journal.note(sim.now, node.toString(), "state", { term, isLeader });
  }, node);
}

/** A history observer that notes each operation's call and return, or undefined when nobody observes. */
export function observeOperations<Input, Output>(sim: Simulation): HistoryObserver<Input, Output> | undefined {
  if (!sim.observing) return undefined;
  return {
    called: (handle, op) => sim.note("op-call", { op: handle, client: op.clientId, input: op.input, at: op.call }),
    returned: (handle, op) => sim.note("op-return", { op: handle, output: op.output, at: op.return }),
  };
}
