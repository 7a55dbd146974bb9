/**
 * Agreement between human annotators on rubric scores, per criterion and per pair of annotators:
 * over the responses both scored on that criterion (same rubric), the share given the same score,
 * the mean absolute difference, and Cohen's kappa with quadratic weights (the usual chance-corrected
 * agreement for ordinal scores: a 4 against a 5 counts less than a 1 against a 5). The AI judge's
 * agreement with humans is computed elsewhere (rubricAgreement).
 */
import type { Rubric } from './rubric';
import type { ScoresRecord } from './scoresRecord';

export interface ScoreAgreement {
  criterion: string;
  annotators: [string, string];
  /** Responses both annotators scored on this criterion. */
  responses: number;
  /** Percent of those with the same score. */
  exactPercent: number;
  meanAbsDiff: number;
  /** Quadratic-weighted Cohen's kappa over the rubric's scale; null when chance agreement is total (no spread in the scores). */
  weightedKappa: number | null;
}

/** Quadratic-weighted Cohen's kappa of two raters' scores on the scale min..max. */
export function quadraticKappa(pairs: readonly (readonly [number, number])[], min: number, max: number): number | null {
  const k = max - min + 1;
  const n = pairs.length;
  if (n === 0 || k < 2) return null;
  const observed = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const rows = new Array<number>(k).fill(0);
  const cols = new Array<number>(k).fill(0);
  for (const [x, y] of pairs) {
    observed[x - min][y - min] += 1 / n;
    rows[x - min] += 1 / n;
    cols[y - min] += 1 / n;
  }
  let disagree = 0;
  let chance = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const w = ((i - j) * (i - j)) / ((k - 1) * (k - 1));
      disagree += w * observed[i][j];
      chance += w * rows[i] * cols[j];
    }
  }
  return chance === 0 ? null : 1 - disagree / chance;
}

/**
 * Per criterion of the rubric and per pair of annotators, from each annotator's current scores
 * (LabelStore.currentScoresAll): only scores given on this rubric (same hash) count.
 */
export function humanScoresAgreement(current: Iterable<ScoresRecord>, rubric: Pick<Rubric, 'hash' | 'criteria' | 'scale'>): ScoreAgreement[] {
  const byPair = new Map<string, Map<string, ScoresRecord>>();
  const annotators = new Set<string>();
  for (const r of current) {
    if (r.rubric !== rubric.hash) continue;
    let m = byPair.get(r.pair);
    if (!m) byPair.set(r.pair, (m = new Map()));
    m.set(r.annotator, r);
    annotators.add(r.annotator);
  }
  const names = [...annotators].sort();
  const out: ScoreAgreement[] = [];
  for (const c of rubric.criteria) {
    for (let i = 0; i < names.length; i++) {
      for (let j = i + 1; j < names.length; j++) {
        const pairs: [number, number][] = [];
        for (const m of byPair.values()) {
          const a = m.get(names[i]);
          const b = m.get(names[j]);
          if (!a || !b) continue;
          for (const [response, scores] of Object.entries(a.scores)) {
            const x = scores[c.id];
            const y = b.scores[response]?.[c.id];
            if (x !== undefined && y !== undefined && x >= rubric.scale.min && x <= rubric.scale.max && y >= rubric.scale.min && y <= rubric.scale.max) pairs.push([x, y]);
          }
        }
        if (pairs.length === 0) continue;
        const same = pairs.filter(([x, y]) => x === y).length;
        out.push({
          criterion: c.id,
          annotators: [names[i], names[j]],
          responses: pairs.length,
          exactPercent: (100 * same) / pairs.length,
          meanAbsDiff: pairs.reduce((s, [x, y]) => s + Math.abs(x - y), 0) / pairs.length,
          weightedKappa: quadraticKappa(pairs, rubric.scale.min, rubric.scale.max),
        });
      }
    }
  }
  return out;
}
