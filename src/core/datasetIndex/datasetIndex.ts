/**
 * What the Dataset View asks of a dataset, whatever holds it: an editor document's text
 * (TextRecordIndex) or a file too large to open as text (FileRecordIndex).
 */
import { recordValueOf } from '../jsonl/bareMessageList';
import type { RecordCard, ProblemBrief } from './recordCard';
import type { ChatSide } from '../formats/roleNames';
import { roleSides } from './recordFacts';
import type { QueryResult, RecordQuery } from './recordQuery';

export interface IndexSummary {
  format?: string;
  evidence?: string;
  /** Records indexed so far (all of them once `indexing.done`). */
  records: number;
  errors: number;
  warnings: number;
  /** Rules with problems in the file, most frequent first. */
  rules: { rule: string; count: number }[];
  /** Role names seen in the records' messages. */
  roles: string[];
  /** Problems that belong to no record (e.g. a malformed array). */
  fileProblems: ProblemBrief[];
  /** Set when per-record problem lists are incomplete (counts stay complete). */
  problemsNote?: string;
  /** `phase`: placing records (indexing), then validating them (checking). */
  indexing: { done: boolean; phase?: 'indexing' | 'checking'; bytes: number; totalBytes: number; error?: string };
}

export interface QueryOptions {
  signal?: AbortSignal;
  /** Records (or bytes, for a file) examined so far, and the total. */
  onProgress?: (done: number, total: number) => void;
  /** How long a regular expression may take on one record (default REGEX_TIME_LIMIT_MS, regexTimeLimit.ts). */
  regexTimeLimitMs?: number;
}

export interface DatasetIndex {
  summary(): IndexSummary;
  /** The cards of these records (indexes past the end are left out). */
  cards(indexes: readonly number[]): Promise<RecordCard[]>;
  query(q: RecordQuery, opts?: QueryOptions): Promise<QueryResult>;
  /** 1-based line where record `i` starts, or undefined if there is no such record. */
  lineOf(i: number): number | undefined;
}

/** Parses a record's text into its card value (an object) or keeps the text when it is not one. */
export function cardContent(text: string): { value?: Record<string, unknown>; text?: string; sides?: Record<string, ChatSide> } {
  try {
    const value = recordValueOf(JSON.parse(text));
    if (value) return { value, sides: roleSides(value) };
  } catch {
    /* shown as text */
  }
  return { text };
}

export function sortedRules(counts: Map<string, number>): { rule: string; count: number }[] {
  return [...counts].map(([rule, count]) => ({ rule, count })).sort((a, b) => b.count - a.count || a.rule.localeCompare(b.rule));
}
