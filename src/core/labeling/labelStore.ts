/**
 * The current decisions of every annotator, built from any number of label logs in any order:
 * a decision counts unless retracted, and per (pair, annotator) the latest (by time, then id) wins,
 * so undoing a changed label brings back the one before it. Rankings are kept the same way per
 * (ranking group, annotator), apart from pair decisions: `rankingExpansion` turns them into pairs.
 * Rubric scores and rewrites are kept per (pair, annotator) by the same rule.
 */
import { isRetraction, type DecisionRecord, type LogRecord } from './decisionRecord';
import { LatestByKey, later } from './latestByKey';
import { isRankingRecord, type RankingRecord } from './rankingRecord';
import { isRewriteRecord, type RewriteRecord } from './rewriteRecord';
import { isScoresRecord, type ScoresRecord } from './scoresRecord';

export class LabelStore {
  private readonly byId = new Map<string, DecisionRecord>();
  private readonly retracted = new Set<string>();
  /** pair -> annotator -> decision ids */
  private readonly byPair = new Map<string, Map<string, string[]>>();
  private readonly rankings = new LatestByKey<RankingRecord>((r) => r.group, this.retracted);
  private readonly scores = new LatestByKey<ScoresRecord>((r) => r.pair, this.retracted);
  private readonly rewrites = new LatestByKey<RewriteRecord>((r) => r.pair, this.retracted);

  add(record: LogRecord): void {
    if (isRetraction(record)) {
      this.retracted.add(record.retract);
      return;
    }
    if (isRankingRecord(record)) {
      this.rankings.add(record);
      return;
    }
    if (isScoresRecord(record)) {
      this.scores.add(record);
      return;
    }
    if (isRewriteRecord(record)) {
      this.rewrites.add(record);
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
    for (const a of this.rankings.annotators()) s.add(a);
    for (const a of this.scores.annotators()) s.add(a);
    for (const a of this.rewrites.annotators()) s.add(a);
    return [...s].sort();
  }

  ranking(id: string): RankingRecord | undefined {
    return this.rankings.get(id);
  }

  /** The annotator's latest ranking of `group` that is not retracted. */
  currentRanking(group: string, annotator: string): RankingRecord | undefined {
    return this.rankings.current(group, annotator);
  }

  /** Every annotator's current ranking of every group. */
  currentRankings(): Iterable<RankingRecord> {
    return this.rankings.currentAll();
  }

  /** group -> current ranking, for one annotator. */
  currentRankingsFor(annotator: string): Map<string, RankingRecord> {
    return this.rankings.currentFor(annotator);
  }

  /** A scores or rewrite line by id (for undo/redo). */
  scoresOrRewrite(id: string): ScoresRecord | RewriteRecord | undefined {
    return this.scores.get(id) ?? this.rewrites.get(id);
  }

  /** The annotator's current rubric scores of `pair`. */
  currentScores(pair: string, annotator: string): ScoresRecord | undefined {
    return this.scores.current(pair, annotator);
  }

  /** Every annotator's current scores of every pair. */
  currentScoresAll(): Iterable<ScoresRecord> {
    return this.scores.currentAll();
  }

  /** The annotator's current rewrite in `pair`. */
  currentRewrite(pair: string, annotator: string): RewriteRecord | undefined {
    return this.rewrites.current(pair, annotator);
  }

  /** Every annotator's current rewrite of every pair. */
  currentRewrites(): Iterable<RewriteRecord> {
    return this.rewrites.currentAll();
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
