// What every simlab subcommand provides, and the exit code for input the user must fix. Such input
// is reported by throwing the kernel's UsageError (sim/core/errors.ts): main.ts prints its message
// as one line and exits with badInputExitCode.

export interface Command {
  name: string;
  /** One line for `simlab --help`. */
  summary: string;
  /** The full text of `simlab <name> --help`. */
  usage: string;
  /** Runs the command; resolves to the process exit code. */
  run(args: string[]): Promise<number>;
}

/** The exit code for bad input (arguments, files): a UsageError. */
export const badInputExitCode = 2;
