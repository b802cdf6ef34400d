// The README of a student repository (handout.ts writes it): how to set up, run a part, replay a
// seed, sweep, and read a trace, and what is yours to write. Its tables come from manifest.ts, so
// a lab that is not handed out is not mentioned.
import type { Lab } from "./manifest.ts";

export function studentReadme(labs: readonly Lab[]): string {
  const first = labs[0]!.parts[0]!;
  const firstTest = Object.keys(first.tests)[1] ?? Object.keys(first.tests)[0]!;
  const rows = labs.map((lab) => {
    const code = (paths: readonly string[]): string => paths.map((path) => `\`${path}\``).join(", ");
    const parts = lab.parts.map((part) => `${part.name} ${part.topic}`).join("; ");
    return `| ${lab.number} — ${lab.title} | \`${lab.handout}\` | ${code(lab.studentFiles)} | ${code(lab.givenFiles)} | ${parts} |`;
  });
  return `# Distributed systems labs, on simlab

\`\`\`sh
npm ci
npm test -- ${first.name}
\`\`\`

That is the whole set-up (Node 20 or newer): \`npm ci\` installs the locked dependencies, and
\`npm test -- ${first.name}\` runs the tests of part ${first.name}. In the repository as you get it, every test
fails at once, saying which function is not written yet: that is where you start.

Your code runs inside a deterministic simulation: every server, message and timer lives in one
process on one virtual clock, and every random choice (lost messages, delays, your election
timeouts) is drawn from one seed. A run is a pure function of your code and the seed, so a
failing seed replays the same failure, event for event, as often as you like, under a debugger
too.

## The labs

| lab | handout | your files | given as they are | parts |
|---|---|---|---|---|
${rows.join("\n")}

The handouts say what to build. In your files, every gap is marked \`TODO(part)\`, and every
function the tester calls has a stub that throws \`notImplemented(…)\` until you replace it. The
other files are the framework (\`sim/\`, imported through \`sim/index.ts\`), the command line
(\`labs/cli/\`) and the graders (\`tests/\`). You may read them all, but only your files count
when your work is graded.

## Running the tests

\`\`\`sh
${commented([
    [`npm test -- ${first.name}`, "one part"],
    [`npm test -- ${first.name} -t "${firstTest}$"`, "one test (anchor the name with $)"],
    ["npm test", "every part"],
    ["npx tsc --noEmit", "type-check, as grading does"],
  ])}
\`\`\`

\`-t\` is a regular expression on the test's full name: anchor it with \`$\`, and check that the
summary says \`1 passed\` or \`1 failed\` (a \`-t\` that matches nothing runs nothing and still
succeeds).

## Seeds

Each \`npm test\` draws a **fresh seed** and prints it first, so every run meets new message
losses, delays and timeouts. With a fixed seed you would meet one schedule per test and might
believe a rare bug gone when it only hides from that seed. When a test fails, its report gives
the seed and the command that replays it, for example:

\`\`\`
replay: SEED=4711 npm test -- ${first.name} -t "${firstTest}$"
\`\`\`

\`\`\`sh
${commented([
    [`SEED=4711 npm test -- ${first.name}`, "exactly this run, every time"],
    [`SEEDS=200 npm test -- ${first.name}`, "200 consecutive seeds, from a fresh one"],
    [`SEED=1 SEEDS=200 npm test -- ${first.name}`, "seeds 1..200"],
    [`npx simlab sweep ${first.name} --seeds 1000`, "many seeds on every core, with a table of failures"],
  ])}
\`\`\`

\`simlab sweep\` runs each test of the part over seeds 1, 2, … (\`--from S\` starts elsewhere) in
one worker process per core, prints each test's failure rate and first failing seeds, and saves
every failing seed with its replay command in \`.simlab/failures/\`. A bug that shows once in
500 seeds is a bug: the graders run every test on many seeds.

## Reading what happened

\`\`\`sh
${commented([
    [`npx simlab replay ${firstTest} --seed 4711`, "every event, one column per server"],
    [`npx simlab replay ${firstTest} --seed 4711 --topics vote,role`, "only some log topics"],
    [`npx simlab replay ${firstTest} --seed 4711 --nodes 0,2 --from 1s --to 2.5s`, "servers 0 and 2, from 1 s to 2.5 s"],
    [`npx simlab replay ${firstTest} --seed 4711 --trace run.jsonl --shiviz run.log`, "every event, as JSON lines and for ShiViz"],
  ])}
\`\`\`

\`replay\` runs one seed again and prints its journal as columns, one per server, with the
virtual time on the left: messages sent, delivered and lost, crashes and restarts, and each line
your code writes with \`log(topic, …)\`. \`--trace\` writes every event as JSON lines, and
\`--shiviz\` a log that ShiViz (https://bestchai.bitbucket.io/shiviz/) draws as a communication
graph. \`npx simlab --help\` lists every command.

A paused process pauses virtual time, so breakpoints are safe:
\`SEED=4711 npx vitest run ${first.name} -t "${firstTest}$" --inspect-brk --no-file-parallelism\`,
then attach a debugger.

## How your work is graded

Course staff run \`simlab grade\` on your repository. It takes only your files (the table above)
and puts them in a fresh copy of the official framework and graders, so a changed test or
simulator has no effect. It type-checks them (\`npx tsc --noEmit\`), then runs every test on many
seeds; a test scores its points only if it passes on **every** seed. Besides the tests' own
virtual-time limits, each run has a budget of events (a deterministic limit on work, far above
what a sound solution needs) so that the same code gets the same grade on any machine. Your
files may import simlab through \`../sim/index.ts\` and the files of your labs, and nothing
else: no Node modules, no packages, no real timers.
`;
}

/** Shell lines with their comments aligned. */
function commented(lines: [command: string, comment: string][]): string {
  const width = Math.max(...lines.map(([command]) => command.length));
  return lines.map(([command, comment]) => `${command.padEnd(width)}  # ${comment}`).join("\n");
}
