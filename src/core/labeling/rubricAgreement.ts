/**
 * The AI judge on a rubric against the humans' scores of the same pairs, criterion by criterion,
 * and the judge's position bias.
 *
 * Agreement is on which response is better (a, b or tie by the score difference), not on the
 * scores themselves: the label a preference dataset needs is the order, and humans and a judge
 * use a scale differently (one gives 4s where the other gives 5s) while still ranking alike. It is
 * reported as percent agreement and Cohen's kappa over the three categories, which discounts the
 * agreement expected by chance from each side's own mix of a/b/tie (on a coarse scale ties are
 * common, and two raters who mostly say "tie" agree a lot by chance). A correlation of score
 * differences was not chosen: it is undefined as soon as one side's differences are constant
 * (a judge that ties every pair), and it rewards matching magnitudes the label does not use.
 *
 * The judge's preference on a pair is the sign of its score difference summed over both orders
 * (a constant bonus for a position cancels out); every annotator's scores of a pair are one
 * comparison (two annotators of a pair count twice: each is checked against the judge).
 *
 * Position bias: the judge scored each pair twice, once in each order. A "flip" is a pair whose
 * preferred response changes with the order. The first-position bonus is the mean of
 * (score of the response shown first − score of the response shown second) over both orders:
 * the responses' own difference cancels between the two orders, what is left is the bonus the
 * judge gives a position (0 for an unbiased judge; positive: it favours the first).
 */
import { cohenKappa } from './agreement';
import type { OrderScores, RubricJudgement } from './rubricJudgements';

export type Preference = 'a' | 'b' | 'tie';

/** What the agreement needs of a human `scores` log line (scoresRecord.ts). */
export interface HumanScores {
  pair: string;
  annotator: string;
  /** response hash → criterion id → score. */
  scores: Record<string, Record<string, number>>;
}

export interface CriterionAgreement {
  criterion: string;
  /** Annotator-pair comparisons: pairs both the judge (in both orders) and the annotator scored on this criterion. */
  compared: number;
  agree: number;
  percent: number | null;
  /** Cohen's kappa over a/b/tie; null when undefined (nothing compared, or both sides always gave the same category). */
  kappa: number | null;
  /** How often each side said a, b or tie (in the order human, judge). */
  human: Record<Preference, number>;
  judge: Record<Preference, number>;
}

export interface PositionBias {
  /** Criterion id, or undefined for the totals over all criteria. */
  criterion?: string;
  /** Pairs the judge scored in both orders. */
  pairs: number;
  /** Pairs whose preferred response changed with the order. */
  flips: number;
  flipPercent: number | null;
  /** Of the 2 × pairs judge calls: the response shown first preferred, the second preferred, a tie. */
  firstPreferred: number;
  secondPreferred: number;
  ties: number;
  /** Mean score of the response shown first minus the one shown second (scale points; totals: summed over criteria). */
  firstBonus: number | null;
  /** The position the judge favours, when it favoured one more often. */
  favours: 'first' | 'second' | 'neither';
}

export interface RubricAgreementReport {
  /** Criteria, in the order of the rubric when given, else first seen. */
  criteria: CriterionAgreement[];
  bias: PositionBias[];
  overallBias: PositionBias;
  /** Pairs scored by the judge (both orders) / by humans / by both. */
  judgedPairs: number;
  humanPairs: number;
  sharedPairs: number;
  annotators: string[];
}

const sign = (d: number): Preference => (d > 0 ? 'a' : d < 0 ? 'b' : 'tie');
const counts = (): Record<Preference, number> => ({ a: 0, b: 0, tie: 0 });

function sumOf(s: Record<string, number>, criteria: readonly string[]): number | undefined {
  let t = 0;
  for (const c of criteria) {
    if (typeof s[c] !== 'number') return undefined;
    t += s[c];
  }
  return t;
}

/** One order's a − b difference on a criterion (or the total when `criterion` is undefined); undefined when a score is missing. */
function diffOf(o: OrderScores, criteria: readonly string[], criterion?: string): number | undefined {
  const keys = criterion === undefined ? criteria : [criterion];
  const a = sumOf(o.a, keys);
  const b = sumOf(o.b, keys);
  return a === undefined || b === undefined ? undefined : a - b;
}

