/** One line of `npm run bench`: a measured value, and for comparisons the ratio to its baseline measured in the same run. */
export interface BenchRow {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** The target this row is judged against, in words (for example 'ratio >= 0.7'). */
  readonly target?: string;
}

/** A bench module's default export: runs its measurements and returns the rows to print. */
export type Bench = () => Promise<BenchRow[]>;
