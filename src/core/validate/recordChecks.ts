/**
 * The per-record stage of the pipeline: does the record fit the file's format (or another one, or
 * none), then the format's schema and rules. Fast path: a record that passes never reaches
 * jsonc-parser; only records with findings are re-parsed to place them.
 */
import { isBareMessageList, wrapBareMessageList } from '../jsonl/bareMessageList';
import type { FormatModule, FormatOptions } from '../formats/formatModule';
import { schemaCheck, withRules } from '../formats/registry';
import { describeJsonValue } from '../jsonl/describeJsonValue';
import { locateSyntaxError, notJsonMessage } from '../jsonl/parseError';
import { RecordTextPositions } from '../jsonl/textPosition';
import { bestFit, FIT_THRESHOLD } from './detect';
import { placeReports, recordRangeOf, type RecordText } from './positions';
import { problemAt, type Problem } from '../base/problem';
import * as l10n from '@vscode/l10n';

export interface RecordCheck {
  problems: Problem[];
  /** True when the record fits the format and has no error (its canonical form can be trusted). */
  valid: boolean;
}

function safeDetect(f: FormatModule, value: Record<string, unknown>): number {
  try {
    return f.detect(value);
  } catch {
    return 0;
  }
}

function keysOf(f: FormatModule): string {
  return Object.keys(f.example)
    .map((k) => `"${k}"`)
    .join(', ');
}

/**
 * Validates one parsed record against a format. `place` false: the problems are only counted or
 * read for their rule and message, so none is placed on its exact range (see unplacedRange).
 */
export function checkRecordValue(value: Record<string, unknown>, rec: RecordText, format: FormatModule, options?: FormatOptions, place = true): RecordCheck {
  const schemaReports = schemaCheck(format, value);
  if (schemaReports.length > 0) {
    const own = safeDetect(format, value);
    if (own < FIT_THRESHOLD) {
      // One clear problem instead of a cascade of schema errors for a record of another shape.
      const other = bestFit(value, format.id);
      const whole = recordRangeOf(rec, place);
      if (other) {
        return { valid: false, problems: [problemAt(whole, 'error', 'format/mixed-format', l10n.t('This record looks like {0} ({1}), but the file is {2}.', other.format.id, other.format.title, format.id), rec.index)] };
      }
      if (own === 0) {
        return { valid: false, problems: [problemAt(whole, 'error', 'format/unrecognized-record', l10n.t('This record fits no known format; records of this {0} file have keys like {1}.', format.id, keysOf(format)), rec.index)] };
      }
    }
    return { valid: false, problems: placeReports(rec, withRules(format, value, schemaReports, options), place) };
  }
  const reports = withRules(format, value, schemaReports, options);
  if (reports.length === 0) return PASSED;
  return { valid: !reports.some((r) => r.severity === 'error'), problems: placeReports(rec, reports, place) };
}

/** The check of a record without problems, shared by every such record (so frozen). */
const PASSED: RecordCheck = Object.freeze({ valid: true, problems: Object.freeze([]) as unknown as Problem[] });

/**
 * Parses and validates one record's text; for the editor, which re-validates only touched records.
 * `endsFile`: nothing follows the text in the file (a record cut off there is said to be).
 */
export function checkRecordText(text: string, rec: Omit<RecordText, 'text'>, format: FormatModule | undefined, options?: FormatOptions, endsFile = false): RecordCheck & { value?: Record<string, unknown> } {
  const full: RecordText = { ...rec, text };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const se = locateSyntaxError(text, err);
    const r = new RecordTextPositions(text, rec).range(se.offset, se.offset + se.length);
    return { valid: false, problems: [{ ...r, severity: 'error', rule: 'jsonl/invalid-json', message: notJsonMessage(se, endsFile), record: rec.index }] };
  }
  if (isBareMessageList(value)) value = wrapBareMessageList(value);
  else if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const r = new RecordTextPositions(text, rec).wholeRange();
    const what = describeJsonValue(value);
    return { valid: false, problems: [{ ...r, severity: 'error', rule: 'jsonl/not-an-object', message: l10n.t('A record must be a JSON object, but this is {0}.', what), record: rec.index }] };
  }
  const obj = value as Record<string, unknown>;
  if (!format) return { valid: true, problems: [], value: obj };
  return { ...checkRecordGuarded(obj, full, format, options), value: obj };
}

/**
 * checkRecordValue, with a check that throws reported on the record: nothing a record contains (or
 * a rule's bug) can stop the whole file.
 */
export function checkRecordGuarded(value: Record<string, unknown>, rec: RecordText, format: FormatModule, options?: FormatOptions, place = true): RecordCheck {
  try {
    return checkRecordValue(value, rec, format, options, place);
  } catch (err) {
    return { valid: false, problems: [checkFailedProblem(err, rec)] };
  }
}

/** The problem of a check that threw on a record. */
export function checkFailedProblem(err: unknown, rec: RecordText): Problem {
  const deep = err instanceof RangeError;
  const message = deep ? l10n.t('This record is nested too deeply to check.') : l10n.t('This record could not be checked: {0}.', err instanceof Error ? err.message : String(err));
  return problemAt(recordRangeOf(rec), 'error', 'common/check-failed', message, rec.index);
}
