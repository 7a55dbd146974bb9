/**
 * The lines of a label log (`*.labels.jsonl`). A decision names the pair and which response was
 * shown on each side by content hash, so logs are independent of line order and merge across
 * annotators. Undo appends a retraction naming the decision; redo appends a fresh copy.
 */
import type { Choice, Strength } from './pair';
import { responsesOfPairId } from './hashing';
import { RANKING_VERSION, isRankingRecord, toRankingRecord, type RankingRecord } from './rankingRecord';
import { SCORES_VERSION, isScoresRecord, toScoresRecord, type ScoresRecord } from './scoresRecord';
import { isRewriteRecord, toRewriteRecord, type RewriteRecord } from './rewriteRecord';
export { newRecordId } from './recordId';
import * as l10n from '@vscode/l10n';

/** Version written on pair decisions and retractions (unchanged since the first log). */
export const LOG_VERSION = 1;
/** Newest line version this reader understands (2: rankings; 3: rubric scores and rewrites). */
export const READER_VERSION = Math.max(RANKING_VERSION, SCORES_VERSION);

export interface DecisionRecord {
  v: number;
  /** Unique id of this decision (time-ordered). */
  id: string;
  pair: string;
  /** Response hash shown on the left / right. */
  left: string;
  right: string;
  leftModel?: string;
  rightModel?: string;
  choice: Choice;
  strength?: Strength;
  rationale?: string;
  annotator: string;
  /** ISO time of the decision. */
  ts: string;
  /** Milliseconds the annotator spent on the pair. */
  ms: number;
  /** Set on a redo: the id of the decision it re-applies. */
  redo?: string;
}

export interface RetractionRecord {
  v: number;
  id: string;
  /** Id of the decision this undoes. */
  retract: string;
  annotator: string;
  ts: string;
}

export type LogRecord = DecisionRecord | RetractionRecord | RankingRecord | ScoresRecord | RewriteRecord;

export function isRetraction(r: LogRecord): r is RetractionRecord {
  return typeof (r as RetractionRecord).retract === 'string';
}

export function isPairDecision(r: LogRecord): r is DecisionRecord {
  return !isRetraction(r) && !isRankingRecord(r) && !isScoresRecord(r) && !isRewriteRecord(r);
}

const CHOICES = new Set<Choice>(['left', 'right', 'tie', 'both_bad', 'skip']);
const STRENGTHS = new Set<Strength>(['slightly', 'clearly']);


/** Checks a parsed log line; returns the record or a reason it is not one. */
export function toLogRecord(value: unknown): LogRecord | string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not a JSON object';
  const r = value as Record<string, unknown>;
  if (typeof r.id !== 'string' || r.id === '') return l10n.t('missing "id"');
  if (typeof r.annotator !== 'string' || r.annotator === '') return l10n.t('missing "annotator"');
  if (typeof r.ts !== 'string' || Number.isNaN(Date.parse(r.ts))) return l10n.t('"ts" must be an ISO time');
  if (typeof r.v === 'number' && r.v > READER_VERSION) return l10n.t('log version {0} is newer than this reader ({1})', r.v, READER_VERSION);
  if ('retract' in r) {
    if (typeof r.retract !== 'string') return l10n.t('"retract" must be a decision id');
    return { v: typeof r.v === 'number' ? r.v : LOG_VERSION, id: r.id, retract: r.retract, annotator: r.annotator, ts: r.ts };
  }
  if ('ranking' in r) return toRankingRecord(r as Record<string, unknown> & { id: string; annotator: string; ts: string });
  if ('kind' in r) {
    const checked = r as Record<string, unknown> & { id: string; annotator: string; ts: string };
    if (r.kind === 'scores') return toScoresRecord(checked);
    if (r.kind === 'rewrite') return toRewriteRecord(checked);
    return l10n.t('unknown line kind "{0}"', String(r.kind));
  }
  if (typeof r.pair !== 'string') return l10n.t('missing "pair"');
  const hashes = responsesOfPairId(r.pair);
  if (!hashes) return l10n.t('"pair" is not a pair id');
  if (typeof r.left !== 'string' || typeof r.right !== 'string') return l10n.t('missing "left"/"right"');
  const sides = [r.left, r.right].sort();
  if (sides[0] !== hashes[0] || sides[1] !== hashes[1]) return l10n.t('"left"/"right" are not the two responses of "pair"');
  if (typeof r.choice !== 'string' || !CHOICES.has(r.choice as Choice)) return l10n.t('"choice" must be left|right|tie|both_bad|skip');
  if (r.strength !== undefined && !STRENGTHS.has(r.strength as Strength)) return l10n.t('"strength" must be slightly|clearly');
  const d: DecisionRecord = {
    v: typeof r.v === 'number' ? r.v : LOG_VERSION,
    id: r.id,
    pair: r.pair,
    left: r.left,
    right: r.right,
    choice: r.choice as Choice,
    annotator: r.annotator,
    ts: r.ts,
    ms: typeof r.ms === 'number' && r.ms >= 0 ? r.ms : 0,
  };
  if (typeof r.leftModel === 'string') d.leftModel = r.leftModel;
  if (typeof r.rightModel === 'string') d.rightModel = r.rightModel;
  if (r.strength !== undefined) d.strength = r.strength as Strength;
  if (typeof r.rationale === 'string') d.rationale = r.rationale;
  if (typeof r.redo === 'string') d.redo = r.redo;
  return d;
}

/** The response hash the decision prefers, if it prefers one. */
export function preferredHash(d: DecisionRecord): string | undefined {
  return d.choice === 'left' ? d.left : d.choice === 'right' ? d.right : undefined;
}

/** Numeric margin of a strength (for reward-model `margin` columns). */
export function strengthMargin(s: Strength | undefined): number {
  return s === 'clearly' ? 2 : 1;
}

/** A decision in terms that do not depend on the sides shown: which canonical response (a < b by hash). */
export type SideFreeChoice = 'a' | 'b' | 'tie' | 'both_bad' | 'skip';

export function sideFreeChoice(d: DecisionRecord): SideFreeChoice {
  const h = preferredHash(d);
  if (h === undefined) return d.choice as SideFreeChoice;
  const other = h === d.left ? d.right : d.left;
  return h < other ? 'a' : 'b';
}
