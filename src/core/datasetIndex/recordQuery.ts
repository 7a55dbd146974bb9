/**
 * The Dataset View's search and filters, evaluated on the host over every record: a text or
 * regular-expression search over the records' string values, and filters on the index columns
 * (errors, rule, role present, length in characters, an explicit list of record indexes).
 */
import type { RecordTable } from './recordTable';
import type { RoleTable } from './recordFacts';
import * as l10n from '@vscode/l10n';

export interface RecordQuery {
  search?: string;
  regex?: boolean;
  caseSensitive?: boolean;
  /** Only records with at least one error. */
  hasErrors?: boolean;
  /** Only records with a problem of this rule. */
  rule?: string;
  /** Only records with a message of this role. */
  role?: string;
  /** Length range (inclusive) in characters of text. */
  minChars?: number;
  maxChars?: number;
  /** Only these records (e.g. picked in a statistics chart). */
  recordIndexes?: number[];
}

export interface QueryResult {
  /** Matching record indexes in file order; null when every record matches (no filter at all). */
  matches: number[] | null;
  /** Number of matching records. */
  total: number;
  /** Why the query could not run (e.g. an invalid regular expression); nothing matches then. */
  error?: string;
}

export type TextMatcher = (text: string) => boolean;

export function hasSearch(q: RecordQuery): boolean {
  return typeof q.search === 'string' && q.search.length > 0;
}

export function isEmptyQuery(q: RecordQuery): boolean {
  return !hasSearch(q) && !q.hasErrors && !q.rule && !q.role && q.minChars === undefined && q.maxChars === undefined && q.recordIndexes === undefined;
}

/**
 * Compiles the search part; an invalid regular expression gives a message instead of a matcher. A
 * regular expression also comes back as source and flags, for a search in a worker (regexSearch.ts).
 */
export function compileSearch(q: RecordQuery): { match?: TextMatcher; error?: string; regex?: { source: string; flags: string } } {
  if (!hasSearch(q)) return {};
  const needle = q.search!;
  if (q.regex) {
    let re: RegExp;
    try {
      re = new RegExp(needle, q.caseSensitive ? 'u' : 'iu');
    } catch (e) {
      return { error: l10n.t('Invalid regular expression: {0}', e instanceof Error ? e.message : String(e)) };
    }
    return { match: (t) => re.test(t), regex: { source: re.source, flags: re.flags } };
  }
  if (q.caseSensitive) return { match: (t) => t.includes(needle) };
  const lower = needle.toLowerCase();
  return { match: (t) => t.toLowerCase().includes(lower) };
}

/** Checks the column filters of record `i` (everything except the text search). */
export function columnFilter(q: RecordQuery, table: RecordTable, roles: RoleTable): ((i: number) => boolean) | { error: string } {
  const tests: ((i: number) => boolean)[] = [];
  if (q.hasErrors) tests.push((i) => table.errors[i] > 0);
  if (q.rule) {
    const rule = q.rule;
    tests.push((i) => table.problems.get(i)?.some((p) => p.rule === rule) ?? false);
  }
  if (q.role) {
    const bit = roles.bit(q.role);
    tests.push((i) => (table.roles[i] & bit) !== 0);
  }
  if (q.minChars !== undefined) {
    if (!Number.isFinite(q.minChars)) return { error: l10n.t('The minimum length must be a number.') };
    const min = q.minChars;
    tests.push((i) => table.chars[i] >= min);
  }
  if (q.maxChars !== undefined) {
    if (!Number.isFinite(q.maxChars)) return { error: l10n.t('The maximum length must be a number.') };
    const max = q.maxChars;
    tests.push((i) => table.chars[i] <= max);
  }
  if (q.recordIndexes) {
    const set = new Set(q.recordIndexes);
    tests.push((i) => set.has(i));
  }
  return (i) => tests.every((t) => t(i));
}

/** Candidate records of a query in file order: the explicit list when given (cheap), else all. */
export function* candidates(q: RecordQuery, count: number): Generator<number> {
  if (q.recordIndexes) {
    const sorted = [...new Set(q.recordIndexes)].filter((i) => Number.isInteger(i) && i >= 0 && i < count).sort((a, b) => a - b);
    yield* sorted;
    return;
  }
  for (let i = 0; i < count; i++) yield i;
}
