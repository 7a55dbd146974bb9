/**
 * Rubric scores of the pair on screen, between the panel and the log. The annotator scores each
 * criterion for the response shown on the left and the one on the right; those scores travel in
 * on-screen sides (the webview never sees response hashes) and become a `scores` log line keyed by
 * response hash when the pair is committed. Pure: no I/O, no vscode.
 */
import * as l10n from '@vscode/l10n';
import { onScale, type Rubric } from './rubric';
import { makeScores, type ScoresRecord } from './scoresRecord';

/** Criterion id -> score, for the response on each side of the screen. */
export interface SideScores {
  left: Record<string, number>;
  right: Record<string, number>;
}

/**
 * Only the scores of the rubric's criteria with values on its scale, in the rubric's criterion
 * order (what the webview sends is untrusted; a rubric edited since the draft may have dropped a
 * criterion or narrowed the scale).
 */
export function cleanScores(rubric: Pick<Rubric, 'scale' | 'criteria'>, s: Partial<SideScores> | undefined): SideScores {
  const out: SideScores = { left: {}, right: {} };
  for (const side of ['left', 'right'] as const) {
    const given = s?.[side];
    if (!given || typeof given !== 'object') continue;
    for (const c of rubric.criteria) {
      if (!Object.prototype.hasOwnProperty.call(given, c.id)) continue;
      const v = given[c.id];
      if (onScale(rubric, v)) out[side][c.id] = v;
    }
  }
  return out;
}

export function isEmptyScores(s: SideScores): boolean {
  return Object.keys(s.left).length === 0 && Object.keys(s.right).length === 0;
}

export function sameScores(a: SideScores, b: SideScores): boolean {
  const same = (x: Record<string, number>, y: Record<string, number>) => Object.keys(x).length === Object.keys(y).length && Object.keys(x).every((k) => x[k] === y[k]);
  return same(a.left, b.left) && same(a.right, b.right);
}

/** Titles of the criteria scored for one response but not the other (the log line scores both on the same criteria). */
export function oneSidedCriteria(rubric: Pick<Rubric, 'criteria'>, s: SideScores): string[] {
  return rubric.criteria.filter((c) => (c.id in s.left) !== (c.id in s.right)).map((c) => c.title || c.id);
}

/** Committed scores in on-screen sides, keeping what the current rubric still has. */
export function sideScoresOf(record: Pick<ScoresRecord, 'scores'>, leftHash: string, rightHash: string, rubric: Pick<Rubric, 'scale' | 'criteria'>): SideScores {
  return cleanScores(rubric, { left: record.scores[leftHash], right: record.scores[rightHash] });
}

export interface ScoresCommit {
  rubric: Rubric;
  pair: string;
  leftHash: string;
  rightHash: string;
  scores: SideScores;
  annotator: string;
  ms: number;
  /** This annotator's current scores of the pair: the same scores on the same rubric are not written again. */
  committed?: ScoresRecord;
}

/**
 * The `scores` line to append with the pair's decision: undefined when nothing is scored or the
 * same scores are already current. Throws, naming the criteria, when a criterion is scored for one
 * response only: nothing is written, the annotator scores the other side or clears the score.
 */
export function scoresToCommit(input: ScoresCommit, now = Date.now()): ScoresRecord | undefined {
  const scores = cleanScores(input.rubric, input.scores);
  if (isEmptyScores(scores)) return undefined;
  const half = oneSidedCriteria(input.rubric, scores);
  if (half.length) throw new Error(l10n.t('score both responses on {0} (or clear the score) before deciding', half.join(', ')));
  const c = input.committed;
  if (c && c.rubric === input.rubric.hash && sameScores(sideScoresOf(c, input.leftHash, input.rightHash, input.rubric), scores)) return undefined;
  return makeScores({ pair: input.pair, rubric: input.rubric.hash, scores: { [input.leftHash]: scores.left, [input.rightHash]: scores.right }, annotator: input.annotator, ms: input.ms }, now);
}
