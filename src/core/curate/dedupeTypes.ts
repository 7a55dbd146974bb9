/** What a deduplication returns, shared by the single-thread pass (dedupe.ts) and the parallel exact pass (parallelDedupe.ts). */
import type { FormatId } from '../formats/formatModule';
import type { Detection } from '../validate/detect';
import type { LshParams } from './minhash';

export interface RemovedRecord {
  /** 0-based record index and 1-based line of the removed record. */
  record: number;
  line: number;
  kind: 'exact' | 'near';
  /** The kept record it duplicates. */
  duplicateOf: number;
  duplicateOfLine: number;
  /** 1 for exact duplicates; the MinHash estimate for near ones (at least near.accept, see minhash.ts). */
  similarity: number;
}

export interface DedupeResult {
  format?: FormatId;
  detection: Detection;
  records: number;
  kept: number;
  exactDuplicates: number;
  nearDuplicates: number;
  /** Records compared by their source text (not JSON objects, or no canonical form). */
  comparedAsText: number;
  removed: RemovedRecord[];
  near?: { threshold: number; shingle: number; numPerm: number; seed: number } & LshParams;
  out?: string;
  report?: string;
}
