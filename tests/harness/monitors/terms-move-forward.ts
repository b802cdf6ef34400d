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
 * One server's terms as the wire showed them: the highest term it has shown, the first message
 * that showed it and at which instant, and the highest it had shown before that instant (with its
 * first message). That is all the checks need: at an instant after `maxInstant` the server had
 * shown `maxTerm` before; at `maxInstant` itself, only `priorTerm`. A message that shows no new
 * highest term, as nearly all do, changes nothing here: this runs for every Raft message.
 */
class TermsOfServer {
  private maxTerm = -1;
  private maxCall: RaftCall | undefined;
  private maxNode = "";
  private maxInstant = -1;
  private priorTerm = -1;
  private priorCall: RaftCall | undefined;
  private priorNode = "";
  /** The highest term a reply to one of its current-term requests told it of. */
  heard: { term: number; call: RaftCall } | undefined;

  /** The highest term it showed before `now` (-1: none). */
  termBefore(now: number): number {
    return now > this.maxInstant ? this.maxTerm : this.priorTerm;
  }

  /** The message that showed termBefore(now), for a violation's report. */
  shownBefore(now: number): Shown {
    return now > this.maxInstant
      ? { term: this.maxTerm, call: this.maxCall!, node: this.maxNode }
      : { term: this.priorTerm, call: this.priorCall!, node: this.priorNode };
  }

  /** The highest term it has shown at all. */
  highest(): number {
    return Math.max(this.maxTerm, 0);
  }

  shows(term: number, call: RaftCall, node: string, now: number): void {
    if (term <= this.maxTerm) return;
    // Virtual time never goes back: now ≥ maxInstant. A new instant's first higher term makes the
    // old highest the one shown before it; within one instant, what was shown before stays.
    if (now > this.maxInstant) {
      this.priorTerm = this.maxTerm;
      this.priorCall = this.maxCall;
      this.priorNode = this.maxNode;
      this.maxInstant = now;
    }
    this.maxTerm = term;
    this.maxCall = call;
    this.maxNode = node;
  }
}

export class TermsMoveForward implements RaftMonitor {
  private readonly servers = new Map<RaftCluster, TermsOfServer[]>();
  private lastCluster: RaftCluster | undefined;
  private lastServers: TermsOfServer[] = [];
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
    const term = call.reply!.term;
    if (term <= call.args.term) return; // no news of a higher term: nearly every answer
    const server = this.server(call.cluster, call.from);
    // A reply to a request of an older term may be ignored: the sender has moved on.
    if (call.args.term >= server.highest() && term > (server.heard?.term ?? 0)) {
      server.heard = { term, call };
    }
  }

  private server(cluster: RaftCluster, peer: number): TermsOfServer {
    // Most testers have one cluster: its servers are the last ones looked up.
    if (cluster !== this.lastCluster) {
      let servers = this.servers.get(cluster);
      if (servers === undefined) this.servers.set(cluster, (servers = cluster.servers.map(() => new TermsOfServer())));
      this.lastCluster = cluster;
      this.lastServers = servers;
    }
    return this.lastServers[peer]!;
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
