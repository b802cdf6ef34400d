// How a grader says that a test failed: throw a TestFailure with a sentence saying what was
// expected and what happened. The runner adds the seed, the virtual time, the recent events and
// the replay command.

export class TestFailure extends Error {
  override name = "TestFailure";
}

/** Fails the running test (like Go's t.Fatalf). */
export function fail(message: string): never {
  throw new TestFailure(message);
}
