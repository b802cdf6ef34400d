// A gate between each lab-5 Raft and the tester's applier, so that a test can block one server's
// applier (5B's L12: a transfer's target that has not applied its configuration yet).
//
//   const gate = new ApplierGate(t);
//   const m = new MembershipCluster(gate.context, …);   // Rafts made through gate.context
//   gate.block(2); … gate.unblock(2);
//
// Each Raft gets an unbuffered channel of its own in place of applyCh; a task of the server's node
// passes every message on to the tester's applyCh, and while the server is blocked it holds the
// message it took, so that the Raft's next send waits: the service takes nothing more until the
// server is unblocked. The messages are passed on in order, none lost. (The Raft saw the held
// message taken: a test that wants an entry unapplied commits one more entry after block() first.)
import { Channel, go, sleep } from "../../sim/index.ts";
import type { ApplyMsg } from "../../raft/types.ts";
import { make } from "../../raft-extensions/extended-raft.ts";
import type { TestContext } from "../harness/define-test.ts";

/** How often a held message looks whether its server was unblocked. */
const UNBLOCK_POLL_MS = 5;

export class ApplierGate {
  /** `t`, with Rafts whose applyCh passes through this gate. */
  readonly context: TestContext;
  private readonly blocked = new Set<number>();

  constructor(t: TestContext) {
    const makeRaft = t.substitutes.makeExtendedRaft ?? make;
    this.context = {
      ...t,
      substitutes: {
        ...t.substitutes,
        makeExtendedRaft: (peers, me, persister, applyCh, options) => makeRaft(peers, me, persister, this.gated(me, applyCh), options),
      },
    };
  }

  /** Server i's applier takes nothing more until unblock(i). */
  block(i: number): void {
    this.blocked.add(i);
  }

  unblock(i: number): void {
    this.blocked.delete(i);
  }

  /** A channel for server `me`'s Raft whose messages reach `applyCh` while `me` is not blocked (run as `me`'s node). */
  private gated(me: number, applyCh: Channel<ApplyMsg>): Channel<ApplyMsg> {
    const gate = new Channel<ApplyMsg>(0, `applyCh-gate-${me}`);
    go(async () => {
      for (;;) {
        const msg = await gate.recv();
        if (msg === undefined) return;
        while (this.blocked.has(me)) await sleep(UNBLOCK_POLL_MS);
        await applyCh.send(msg);
      }
    });
    return gate;
  }
}
