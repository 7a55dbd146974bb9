/**
 * format/unknown-format: no known format fits the file, so its records were not checked. One problem
 * for the file, placed on its first record whose text is a JSON object.
 */
import { RecordLocator, type RecordText } from '../positions';
import type { Problem } from '../../base/problem';
import * as l10n from '@vscode/l10n';

export const UNKNOWN_FORMAT = 'format/unknown-format';

/** `evidence`: the detection's account of what the records look like. */
export function unknownFormatProblem(first: RecordText & { index: number }, evidence: string): Problem {
  return {
    ...new RecordLocator(first).recordRange(),
    severity: 'error',
    rule: UNKNOWN_FORMAT,
    message: l10n.t('No known dataset format fits this file ({0}); records were not checked. Choose a format to check them against.', evidence),
    record: first.index,
  };
}
