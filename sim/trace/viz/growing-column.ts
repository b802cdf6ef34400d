// A column of numbers built one push at a time, in a typed array that doubles when full: the page
// data's big tables (events, messages, operations) are typed arrays (page-data.ts), and building
// them this way leaves no JavaScript array for the garbage collector to copy while the run's
// journal is alive beside it. `values()` gives the column, exactly as long as what was pushed.

type NumberArray = Int32Array | Float64Array | Uint8Array;

export class GrowingColumn<A extends NumberArray> {
  private array: A;
  private count = 0;

  constructor(
    private readonly make: (length: number) => A,
    capacity = 1024,
  ) {
    this.array = make(Math.max(1, capacity));
  }

  get length(): number {
    return this.count;
  }

  push(value: number): void {
    if (this.count === this.array.length) {
      const bigger = this.make(this.array.length * 2);
      bigger.set(this.array);
      this.array = bigger;
    }
    this.array[this.count++] = value;
  }

  /** The values pushed, in a typed array of their own. */
  values(): A {
    return this.array.slice(0, this.count) as A;
  }
}
