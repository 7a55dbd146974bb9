/**
 * Per-model Bradley-Terry scores from pair decisions and rankings, on an Elo-like scale, with
 * bootstrap confidence intervals.
 *
 * Model: P(i beats j) = 1 / (1 + e^(θj − θi)). The fit maximises the log-likelihood minus a weak
 * Gaussian prior (λ/2)·Σθ² (λ = 0.01, i.e. σ = 10 nats ≈ 1700 Elo points): it only keeps a model
 * that never lost (or never won) at a finite score and pins the scale's origin (the optimum has
 * Σθ = 0), so scores average 1000. Newton's method on this concave objective converges in a few
 * steps for the handful of models a leaderboard has.
 *
 * Ties count as half a win each way (what LMSYS/FastChat's arena analysis does, and how the win
 * rates of this project count them), not Davidson's tie parameter: annotators use "tie" for
 * "about the same", which the half-win rule reads as such; Davidson would add a parameter that the
 * few ties of a labeling session cannot estimate well. Both-bad and skips are not comparisons.
 *
 * Bootstrap: decisions are resampled with replacement, a ranking counted as one decision with all
 * its pairs (its pairs are not independent), from a seeded generator; the interval is the 2.5th
 * and 97.5th percentiles of the refitted scores.
 */
import { seededRandom } from '../base/random';
import { sideFreeChoice } from './decisionRecord';
import { responsesOfPairId } from './hashing';
import type { LabelStore } from './labelStore';
import { rankedPairs, type RankingExpansion } from './rankingExpansion';

/** Elo points per nat of strength: 400 points are a factor 10 in odds, as in chess and Chatbot Arena. */
export const ELO_PER_NAT = 400 / Math.LN10;
export const ELO_BASE = 1000;
export const DEFAULT_RIDGE = 0.01;

/** One comparison: `a` against `b`, with the score of `a` (1 win, 0 loss, 0.5 tie). */
export interface Comparison {
  a: string;
  b: string;
  score: 0 | 0.5 | 1;
}

/** The unit the bootstrap resamples: one pair decision, or one ranking with all its pairs. */
export type DecisionUnit = Comparison[];

/** The comparisons in a store: each annotator's current pair decisions and current rankings. */
export function decisionUnits(store: LabelStore, expansion: RankingExpansion = 'all'): DecisionUnit[] {
  const units: DecisionUnit[] = [];
  for (const pair of store.pairs()) {
    const [ha, hb] = responsesOfPairId(pair)!;
    for (const d of store.decisionsFor(pair).values()) {
      const v = sideFreeChoice(d);
      if (v === 'skip' || v === 'both_bad') continue;
      const model = (h: string) => (h === d.left ? d.leftModel : h === d.right ? d.rightModel : undefined);
      const a = model(ha);
      const b = model(hb);
      if (a === undefined || b === undefined || a === b) continue;
      units.push([{ a, b, score: v === 'a' ? 1 : v === 'b' ? 0 : 0.5 }]);
    }
  }
  for (const r of store.currentRankings()) {
    const unit: DecisionUnit = [];
    for (const p of rankedPairs(r.ranking, expansion)) {
      const a = r.models?.[p.better];
      const b = r.models?.[p.worse];
      if (a === undefined || b === undefined || a === b) continue;
      unit.push({ a, b, score: p.tie ? 0.5 : 1 });
    }
    if (unit.length) units.push(unit);
  }
  return units;
}

/** Solves the symmetric positive definite system A x = b (Cholesky); A is n×n, row-major. */
function solveSpd(A: Float64Array, b: Float64Array, n: number): Float64Array {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      L[i * n + j] = i === j ? Math.sqrt(s) : s / L[j * n + j];
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * n + k] * y[k];
    y[i] = s / L[i * n + i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * x[k];
    x[i] = s / L[i * n + i];
  }
  return x;
}

const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
const logSigmoid = (x: number) => (x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x)));

/**
 * Maximum a posteriori strengths (nats, mean 0) of `n` models from `wins[i*n+j]`: how often i beat
 * j (a tie adds 0.5 to both directions).
 */
