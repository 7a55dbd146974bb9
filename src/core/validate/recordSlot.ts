/**
 * What the editor's incremental validator keeps per record: where it is (relative to its block's
 * anchor, see anchoredBlocks.ts), its text, the problems found where it was then, its keys for the
 * file-level rules and its detection vote. Problems are stored in the coordinates they were found in
 * and shifted when read, so that an edit above a record costs nothing for it.
 */
import type { RecordKeys } from './fileLevelRules';
import type { AnchoredBlock, AnchoredItem, BlockTally } from './anchoredBlocks';
import { lineOf, offsetOf } from './anchoredBlocks';
import type { Problem, Severity } from '../base/problem';

export interface Origin {
  line: number;
  column: number;
  offset: number;
}

/** A block's counts: its records' own problems per severity, and its records with file-level findings. */
export interface SeverityTally extends Record<Severity, number> {
  fileLevel: number;
}

export interface RecordSlot extends AnchoredItem<RecordSlot, SeverityTally> {
  /**
   * Its text is `source` from `start`, `length` UTF-16 units: the document as first read (kept once
   * for all its records; a slice string per record would cost an object each) or its own text once
   * edited. Read it with textOf.
   */
  source: string;
  start: number;
  length: number;
  /** 1-based UTF-16 column of the first character (absolute: only the line and offset are anchored). */
  column: number;
  /** Where the record was when `problems` were found (unset while it has none). */
  base: Origin | undefined;
  problems: Problem[];
  /** Its text is a JSON object (or a message list read as one). */
  isObject: boolean;
  /** Its key per file-level rule (FILE_LEVEL_RULES order), undefined where a rule does not apply. */
  keys: RecordKeys | undefined;
  /** It has file-level findings (a duplicate, a contradiction). */
  fileLevel: boolean;
}

export const NO_PROBLEMS: Problem[] = [];

/**
 * A detached record (absolute position) with no problems yet, whose text is `source` from `start`
 * for `length` UTF-16 units (all of it by default).
 */
export function newSlot(source: string, line: number, column: number, offset: number, detached: AnchoredBlock<RecordSlot, SeverityTally>, start = 0, length = source.length): RecordSlot {
  // Every field set here, in one order: records share one hidden class and the shift loops stay fast.
  return {
    relLine: line,
    relOffset: offset,
    block: detached,
    listed: false,
    source,
    start,
    length,
    column,
    base: undefined,
    problems: NO_PROBLEMS,
    isObject: false,
    keys: undefined,
    fileLevel: false,
  };
}

/**
 * A record's text as the file reader sees it: UTF-8 cannot hold a lone surrogate, which reads back as
 * U+FFFD (same UTF-16 length), so an edited record is checked as it will be read from disk.
 */
export function asReadText(text: string): string {
  const s = text as string & { isWellFormed(): boolean; toWellFormed(): string };
  return s.isWellFormed() ? text : s.toWellFormed();
}

export function textOf(s: RecordSlot): string {
  return s.start === 0 && s.length === s.source.length ? s.source : s.source.slice(s.start, s.start + s.length);
}

/** Gives a record its own (edited) text. */
export function setText(s: RecordSlot, text: string): void {
  s.source = text;
  s.start = 0;
  s.length = text.length;
}

export function originOf(s: RecordSlot): Origin {
  return { line: lineOf(s), column: s.column, offset: offsetOf(s) };
}

/** Sets a record's problems, found where it is now. */
export function setProblems(s: RecordSlot, problems: Problem[]): void {
  s.problems = problems.length > 0 ? problems : NO_PROBLEMS;
  s.base = problems.length > 0 ? originOf(s) : undefined;
}

/** Adds (sign 1) or takes away (sign -1) a record's own problems in per-severity counts. */
export function countProblems(c: Record<Severity, number>, s: RecordSlot, sign: 1 | -1): void {
  for (const p of s.problems) c[p.severity] += sign;
}

/** Blocks count their records' problems and list the records that have any. */
export const SLOT_TALLY: BlockTally<RecordSlot, SeverityTally> = {
  empty: () => ({ error: 0, warning: 0, info: 0, fileLevel: 0 }),
  count(t, s, sign) {
    countProblems(t, s, sign);
    if (s.fileLevel) t.fileLevel += sign;
  },
  flagged: (s) => s.problems.length > 0 || s.fileLevel,
};

/** Whether a block's tally says it holds no problem of severity `only` (any severity when undefined). */
export function holdsNone(t: SeverityTally, only: Severity | undefined): boolean {
  if (only === 'error') return t.error === 0;
  if (only === 'warning') return t.warning + t.fileLevel === 0;
  if (only === 'info') return t.info === 0;
  return false;
}

/** Whether a record has a problem of severity `only` (any when undefined), file-level findings counting as warnings. */
export function holds(s: RecordSlot, only: Severity | undefined): boolean {
  if (only === undefined || (only === 'warning' && s.fileLevel)) return true;
  return s.problems.some((p) => p.severity === only);
}

/** A problem found with its record at `base`, moved to where the record is now (`at`), with its current index. */
export function shiftProblem(p: Problem, base: Origin, at: Origin, index?: number): Problem {
  const dl = at.line - base.line;
  const dc = at.column - base.column;
  const doff = at.offset - base.offset;
  if (dl === 0 && dc === 0 && doff === 0 && (index === undefined || p.record === index)) return p;
  const q: Problem = { ...p, line: p.line + dl, endLine: p.endLine + dl };
  if (p.line === base.line) q.column = p.column + dc;
  if (p.endLine === base.line) q.endColumn = p.endColumn + dc;
  if (p.offset !== undefined) q.offset = p.offset + doff;
  if (p.endOffset !== undefined) q.endOffset = p.endOffset + doff;
  if (index !== undefined) q.record = index;
  return q;
}
