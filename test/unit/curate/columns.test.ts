import * as assert from 'node:assert/strict';
import { Column, F64Column, RangeReservation, reserveByScale } from '../../../src/core/curate/columns';
import { KeyColumn } from '../../../src/core/curate/validateRange';

describe('Column (typed per-record results of a range)', () => {
  // Around the first chunk (32), its doublings and the largest chunk (16K), and past several of those.
  const sizes = [0, 1, 31, 32, 33, 95, 96, 1023, 1024, 1025, 2047, 2048, 3071, 16383, 16384, 16385, 40000, 70001];

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

  describe('with room reserved (reserve, reserveByScale)', () => {
    /** n values into a column that reserves `room` after `before` of them; setLast on every fifth. */
    function fill(n: number, before: number, room: number): { column: Column<Uint32Array>; expected: number[] } {
      const column = new Column(Uint32Array);
      const expected: number[] = [];
      for (let i = 0; i < n; i++) {
        if (i === before) column.reserve(room);
        column.push(i * 3 + 1);
        expected.push(i * 3 + 1);
        if (i % 5 === 0) {
          column.setLast(i);
          expected[i] = i;
        }
      }
      if (n === before) column.reserve(room);
      return { column, expected };
    }

    it('gives back every value in order, whether they fit the room, fill it exactly or spill past it', () => {
      // Reserved before any value, after a partial chunk, after blocks were flushed; rooms around
      // the values' count and the block size (16K).
      const cases: [number, number, number][] = [
        [0, 0, 100],
        [10, 0, 10],
        [5000, 0, 8000],
        [5000, 0, 5000],
        [5000, 0, 4999],
        [40000, 0, 16384],
        [40000, 700, 41000],
        [40000, 20000, 30000],
        [40000, 20000, 40000],
        [70001, 33000, 50000],
        [20000, 20000, 30000],
      ];
      for (const [n, before, room] of cases) {
        const { column, expected } = fill(n, before, room);
        assert.equal(column.length, n);
        const out = column.done();
        assert.ok(out instanceof Uint32Array);
        assert.equal(out.length, n, `${n} values, room ${room} after ${before}`);
        assert.deepEqual(Array.from(out), expected, `${n} values, room ${room} after ${before}`);
      }
    });

    it('hands over the reserved buffer itself when every value fit, and a buffer as long as the values when some spilled', () => {
      const fit = fill(5000, 1000, 8000).column.done();
      assert.equal(fit.buffer.byteLength, 8000 * 4, 'no copy: a view of the reserved buffer');
      assert.equal(fit.byteOffset, 0);
      const exact = fill(5000, 0, 5000).column.done();
      assert.equal(exact.buffer.byteLength, 5000 * 4);
      const spilled = fill(5000, 1000, 3000).column.done();
      assert.equal(spilled.buffer.byteLength, 5000 * 4, 'copied into one buffer of its own');
    });

    it('setLast right after a reservation moved the values replaces the last one in the reserved buffer', () => {
      for (const n of [3, 1024, 20000]) {
        const c = new Column(Uint32Array);
        for (let i = 0; i < n; i++) c.push(i);
        c.reserve(n + 10);
        c.setLast(99);
        c.push(7);
        const out = Array.from(c.done());
        assert.deepEqual(out.slice(-3), [n - 2, 99, 7], `${n}`);
        assert.equal(out.length, n + 1);
      }
    });

    it('ignores a room no larger than what the column holds, and a second reservation', () => {
      const c = new Column(Uint32Array);
      for (let i = 0; i < 3000; i++) c.push(i);
      c.reserve(2000);
      c.reserve(3000);
      c.push(3000);
      assert.equal(c.done().buffer.byteLength, 3001 * 4, 'no reservation took: a buffer as long as the values');
      const d = new Column(Uint32Array);
      d.reserve(100);
      d.reserve(10000);
      for (let i = 0; i < 500; i++) d.push(i);
      const out = d.done();
      assert.deepEqual(Array.from(out), Array.from({ length: 500 }, (_, i) => i));
      assert.equal(out.buffer.byteLength, 500 * 4, 'the first reservation was too small: the values spilled and were copied');
    });

    it('a room that cannot be allocated leaves the values in blocks', () => {
      const c = new Column(Uint32Array);
      for (let i = 0; i < 100; i++) c.push(i);
      // Past the largest typed array V8 makes: the allocation throws, the column goes on without it.
      c.reserve(2 ** 40);
      for (let i = 100; i < 20000; i++) c.push(i);
      const out = c.done();
      assert.deepEqual(Array.from(out), Array.from({ length: 20000 }, (_, i) => i));
      assert.equal(out.buffer.byteLength, 20000 * 4);
    });

    it('reserveByScale reserves each column its length times the scale, with a margin', () => {
      const a = new Column(Uint32Array);
      const b = new F64Column();
      for (let i = 0; i < 1000; i++) a.push(i);
      for (let i = 0; i < 3000; i++) b.push(i / 2);
      reserveByScale([a, b], 10);
      for (let i = 1000; i < 10000; i++) a.push(i);
      for (let i = 3000; i < 30000; i++) b.push(i / 2);
      const ao = a.done();
      const bo = b.done();
      assert.deepEqual(Array.from(ao), Array.from({ length: 10000 }, (_, i) => i));
      assert.equal(bo[29999], 29999 / 2);
      // Ten times what each held, and more: no value spilled, so each kept its reserved buffer.
      assert.ok(ao.buffer.byteLength > 10000 * 4 && ao.buffer.byteLength < 20000 * 4, `${ao.buffer.byteLength}`);
      assert.ok(bo.buffer.byteLength > 30000 * 8 && bo.buffer.byteLength < 60000 * 8, `${bo.buffer.byteLength}`);
    });

    it('RangeReservation reserves once the first MB of a range of 4 MB or more is read, from the values so far', () => {
      const MB = 1024 * 1024;
      const big = new Column(Uint32Array);
      const small = new Column(Uint32Array);
      const onBig = new RangeReservation({ start: 10 * MB, end: 18 * MB }, [big]);
      const onSmall = new RangeReservation({ start: 0, end: 3 * MB }, [small]);
      // A record every 1 KB: 8,192 in the 8 MB range, 3,072 in the 3 MB one.
      for (let i = 0; i < 8192; i++) {
        onBig.note(10 * MB + i * 1024);
        big.push(i);
      }
      for (let i = 0; i < 3072; i++) {
        onSmall.note(i * 1024);
        small.push(i);
      }
      const b = big.done();
      const s = small.done();
      assert.deepEqual(Array.from(b), Array.from({ length: 8192 }, (_, i) => i));
      assert.deepEqual(Array.from(s), Array.from({ length: 3072 }, (_, i) => i));
      // Reserved after 1,024 records for eight times as many, with a margin: every value fit, and the
      // reserved buffer is handed over as it is (larger than the values).
      assert.ok(b.buffer.byteLength > 8192 * 4 && b.buffer.byteLength < 2 * 8192 * 4, `${b.buffer.byteLength}`);
      // Under 4 MB: blocks, then one buffer just as long as the values.
      assert.equal(s.buffer.byteLength, 3072 * 4);
    });
  });
});

