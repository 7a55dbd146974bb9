/** The bars of a statistics histogram (webview-ui/statistics/logic/histogramLayout.ts). */
import * as assert from 'node:assert/strict';
import { CHART, histogramLayout, PLOT_H, PLOT_W } from '../../../webview-ui/statistics/logic/histogramLayout';

const bins = (counts: number[], width = 1) => counts.map((count, i) => ({ from: i * width, to: (i + 1) * width, count }));

describe('statistics histogram layout', () => {
  it('the tallest bin fills the plot; the others scale to it; an empty bin has no height', () => {
    const { max, bars } = histogramLayout(bins([5, 10, 0, 1]));
    assert.equal(max, 10);
    assert.deepEqual(bars.map((b) => b.height), [PLOT_H / 2, PLOT_H, 0, PLOT_H / 10]);
  });

  it('an all-empty histogram has no bar heights (no division by zero)', () => {
    const { max, bars } = histogramLayout(bins([0, 0]));
    assert.equal(max, 1);
    assert.ok(bars.every((b) => b.height === 0));
  });

  it('bars sit in order inside the plot, none overlapping', () => {
    for (const n of [1, 7, 40, 300]) {
      const { bars } = histogramLayout(bins(new Array<number>(n).fill(3)));
      for (let i = 0; i < n; i++) {
        assert.ok(bars[i].x >= CHART.left && bars[i].x + bars[i].width <= CHART.left + PLOT_W + 1, `bar ${i} of ${n} inside`);
        if (i > 0) assert.ok(bars[i].x >= bars[i - 1].x + Math.min(bars[i - 1].width, PLOT_W / n) - 1e-9, `bar ${i} of ${n} after the one before`);
      }
    }
  });

  it('labels a bar of width 1 with its value, a wider one with its range, and every few bars when crowded', () => {
    assert.deepEqual(histogramLayout(bins([1, 2], 1)).bars.map((b) => b.label), ['0', '1']);
    assert.deepEqual(histogramLayout(bins([1, 2], 1000)).bars.map((b) => b.label), ['0–1,000', '1,000–2,000']);
    assert.ok(histogramLayout(bins(new Array<number>(10).fill(1))).bars.every((b) => b.labeled), '10 bars: all labeled');
    const crowded = histogramLayout(bins(new Array<number>(100).fill(1))).bars;
    const labeled = crowded.filter((b) => b.labeled);
    assert.ok(labeled[0] === crowded[0]);
    for (let i = 1; i < labeled.length; i++) assert.ok(labeled[i].x - labeled[i - 1].x >= 44 - 1e-9, 'labels at least 44 px apart');
  });
});
