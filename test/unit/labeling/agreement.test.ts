import * as assert from 'node:assert/strict';
import { agreement, agreementWithKnown, cohenKappa, fleissKappa } from '../../../src/core/labeling/agreement';
import { makeDecision } from '../../../src/core/labeling/decisionLog';
import { promptHash, responseHash } from '../../../src/core/labeling/hashing';
import { LabelStore } from '../../../src/core/labeling/labelStore';
import { mergeDecisions } from '../../../src/core/labeling/merge';
import { makePair, type LabelPair } from '../../../src/core/labeling/pair';
import { winRatesFromMerged, winRatesFromStore } from '../../../src/core/labeling/winRates';

/** Pair k: prompt k, responses from models X and Y (which one is `a` depends on the hashes). */
function pairK(k: number, mx = 'X', my = 'Y'): LabelPair {
  const prompt = [{ role: 'user' as const, content: `prompt ${k}` }];
  const x = `answer of ${mx} to ${k}`;
  const y = `answer of ${my} to ${k}`;
  return makePair(prompt, promptHash(prompt), { hash: responseHash(x), content: x, model: mx }, { hash: responseHash(y), content: y, model: my });
}

/**
 * Adds a decision in side-free terms: 'X' prefers X's answer, 'Y' Y's; `flip` puts them on
 * swapped sides, so the same preference is recorded as the other side.
 */
function label(store: LabelStore, p: LabelPair, annotator: string, v: 'X' | 'Y' | 'tie' | 'both_bad' | 'skip', flip = false, t = 1000) {
  const leftIsA = flip;
  const left = leftIsA ? p.a : p.b;
  const choice = v === 'X' || v === 'Y' ? ((left.model === v) ? 'left' : 'right') : v;
  store.add(makeDecision({ pair: p, leftIsA, choice, annotator, ms: 1 }, t));
}

describe('labeling: kappa formulas', () => {
  it("Cohen's kappa: 50 items, 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no → po .7, pe .5, kappa .4", () => {
    const x = [...Array(20).fill('y'), ...Array(5).fill('y'), ...Array(10).fill('n'), ...Array(15).fill('n')];
    const y = [...Array(20).fill('y'), ...Array(5).fill('n'), ...Array(10).fill('y'), ...Array(15).fill('n')];
    assert.ok(Math.abs(cohenKappa(x, y)! - 0.4) < 1e-12);
    assert.equal(cohenKappa(['a', 'a'], ['a', 'a']), null);
  });

  it("Fleiss' kappa: the 10 subjects × 14 raters × 5 categories textbook example gives 0.210", () => {
    const m = [
      [0, 0, 0, 0, 14],
      [0, 2, 6, 4, 2],
      [0, 0, 3, 5, 6],
      [0, 3, 9, 2, 0],
      [2, 2, 8, 1, 1],
      [7, 7, 0, 0, 0],
      [3, 2, 6, 3, 0],
      [2, 5, 3, 2, 2],
      [6, 5, 2, 1, 0],
      [0, 2, 2, 3, 7],
    ];
    // P-bar = 0.378, P_e = 0.213 (Fleiss 1971 via the usual worked example).
    assert.equal(fleissKappa(m)!.toFixed(3), '0.210');
    assert.throws(() => fleissKappa([[1, 1], [2, 1]]), /same number/);
  });
});

