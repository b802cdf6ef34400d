// What every simlab subcommand provides, and the error for input the user must fix.

export interface Command {
  name: string;
  /** One line for `simlab --help`. */
  summary: string;
  /** The full text of `simlab <name> --help`. */
  usage: string;
  /** Runs the command; resolves to the process exit code. */
  run(args: string[]): Promise<number>;
}

/** Bad input (arguments, files): printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

export const badInputExitCode = 2;
