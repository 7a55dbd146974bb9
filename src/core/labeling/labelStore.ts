/**
 * The current decisions of every annotator, built from any number of label logs in any order:
 * a decision counts unless retracted, and per (pair, annotator) the latest (by time, then id) wins,
 * so undoing a changed label brings back the one before it. Rankings are kept the same way per
 * (ranking group, annotator), apart from pair decisions: `rankingExpansion` turns them into pairs.
 */
import { isRetraction, type DecisionRecord, type LogRecord } from './decisionRecord';
import { isRankingRecord, type RankingRecord } from './rankingRecord';

function later(a: { ts: string; id: string }, b: { ts: string; id: string }): boolean {
  return a.ts !== b.ts ? a.ts > b.ts : a.id > b.id;
}

export class LabelStore {
  private readonly byId = new Map<string, DecisionRecord>();
  private readonly retracted = new Set<string>();
  /** pair -> annotator -> decision ids */
  private readonly byPair = new Map<string, Map<string, string[]>>();
  private readonly rankingById = new Map<string, RankingRecord>();
  /** ranking group -> annotator -> ranking ids */
  private readonly byGroup = new Map<string, Map<string, string[]>>();

  add(record: LogRecord): void {
    if (isRetraction(record)) {
      this.retracted.add(record.retract);
      return;
    }
    if (isRankingRecord(record)) {
      if (this.rankingById.has(record.id)) return;
      this.rankingById.set(record.id, record);
      let perAnn = this.byGroup.get(record.group);
      if (!perAnn) this.byGroup.set(record.group, (perAnn = new Map()));
      const ids = perAnn.get(record.annotator);
      if (ids) ids.push(record.id);
      else perAnn.set(record.annotator, [record.id]);
      return;
    }
    if (this.byId.has(record.id)) return; // the same log read twice, or a copied line
    this.byId.set(record.id, record);
    let perAnn = this.byPair.get(record.pair);
    if (!perAnn) this.byPair.set(record.pair, (perAnn = new Map()));
    const ids = perAnn.get(record.annotator);
    if (ids) ids.push(record.id);
    else perAnn.set(record.annotator, [record.id]);
  }

  decision(id: string): DecisionRecord | undefined {
    return this.byId.get(id);
  }

  isRetracted(id: string): boolean {
    return this.retracted.has(id);
  }

  current(pair: string, annotator: string): DecisionRecord | undefined {
    const ids = this.byPair.get(pair)?.get(annotator);
    if (!ids) return undefined;
    let best: DecisionRecord | undefined;
    for (const id of ids) {
      if (this.retracted.has(id)) continue;
      const d = this.byId.get(id)!;
      if (!best || later(d, best)) best = d;
    }
    return best;
  }

  /** Current decision of each annotator who has one for `pair`. */
  decisionsFor(pair: string): Map<string, DecisionRecord> {
    const out = new Map<string, DecisionRecord>();
    for (const ann of this.byPair.get(pair)?.keys() ?? []) {
      const d = this.current(pair, ann);
      if (d) out.set(ann, d);
    }
    return out;
  }

  /** Pairs that have at least one current decision. */
  *pairs(): Iterable<string> {
    for (const pair of this.byPair.keys()) if (this.decisionsFor(pair).size > 0) yield pair;
  }

  annotators(): string[] {
    const s = new Set<string>();
    for (const d of this.byId.values()) s.add(d.annotator);
    for (const r of this.rankingById.values()) s.add(r.annotator);
    return [...s].sort();
  }

  ranking(id: string): RankingRecord | undefined {
    return this.rankingById.get(id);
  }

  /** The annotator's latest ranking of `group` that is not retracted. */
  currentRanking(group: string, annotator: string): RankingRecord | undefined {
    let best: RankingRecord | undefined;
    for (const id of this.byGroup.get(group)?.get(annotator) ?? []) {
      if (this.retracted.has(id)) continue;
      const r = this.rankingById.get(id)!;
      if (!best || later(r, best)) best = r;
    }
    return best;
  }

  /** Every annotator's current ranking of every group. */
  *currentRankings(): Iterable<RankingRecord> {
    for (const [group, perAnn] of this.byGroup) {
      for (const ann of perAnn.keys()) {
        const r = this.currentRanking(group, ann);
        if (r) yield r;
      }
    }
  }

  /** group -> current ranking, for one annotator. */
  currentRankingsFor(annotator: string): Map<string, RankingRecord> {
    const out = new Map<string, RankingRecord>();
    for (const [group, perAnn] of this.byGroup) {
      if (!perAnn.has(annotator)) continue;
      const r = this.currentRanking(group, annotator);
      if (r) out.set(group, r);
    }
    return out;
  }

  /** pair -> current decision, for one annotator. */
  currentFor(annotator: string): Map<string, DecisionRecord> {
    const out = new Map<string, DecisionRecord>();
    for (const [pair, perAnn] of this.byPair) {
      if (!perAnn.has(annotator)) continue;
      const d = this.current(pair, annotator);
      if (d) out.set(pair, d);
    }
    return out;
  }
}
