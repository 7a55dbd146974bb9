/**
 * The numbers behind `pairwise stats`: turns per record and characters per role, gathered from
 * the canonical form of each valid record while the validator streams the file. Memory is one
 * number per record and per message (for the medians).
 */
import type { CanonicalRecord, Message } from '../core/model';

export interface Summary {
  count: number;
  min: number;
  median: number;
  mean: number;
  max: number;
}

class Series {
  private values = new Float64Array(256);
  private n = 0;
  private sum = 0;
  add(v: number): void {
    if (this.n === this.values.length) {
      const g = new Float64Array(this.values.length * 2);
      g.set(this.values);
      this.values = g;
    }
    this.values[this.n++] = v;
    this.sum += v;
  }
  summary(): Summary {
    if (this.n === 0) return { count: 0, min: 0, median: 0, mean: 0, max: 0 };
    const v = this.values.slice(0, this.n).sort();
    const mid = this.n >> 1;
    const median = this.n % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    return { count: this.n, min: v[0], median, mean: this.sum / this.n, max: v[this.n - 1] };
  }
}

/** Messages of a canonical record by the bucket they count in; preference answers count apart. */
function buckets(rec: CanonicalRecord): [string, Message[]][] {
  switch (rec.type) {
    case 'sft':
      return [['', rec.system !== undefined ? [{ role: 'system', content: rec.system }, ...rec.messages] : rec.messages]];
    case 'text':
      return [['', [{ role: 'assistant', content: rec.text }]]];
    case 'preference':
      return [
        ['', rec.prompt],
        ['chosen ', rec.chosen],
        ['rejected ', rec.rejected],
      ];
    case 'unpaired':
      return [
        ['', rec.prompt],
        ['completion ', rec.completion],
      ];
    case 'candidates':
      return [
        ['', rec.prompt],
        ['response ', rec.responses.map((r) => ({ role: 'assistant' as const, content: r.content }))],
      ];
    case 'stepwise':
      return [
        ['', rec.prompt],
        ['step ', rec.completions.map((c) => ({ role: 'assistant' as const, content: c }))],
      ];
    case 'ranked':
      return [
        ['', rec.prompt],
        ['answer ', rec.answers.map((a) => ({ role: 'assistant' as const, content: a.content }))],
      ];
  }
}

export class BasicStats {
  readonly turns = new Series();
  private readonly chars = new Map<string, Series>();
  counted = 0;

  add(rec: CanonicalRecord): void {
    this.counted++;
    let turns = 0;
    for (const [prefix, msgs] of buckets(rec)) {
      // A turn is a message of the conversation the trainer sees; the system prompt is not a turn.
      if (prefix === '' || prefix === 'chosen ' || prefix === 'completion ') turns += msgs.filter((m) => m.role !== 'system').length;
      for (const m of msgs) {
        const key = prefix + m.role;
        let s = this.chars.get(key);
        if (!s) this.chars.set(key, (s = new Series()));
        s.add(m.content.length);
      }
    }
    this.turns.add(turns);
  }

  charsByRole(): Record<string, Summary> {
    const out: Record<string, Summary> = {};
    for (const [k, s] of [...this.chars.entries()].sort((a, b) => a[0].localeCompare(b[0]))) out[k] = s.summary();
    return out;
  }
}
