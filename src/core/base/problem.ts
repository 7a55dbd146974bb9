import type { TrainerId } from './trainerId';

/** One finding of the validator, with the exact place in the source file (1-based, end exclusive). */
export type Severity = 'error' | 'warning' | 'info';

export interface SourceRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface Problem extends SourceRange {
  severity: Severity;
  /** Stable rule id, e.g. `llamafactory/role-alternation`; documented in `src/core/formats/ruleCatalog.ts`. */
  rule: string;
  message: string;
  /** 0-based index of the record in the file, when the problem belongs to one. */
  record?: number;
  /**
   * The same range as UTF-16 offsets into the document text (a leading BOM not counted), so an
   * editor can build its range from offsets without recounting lines.
   */
  offset?: number;
  endOffset?: number;
  /** For a rule whose verdict depends on the trainer: the readers of the file's format it applies to. */
  trainers?: TrainerId[];
}

/**
 * A problem at `range`, written out field by field: a spread of the range into the literal made
 * V8 clone it slowly (2 µs a problem) and kept the clones alive into the old generation.
 */
export function problemAt(range: SourceRange & { offset: number; endOffset: number }, severity: Severity, rule: string, message: string, record: number | undefined): Problem {
  return { line: range.line, column: range.column, endLine: range.endLine, endColumn: range.endColumn, offset: range.offset, endOffset: range.endOffset, severity, rule, message, record };
}

/**
 * The range of a problem that is only counted, never shown (past the listing limit, or for a
 * caller that reads only rules and messages): the first character of the record's text, found
 * without reading it. Placing a problem exactly re-reads the record; on a file where every record
 * has one, that was most of validation's time, almost all of it for problems nobody lists.
 */
export function unplacedRange(rec: { line: number; column: number; offset: number }): SourceRange & { offset: number; endOffset: number } {
  return { line: rec.line, column: rec.column, endLine: rec.line, endColumn: rec.column, offset: rec.offset, endOffset: rec.offset };
}
