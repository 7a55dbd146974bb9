/**
 * A growable column of non-negative integers (lengths, counts) with exact order statistics.
 * Exact rather than a sketch: 4 bytes per value (Uint32Array), so 1M records × a few roles is a few
 * tens of MB, and one typed-array sort at the end gives true quantiles.
 */
export interface Distribution {
  count: number;
  min: number;
  p5: number;
  median: number;
  mean: number;
  p95: number;
  max: number;
  sum: number;
}

export const EMPTY_DISTRIBUTION: Distribution = { count: 0, min: 0, p5: 0, median: 0, mean: 0, p95: 0, max: 0, sum: 0 };

export class NumericSeries {
  private values = new Uint32Array(256);
  private n = 0;
  private total = 0;

  /**
   * Room for `n` values in all, allocated once: growing by doubling zeroes and copies about twice
   * the values in fresh memory, whose first touch costs a page fault per 4 KB.
   */
  reserve(n: number): void {
    if (n <= this.values.length) return;
    const g = new Uint32Array(n);
    g.set(this.values.subarray(0, this.n));
    this.values = g;
  }

  add(v: number): void {
    if (this.n === this.values.length) {
      const g = new Uint32Array(this.values.length * 2);
      g.set(this.values);
      this.values = g;
    }
    // Clamped to the column's range; no length in a dataset comes near 2^32.
    const x = v < 0 ? 0 : v > 0xffffffff ? 0xffffffff : Math.round(v);
    this.values[this.n++] = x;
    this.total += x;
  }

  get length(): number {
    return this.n;
  }

  get sum(): number {
    return this.total;
  }

  /** The values in insertion order (a view; valid until the next add). */
  view(): Uint32Array {
    return this.values.subarray(0, this.n);
  }

  distribution(): Distribution {
    if (this.n === 0) return { ...EMPTY_DISTRIBUTION };
    let at = this.n > 1024 ? this.byCounting() : undefined;
    if (!at) {
      const sorted = this.values.slice(0, this.n).sort();
      at = (r) => sorted[r];
    }
    return {
      count: this.n,
      min: at(0),
      p5: quantileBy(this.n, 0.05, at),
      median: quantileBy(this.n, 0.5, at),
      mean: this.total / this.n,
      p95: quantileBy(this.n, 0.95, at),
      max: at(this.n - 1),
      sum: this.total,
    };
  }

  /**
   * The value at each rank distribution() reads, from a counting pass instead of a sort when the
   * values span a small range (lengths and counts do): several times faster on 1M values. Undefined
   * when the range is too wide for a count array.
   */
  private byCounting(): ((rank: number) => number) | undefined {
    const vals = this.values;
    const n = this.n;
    let min = vals[0];
    let max = vals[0];
    for (let i = 1; i < n; i++) {
      const x = vals[i];
      if (x < min) min = x;
      else if (x > max) max = x;
    }
    if (max - min > Math.max(1 << 16, 4 * n)) return undefined;
    const cnt = new Uint32Array(max - min + 1);
    for (let i = 0; i < n; i++) cnt[vals[i] - min]++;
    const ranks = new Set<number>([0, n - 1]);
    for (const q of [0.05, 0.5, 0.95]) {
      const pos = (n - 1) * q;
      ranks.add(Math.floor(pos));
      ranks.add(Math.min(n - 1, Math.floor(pos) + 1));
    }
    const want = [...ranks].sort((a, b) => a - b);
    const value = new Map<number, number>();
    let cum = 0;
    let w = 0;
    for (let k = 0; k < cnt.length && w < want.length; k++) {
      cum += cnt[k];
      while (w < want.length && want[w] < cum) value.set(want[w++], min + k);
    }
    return (r) => value.get(r) as number;
  }
}

/** Linear interpolation between the two nearest ranks (numpy's default), on sorted values. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  return quantileBy(sorted.length, q, (r) => sorted[r]);
}

/** quantile() over n sorted values given by rank. */
function quantileBy(n: number, q: number, at: (rank: number) => number): number {
  if (n === 0) return 0;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return at(lo) + (at(hi) - at(lo)) * (pos - lo);
}
