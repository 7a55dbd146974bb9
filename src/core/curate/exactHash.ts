/** The key exact deduplication compares: one definition for the single-thread and the parallel path. */
import type { CanonicalRecord } from '../model';
import type { SourceRecord } from '../jsonl/sourceRecord';
import { fullTextParts } from './recordText';
import { hash53, normalizedHash53Parts, type Normalization } from './textHash';

/** Records without a canonical form are hashed by their source text with a seed no canonical text uses. */
export const SOURCE_TEXT_SEED = 0x5eed;

/** The 53-bit exact-duplicate hash of a record: its canonical text normalised, else its source text. */
export function exactRecordHash(canonical: CanonicalRecord | undefined, rec: SourceRecord, norm: Normalization): number {
  return canonical ? normalizedHash53Parts(fullTextParts(canonical), norm) : hash53(rec.text, SOURCE_TEXT_SEED);
}
