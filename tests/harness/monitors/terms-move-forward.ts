// Monitor: a server's term only moves forward, and it moves to any higher term it hears of
// (Figure 2, rules for all servers: "if RPC request or response contains term T > currentTerm: set
// currentTerm = T, convert to follower"; currentTerm is persistent, so across restarts too).
//
// Three checks, on every Raft message a server sends:
//   - its term never goes back: no request or reply carries a term below one the server sent at an
//     earlier instant — across its restarts too (a term not saved before it was sent is lost);
//   - a reply's term is at least its request's: the server adopted the higher term before it
//     answered;
//   - once a reply to a request of its current term has told it of a higher term, it sends no
//     more requests in its old one (a leader that ignores the term in replies goes on leading);
//     this one per incarnation: a term adopted from a reply need not be saved before it is used.
// Within one instant a request may still carry the term it was built in: a task started at that
// instant may send after another task has moved the term on (and the receiver rejects it).
import { peerName, type RaftCall, type RaftCluster, type RaftMonitor, type RaftWire } from "./raft-wire.ts";

/** A term a server showed: in which message, as which node (incarnation). */
interface Shown {
  term: number;
  call: RaftCall;
  node: string;
}

/**
 * One server's terms as the wire showed them: the highest term it showed at instants before
 * `instant`, and the highest at `instant`, the latest instant it sent anything. (Kept as plain
 * fields, not Shown objects: this runs for every Raft message, and most carry a term already shown.)
 */
class TermsOfServer {
  private settledTerm = -1;
  private settledCall: RaftCall | undefined;
  private settledNode = "";
  private latestTerm = -1;
  private latestCall: RaftCall | undefined;
  private latestNode = "";
  private instant = -1;
  /** The highest term a reply to one of its current-term requests told it of. */
  heard: { term: number; call: RaftCall } | undefined;

  /** The highest term it showed before `now` (-1: none). */
  termBefore(now: number): number {
    return now > this.instant ? Math.max(this.settledTerm, this.latestTerm) : this.settledTerm;
  }

  /** The message that showed termBefore(now), for a violation's report. */
  shownBefore(now: number): Shown {
    const latest = now > this.instant && this.latestTerm > this.settledTerm;
    return latest
      ? { term: this.latestTerm, call: this.latestCall!, node: this.latestNode }
      : { term: this.settledTerm, call: this.settledCall!, node: this.settledNode };
  }

  /** The highest term it has shown at all. */
  highest(): number {
    return Math.max(this.settledTerm, this.latestTerm, 0);
  }

  shows(term: number, call: RaftCall, node: string, now: number): void {
    if (now > this.instant) {
      if (this.latestTerm > this.settledTerm) {
        this.settledTerm = this.latestTerm;
        this.settledCall = this.latestCall;
        this.settledNode = this.latestNode;
      }
      this.latestTerm = -1;
      this.instant = now;
    }
    if (term > this.latestTerm) {
      this.latestTerm = term;
      this.latestCall = call;
      this.latestNode = node;
    }
  }
}

export class TermsMoveForward implements RaftMonitor {
  private readonly servers = new Map<RaftCluster, TermsOfServer[]>();
  /**
   * Lab 5's vote lease (dissertation §4.2.3): a server that heard from its leader within the
   * minimum election timeout ignores a RequestVote, term and all, so its refusal may carry a lower
   * term than the request. Off but for testers of Rafts that have the lease (tests/raft5/).
   */
  voteLease = false;

  constructor(private readonly wire: RaftWire) {}

  request(call: RaftCall): void {
    const server = this.server(call.cluster, call.from);
    const term = call.args.term;
    if (term < server.termBefore(call.sentAt)) {
      const before = server.shownBefore(call.sentAt);
      this.wire.violation(
        "a server's term never goes back",
        `${peerName(call.cluster, call.from)} sent a request in term ${term} after it had sent term ${before.term}${restartedBetween(before, call.fromNode)}:`,
        [before.call, call],
        "currentTerm only grows, and it is persistent: saved before any message carries it, restored on restart.",
      );
    } else if (heardBefore(server.heard, call) && term < server.heard!.term) {
      this.wire.violation(
        "a server that hears of a higher term adopts it",
        `${peerName(call.cluster, call.from)} was told of term ${server.heard!.term} in a reply, and later still sent a request in term ${term}:`,
        [server.heard!.call, call],
        "Rules for all servers: if a response contains term T > currentTerm, set currentTerm = T and convert to follower.",
      );
    }
    server.shows(term, call, call.fromNode, call.sentAt);
  }

  reply(call: RaftCall): void {
    const server = this.server(call.cluster, call.to);
    const term = call.reply!.term;
    const leaseRefusal = this.voteLease && call.method === "RequestVote" && call.reply!.voteGranted === false;
    if (term < call.args.term && !leaseRefusal) {
      this.wire.violation(
        "a server that hears of a higher term adopts it",
        `${peerName(call.cluster, call.to)} answered ${call.method} #${call.id}, of term ${call.args.term}, in term ${term}:`,
        [call],
        "Rules for all servers: if a request contains term T > currentTerm, set currentTerm = T (before answering it).",
      );
    } else if (term < server.termBefore(call.repliedAt!)) {
      const before = server.shownBefore(call.repliedAt!);
      this.wire.violation(
        "a server's term never goes back",
        `${peerName(call.cluster, call.to)} replied in term ${term} after it had sent term ${before.term}${restartedBetween(before, call.toNode)}:`,
        [before.call, call],
        "currentTerm only grows, and it is persistent: saved before any reply carries it, restored on restart.",
      );
    }
    server.shows(term, call, call.toNode, call.repliedAt!);
  }

  answer(call: RaftCall): void {
    const server = this.server(call.cluster, call.from);
    const term = call.reply!.term;
    // A reply to a request of an older term may be ignored: the sender has moved on.
    if (term > call.args.term && call.args.term >= server.highest() && term > (server.heard?.term ?? 0)) {
      server.heard = { term, call };
    }
  }

  private server(cluster: RaftCluster, peer: number): TermsOfServer {
    let servers = this.servers.get(cluster);
    if (servers === undefined) this.servers.set(cluster, (servers = cluster.servers.map(() => new TermsOfServer())));
    return servers[peer]!;
  }
}

/**
 * Whether the sender of `call` heard of `heard` at an earlier instant, as the same incarnation (a
 * term adopted from a reply need not be saved until the server sends something in it).
 */
function heardBefore(heard: { call: RaftCall } | undefined, call: RaftCall): boolean {
  return heard !== undefined && heard.call.fromNode === call.fromNode && call.sentAt > heard.call.answeredAt!;
}

/** " (it restarted in between: …)" when the server was another incarnation then. */
function restartedBetween(before: Shown, node: string): string {
  return before.node !== node ? ` (it restarted in between: ${before.node}, then ${node})` : "";
}