describe('labeling: agreement between annotators', () => {
  it('two annotators who saw different sides: percent and Cohen computed side-free', () => {
    const s = new LabelStore();
    const ps = Array.from({ length: 10 }, (_, k) => pairK(k));
    // ann:  X X X X Y Y Y tie tie both_bad
    // bob:  X X X Y Y Y X tie X   both_bad   (bob sees flipped sides)
    const ann = ['X', 'X', 'X', 'X', 'Y', 'Y', 'Y', 'tie', 'tie', 'both_bad'] as const;
    const bob = ['X', 'X', 'X', 'Y', 'Y', 'Y', 'X', 'tie', 'X', 'both_bad'] as const;
    ps.forEach((p, k) => {
      label(s, p, 'ann', ann[k], false);
      label(s, p, 'bob', bob[k], true);
    });
    label(s, pairK(99), 'ann', 'X'); // only one annotator: not compared
    const r = agreement(s, ['ann', 'bob']);
    assert.equal(r.pairs, 10);
    // Agree on 7 of 10.
    assert.ok(Math.abs(r.percent! - 70) < 1e-9);
    // Categories are per response hash (a/b), so compute expected kappa over the same side-free labels:
    // Agreement is 7/10; chance agreement from the marginals. X/Y map to a/b per pair, so count in a/b terms.
    const toAB = (p: LabelPair, v: string) => (v === 'X' || v === 'Y' ? ((p.a.model === v) ? 'a' : 'b') : v);
    const xa = ps.map((p, k) => toAB(p, ann[k]));
    const xb = ps.map((p, k) => toAB(p, bob[k]));
    const cats = ['a', 'b', 'tie', 'both_bad'];
    const pe = cats.reduce((sum, c) => sum + (xa.filter((v) => v === c).length / 10) * (xb.filter((v) => v === c).length / 10), 0);
    assert.ok(Math.abs(r.cohenKappa! - (0.7 - pe) / (1 - pe)) < 1e-12);
    assert.equal(r.pairwise.length, 1);
    assert.equal(r.pairwise[0].pairs, 10);
    assert.equal(r.categories.tie, 3);
    assert.equal(r.categories.both_bad, 2);
  });

  it("Cohen on a fixed a/b table: 6 pairs, labels a,a,b,b,tie,a vs a,b,b,b,tie,tie → po 4/6, pe 11/36, kappa 13/25", () => {
    const s = new LabelStore();
    const labelsA = ['a', 'a', 'b', 'b', 'tie', 'a'];
    const labelsB = ['a', 'b', 'b', 'b', 'tie', 'tie'];
    for (let k = 0; k < 6; k++) {
      const p = pairK(k);
      const mOf = (v: string) => (v === 'a' ? p.a.model! : v === 'b' ? p.b.model! : v) as 'X' | 'Y' | 'tie';
      label(s, p, 'p', mOf(labelsA[k]));
      label(s, p, 'q', mOf(labelsB[k]), true);
    }
    // Marginals: p: a3 b2 tie1; q: a1 b3 tie2 → pe = (3·1 + 2·3 + 1·2)/36 = 11/36; po = 4/6.
    const r = agreement(s);
    const po = 4 / 6;
    const pe = 11 / 36;
    assert.ok(Math.abs(r.cohenKappa! - (po - pe) / (1 - pe)) < 1e-12);
    assert.ok(Math.abs(r.cohenKappa! - 13 / 25) < 1e-12);
  });

  it("three annotators: Fleiss' kappa over pairs all labeled, skips excluded", () => {
    const s = new LabelStore();
    // Four pairs labeled by all three (in a/b terms via models): rows of counts [a,b,tie,both_bad]:
    // p0: a a a → [3,0,0,0]; p1: a a b → [2,1,0,0]; p2: b b b → [0,3,0,0]; p3: tie tie a → [1,0,2,0]
    const rows = [
      ['a', 'a', 'a'],
      ['a', 'a', 'b'],
      ['b', 'b', 'b'],
      ['tie', 'tie', 'a'],
    ];
    rows.forEach((row, k) => {
      const p = pairK(k);
      row.forEach((v, i) => label(s, p, `r${i}`, (v === 'a' ? p.a.model : v === 'b' ? p.b.model : v) as 'X', i === 1));
    });
    // A fifth pair skipped by r2: not in the shared set.
    const p5 = pairK(5);
    label(s, p5, 'r0', 'X');
    label(s, p5, 'r1', 'X');
    label(s, p5, 'r2', 'skip');
    const r = agreement(s, ['r0', 'r1', 'r2']);
    assert.equal(r.pairs, 4);
    // P_i: 1, 1/3, 1, 1/3 → P-bar = 2/3. Column totals a6 b4 tie2 of 12 → P_e = (36+16+4)/144 = 56/144.
    const pbar = 2 / 3;
    const pe = 56 / 144;
    assert.ok(Math.abs(r.percent! - 100 * pbar) < 1e-9);
    assert.ok(Math.abs(r.fleissKappa! - (pbar - pe) / (1 - pe)) < 1e-12);
    assert.equal(r.cohenKappa, undefined);
    assert.equal(r.pairwise.length, 3);
    assert.equal(r.pairwise[0].pairs, 5); // r0 and r1 both labeled p5 too
  });

  it('audit: agreement with the label the dataset had', () => {
    const s = new LabelStore();
    const known = new Map<string, string>();
    for (let k = 0; k < 4; k++) {
      const p = pairK(k);
      known.set(p.id, p.a.hash);
      label(s, p, 'ann', (k < 3 ? p.a.model : p.b.model) as 'X', k % 2 === 0);
    }
    assert.deepEqual(agreementWithKnown(s, 'ann', known), { pairs: 4, agree: 3, percent: 75 });
  });
});

