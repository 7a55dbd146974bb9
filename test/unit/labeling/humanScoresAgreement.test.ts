/** Agreement between annotators on rubric scores (core/labeling/humanScoresAgreement.ts). */
import * as assert from 'node:assert/strict';
import { promptHash, responseHash } from '../../../src/core/labeling/hashing';
import { humanScoresAgreement, quadraticKappa } from '../../../src/core/labeling/humanScoresAgreement';
import { makePair } from '../../../src/core/labeling/pair';
import { parseRubric } from '../../../src/core/labeling/rubric';
import { makeScores, type ScoresRecord } from '../../../src/core/labeling/scoresRecord';

const RUBRIC = parseRubric('scale: [1, 5]\ncriteria:\n  - id: helpfulness\n  - id: correctness\n');

/**
 * Quadratic-weighted kappa by another route: with the expected matrix taken from the marginals it
 * equals 2·cov(x, y) / (var(x) + var(y) + (mean(x) − mean(y))²), population moments.
 */
function kappaByMoments(pairs: [number, number][]): number {
  const n = pairs.length;
  const mx = pairs.reduce((s, [x]) => s + x, 0) / n;
  const my = pairs.reduce((s, [, y]) => s + y, 0) / n;
  const vx = pairs.reduce((s, [x]) => s + (x - mx) ** 2, 0) / n;
  const vy = pairs.reduce((s, [, y]) => s + (y - my) ** 2, 0) / n;
  const cxy = pairs.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0) / n;
  return (2 * cxy) / (vx + vy + (mx - my) ** 2);
}

function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

describe('labeling: agreement between annotators on rubric scores', () => {
  it('quadratic kappa: 1 when identical, 0 at chance, and the moments formula on random scores', () => {
    assert.equal(quadraticKappa([[1, 1], [3, 3], [5, 5]], 1, 5), 1);
    assert.equal(quadraticKappa([[1, 1], [1, 2], [2, 1], [2, 2]], 1, 5), 0);
    assert.equal(quadraticKappa([[3, 3], [3, 3]], 1, 5), null, 'no spread: kappa is undefined');
    const rnd = lcg(7);
    for (let t = 0; t < 20; t++) {
      const pairs: [number, number][] = Array.from({ length: 30 }, () => {
        const x = 1 + Math.floor(rnd() * 5);
        return [x, Math.max(1, Math.min(5, x + Math.floor(rnd() * 3) - 1))];
      });
      assert.ok(Math.abs(quadraticKappa(pairs, 1, 5)! - kappaByMoments(pairs)) < 1e-9);
    }
  });

  it('per criterion and pair of annotators, over the responses both scored on the same rubric', () => {
    const prompts = [0, 1, 2].map((k) => [{ role: 'user' as const, content: `q${k}` }]);
    const ps = prompts.map((p, k) => makePair(p, promptHash(p), { hash: responseHash(`a${k}`), content: `a${k}` }, { hash: responseHash(`b${k}`), content: `b${k}` }));
    const rec = (k: number, annotator: string, a: Record<string, number>, b: Record<string, number>, rubric = RUBRIC.hash): ScoresRecord =>
      makeScores({ pair: ps[k].id, rubric, scores: { [ps[k].a.hash]: a, [ps[k].b.hash]: b }, annotator, ms: 0 });
    const records = [
      rec(0, 'ana', { helpfulness: 4, correctness: 5 }, { helpfulness: 2, correctness: 5 }),
      rec(0, 'bo', { helpfulness: 5, correctness: 5 }, { helpfulness: 2, correctness: 4 }),
      rec(1, 'ana', { helpfulness: 3 }, { helpfulness: 1 }),
      rec(1, 'bo', { helpfulness: 3 }, { helpfulness: 3 }),
      // Only ana scored pair 2; cy scored on another rubric: neither counts.
      rec(2, 'ana', { helpfulness: 1 }, { helpfulness: 1 }),
      rec(0, 'cy', { helpfulness: 1, correctness: 1 }, { helpfulness: 1, correctness: 1 }, 'another-rubric'),
    ];
    const rows = humanScoresAgreement(records, RUBRIC);
    assert.deepEqual(
      rows.map((r) => [r.criterion, r.annotators.join('&'), r.responses, r.exactPercent, r.meanAbsDiff]),
      [
        ['helpfulness', 'ana&bo', 4, 50, 0.75],
        ['correctness', 'ana&bo', 2, 50, 0.5],
      ],
    );
    const h = rows[0].weightedKappa!;
    assert.ok(Math.abs(h - kappaByMoments([[4, 5], [2, 2], [3, 3], [1, 3]])) < 1e-9);
  });
});
