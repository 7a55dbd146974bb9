import * as assert from 'node:assert/strict';
import { LENGTH_CHART, lengthChartLayout } from '../../../webview-ui/preflight/logic/lengthChart';

describe('pre-flight report: the length chart', () => {
  it('bars in order across the plot, the tallest full height, the buckets past the limit marked, the limit line inside the plot', () => {
    const edges = [0, 10, 20, 30];
    const { bars, max, limitX } = lengthChartLayout(edges, [1, 4, 2, 3], 25);
    assert.equal(max, 4);
    assert.deepEqual(bars.map((b) => b.count), [1, 4, 2, 3]);
    assert.ok(bars.every((b, i) => i === 0 || b.x > bars[i - 1].x));
    assert.equal(bars[1].height, LENGTH_CHART.height - LENGTH_CHART.top - LENGTH_CHART.bottom);
    assert.deepEqual(bars.map((b) => [b.over, b.straddles]), [[false, false], [false, false], [false, true], [true, false]]);
    assert.ok(limitX !== undefined && limitX > bars[2].x && limitX < bars[3].x, `limit at ${limitX}`);
  });

  it('no limit: no line and nothing over; no records: bars of height 0', () => {
    const { bars, limitX } = lengthChartLayout([0, 5], [0, 0], undefined);
    assert.equal(limitX, undefined);
    assert.ok(bars.every((b) => !b.over && !b.straddles && b.height === 0));
  });
});
