// How a grader says that a test failed: throw a TestFailure with a sentence saying what was
// expected and what happened. The runner adds the seed, the virtual time, the recent events and
// the replay command.

export class TestFailure extends Error {
  override name = "TestFailure";
}

/**
 * Fails the running test (like Go's t.Fatalf). The message may have many lines; the runner's
 * report shows the first frames of the error's stack, and a stack begins with the whole message,
 * so the stack keeps only its first line and the details are not printed twice.
 */
export function fail(message: string): never {
  const err = new TestFailure(message);
  const stack = err.stack ?? "";
  const frames = stack.indexOf("\n    at ");
  err.stack = `TestFailure: ${message.split("\n")[0]}${frames >= 0 ? stack.slice(frames) : ""}`;
  throw err;
}
