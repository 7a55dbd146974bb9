import * as assert from 'node:assert/strict';
import { Column, F64Column } from '../../../src/core/curate/columns';

describe('Column (typed per-record results of a range)', () => {
  // Around the first chunk (1K), its doublings and the largest chunk (16K), and past several of those.
  const sizes = [0, 1, 1023, 1024, 1025, 2047, 2048, 3071, 16383, 16384, 16385, 40000, 70001];

  it('gives back every value pushed, in order and in its type, at every size', () => {
    for (const n of sizes) {
      const u = new Column(Uint32Array);
      const f = new F64Column();
      for (let i = 0; i < n; i++) {
        u.push(i * 7 + 1);
        f.push(i / 3);
      }
      assert.equal(u.length, n);
      const us = u.done();
      const fs = f.done();
      assert.ok(us instanceof Uint32Array && fs instanceof Float64Array);
      assert.deepEqual(Array.from(us), Array.from({ length: n }, (_, i) => i * 7 + 1), `Uint32 ${n}`);
      assert.deepEqual(Array.from(fs), Array.from({ length: n }, (_, i) => i / 3), `Float64 ${n}`);
    }
  });

  it('setLast replaces the value pushed last, also right after a chunk was flushed', () => {
    for (const n of sizes.filter((x) => x > 0)) {
      const c = new F64Column();
      const expected: number[] = [];
      for (let i = 0; i < n; i++) {
        c.push(-1);
        expected.push(-1);
        // As validation does: the record's placeholder, then its value once its checks ran.
        if (i % 3 !== 0) {
          c.setLast(i);
          expected[i] = i;
        }
      }
      assert.deepEqual(Array.from(c.done()), expected, `${n}`);
    }
  });

  it('columns filled at once, after others gave back their blocks, keep their own values', () => {
    // The first round leaves spare blocks and chunks behind; the second takes them, several columns at a time.
    for (let round = 0; round < 2; round++) {
      const cols = [new Column(Uint32Array), new Column(Uint8Array), new Column(Uint32Array), new F64Column()];
      const n = 40000 + round * 9001;
      for (let i = 0; i < n; i++) cols.forEach((c, k) => c.push((i * (k + 3)) % (k === 1 ? 256 : 1e6)));
      const out = cols.map((c) => c.done());
      out.forEach((a, k) => {
        assert.equal(a.length, n);
        for (let i = 0; i < n; i += 997) assert.equal(a[i], (i * (k + 3)) % (k === 1 ? 256 : 1e6), `round ${round} column ${k} value ${i}`);
        assert.equal(a[n - 1], ((n - 1) * (k + 3)) % (k === 1 ? 256 : 1e6));
      });
      // What done() hands over is not a block the next columns will fill.
      const again = new Column(Uint32Array);
      for (let i = 0; i < 20000; i++) again.push(7);
      again.done();
      assert.equal(out[0][5], (5 * 3) % 1e6);
    }
  });

  it('a spent column throws instead of losing values', () => {
    // A full-size chunk (given back to the spare pool) and a small one (not).
    for (const n of [20000, 5]) {
      const c = new Column(Uint32Array);
      for (let i = 0; i < n; i++) c.push(i);
      assert.equal(c.done().length, n);
      assert.throws(() => {
        for (let i = 0; i < 5; i++) c.push(i);
      }, /used after done/);
      assert.throws(() => c.done(), /used after done/);
    }
  });

  it('done() hands over a buffer of its own, only as long as the values', () => {
    const c = new Column(Uint32Array);
    for (let i = 0; i < 1500; i++) c.push(i);
    const a = c.done();
    assert.equal(a.buffer.byteLength, 1500 * 4);
  });
});
