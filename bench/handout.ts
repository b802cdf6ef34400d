// `npm run bench -- handout`: the student's first minutes with a handout, in wall time, as
// tests/course/handout.test.ts walks them (it checks what they print; this times them):
//
//   install_s     `npm ci` in a fresh clone of the published handout (from the npm cache here)
//   first_test_s  then `npm test -- 2A`, to the first failing report
//   newcomer_s    the two together
//   skeleton_s    `npm test` of the whole skeleton: every lab test, each failing at once
//
// Targets on our 2-core machine: newcomer ≤ 120 s, skeleton ≤ 60 s (a course promises a student
// that an unfinished lab fails in seconds, not that it hangs). The run needs git and the npm
// registry or cache, like .ci/run.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeHandout } from "../labs/course/handout.ts";
import { labs } from "../labs/course/manifest.ts";
import { thisTree } from "../labs/course/files.ts";

const NEWCOMER_TARGET_S = 120;
const SKELETON_TARGET_S = 60;

/** Runs a command as a student's shell would (no SEED, no vitest variables); its wall seconds. */
function timed(command: string, args: string[], cwd: string, expectStatus: number): number {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(VITEST|SEED$|SEEDS$)/.test(key)));
  const started = performance.now();
  const { status, stdout, stderr } = spawnSync(command, args, { cwd, encoding: "utf8", env: { ...clean, NO_COLOR: "1" }, timeout: 600_000 });
  const s = (performance.now() - started) / 1000;
  if (status !== expectStatus) throw new Error(`${command} ${args.join(" ")} exited with ${status}, expected ${expectStatus}:\n${stdout}${stderr}`);
  return s;
}

export default async function handoutBench(): Promise<Record<string, unknown>> {
  const scratch = mkdtempSync(join(tmpdir(), "simlab-bench-handout-"));
  try {
    const handout = join(scratch, "handout");
    const clone = join(scratch, "student");
    writeHandout(thisTree, labs, handout);
    const git = (...args: string[]): number => timed("git", ["-c", "user.name=Course Staff", "-c", "user.email=staff@example.org", ...args], scratch, 0);
    git("-C", handout, "init", "-q");
    git("-C", handout, "add", "-A");
    git("-C", handout, "commit", "-q", "-m", "labs");
    git("clone", "-q", handout, clone);
    const install = timed("npm", ["ci", "--no-audit", "--no-fund"], clone, 0);
    const firstTest = timed("npm", ["test", "--", "2A"], clone, 1);
    const skeleton = timed("npm", ["test"], clone, 1);
    const result = {
      bench: "handout",
      install_s: Number(install.toFixed(1)),
      first_test_s: Number(firstTest.toFixed(1)),
      newcomer_s: Number((install + firstTest).toFixed(1)),
      skeleton_s: Number(skeleton.toFixed(1)),
      newcomer_within_target: install + firstTest <= NEWCOMER_TARGET_S,
      skeleton_within_target: skeleton <= SKELETON_TARGET_S,
    };
    console.log(`newcomer: npm ci ${result.install_s} s + npm test -- 2A ${result.first_test_s} s = ${result.newcomer_s} s (target ≤ ${NEWCOMER_TARGET_S} s)`);
    console.log(`skeleton: npm test ${result.skeleton_s} s (target ≤ ${SKELETON_TARGET_S} s)`);
    return result;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
