// simlab <command> [options]: dispatches to the command's own file. To add a command, write it as a
// `Command` (command.ts) in its own file and list it below.
import { UsageError } from "../../sim/index.ts";
import { labsOfThisTree } from "../course/manifest.ts";
import { checkCommand } from "./check.ts";
import { runCommand } from "./run.ts";
import { sweepCommand } from "./sweep.ts";
import { mergeCommand } from "./merge.ts";
import { workerCommand } from "./queue-worker.ts";
import { replayCommand } from "./replay.ts";
import { checkDeterminismCommand } from "./check-determinism.ts";
import { gradeCommand } from "./grade.ts";
import { handoutCommand } from "./handout.ts";
import { vizCommand } from "./viz.ts";
import { shrinkCommand } from "./shrink.ts";
import { exploreCommand } from "./explore.ts";
import { serveCommand } from "./serve.ts";
import { jepsenCommand } from "./jepsen.ts";
import { badInputExitCode, type Command } from "./command.ts";

const commands: Command[] = [
  runCommand,
  sweepCommand,
  mergeCommand,
  workerCommand,
  replayCommand,
  vizCommand,
  checkDeterminismCommand,
  shrinkCommand,
  exploreCommand,
  checkCommand,
  handoutCommand,
  gradeCommand,
  serveCommand,
  jepsenCommand,
];

function overview(): string {
  const nameWidth = Math.max(...commands.map((command) => command.name.length));
  return [
    "usage: simlab <command> [options]",
    "",
    "commands:",
    ...commands.map((command) => `  ${command.name.padEnd(nameWidth)}  ${command.summary}`),
    "",
    `<part|test> is a lab part (${labsOfThisTree().flatMap((lab) => lab.parts.map((part) => part.name)).join(", ")}) or one test by its 6.824 name (TestBackup2B).`,
    "SIMLAB_EXTRA_PARTS=<module>[:<module>…] adds parts (modules exporting `parts`; simlab's own tests use it).",
    "",
    "Run simlab <command> --help for a command's options.",
  ].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined) {
    console.error(overview());
    return badInputExitCode;
  }
  if (name === "--help" || name === "-h" || name === "help") {
    console.log(overview());
    return 0;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (command === undefined) {
    throw new UsageError(`unknown command "${name}"; the commands are ${commands.map((c) => c.name).join(", ")} (see simlab --help).`);
  }
  if (args.includes("--help") || args.includes("-h")) {
    console.log(command.usage);
    return 0;
  }
  return command.run(args);
}

// `simlab replay … | head`: a reader that stops early is not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`simlab: ${error.message}`);
  process.exitCode = badInputExitCode;
}
