import * as assert from 'node:assert/strict';
import { NumericSeries, quantile } from '../../../src/core/curate/numericSeries';

describe('NumericSeries', () => {
  it('gives the same order statistics by counting as by sorting, for narrow and wide ranges', () => {
    let seed = 11;
    const rand = (k: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % k;
    };
    for (const [n, range] of [
      [5, 10],
      [1025, 3],
      [5000, 700],
      [20000, 1],
      [3000, 4_000_000_000],
    ]) {
      const s = new NumericSeries();
      const all: number[] = [];
      for (let i = 0; i < n; i++) {
        const v = range > 2 ** 31 ? Math.floor((rand(1 << 30) / (1 << 30)) * range) : 7 + rand(range);
        s.add(v);
        all.push(v);
      }
      const sorted = Uint32Array.from(all).sort();
      const d = s.distribution();
      assert.deepEqual(d, {
        count: n,
        min: sorted[0],
        p5: quantile(sorted, 0.05),
        median: quantile(sorted, 0.5),
        mean: all.reduce((a, b) => a + b, 0) / n,
        p95: quantile(sorted, 0.95),
        max: sorted[n - 1],
        sum: all.reduce((a, b) => a + b, 0),
      }, `n ${n} range ${range}`);
    }
  });
});
