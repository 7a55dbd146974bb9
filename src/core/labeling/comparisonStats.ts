/**
 * The statistics of a blind comparison of two models: the win rate of the candidate with ties as
 * half a win, its 95% Wilson score interval, and an exact two-sided sign test on the decisive
 * outcomes.
 *
 * Why Wilson: held-out sets are small (tens to a few hundred prompts) and a tuned model can win
 * nearly every pair; the Wald interval p ± z·√(p(1−p)/n) then undercovers and collapses to zero
 * width at 0/n or n/n, while Wilson keeps close to its nominal coverage there (Brown, Cai &
 * DasGupta 2001, "Interval Estimation for a Binomial Proportion") and is closed-form, so the CLI
 * and the editor give the same numbers with no resampling seed. Ties as half a win is the
 * convention of the arena and AlpacaEval win rates; an outcome in {0, ½, 1} has a variance at most
 * p(1−p), so the binomial interval on that rate is, if anything, conservative.
 */

/** z of a two-sided 95% interval: the 0.975 quantile of the standard normal (scipy.special.ndtri(0.975)). */
export const Z_95 = 1.959963984540054;

export interface Interval {
  lower: number;
  upper: number;
}

/**
 * Wilson score interval of a proportion with `successes` of `n` (successes may be a half-integer:
 * ties as half). Undefined with no trial.
 */
export function wilsonInterval(successes: number, n: number, z = Z_95): Interval | undefined {
  if (!(n > 0)) return undefined;
  if (successes < 0 || successes > n) throw new RangeError(`successes ${successes} outside 0..${n}`);
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // Clamp the rounding error at the ends (0/n gives a lower bound of -1e-17, not 0).
  return { lower: Math.max(0, center - half), upper: Math.min(1, center + half) };
}

/** ln(k!) for k = 0..n, by summing logs (exact enough, and n is the number of prompts). */
function logFactorials(n: number): Float64Array {
  const out = new Float64Array(n + 1);
  for (let k = 2; k <= n; k++) out[k] = out[k - 1] + Math.log(k);
  return out;
}

/**
 * Exact two-sided sign test: the probability, with no difference between the models (each
 * decisive pair a fair coin), of a split at least as uneven as `wins` to `losses`. Ties and
 * both-bad outcomes are left out, as the sign test does. Undefined with no decisive pair.
 */
export function signTestPValue(wins: number, losses: number): number | undefined {
  const n = wins + losses;
  if (n === 0) return undefined;
  const k = Math.min(wins, losses);
  if (2 * k === n) return 1;
  const lf = logFactorials(n);
  const ln2n = n * Math.LN2;
  let tail = 0;
  for (let i = 0; i <= k; i++) tail += Math.exp(lf[n] - lf[i] - lf[n - i] - ln2n);
  return Math.min(1, 2 * tail);
}
