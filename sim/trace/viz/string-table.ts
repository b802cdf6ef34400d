// The page's string table: every text the page shows (log lines, methods, payloads) is stored
// once and referred to by its number, so repeated strings cost nothing in the file.

export class StringTable {
  readonly strings: string[] = [];
  private readonly ids = new Map<string, number>();

  /** The number of `text`, adding it the first time. */
  id(text: string): number {
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(text);
      this.ids.set(text, id);
    }
    return id;
  }
}