describe("KeyColumn (a rule's keys over a range)", () => {
  it('keeps numeric keys in a Float64Array, NaN where a record has none, padded to the records', () => {
    const c = new KeyColumn();
    c.set(1, 7);
    c.set(2, undefined);
    c.set(4, 2 ** 30 - 1);
    const out = c.done(6);
    assert.ok(out instanceof Float64Array);
    assert.deepEqual(Array.from(out), [NaN, 7, NaN, NaN, 2 ** 30 - 1, NaN]);
  });

  it('travels empty when no record has a key, each time in a buffer of its own (buffers are transferred)', () => {
    const a = new KeyColumn();
    const b = new KeyColumn();
    a.set(0, undefined);
    const ka = a.done(3);
    const kb = b.done(0);
    assert.ok(ka instanceof Float64Array && kb instanceof Float64Array);
    assert.equal(ka.length, 0);
    assert.notEqual(ka.buffer, kb.buffer);
  });

  it('turns into a plain array at the first key that is not a number, keeping the numbers before it', () => {
    const c = new KeyColumn();
    c.set(0, 3);
    c.set(2, 'digest');
    c.set(3, 5);
    const out = c.done(5);
    assert.ok(Array.isArray(out));
    assert.deepEqual(Array.from(out), [3, undefined, 'digest', 5, undefined]);
  });
});
