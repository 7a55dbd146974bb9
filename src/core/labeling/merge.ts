/**
 * Several annotators' decisions on the same pair become one label by a rule: strict majority,
 * unanimity, or a named annotator who wins (falling back to majority where they did not label).
 * Votes are side-free (which response, not which side), since annotators may see different sides.
 * A skip is an abstention.
 */
import { sideFreeChoice, strengthMargin, type DecisionRecord, type SideFreeChoice } from './decisionRecord';
import { responsesOfPairId } from './hashing';
import type { LabelStore } from './labelStore';

export type MergeRule = { kind: 'majority' } | { kind: 'unanimous' } | { kind: 'annotator'; name: string };

export type Verdict = Exclude<SideFreeChoice, 'skip'>;

export interface MergedDecision {
  pair: string;
  /** Response hashes in canonical order (a < b). */
  a: string;
  b: string;
  models: { a?: string; b?: string };
  verdict: Verdict;
  /** Mean strength margin (slightly 1, clearly 2) of the votes for the winner; only for a/b verdicts. */
  margin?: number;
  votes: Partial<Record<Verdict, number>>;
  annotators: string[];
}

export interface MergeSummary {
  /** Pairs with at least one current decision. */
  pairs: number;
  merged: number;
  /** Pairs where the rule found no label (no majority, not unanimous). */
  conflicts: number;
  /** Pairs where every annotator skipped. */
  skipped: number;
  byVerdict: Record<Verdict, number>;
}

export function modelsOf(decisions: Iterable<DecisionRecord>, a: string, b: string): { a?: string; b?: string } {
  const m: { a?: string; b?: string } = {};
  for (const d of decisions) {
    for (const [h, model] of [
      [d.left, d.leftModel],
      [d.right, d.rightModel],
    ] as const) {
      if (model === undefined) continue;
      if (h === a && m.a === undefined) m.a = model;
      if (h === b && m.b === undefined) m.b = model;
    }
  }
  return m;
}

function decide(votes: Map<string, Verdict>, rule: MergeRule): Verdict | undefined {
  if (votes.size === 0) return undefined;
  if (rule.kind === 'annotator') {
    const v = votes.get(rule.name);
    if (v !== undefined) return v;
    return decide(votes, { kind: 'majority' });
  }
  const counts = new Map<Verdict, number>();
  for (const v of votes.values()) counts.set(v, (counts.get(v) ?? 0) + 1);
  if (rule.kind === 'unanimous') return counts.size === 1 ? [...counts.keys()][0] : undefined;
  for (const [v, n] of counts) if (n * 2 > votes.size) return v;
  return undefined;
}

/** Merges the current decisions of `annotators` (default: all in the store). */
export function mergeDecisions(
  store: LabelStore,
  rule: MergeRule,
  annotators?: readonly string[],
): { merged: Map<string, MergedDecision>; summary: MergeSummary } {
  const only = annotators ? new Set(annotators) : undefined;
  const merged = new Map<string, MergedDecision>();
  const summary: MergeSummary = { pairs: 0, merged: 0, conflicts: 0, skipped: 0, byVerdict: { a: 0, b: 0, tie: 0, both_bad: 0 } };
  for (const pair of store.pairs()) {
    const all = [...store.decisionsFor(pair)].filter(([ann]) => !only || only.has(ann));
    if (all.length === 0) continue;
    summary.pairs++;
    const votes = new Map<string, Verdict>();
    for (const [ann, d] of all) {
      const c = sideFreeChoice(d);
      if (c !== 'skip') votes.set(ann, c);
    }
    if (votes.size === 0) {
      summary.skipped++;
      continue;
    }
    const verdict = decide(votes, rule);
    if (verdict === undefined) {
      summary.conflicts++;
      continue;
    }
    const [a, b] = responsesOfPairId(pair)!;
    const decisions = all.map(([, d]) => d);
    const m: MergedDecision = { pair, a, b, models: modelsOf(decisions, a, b), verdict, votes: {}, annotators: all.map(([ann]) => ann).sort() };
    for (const v of votes.values()) m.votes[v] = (m.votes[v] ?? 0) + 1;
    if (verdict === 'a' || verdict === 'b') {
      const agreeing = all.filter(([ann]) => votes.get(ann) === verdict).map(([, d]) => strengthMargin(d.strength));
      m.margin = agreeing.reduce((s, x) => s + x, 0) / agreeing.length;
    }
    merged.set(pair, m);
    summary.merged++;
    summary.byVerdict[verdict]++;
  }
  return { merged, summary };
}
