/**
 * Inter-annotator agreement over the pairs every compared annotator labeled (skips excluded):
 * percent agreement, Cohen's kappa for two annotators, Fleiss' kappa for two or more. Categories
 * are side-free (response a, response b, tie, both bad) because each annotator may have seen the
 * responses on different sides.
 */
import { sideFreeChoice } from './decisionRecord';
import type { LabelStore } from './labelStore';
import type { Verdict } from './merge';
import * as l10n from '@vscode/l10n';

export const CATEGORIES: readonly Verdict[] = ['a', 'b', 'tie', 'both_bad'];

/** Cohen's kappa of two raters' labels on the same items; null when chance agreement is 1 (kappa undefined). */
export function cohenKappa<T>(x: readonly T[], y: readonly T[]): number | null {
  if (x.length !== y.length) throw new Error('cohenKappa: the raters must label the same items');
  const n = x.length;
  if (n === 0) return null;
  let same = 0;
  const cx = new Map<T, number>();
  const cy = new Map<T, number>();
  for (let i = 0; i < n; i++) {
    if (x[i] === y[i]) same++;
    cx.set(x[i], (cx.get(x[i]) ?? 0) + 1);
    cy.set(y[i], (cy.get(y[i]) ?? 0) + 1);
  }
  const po = same / n;
  let pe = 0;
  for (const [k, c] of cx) pe += (c / n) * ((cy.get(k) ?? 0) / n);
  return pe === 1 ? null : (po - pe) / (1 - pe);
}

/**
 * Fleiss' kappa from a subjects × categories matrix of rating counts; every subject must have the
 * same number of ratings (at least 2). Null when expected agreement is 1.
 */
export function fleissKappa(counts: readonly (readonly number[])[]): number | null {
  const N = counts.length;
  if (N === 0) return null;
  const n = counts[0].reduce((s, c) => s + c, 0);
  if (n < 2) throw new Error('fleissKappa: need at least two ratings per subject');
  const k = counts[0].length;
  const colSums = new Array<number>(k).fill(0);
  let pBar = 0;
  for (const row of counts) {
    if (row.reduce((s, c) => s + c, 0) !== n) throw new Error('fleissKappa: every subject needs the same number of ratings');
    let sq = 0;
    row.forEach((c, j) => {
      sq += c * c;
      colSums[j] += c;
    });
    pBar += (sq - n) / (n * (n - 1));
  }
  pBar /= N;
  const pe = colSums.reduce((s, c) => s + (c / (N * n)) ** 2, 0);
  return pe === 1 ? null : (pBar - pe) / (1 - pe);
}

export interface PairwiseAgreement {
  annotators: [string, string];
  /** Pairs both labeled (not skipped). */
  pairs: number;
  percent: number | null;
  cohenKappa: number | null;
}

export interface AgreementReport {
  annotators: string[];
  /** Pairs labeled (not skipped) by every compared annotator. */
  pairs: number;
  /** Mean agreement over annotator pairs on those pairs (for two annotators: plain percent agreement), 0–100. */
  percent: number | null;
  /** For exactly two annotators. */
  cohenKappa?: number | null;
  fleissKappa: number | null;
  /** Each pair of annotators over the pairs both labeled. */
  pairwise: PairwiseAgreement[];
  /** Category counts over the compared labels. */
  categories: Record<Verdict, number>;
}

function labelsOf(store: LabelStore, annotator: string): Map<string, Verdict> {
  const out = new Map<string, Verdict>();
  for (const [pair, d] of store.currentFor(annotator)) {
    const c = sideFreeChoice(d);
    if (c !== 'skip') out.set(pair, c);
  }
  return out;
}

export function agreement(store: LabelStore, annotators: readonly string[] = store.annotators()): AgreementReport {
  if (annotators.length < 2) throw new Error(l10n.t('agreement needs at least two annotators'));
  const labels = annotators.map((a) => labelsOf(store, a));
  const shared = [...labels[0].keys()].filter((p) => labels.every((l) => l.has(p)));
  const categories: Record<Verdict, number> = { a: 0, b: 0, tie: 0, both_bad: 0 };
  const matrix = shared.map((p) => {
    const row = CATEGORIES.map(() => 0);
    for (const l of labels) {
      const v = l.get(p)!;
      row[CATEGORIES.indexOf(v)]++;
      categories[v]++;
    }
    return row;
  });
  const pairwise: PairwiseAgreement[] = [];
  for (let i = 0; i < annotators.length; i++) {
    for (let j = i + 1; j < annotators.length; j++) {
      const both = [...labels[i].keys()].filter((p) => labels[j].has(p));
      const x = both.map((p) => labels[i].get(p)!);
      const y = both.map((p) => labels[j].get(p)!);
      const same = x.filter((v, t) => v === y[t]).length;
      pairwise.push({ annotators: [annotators[i], annotators[j]], pairs: both.length, percent: both.length ? (100 * same) / both.length : null, cohenKappa: cohenKappa(x, y) });
    }
  }
  // Mean observed agreement over annotator pairs, on the shared pairs (Fleiss' P-bar).
  const n = annotators.length;
  let percent: number | null = null;
  if (shared.length > 0) {
    let sum = 0;
    for (const row of matrix) sum += (row.reduce((s, c) => s + c * c, 0) - n) / (n * (n - 1));
    percent = (100 * sum) / shared.length;
  }
  const report: AgreementReport = {
    annotators: [...annotators],
    pairs: shared.length,
    percent,
    fleissKappa: fleissKappa(matrix),
    pairwise,
    categories,
  };
  if (n === 2) {
    report.cohenKappa = cohenKappa(
      shared.map((p) => labels[0].get(p)!),
      shared.map((p) => labels[1].get(p)!),
    );
  }
  return report;
}

/** Audit mode: how often an annotator agreed with the label a dataset already had. */
export function agreementWithKnown(store: LabelStore, annotator: string, known: ReadonlyMap<string, string>): { pairs: number; agree: number; percent: number | null } {
  let pairs = 0;
  let agree = 0;
  for (const [pair, d] of store.currentFor(annotator)) {
    const chosen = known.get(pair);
    if (chosen === undefined || (d.choice !== 'left' && d.choice !== 'right')) continue;
    pairs++;
    if ((d.choice === 'left' ? d.left : d.right) === chosen) agree++;
  }
  return { pairs, agree, percent: pairs ? (100 * agree) / pairs : null };
}
