// notImplemented(): what a student skeleton's stubs throw. A handout (labs/course/) keeps every
// function the tester calls, with its signature, and gives each a body that throws until the
// student writes it: `throw notImplemented("Raft.start (2B)")`. The run fails at the first call,
// at once and with the seed and replay command like any other failure, and the sentence says what
// is missing rather than leaving a test to time out on a Raft that never answers.

export class NotImplementedError extends Error {
  override name = "NotImplementedError";
}

/** The error a skeleton's stub throws: `what` names the function and its part, "Raft.start (2B)". */
export function notImplemented(what: string): NotImplementedError {
  return new NotImplementedError(`${what} is not implemented yet: replace the stub that throws this (under its TODO) with your code.`);
}
