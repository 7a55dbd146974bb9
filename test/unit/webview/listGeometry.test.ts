/** The Dataset View's scroll geometry (webview-ui/datasetView/logic/listGeometry.ts) against a plain sum of heights. */
import * as assert from 'node:assert/strict';
import { Fenwick, ListGeometry } from '../../../webview-ui/datasetView/logic/listGeometry';

/** The same geometry the slow way: every card's top as the sum of the heights above it. */
function naiveOffsets(total: number, estimate: number, measured: Map<number, number>): number[] {
  const out = [0];
  for (let i = 0; i < total; i++) out.push(out[i] + (measured.get(i) ?? estimate));
  return out;
}

/** A small seeded generator, so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('Dataset View list geometry', () => {
  it('Fenwick sums match the prefix sums of the added corrections', () => {
    const f = new Fenwick(100);
    const plain = new Array<number>(100).fill(0);
    const r = rng(7);
    for (let k = 0; k < 500; k++) {
      const i = Math.floor(r() * 100);
      const d = Math.round(r() * 200 - 100);
      f.add(i, d);
      plain[i] += d;
      const j = Math.floor(r() * 101);
      assert.equal(f.sum(j), plain.slice(0, j).reduce((a, b) => a + b, 0));
    }
    assert.equal(f.sum(1000), plain.reduce((a, b) => a + b, 0), 'a sum past the end is the whole sum');
  });

  it('offsets, total height and positionAt follow the measured heights', () => {
    const g = new ListGeometry(180);
    g.reset(5000);
    const measured = new Map<number, number>();
    const r = rng(11);
    for (let k = 0; k < 300; k++) {
      const pos = Math.floor(r() * 5000);
      const h = 40 + Math.floor(r() * 600);
      assert.equal(g.measure(pos, h), measured.get(pos) !== h);
      measured.set(pos, h);
    }
    const naive = naiveOffsets(5000, 180, measured);
    for (const pos of [0, 1, 17, 999, 2500, 4999, 5000]) assert.equal(g.offsetOf(pos), naive[pos], `offset of ${pos}`);
    assert.equal(g.totalHeight(), naive[5000]);
    for (let k = 0; k < 200; k++) {
      const y = r() * naive[5000];
      const pos = g.positionAt(y);
      assert.ok(naive[pos] <= y && y < naive[pos + 1], `y ${y} is inside card ${pos} (${naive[pos]}..${naive[pos + 1]})`);
    }
    assert.equal(g.positionAt(-50), 0);
    assert.equal(g.positionAt(naive[5000] + 1e6), 4999);
    assert.equal(g.heightOf(4999), measured.get(4999) ?? 180);
  });

  it('measuring the same height again changes nothing', () => {
    const g = new ListGeometry(100);
    g.reset(10);
    assert.equal(g.measure(3, 250), true);
    assert.equal(g.measure(3, 250), false);
    assert.equal(g.offsetOf(4), 3 * 100 + 250);
  });

  it('a list that grows past its capacity keeps its measurements (a large file still being indexed)', () => {
    const g = new ListGeometry(180);
    g.reset(10);
    g.measure(2, 500);
    g.measure(9, 60);
    g.setTotal(5000);
    const naive = naiveOffsets(5000, 180, new Map([[2, 500], [9, 60]]));
    assert.equal(g.total, 5000);
    assert.equal(g.offsetOf(3), naive[3]);
    assert.equal(g.offsetOf(4321), naive[4321]);
    assert.equal(g.totalHeight(), naive[5000]);
    g.measure(4500, 1000);
    assert.equal(g.totalHeight(), naive[5000] + 1000 - 180);
  });

  it('reset forgets every measurement; an empty list has no height', () => {
    const g = new ListGeometry(180);
    g.reset(3);
    g.measure(0, 999);
    g.reset(3);
    assert.equal(g.totalHeight(), 540);
    g.reset(0);
    assert.equal(g.totalHeight(), 0);
    assert.equal(g.positionAt(100), 0);
  });
});
