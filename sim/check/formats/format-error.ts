// An input file that cannot be read as a history, with where and why.
export class HistoryFormatError extends Error {
  override name = "HistoryFormatError";

  constructor(
    readonly source: string,
    readonly line: number,
    problem: string,
  ) {
    super(`${source} line ${line}: ${problem}`);
  }
}