describe('labeling: merge rules and win rates', () => {
  // p0: all three X; p1: X X Y; p2: X Y tie; p3: lead says Y, others X; p4: all skip; p5: X, X, skip
  function team(): { s: LabelStore; ps: LabelPair[] } {
    const s = new LabelStore();
    const ps = Array.from({ length: 6 }, (_, k) => pairK(k));
    const votes: (string[])[] = [
      ['X', 'X', 'X'],
      ['X', 'X', 'Y'],
      ['X', 'Y', 'tie'],
      ['Y', 'X', 'X'],
      ['skip', 'skip', 'skip'],
      ['X', 'X', 'skip'],
    ];
    const who = ['lead', 'u1', 'u2'];
    votes.forEach((row, k) => row.forEach((v, i) => label(s, ps[k], who[i], v as 'X', i === 2)));
    return { s, ps };
  }

  it('majority: strict majority of non-skip votes', () => {
    const { s, ps } = team();
    const { merged, summary } = mergeDecisions(s, { kind: 'majority' });
    const verdictModel = (k: number) => {
      const m = merged.get(ps[k].id);
      if (!m) return undefined;
      return m.verdict === 'a' ? ps[k].a.model : m.verdict === 'b' ? ps[k].b.model : m.verdict;
    };
    assert.deepEqual([0, 1, 2, 3, 4, 5].map(verdictModel), ['X', 'X', undefined, 'X', undefined, 'X']);
    const xIsA = [0, 1, 3, 5].filter((k) => ps[k].a.model === 'X').length;
    assert.deepEqual(summary, { pairs: 6, merged: 4, conflicts: 1, skipped: 1, byVerdict: { a: xIsA, b: 4 - xIsA, tie: 0, both_bad: 0 } });
    assert.deepEqual(merged.get(ps[1].id)!.models, { a: ps[1].a.model, b: ps[1].b.model });
  });

  it('unanimous: only pairs where every non-skip vote agrees', () => {
    const { s, ps } = team();
    const { merged, summary } = mergeDecisions(s, { kind: 'unanimous' });
    assert.deepEqual([...merged.keys()].sort(), [ps[0].id, ps[5].id].sort());
    assert.equal(summary.conflicts, 3);
  });

  it('a named annotator wins, majority where they did not vote', () => {
    const { s, ps } = team();
    const { merged } = mergeDecisions(s, { kind: 'annotator', name: 'lead' });
    const m3 = merged.get(ps[3].id)!;
    assert.equal(m3.verdict === 'a' ? ps[3].a.model : ps[3].b.model, 'Y');
    assert.ok(merged.has(ps[2].id)); // lead said X
    assert.equal(merged.size, 5);
  });

  it('margin is the mean strength of the agreeing votes', () => {
    const s = new LabelStore();
    const p = pairK(1);
    const xLeft = p.a.model === 'X';
    s.add(makeDecision({ pair: p, leftIsA: true, choice: xLeft ? 'left' : 'right', strength: 'clearly', annotator: 'u1', ms: 0 }));
    s.add(makeDecision({ pair: p, leftIsA: true, choice: xLeft ? 'left' : 'right', strength: 'slightly', annotator: 'u2', ms: 0 }));
    s.add(makeDecision({ pair: p, leftIsA: true, choice: xLeft ? 'left' : 'right', strength: 'clearly', annotator: 'u3', ms: 0 }));
    assert.equal(mergeDecisions(s, { kind: 'majority' }).merged.get(p.id)!.margin, 5 / 3);
  });

  it('win rates per model with the number of comparisons', () => {
    const { s } = team();
    // Per-decision tally (skips out): X vs Y over 14 votes:
    // p0 XXX, p1 XXY, p2 X Y tie, p3 YXX, p5 XX → X wins 3+2+1+2+2 = 10, Y wins 1+1+1 = 3, ties 1.
    const rates = winRatesFromStore(s);
    const x = rates.find((r) => r.model === 'X')!;
    const y = rates.find((r) => r.model === 'Y')!;
    assert.deepEqual([x.wins, x.losses, x.ties, x.comparisons], [10, 3, 1, 14]);
    assert.deepEqual([y.wins, y.losses, y.ties, y.comparisons], [3, 10, 1, 14]);
    assert.equal(x.winRate, 10.5 / 14);
    assert.equal(rates[0].model, 'X');
    // Merged by majority: p0, p1, p3, p5 → X wins 4 of 4.
    const mr = winRatesFromMerged(mergeDecisions(s, { kind: 'majority' }).merged.values());
    assert.deepEqual(mr.map((r) => [r.model, r.wins, r.losses, r.comparisons, r.winRate]), [
      ['X', 4, 0, 4, 1],
      ['Y', 0, 4, 4, 0],
    ]);
  });
});