export function fitStrengths(wins: Float64Array, n: number, ridgeAsked = DEFAULT_RIDGE, maxIterations = 100, tolerance = 1e-10): Float64Array {
  // Without a prior the strengths are only defined up to a constant (the Hessian is singular): a
  // vanishing ridge picks the centred solution.
  const ridge = Math.max(ridgeAsked, 1e-9);
  let theta = new Float64Array(n);
  const objective = (t: Float64Array) => {
    let f = 0;
    for (let i = 0; i < n; i++) {
      f -= (ridge / 2) * t[i] * t[i];
      for (let j = 0; j < n; j++) if (wins[i * n + j]) f += wins[i * n + j] * logSigmoid(t[i] - t[j]);
    }
    return f;
  };
  let f = objective(theta);
  for (let iter = 0; iter < maxIterations; iter++) {
    const g = new Float64Array(n);
    const negH = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      g[i] -= ridge * theta[i];
      negH[i * n + i] += ridge;
      for (let j = i + 1; j < n; j++) {
        const games = wins[i * n + j] + wins[j * n + i];
        if (!games) continue;
        const p = sigmoid(theta[i] - theta[j]);
        g[i] += wins[i * n + j] - games * p;
        g[j] += wins[j * n + i] - games * (1 - p);
        const w = games * p * (1 - p);
        negH[i * n + i] += w;
        negH[j * n + j] += w;
        negH[i * n + j] -= w;
        negH[j * n + i] -= w;
      }
    }
    const step = solveSpd(negH, g, n);
    // Backtracking keeps each step an ascent when the quadratic model overshoots (near-separable data).
    let scale = 1;
    let next = theta;
    let fNext = f;
    for (let k = 0; k < 30; k++) {
      next = theta.map((t, i) => t + scale * step[i]);
      fNext = objective(next);
      if (fNext >= f - 1e-12) break;
      scale /= 2;
    }
    let moved = 0;
    for (let i = 0; i < n; i++) moved = Math.max(moved, Math.abs(next[i] - theta[i]));
    theta = next;
    f = fNext;
    if (moved < tolerance) break;
  }
  const mean = theta.reduce((x, y) => x + y, 0) / (n || 1);
  return theta.map((t) => t - mean);
}

export interface LeaderboardEntry {
  model: string;
  /** Elo-like score: 1000 + 400·log10(strength); 400 points are 10:1 odds. */
  score: number;
  /** Bootstrap 95% interval of the score, when bootstrapped. */
  lower?: number;
  upper?: number;
  /** Comparisons the model took part in, and its results (ties counted apart). */
  comparisons: number;
  wins: number;
  losses: number;
  ties: number;
}

export interface Leaderboard {
  entries: LeaderboardEntry[];
  /** Decisions (a ranking is one) and the pairwise comparisons they hold. */
  decisions: number;
  comparisons: number;
  bootstrap: number;
  seed: number;
  ridge: number;
  ties: 'half-win';
}

export interface LeaderboardOptions {
  /** Bootstrap rounds (0: no intervals). */
  bootstrap?: number;
  seed?: number;
  ridge?: number;
}

function winMatrix(units: readonly DecisionUnit[], index: ReadonlyMap<string, number>, n: number, pick?: Uint32Array): Float64Array {
  const w = new Float64Array(n * n);
  const count = pick ? pick.length : units.length;
  for (let u = 0; u < count; u++) {
    for (const c of units[pick ? pick[u] : u]) {
      const i = index.get(c.a)!;
      const j = index.get(c.b)!;
      w[i * n + j] += c.score;
      w[j * n + i] += 1 - c.score;
    }
  }
  return w;
}

/** Value at quantile q of sorted values (linear interpolation, as numpy.percentile's default). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function leaderboard(units: readonly DecisionUnit[], options: LeaderboardOptions = {}): Leaderboard {
  const ridge = options.ridge ?? DEFAULT_RIDGE;
  const rounds = Math.max(0, Math.floor(options.bootstrap ?? 0));
  const seed = options.seed ?? 0;
  const models = [...new Set(units.flatMap((u) => u.flatMap((c) => [c.a, c.b])))].sort();
  const n = models.length;
  const index = new Map(models.map((m, i) => [m, i]));
  const entries: LeaderboardEntry[] = models.map((model) => ({ model, score: ELO_BASE, comparisons: 0, wins: 0, losses: 0, ties: 0 }));
  let comparisons = 0;
  for (const u of units) {
    for (const c of u) {
      comparisons++;
      const [ea, eb] = [entries[index.get(c.a)!], entries[index.get(c.b)!]];
      ea.comparisons++;
      eb.comparisons++;
      if (c.score === 0.5) {
        ea.ties++;
        eb.ties++;
      } else {
        (c.score === 1 ? ea : eb).wins++;
        (c.score === 1 ? eb : ea).losses++;
      }
    }
  }
  const toElo = (t: number) => ELO_BASE + ELO_PER_NAT * t;
  const theta = fitStrengths(winMatrix(units, index, n), n, ridge);
  entries.forEach((e, i) => (e.score = toElo(theta[i])));
  if (rounds > 0 && units.length > 0) {
    const rand = seededRandom(seed);
    const samples = models.map(() => new Float64Array(rounds));
    const pick = new Uint32Array(units.length);
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < pick.length; k++) pick[k] = Math.floor(rand() * units.length);
      const t = fitStrengths(winMatrix(units, index, n, pick), n, ridge);
      for (let i = 0; i < n; i++) samples[i][r] = toElo(t[i]);
    }
    entries.forEach((e, i) => {
      const s = samples[i].sort();
      e.lower = quantile(s, 0.025);
      e.upper = quantile(s, 0.975);
    });
  }
  entries.sort((x, y) => y.score - x.score || x.model.localeCompare(y.model));
  return { entries, decisions: units.length, comparisons, bootstrap: rounds, seed, ridge, ties: 'half-win' };
}
