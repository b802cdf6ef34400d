// invariant(): assert what must hold, where it must hold (TigerBeetle's habit). An invariant is
// documentation that runs: `invariant(term >= this.currentTerm, "a term never decreases")`.
//
// A violation throws an InvariantError. Thrown from simulated code (a task, an RPC handler) it
// fails the run like any other failure: the report names the rule, the node, the virtual time and
// the seed, and the test runner adds the replay command. The check itself is one comparison; the
// optional `detail` is a function so that its text is only built when the rule is broken.

export class InvariantError extends Error {
  override name = "InvariantError";
}

export function invariant(condition: boolean, rule: string, detail?: () => string): asserts condition {
  if (condition) return;
  throw new InvariantError(`invariant broken: ${rule}${detail === undefined ? "" : ` (${detail()})`}`);
}
