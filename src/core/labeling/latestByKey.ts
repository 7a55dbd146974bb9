/**
 * Log records of one kind kept per (key, annotator), where the current one is the latest (by time,
 * then id) not retracted: the rule the label store applies to rankings, rubric scores and rewrites.
 */
export interface KeyedRecord {
  id: string;
  ts: string;
  annotator: string;
}

export function later(a: { ts: string; id: string }, b: { ts: string; id: string }): boolean {
  return a.ts !== b.ts ? a.ts > b.ts : a.id > b.id;
}

export class LatestByKey<T extends KeyedRecord> {
  private readonly byId = new Map<string, T>();
  /** key -> annotator -> record ids */
  private readonly byKey = new Map<string, Map<string, string[]>>();

  constructor(
    private readonly keyOf: (r: T) => string,
    private readonly retracted: ReadonlySet<string>,
  ) {}

  /** False when the record was already there (the same log read twice, or a copied line). */
  add(record: T): boolean {
    if (this.byId.has(record.id)) return false;
    this.byId.set(record.id, record);
    const key = this.keyOf(record);
    let perAnn = this.byKey.get(key);
    if (!perAnn) this.byKey.set(key, (perAnn = new Map()));
    const ids = perAnn.get(record.annotator);
    if (ids) ids.push(record.id);
    else perAnn.set(record.annotator, [record.id]);
    return true;
  }

  get(id: string): T | undefined {
    return this.byId.get(id);
  }

  current(key: string, annotator: string): T | undefined {
    let best: T | undefined;
    for (const id of this.byKey.get(key)?.get(annotator) ?? []) {
      if (this.retracted.has(id)) continue;
      const r = this.byId.get(id)!;
      if (!best || later(r, best)) best = r;
    }
    return best;
  }

  /** Every annotator's current record of every key. */
  *currentAll(): Iterable<T> {
    for (const [key, perAnn] of this.byKey) {
      for (const ann of perAnn.keys()) {
        const r = this.current(key, ann);
        if (r) yield r;
      }
    }
  }

  /** key -> current record, for one annotator. */
  currentFor(annotator: string): Map<string, T> {
    const out = new Map<string, T>();
    for (const [key, perAnn] of this.byKey) {
      if (!perAnn.has(annotator)) continue;
      const r = this.current(key, annotator);
      if (r) out.set(key, r);
    }
    return out;
  }

  annotators(): Iterable<string> {
    return [...this.byId.values()].map((r) => r.annotator);
  }
}
