// What the network writes in the journal: one entry per step of a call, each with an RpcNote as
// its detail. The note's call id is the same on every entry of one call, so a reader (the column
// printer, the ShiViz export) can follow a message from its send to its reply.
//
//   kind         node     note         when
//   send         caller   caller → to  the request leaves
//   drop         caller   caller → to  the request was lost, or its link is cut (or a script dropped a held one)
//   hold         caller   caller → to  a script holds the request (Network.holdRequests) until it delivers or drops it
//   deliver      server   caller → to  the request reached the handler
//   respond      server   to → caller  the handler returned its reply
//   reply-drop   server   to → caller  the reply was lost, or its link is cut
//   reply        caller   to → caller  the reply is back: call() resolves to it
//   rpc-fail     caller   to → caller  the call failed: call() resolves to null
//
// A drop, reply-drop or rpc-fail note says why (DropReason). In an observed run (the debugger
// page's), a send's note carries the request's arguments and a reply's or reply-drop's the reply,
// as the codec copied them.

/** The kinds of the network's journal entries. */
export const RpcKind = {
  send: "send",
  drop: "drop",
  hold: "hold",
  deliver: "deliver",
  respond: "respond",
  replyDrop: "reply-drop",
  reply: "reply",
  fail: "rpc-fail",
} as const;
export type RpcKind = (typeof RpcKind)[keyof typeof RpcKind];

/** Every RpcKind, to tell the network's entries from the others. */
export const rpcKinds: ReadonlySet<string> = new Set<string>(Object.values(RpcKind));

/** Why a message did not arrive, or a call failed. */
export const DropReason = {
  /** The unreliable network lost it. */
  lost: "lost",
  /** Its one-way link is cut. */
  cut: "link cut",
  /** The end was disabled (the tester disconnected the caller or the server). */
  disconnected: "disconnected",
  /** No server has the end's server name (never added, or deleted). */
  noServer: "no server",
  /** The server was deleted or replaced (a restart) while the message was on its way or the handler ran. */
  serverGone: "server gone",
  /** The server's node crashed before the request arrived. */
  crashed: "server crashed",
  /** A script held the request, then dropped it (Network.releaseHeld). */
  scripted: "dropped by the script",
} as const;
export type DropReason = (typeof DropReason)[keyof typeof DropReason];

/** The detail of a network entry: which call, and which way the message goes. */
export class RpcNote {
  constructor(
    readonly rpc: number,
    readonly method: string,
    /** The node that sent this message. */
    readonly from: string,
    /** The node (or server name, for a request that never reached one) it was sent to. */
    readonly to: string,
    /** Why the message was dropped or the call failed (drop, reply-drop, rpc-fail). */
    readonly reason?: DropReason,
    /** The arguments (send) or the reply (reply, reply-drop), in an observed run only. */
    readonly payload?: unknown,
  ) {}

  toString(): string {
    return `${this.method} #${this.rpc} ${this.from} → ${this.to}${this.reason === undefined ? "" : ` (${this.reason})`}`;
  }
}
