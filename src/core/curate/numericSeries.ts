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
    const v = this.values.slice(0, this.n).sort();
    return {
      count: this.n,
      min: v[0],
      p5: quantile(v, 0.05),
      median: quantile(v, 0.5),
      mean: this.total / this.n,
      p95: quantile(v, 0.95),
      max: v[this.n - 1],
      sum: this.total,
    };
  }
}

/** Linear interpolation between the two nearest ranks (numpy's default), on sorted values. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}
