// What a run may use instead of the reference solutions. A grader must fail broken code; its
// meta-tests prove it by running the real tests with a broken Raft or server substituted here
// (RunOptions.substitutes). Each lab's config reads the substitute for what it starts, and falls
// back to the reference.
//
// Each lab declares its own substitutes, in tests/<lab>/substitute.ts, by adding fields to this
// interface (TypeScript's declaration merging): this file names no lab, so a student repository
// without lab 4 has no lab 4 types here.
export interface Substitutes {}
