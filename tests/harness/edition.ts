// Which simlab tree this is: simlab's own repository, with the reference solutions, or a student
// repository that `simlab handout` built from it (labs/course/handout.ts writes this file anew in
// every student repository, with the labs it holds, and changes nothing else of the harness).
// What differs between the two follows from this value: a student repository draws a fresh seed
// for every `npm test` (seeds.ts), and has no `simlab handout` or `simlab grade`, which need the
// reference solutions.
export type Edition = { kind: "reference" } | { kind: "handout"; labs: readonly number[] };

export const edition: Edition = { kind: "reference" };
