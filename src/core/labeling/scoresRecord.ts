/**
 * A scores line of a label log: an annotator's rubric scores for both answers of a pair, per
 * criterion. Scores name the pair and the answers by content hash (like decisions) and the rubric
 * by its content hash, so a changed rubric never mixes with scores given on the old one.
 *
 * Scores and rewrites carry `v: 3` and a `kind`; pair decisions keep `v: 1` and rankings `v: 2`, so
 * a reader from before them reads everything else of a mixed log and sets these lines aside.
 */
import * as l10n from '@vscode/l10n';
import { newRecordId } from './recordId';
import { responsesOfPairId } from './hashing';

export const SCORES_VERSION = 3;

export interface ScoresRecord {
  v: number;
  id: string;
  kind: 'scores';
  pair: string;
  /** Hash of the rubric the scores were given on (Rubric.hash). */
  rubric: string;
  /** Response hash -> criterion id -> score. Both responses of the pair, on the same criteria. */
  scores: Record<string, Record<string, number>>;
  annotator: string;
  ts: string;
  /** Milliseconds the annotator spent scoring. */
  ms: number;
  /** Set on a redo: the id of the record it re-applies. */
  redo?: string;
}

export interface ScoresInput {
  pair: string;
  rubric: string;
  scores: Record<string, Record<string, number>>;
  annotator: string;
  ms: number;
}

export function isScoresRecord(r: object): r is ScoresRecord {
  return (r as ScoresRecord).kind === 'scores';
}

const CRITERION_ID = /^[a-z][a-z0-9_-]{0,39}$/;

function checkScores(pair: string, scores: unknown): Record<string, Record<string, number>> | string {
  const hashes = responsesOfPairId(pair);
  if (!hashes) return l10n.t('"pair" is not a pair id');
  if (scores === null || typeof scores !== 'object' || Array.isArray(scores)) return l10n.t('"scores" must map the two responses to their scores');
  const byResponse = scores as Record<string, unknown>;
  const keys = Object.keys(byResponse).sort();
  if (keys.length !== 2 || keys[0] !== hashes[0] || keys[1] !== hashes[1]) return l10n.t('"scores" must score exactly the two responses of "pair"');
  const out: Record<string, Record<string, number>> = {};
  let criteria: string | undefined;
  for (const h of keys) {
    const s = byResponse[h];
    if (s === null || typeof s !== 'object' || Array.isArray(s)) return l10n.t('"scores" of a response must map criteria to numbers');
    const entries = Object.entries(s as Record<string, unknown>);
    if (entries.length === 0) return l10n.t('"scores" of a response must not be empty');
    const clean: Record<string, number> = Object.create(null) as Record<string, number>;
    for (const [c, v] of entries) {
      if (!CRITERION_ID.test(c)) return l10n.t('"{0}" is not a criterion id', c);
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 10) return l10n.t('score of "{0}" must be a whole number from 0 to 10', c);
      clean[c] = v;
    }
    const names = Object.keys(clean).sort().join(',');
    if (criteria !== undefined && names !== criteria) return l10n.t('both responses must be scored on the same criteria');
    criteria = names;
    out[h] = { ...clean };
  }
  return out;
}

/** Checks the scores fields of a parsed log line (id, annotator, ts already checked). */
export function toScoresRecord(r: Record<string, unknown> & { id: string; annotator: string; ts: string }): ScoresRecord | string {
  if (typeof r.pair !== 'string') return l10n.t('missing "pair"');
  if (typeof r.rubric !== 'string' || r.rubric === '') return l10n.t('missing "rubric"');
  const scores = checkScores(r.pair, r.scores);
  if (typeof scores === 'string') return scores;
  const rec: ScoresRecord = {
    v: typeof r.v === 'number' ? r.v : SCORES_VERSION,
    id: r.id,
    kind: 'scores',
    pair: r.pair,
    rubric: r.rubric,
    scores,
    annotator: r.annotator,
    ts: r.ts,
    ms: typeof r.ms === 'number' && r.ms >= 0 ? r.ms : 0,
  };
  if (typeof r.redo === 'string') rec.redo = r.redo;
  return rec;
}

/** Builds the scores record of a pair; throws if the scores do not fit the pair. */
export function makeScores(input: ScoresInput, now = Date.now()): ScoresRecord {
  const scores = checkScores(input.pair, input.scores);
  if (typeof scores === 'string') throw new Error(scores);
  return { v: SCORES_VERSION, id: newRecordId(now), kind: 'scores', pair: input.pair, rubric: input.rubric, scores, annotator: input.annotator, ts: new Date(now).toISOString(), ms: Math.max(0, Math.round(input.ms)) };
}