/** The judge's preference on a pair for a criterion: the score difference summed over both orders. */
export function judgePreference(j: RubricJudgement, criterion: string): Preference | undefined {
  if (!j.scores) return undefined;
  const d0 = diffOf(j.scores[0], [criterion], criterion);
  const d1 = diffOf(j.scores[1], [criterion], criterion);
  return d0 === undefined || d1 === undefined ? undefined : sign(d0 + d1);
}

export function positionBias(judgements: Iterable<RubricJudgement>, criteria: readonly string[], criterion?: string): PositionBias {
  const b: PositionBias = { pairs: 0, flips: 0, flipPercent: null, firstPreferred: 0, secondPreferred: 0, ties: 0, firstBonus: null, favours: 'neither' };
  if (criterion !== undefined) b.criterion = criterion;
  let bonus = 0;
  for (const j of judgements) {
    if (!j.scores) continue;
    // d0: a shown first, so first − second = d0; d1: b shown first, so first − second = −d1.
    const d0 = diffOf(j.scores[0], criteria, criterion);
    const d1 = diffOf(j.scores[1], criteria, criterion);
    if (d0 === undefined || d1 === undefined) continue;
    b.pairs++;
    if (sign(d0) !== sign(d1)) b.flips++;
    for (const firstMinusSecond of [d0, -d1]) {
      if (firstMinusSecond > 0) b.firstPreferred++;
      else if (firstMinusSecond < 0) b.secondPreferred++;
      else b.ties++;
      bonus += firstMinusSecond;
    }
  }
  if (b.pairs) {
    b.flipPercent = (100 * b.flips) / b.pairs;
    b.firstBonus = bonus / (2 * b.pairs);
  }
  b.favours = b.firstPreferred > b.secondPreferred ? 'first' : b.secondPreferred > b.firstPreferred ? 'second' : 'neither';
  return b;
}

/**
 * Per-criterion agreement of humans and judge, and the judge's position bias. `rubricCriteria`:
 * the criteria to report, in order (default: every criterion the judge scored, first seen first).
 */
export function rubricAgreement(judgements: ReadonlyMap<string, RubricJudgement>, humans: Iterable<HumanScores>, rubricCriteria?: readonly string[]): RubricAgreementReport {
  const judged = [...judgements.values()].filter((j) => j.scores);
  const criteria = rubricCriteria ? [...rubricCriteria] : [...new Set(judged.flatMap((j) => Object.keys(j.scores![0].a)))];
  const pairs = new Map<string, { x: Preference[]; y: Preference[] }>(criteria.map((c) => [c, { x: [], y: [] }]));
  const humanPairs = new Set<string>();
  const shared = new Set<string>();
  const annotators = new Set<string>();
  for (const h of humans) {
    humanPairs.add(h.pair);
    annotators.add(h.annotator);
    const j = judgements.get(h.pair);
    if (!j?.scores) continue;
    const ha = h.scores[j.aHash];
    const hb = h.scores[j.bHash];
    if (!ha || !hb) continue;
    for (const c of criteria) {
      const jp = judgePreference(j, c);
      if (jp === undefined || typeof ha[c] !== 'number' || typeof hb[c] !== 'number') continue;
      shared.add(h.pair);
      pairs.get(c)!.x.push(sign(ha[c] - hb[c]));
      pairs.get(c)!.y.push(jp);
    }
  }
  const perCriterion = criteria.map((c): CriterionAgreement => {
    const { x, y } = pairs.get(c)!;
    const agree = x.filter((v, i) => v === y[i]).length;
    const human = counts();
    const judge = counts();
    x.forEach((v) => human[v]++);
    y.forEach((v) => judge[v]++);
    return { criterion: c, compared: x.length, agree, percent: x.length ? (100 * agree) / x.length : null, kappa: cohenKappa(x, y), human, judge };
  });
  return {
    criteria: perCriterion,
    bias: criteria.map((c) => positionBias(judged, criteria, c)),
    overallBias: positionBias(judged, criteria),
    judgedPairs: judged.length,
    humanPairs: humanPairs.size,
    sharedPairs: shared.size,
    annotators: [...annotators].sort(),
  };
}
