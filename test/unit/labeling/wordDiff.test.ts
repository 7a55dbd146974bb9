import * as assert from 'node:assert/strict';
import { wordDiff, wordTokens } from '../../../src/core/labeling/wordDiff';
import { seededRandomFromString } from '../../../src/core/base/random';

function sides(segs: ReturnType<typeof wordDiff>): [string, string] {
  let l = '';
  let r = '';
  for (const s of segs) {
    if (s.op !== 'insert') l += s.text;
    if (s.op !== 'delete') r += s.text;
  }
  return [l, r];
}

describe('labeling: word diff', () => {
  it('tokenizes words, whitespace and punctuation losslessly', () => {
    assert.deepEqual(wordTokens('Hi, you  there!'), ['Hi', ',', ' ', 'you', '  ', 'there', '!']);
  });

  it('one replaced word', () => {
    assert.deepEqual(wordDiff('the quick brown fox', 'the slow brown fox'), [
      { op: 'equal', text: 'the ' },
      { op: 'delete', text: 'quick' },
      { op: 'insert', text: 'slow' },
      { op: 'equal', text: ' brown fox' },
    ]);
  });

  it('insertion and deletion in the middle', () => {
    assert.deepEqual(wordDiff('a b c d', 'a c d e'), [
      { op: 'equal', text: 'a ' },
      { op: 'delete', text: 'b ' },
      { op: 'equal', text: 'c d' },
      { op: 'insert', text: ' e' },
    ]);
    assert.deepEqual(wordDiff('', 'new'), [{ op: 'insert', text: 'new' }]);
    assert.deepEqual(wordDiff('same', 'same'), [{ op: 'equal', text: 'same' }]);
  });

  it('is a minimal edit script that rebuilds both texts (seeded random texts)', () => {
    const rnd = seededRandomFromString('diff');
    const words = ['a', 'b', 'c', 'd', 'e'];
    for (let t = 0; t < 200; t++) {
      const mk = () => Array.from({ length: Math.floor(rnd() * 12) }, () => words[Math.floor(rnd() * words.length)]).join(' ');
      const x = mk();
      const y = mk();
      const segs = wordDiff(x, y);
      assert.deepEqual(sides(segs), [x, y]);
      // Minimal: the number of tokens kept equals the LCS length (DP).
      const a = wordTokens(x);
      const b = wordTokens(y);
      const dp = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
      for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) dp[i][j] = a[i - 1] === b[j - 1] ? dp[i - 1][j - 1] + 1 : Math.max(dp[i - 1][j], dp[i][j - 1]);
      const kept = segs.filter((s) => s.op === 'equal').reduce((n, s) => n + wordTokens(s.text).length, 0);
      // An equal segment is a contiguous run of both texts, so re-tokenizing it gives the kept tokens back.
      assert.equal(kept, dp[a.length][b.length], `${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
    }
  });

  it('falls back to a whole replacement beyond the edit budget', () => {
    const x = Array.from({ length: 50 }, (_, i) => `x${i}`).join(' ');
    const y = Array.from({ length: 50 }, (_, i) => `y${i}`).join(' ');
    const segs = wordDiff(x, y, 10);
    assert.deepEqual(sides(segs), [x, y]);
  });
});
