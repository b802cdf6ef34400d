// What a grade reads of a submission, as one hash: the content of the student files it takes for
// the graded labs and the labs they build on (submission.ts copies exactly those into the grading
// tree), with their paths. Two copies of a submission with the same hash get the same grade from
// the same code and seeds, wherever they are; simlab merge compares the hashes of grade shards so
// that shards graded from different copies of a submission are not merged.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { studentFilesIn } from "./files.ts";
import { withFoundations, type Lab } from "./manifest.ts";

/** SHA-256 (hex) of the submission's student files of `graded` and the labs they build on. */
export function submissionHash(submission: string, graded: readonly Lab[]): string {
  const hash = createHash("sha256");
  for (const lab of withFoundations(graded)) {
    for (const path of studentFilesIn(submission, lab)) {
      const content = readFileSync(join(submission, path));
      hash.update(`${path}\0${content.length}\0`);
      hash.update(content);
    }
  }
  return hash.digest("hex");
}
