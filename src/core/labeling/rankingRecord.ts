/**
 * A ranking line of a label log: the candidates of one prompt in the annotator's order, best first.
 * The order is a list of tiers (response hashes); several hashes in one tier are a tie. Like a pair
 * decision it names responses by content hash, so it is independent of line order and merges
 * across annotators; undo appends a retraction naming its id.
 *
 * Rankings carry `v: 2`. Pair decisions keep writing `v: 1`, so a reader from before rank mode still
 * reads every pair decision of a mixed log and sets the ranking lines aside as "newer" instead of
 * failing on the whole file.
 */
import { hashText } from './hashing';
import * as l10n from '@vscode/l10n';

export const RANKING_VERSION = 2;

export interface RankingRecord {
  v: number;
  id: string;
  /** `promptHash.setHash`: the prompt and the set of candidates ranked (see `rankingGroupId`). */
  group: string;
  /** Tiers of response hashes, best first; a tier of two or more is a tie. */
  ranking: string[][];
  /** Response hash -> model it came from (kept for leaderboards; never sent to the webview). */
  models?: Record<string, string>;
  annotator: string;
  ts: string;
  /** Milliseconds the annotator spent on the ranking. */
  ms: number;
  /** Set on a redo: the id of the ranking it re-applies. */
  redo?: string;
}

/** The id of "this prompt with these candidates": a ranking of another set of answers is another item. */
export function rankingGroupId(promptHashValue: string, responseHashes: readonly string[]): string {
  return `${promptHashValue}.${hashText([...responseHashes].sort().join(','))}`;
}

export function isRankingRecord(r: object): r is RankingRecord {
  return Array.isArray((r as RankingRecord).ranking);
}

/** Checks the ranking fields of a parsed log line (id, annotator, ts already checked). */
export function toRankingRecord(r: Record<string, unknown> & { id: string; annotator: string; ts: string }): RankingRecord | string {
  if (typeof r.group !== 'string' || r.group.split('.').length !== 2) return l10n.t('"group" must be a ranking group id');
  const tiers = r.ranking;
  if (!Array.isArray(tiers) || tiers.length === 0) return l10n.t('"ranking" must be a non-empty list of tiers');
  const seen = new Set<string>();
  for (const t of tiers) {
    if (!Array.isArray(t) || t.length === 0 || t.some((h) => typeof h !== 'string' || h === '')) return l10n.t('each tier of "ranking" must be a non-empty list of response hashes');
    for (const h of t as string[]) {
      if (seen.has(h)) return l10n.t('response {0} appears twice in "ranking"', h);
      seen.add(h);
    }
  }
  if (seen.size < 2) return l10n.t('"ranking" must hold two or more responses');
  if (rankingGroupId(r.group.split('.')[0], [...seen]) !== r.group) return l10n.t('"ranking" does not hold the responses of "group"');
  const rec: RankingRecord = {
    v: typeof r.v === 'number' ? r.v : RANKING_VERSION,
    id: r.id,
    group: r.group,
    ranking: (tiers as string[][]).map((t) => [...t]),
    annotator: r.annotator,
    ts: r.ts,
    ms: typeof r.ms === 'number' && r.ms >= 0 ? r.ms : 0,
  };
  if (r.models !== null && typeof r.models === 'object' && !Array.isArray(r.models)) {
    const models: Record<string, string> = {};
    for (const [h, m] of Object.entries(r.models as Record<string, unknown>)) if (seen.has(h) && typeof m === 'string') models[h] = m;
    rec.models = models;
  }
  if (typeof r.redo === 'string') rec.redo = r.redo;
  return rec;
}
