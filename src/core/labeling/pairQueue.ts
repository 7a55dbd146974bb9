/**
 * The sequence of pairs an annotator walks through. A queue over a large candidates file grows
 * while the file is indexed in the background (pairs are available from the first line on); a
 * queue over a small source holds its pairs in memory. Both answer by index and by filter.
 */
import type { LabelPair } from './pair';

export interface InputProblem {
  /** 1-based line of the input file. */
  line: number;
  message: string;
}

/** Which pairs `findNext` may stop at: only those in `include` (if given) and none in `exclude`. */
export interface PairFilterSets {
  include?: ReadonlySet<string>;
  exclude?: ReadonlySet<string>;
}

export interface PairQueue {
  /** Pairs known so far; grows until `complete`. */
  readonly known: number;
  readonly complete: boolean;
  /** The pair at `index`, waiting for the index to reach it; undefined past the end. */
  get(index: number): Promise<LabelPair | undefined>;
  /** First index at or after `from` (or at or before it for step -1) passing the filter, or -1. */
  findNext(from: number, step: 1 | -1, filter: PairFilterSets): Promise<number>;
  /** Resolves with the total number of pairs once the whole input is indexed. */
  whenComplete(): Promise<number>;
  /** Lines of the input that could not become pairs (bad JSON, wrong shape, too long). */
  problems(): InputProblem[];
  close(): Promise<void>;
}

export function passes(id: string, filter: PairFilterSets): boolean {
  if (filter.include && !filter.include.has(id)) return false;
  if (filter.exclude && filter.exclude.has(id)) return false;
  return true;
}

/** A queue over pairs already in memory (audit datasets, SFT file pairs, tests). */
export class ArrayPairQueue implements PairQueue {
  readonly complete = true;
  constructor(
    private readonly pairs: readonly LabelPair[],
    private readonly inputProblems: InputProblem[] = [],
  ) {}
  get known(): number {
    return this.pairs.length;
  }
  async get(index: number): Promise<LabelPair | undefined> {
    return this.pairs[index];
  }
  async findNext(from: number, step: 1 | -1, filter: PairFilterSets): Promise<number> {
    for (let i = from; i >= 0 && i < this.pairs.length; i += step) if (passes(this.pairs[i].id, filter)) return i;
    return -1;
  }
  async whenComplete(): Promise<number> {
    return this.pairs.length;
  }
  problems(): InputProblem[] {
    return this.inputProblems;
  }
  async close(): Promise<void> {}
}
