/**
 * A limit a trainer puts on the whole file (OpenAI's 10-example minimum, trainers/fileLimits.ts),
 * shown on the file's first JSON-object record.
 */
import type { FormatId, FormatOptions } from '../../formats/formatModule';
import { fileLimitFinding } from '../fileLimits';
import { RecordLocator, type RecordText } from '../positions';
import type { Problem } from '../../base/problem';

export function fileLimitProblem(first: RecordText & { index: number }, format: FormatId | undefined, records: number, options: FormatOptions | undefined): Problem | undefined {
  const limit = fileLimitFinding(format, records, options?.trainer);
  if (!limit) return undefined;
  return { ...new RecordLocator(first).recordRange(), ...limit, record: first.index };
}
