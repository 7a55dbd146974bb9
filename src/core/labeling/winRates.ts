/** Per-model results from labeled pairs: wins, losses, ties, both-bad, and a win rate. */
import { sideFreeChoice, type DecisionRecord } from './decisionRecord';
import { responsesOfPairId } from './hashing';
import type { LabelStore } from './labelStore';
import { modelsOf, type MergedDecision } from './merge';

export interface ModelResult {
  model: string;
  wins: number;
  losses: number;
  ties: number;
  bothBad: number;
  /** wins + losses + ties + bothBad. */
  comparisons: number;
  /** (wins + ties / 2) / (wins + losses + ties); both-bad outcomes do not count. Null with no such outcome. */
  winRate: number | null;
}

interface Outcome {
  a?: string;
  b?: string;
  verdict: 'a' | 'b' | 'tie' | 'both_bad';
}

function tally(outcomes: Iterable<Outcome>): ModelResult[] {
  const m = new Map<string, ModelResult>();
  const get = (model: string) => {
    let r = m.get(model);
    if (!r) m.set(model, (r = { model, wins: 0, losses: 0, ties: 0, bothBad: 0, comparisons: 0, winRate: null }));
    return r;
  };
  for (const o of outcomes) {
    if (o.a === undefined || o.b === undefined || o.a === o.b) continue;
    const ra = get(o.a);
    const rb = get(o.b);
    ra.comparisons++;
    rb.comparisons++;
    if (o.verdict === 'a') {
      ra.wins++;
      rb.losses++;
    } else if (o.verdict === 'b') {
      rb.wins++;
      ra.losses++;
    } else if (o.verdict === 'tie') {
      ra.ties++;
      rb.ties++;
    } else {
      ra.bothBad++;
      rb.bothBad++;
    }
  }
  for (const r of m.values()) {
    const decisive = r.wins + r.losses + r.ties;
    r.winRate = decisive ? (r.wins + r.ties / 2) / decisive : null;
  }
  return [...m.values()].sort((x, y) => (y.winRate ?? -1) - (x.winRate ?? -1) || x.model.localeCompare(y.model));
}

/** Every annotator's current decision counts as one comparison (skips excluded). */
export function winRatesFromStore(store: LabelStore): ModelResult[] {
  const outcomes: Outcome[] = [];
  for (const pair of store.pairs()) {
    const [a, b] = responsesOfPairId(pair)!;
    for (const d of store.decisionsFor(pair).values()) {
      const v = sideFreeChoice(d);
      if (v === 'skip') continue;
      const models = modelsOf([d as DecisionRecord], a, b);
      outcomes.push({ a: models.a, b: models.b, verdict: v });
    }
  }
  return tally(outcomes);
}

/** One comparison per merged pair. */
export function winRatesFromMerged(merged: Iterable<MergedDecision>): ModelResult[] {
  return tally([...merged].map((m) => ({ a: m.models.a, b: m.models.b, verdict: m.verdict })));
}
