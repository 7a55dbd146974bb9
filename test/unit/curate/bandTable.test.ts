import * as assert from 'node:assert/strict';
import { BandTable } from '../../../src/core/curate/bandTable';
import { seededRandom } from '../../../src/core/base/random';

describe('LSH band table', () => {
  it('returns every slot stored under a key, as a Map of lists would, through growth and shared keys', () => {
    const rnd = seededRandom(5);
    const table = new BandTable(8);
    const ref = new Map<number, number[]>();
    // 50,000 slots over about 30,000 keys (many shared), including 0, -1 and the int32 extremes.
    const keys = [0, -1, 0x7fffffff, -0x80000000, ...Array.from({ length: 30000 }, () => (rnd() * 4294967296) | 0)];
    for (let slot = 0; slot < 50000; slot++) {
      const key = keys[Math.floor(rnd() * keys.length)];
      table.add(key, slot);
      ref.set(key, [...(ref.get(key) ?? []), slot]);
    }
    for (const key of [...keys, 12345, -54321]) {
      const got: number[] = [];
      table.forEach(key, (s) => got.push(s));
      assert.deepEqual(got, ref.get(key) ?? [], `key ${key}`);
    }
  });
});
