/**
 * The file-level rules, fed record by record in file order: an exact duplicate of an earlier record
 * (common/duplicate-record) and a preference contradicting an earlier one
 * (common/contradicting-preference). The validation pipeline and the "has problems" filter share
 * them, so both see the same problems.
 */
import type { FormatModule, FormatOptions } from '../formats/formatModule';
import type { SourceRecord } from '../jsonl/sourceRecord';
import { ContradictionIndex } from './contradictions';
import { DuplicateIndex, type ByteFetcher } from './duplicates';
import { RecordLocator } from './positions';
import type { Problem } from './problem';
import { guarded } from './recordChecks';
import * as l10n from '@vscode/l10n';

const PREFERENCE_KINDS = new Set(['preference', 'unpaired']);

export class FileLevelRules {
  private readonly dups: DuplicateIndex;
  private readonly contradictions = new ContradictionIndex();

  constructor(fetch: ByteFetcher) {
    this.dups = new DuplicateIndex(fetch);
  }

  /** Every record with a JSON object value, in file order: the duplicate problem, if it is one. */
  duplicate(rec: SourceRecord, bytes: Uint8Array): Problem | undefined {
    const dup = this.dups.add(bytes, rec.byteOffset, rec.line, rec.index, rec.byteLength);
    if (!dup) return undefined;
    return { ...new RecordLocator(rec).recordRange(), severity: 'warning', rule: 'common/duplicate-record', message: l10n.t('Exact duplicate of the record on line {0}.', dup.line), record: rec.index };
  }

  /** Every record that passed its checks, in file order: the contradiction problems (preference and KTO formats only). */
  contradiction(rec: SourceRecord, value: Record<string, unknown>, format: FormatModule, formatOptions: FormatOptions | undefined): readonly Problem[] {
    if (!PREFERENCE_KINDS.has(format.kind)) return [];
    return guarded(() => {
      const hit = this.contradictions.add(format.toCanonical(value, formatOptions), rec.line, rec.index);
      if (!hit) return { valid: true, problems: [] };
      return { valid: true, problems: [{ ...new RecordLocator(rec).recordRange(), severity: 'warning', rule: 'common/contradicting-preference', message: hit.message, record: rec.index }] };
    }, rec).problems;
  }
}
