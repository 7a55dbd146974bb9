/**
 * Rankings become pair decisions for exports and leaderboards, by the user's choice of pairs:
 * - `all`: every pair of the ranking (n(n-1)/2), the better-ranked response preferred;
 * - `adjacent`: each response against the next one down (n-1 pairs);
 * - `best-vs-rest`: the top response against each other one (n-1 pairs).
 * Two responses in one tier are a tie (exports leave ties out and count them; Bradley-Terry counts
 * half a win each way). The expanded decisions are ordinary pair decisions of the ranking's
 * annotator, so they merge with other annotators' pair decisions by the usual rules.
 */
import { pairIdOf } from './hashing';
import type { DecisionRecord } from './decisionRecord';
import { LabelStore } from './labelStore';
import type { RankingRecord } from './rankingRecord';

export const RANKING_EXPANSIONS = ['all', 'adjacent', 'best-vs-rest'] as const;
export type RankingExpansion = (typeof RANKING_EXPANSIONS)[number];

/** One comparison from a ranking: `better` over `worse`, or a tie between the two. */
export interface RankedPair {
  better: string;
  worse: string;
  tie: boolean;
}

function tiePairs(tier: readonly string[], out: RankedPair[]): void {
  for (let i = 0; i < tier.length; i++) for (let j = i + 1; j < tier.length; j++) out.push({ better: tier[i], worse: tier[j], tie: true });
}

function crossPairs(upper: readonly string[], lower: readonly string[], out: RankedPair[]): void {
  for (const x of upper) for (const y of lower) out.push({ better: x, worse: y, tie: false });
}

/** The comparisons a ranking (tiers of hashes, best first) stands for under `strategy`. */
export function rankedPairs(tiers: readonly (readonly string[])[], strategy: RankingExpansion): RankedPair[] {
  const out: RankedPair[] = [];
  if (strategy === 'best-vs-rest') {
    tiePairs(tiers[0], out);
    for (let k = 1; k < tiers.length; k++) crossPairs(tiers[0], tiers[k], out);
    return out;
  }
  for (let k = 0; k < tiers.length; k++) {
    tiePairs(tiers[k], out);
    if (strategy === 'adjacent') {
      if (k + 1 < tiers.length) crossPairs(tiers[k], tiers[k + 1], out);
    } else {
      for (let m = k + 1; m < tiers.length; m++) crossPairs(tiers[k], tiers[m], out);
    }
  }
  return out;
}

/** The ranking as pair decisions (better response on the left), ids derived from the ranking's id. */
export function expandRanking(r: RankingRecord, strategy: RankingExpansion): DecisionRecord[] {
  const promptHash = r.group.split('.')[0];
  return rankedPairs(r.ranking, strategy).map((p, k) => {
    const d: DecisionRecord = {
      v: r.v,
      id: `${r.id}~${k}`,
      pair: pairIdOf(promptHash, p.better, p.worse),
      left: p.better,
      right: p.worse,
      choice: p.tie ? 'tie' : 'left',
      annotator: r.annotator,
      ts: r.ts,
      ms: 0,
    };
    const lm = r.models?.[p.better];
    const rm = r.models?.[p.worse];
    if (lm !== undefined) d.leftModel = lm;
    if (rm !== undefined) d.rightModel = rm;
    return d;
  });
}

export interface ExpansionSummary {
  strategy: RankingExpansion;
  /** Current rankings expanded (one per annotator and ranked prompt). */
  rankings: number;
  /** Pair decisions they became. */
  pairs: number;
}

/**
 * A store of pair decisions: the current pair decisions of `store` plus its current rankings
 * expanded. Where an annotator both ranked and decided the same pair, the later of the two counts.
 */
export function withExpandedRankings(store: LabelStore, strategy: RankingExpansion): { store: LabelStore; summary: ExpansionSummary } {
  const out = new LabelStore();
  for (const pair of store.pairs()) for (const d of store.decisionsFor(pair).values()) out.add(d);
  const summary: ExpansionSummary = { strategy, rankings: 0, pairs: 0 };
  for (const r of store.currentRankings()) {
    summary.rankings++;
    for (const d of expandRanking(r, strategy)) {
      out.add(d);
      summary.pairs++;
    }
  }
  return { store: out, summary };
}
