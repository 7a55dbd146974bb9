/**
 * HashIndex against a Map over the same 53-bit keys: keys that share their low 32 bits or their
 * high bits, value 0, growth from the smallest table and a reservation up front.
 */
import * as assert from 'node:assert/strict';
import { HashIndex } from '../../../src/core/curate/hashIndex';
import { seededRandom } from '../../../src/core/base/random';

function keys53(n: number, seed: number): number[] {
  const rnd = seededRandom(seed);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const lo = Math.floor(rnd() * 2 ** 32);
    const hi = Math.floor(rnd() * 2 ** 21);
    // Every fourth key shares its low 32 bits with the one before, every fifth its high bits.
    const prev = out[out.length - 1] ?? 0;
    if (i % 4 === 3) out.push((prev >>> 0) + hi * 2 ** 32);
    else if (i % 5 === 4) out.push(lo + (prev - (prev >>> 0)));
    else out.push(lo + hi * 2 ** 32);
  }
  // The extremes of the range.
  out.push(0, 2 ** 53 - 1, 2 ** 32, 2 ** 32 - 1);
  return out;
}

describe('HashIndex', () => {
  for (const reserve of [undefined, 50_000]) {
    it(`keeps the first value per 53-bit key as a Map would${reserve ? ', reserved up front' : ', growing from its smallest table'}`, () => {
      const keys = keys53(40_000, 7);
      // Each key twice over, the second time with another value: the first stays.
      const all = [...keys, ...keys.slice(0, 20_000)];
      const index = new HashIndex();
      if (reserve) index.reserve(reserve);
      const map = new Map<number, number>();
      all.forEach((k, value) => {
        const expected = map.get(k) ?? value;
        if (!map.has(k)) map.set(k, value);
        assert.equal(index.setIfAbsent(k, value), expected);
      });
      assert.equal(index.size, map.size);
      for (const [k, v] of map) assert.equal(index.get(k), v);
      // Keys never stored, among them ones that share a stored key's low or high bits.
      for (const k of [1, 2 ** 53 - 2, keys[3] + 2 ** 32, keys[4] + 1]) if (!map.has(k)) assert.equal(index.get(k), -1);
    });
  }

  it('stores the value 0 and the largest index', () => {
    const index = new HashIndex();
    assert.equal(index.setIfAbsent(12345, 0), 0);
    assert.equal(index.setIfAbsent(12345, 9), 0);
    assert.equal(index.setIfAbsent(2 ** 40, 2 ** 31 - 1), 2 ** 31 - 1);
    assert.equal(index.get(2 ** 40), 2 ** 31 - 1);
    assert.equal(index.get(12345), 0);
    assert.equal(index.get(12346), -1);
  });
});
