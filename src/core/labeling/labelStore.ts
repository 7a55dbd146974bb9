/**
 * The current decisions of every annotator, built from any number of label logs in any order:
 * a decision counts unless retracted, and per (pair, annotator) the latest (by time, then id) wins,
 * so undoing a changed label brings back the one before it.
 */
import { isRetraction, type DecisionRecord, type LogRecord } from './decisionRecord';

function later(a: DecisionRecord, b: DecisionRecord): boolean {
  return a.ts !== b.ts ? a.ts > b.ts : a.id > b.id;
}

export class LabelStore {
  private readonly byId = new Map<string, DecisionRecord>();
  private readonly retracted = new Set<string>();
  /** pair -> annotator -> decision ids */
  private readonly byPair = new Map<string, Map<string, string[]>>();

  add(record: LogRecord): void {
    if (isRetraction(record)) {
      this.retracted.add(record.retract);
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
    return [...s].sort();
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
