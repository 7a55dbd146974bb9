/**
 * The rubric judge against humans, its position bias, and the "judge uncertainty first" order, on
 * a fixture whose figures are worked out by hand in the comments.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readRubricJudgements } from '../../../src/core/labeling/rubricJudgements';
import { rubricAgreement, type HumanScores } from '../../../src/core/labeling/rubricAgreement';
import { judgeUncertaintyQueue, uncertaintyOf, uncertaintyOrder } from '../../../src/core/labeling/judgeUncertaintyQueue';
import { ArrayPairQueue } from '../../../src/core/labeling/pairQueue';
import { LabelingSession } from '../../../src/core/labeling/session';
import type { LabelPair } from '../../../src/core/labeling/pair';

type S = Record<string, number>;
const order = (a: S, b: S) => ({ a, b });
/** A judgement line as rubricJudgeJob.ts writes it: pair `pN.aN.bN`, responses `aN` and `bN`. */
function rubricLine(n: number, o0: { a: S; b: S }, o1: { a: S; b: S }) {
  return { pair: `p${n}.a${n}.b${n}`, id: `q${n}`, a: { index: 0, model: 'm1', hash: `a${n}` }, b: { index: 1, model: 'm2', hash: `b${n}` }, verdict: 'A', votes: ['A', 'A'], judge: { endpoint: 'e', model: 'judge', key: 'k' }, aspects: ['help', 'correct'], rubric: { name: 'r', hash: 'h' }, scores: [o0, o1], ts: 't' };
}
function plainLine(n: number, votes: [string, string]) {
  return { pair: `p${n}.a${n}.b${n}`, id: `q${n}`, a: { index: 0, model: 'm1', hash: `a${n}` }, b: { index: 1, model: 'm2', hash: `b${n}` }, verdict: votes[0] === votes[1] ? votes[0] : 'uncertain', votes, judge: { endpoint: 'e', model: 'judge', key: 'k2' }, aspects: [], ts: 't' };
}

// Each order in a/b positions; d = a − b.
const LINES = [
  // p1: help d0=2, d1=1 → a, no flip; correct d0=0, d1=−1 → b, flips; totals d0=2, d1=0 → flips, margin 1.
  rubricLine(1, order({ help: 5, correct: 4 }, { help: 3, correct: 4 }), order({ help: 4, correct: 4 }, { help: 3, correct: 5 })),
  // p2: help −2, −2 → b; correct −3, −2 → b; totals −5, −4 → consistent, margin 4.5.
  rubricLine(2, order({ help: 2, correct: 2 }, { help: 4, correct: 5 }), order({ help: 2, correct: 3 }, { help: 4, correct: 5 })),
  // p3: the first shown always gets 5, the second 3: every criterion flips, sums to a tie; totals 4, −4, margin 0.
  rubricLine(3, order({ help: 5, correct: 5 }, { help: 3, correct: 3 }), order({ help: 3, correct: 3 }, { help: 5, correct: 5 })),
  // p4: all 3s: ties, no flip; margin 0, consistent.
  rubricLine(4, order({ help: 3, correct: 3 }, { help: 3, correct: 3 }), order({ help: 3, correct: 3 }, { help: 3, correct: 3 })),
  plainLine(6, ['A', 'B']),
  plainLine(7, ['A', 'A']),
];

const HUMANS: HumanScores[] = [
  // ana: help a, b, a, tie; correct b, a, tie, tie.
  { pair: 'p1.a1.b1', annotator: 'ana', scores: { a1: { help: 5, correct: 3 }, b1: { help: 2, correct: 4 } } },
  { pair: 'p2.a2.b2', annotator: 'ana', scores: { a2: { help: 1, correct: 5 }, b2: { help: 4, correct: 2 } } },
  { pair: 'p3.a3.b3', annotator: 'ana', scores: { a3: { help: 4, correct: 3 }, b3: { help: 3, correct: 3 } } },
  { pair: 'p4.a4.b4', annotator: 'ana', scores: { a4: { help: 3, correct: 2 }, b4: { help: 3, correct: 2 } } },
  // bob: help a, a; correct tie on p1 only (p2 scored on help alone, as a rubric subset allows).
  { pair: 'p1.a1.b1', annotator: 'bob', scores: { a1: { help: 4, correct: 4 }, b1: { help: 3, correct: 4 } } },
  { pair: 'p2.a2.b2', annotator: 'bob', scores: { a2: { help: 5 }, b2: { help: 2 } } },
  // A pair the judge never saw.
  { pair: 'p5.a5.b5', annotator: 'ana', scores: { a5: { help: 1, correct: 1 }, b5: { help: 2, correct: 2 } } },
];

describe('rubric judge: agreement with humans, position bias, uncertainty order', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rubric-agree-'));
    file = path.join(dir, 'x.candidates.judgements.jsonl');
    // A damaged line and a line with damaged scores (keeps its verdict, loses its scores) are read leniently.
    const damagedScores = { ...rubricLine(8, order({ help: 1 }, { help: 2 }), order({ help: 1 }, { help: 2 })), scores: [{ a: { help: 'x' }, b: {} }, null] };
    fs.writeFileSync(file, [...LINES.map((l) => JSON.stringify(l)), 'not json', JSON.stringify(damagedScores), ''].join('\n') + '{"pair":');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads the scores of both orders beside the verdicts, leniently', async () => {
    const r = await readRubricJudgements(file);
    assert.equal(r.byPair.size, 7);
    assert.deepEqual(r.badLines, [7]);
    assert.equal(r.partialLast, true);
    assert.deepEqual(r.byPair.get('p1.a1.b1')?.scores?.[1], { a: { help: 4, correct: 4 }, b: { help: 3, correct: 5 } });
    assert.equal(r.byPair.get('p6.a6.b6')?.scores, undefined);
    assert.equal(r.byPair.get('p8.a8.b8')?.scores, undefined, 'damaged scores are dropped');
    assert.equal(r.byPair.get('p8.a8.b8')?.verdict, 'A', 'the verdict of that line is kept');
  });

  it('agreement per criterion: percent and Cohen kappa over a/b/tie, worked out by hand', async () => {
    const { byPair } = await readRubricJudgements(file);
    const rep = rubricAgreement(byPair, HUMANS, ['help', 'correct']);
    assert.equal(rep.judgedPairs, 4);
    assert.equal(rep.humanPairs, 5);
    assert.equal(rep.sharedPairs, 4);
    assert.deepEqual(rep.annotators, ['ana', 'bob']);
    const [help, correct] = rep.criteria;
    // help: human a,b,a,tie (ana) a,a (bob); judge a,b,tie,tie, a,b → 4 of 6.
    assert.equal(help.criterion, 'help');
    assert.equal(help.compared, 6);
    assert.equal(help.agree, 4);
    assert.ok(Math.abs(help.percent! - 400 / 6) < 1e-9);
    assert.deepEqual(help.human, { a: 4, b: 1, tie: 1 });
    assert.deepEqual(help.judge, { a: 2, b: 2, tie: 2 });
    // po = 4/6, pe = (4·2 + 1·2 + 1·2)/36 = 1/3 → κ = (2/3 − 1/3)/(2/3) = 0.5.
    assert.ok(Math.abs(help.kappa! - 0.5) < 1e-9, String(help.kappa));
    // correct: human b,a,tie,tie (ana) tie (bob); judge b,b,tie,tie, b → 3 of 5.
    assert.equal(correct.compared, 5);
    assert.equal(correct.agree, 3);
    assert.equal(correct.percent, 60);
    // po = 15/25, pe = (1·0 + 1·3 + 3·2)/25 = 9/25 → κ = (6/25)/(16/25) = 0.375.
    assert.ok(Math.abs(correct.kappa! - 0.375) < 1e-9, String(correct.kappa));
  });

  it('position bias per criterion and overall, worked out by hand', async () => {
    const { byPair } = await readRubricJudgements(file);
    const rep = rubricAgreement(byPair, HUMANS, ['help', 'correct']);
    const [help, correct] = rep.bias;
    // help, first − second per call: p1 2, −1; p2 −2, 2; p3 2, 2; p4 0, 0.
    assert.deepEqual(
      { pairs: help.pairs, flips: help.flips, first: help.firstPreferred, second: help.secondPreferred, ties: help.ties, favours: help.favours },
      { pairs: 4, flips: 1, first: 4, second: 2, ties: 2, favours: 'first' },
    );
    assert.equal(help.flipPercent, 25);
    assert.equal(help.firstBonus, 5 / 8);
    // correct: p1 0, 1; p2 −3, 2; p3 2, 2; p4 0, 0; flips p1 (tie → b) and p3.
    assert.deepEqual([correct.flips, correct.firstPreferred, correct.secondPreferred, correct.ties], [2, 4, 1, 3]);
    assert.equal(correct.flipPercent, 50);
    assert.equal(correct.firstBonus, 0.5);
    // totals: p1 2, 0; p2 −5, 4; p3 4, 4; p4 0, 0; flips p1 and p3; bonus 9/8 = the sum of the criteria's.
    const all = rep.overallBias;
    assert.equal(all.criterion, undefined);
    assert.deepEqual([all.pairs, all.flips, all.firstPreferred, all.secondPreferred, all.ties, all.favours], [4, 2, 4, 1, 3, 'first']);
    assert.equal(all.firstBonus, 9 / 8);
  });

  it('an unbiased judge has no first-position bonus and favours neither position', () => {
    const fair = new Map([[`p1.a1.b1`, { pair: 'p1.a1.b1', aHash: 'a1', bHash: 'b1', verdict: 'A' as const, model: 'j', consistent: true, line: 1, scores: [order({ help: 5 }, { help: 2 }), order({ help: 5 }, { help: 2 })] as [{ a: S; b: S }, { a: S; b: S }] }]]);
    const b = rubricAgreement(fair, []).overallBias;
    assert.deepEqual([b.flips, b.firstPreferred, b.secondPreferred, b.firstBonus, b.favours], [0, 1, 1, 0, 'neither']);
  });

  it('orders pairs inconsistent first, then by the smallest margin; unjudged last, ties in input order', async () => {
    const { byPair } = await readRubricJudgements(file);
    assert.deepEqual(uncertaintyOf(byPair.get('p1.a1.b1')!), { inconsistent: true, margin: 1 });
    assert.deepEqual(uncertaintyOf(byPair.get('p2.a2.b2')!), { inconsistent: false, margin: 4.5 });
    assert.deepEqual(uncertaintyOf(byPair.get('p6.a6.b6')!), { inconsistent: true, margin: Infinity });
    const ids = ['p1.a1.b1', 'p2.a2.b2', 'p3.a3.b3', 'p4.a4.b4', 'p5.a5.b5', 'p6.a6.b6', 'p7.a7.b7'];
    // inconsistent: p3 (0), p1 (1), p6 (no margin); consistent: p4 (0), p2 (4.5), p7 (no margin); unjudged: p5.
    assert.deepEqual(uncertaintyOrder(ids, byPair), [2, 0, 5, 3, 1, 6, 4]);
  });

  it('a labeling session over the uncertainty queue shows the least sure pair first and moves on in that order', async () => {
    const { byPair } = await readRubricJudgements(file);
    const pairs: LabelPair[] = [1, 2, 3, 4, 5, 6, 7].map((n) => ({ id: `p${n}.a${n}.b${n}`, promptHash: `p${n}`, prompt: [{ role: 'user', content: `q${n}` }], a: { hash: `a${n}`, content: `A${n}` }, b: { hash: `b${n}`, content: `B${n}` } }));
    const queue = await judgeUncertaintyQueue(new ArrayPairQueue(pairs), byPair);
    const logPath = path.join(dir, 'x.labels.jsonl');
    const s = await LabelingSession.open({ queue, logPath, annotator: 'ana' });
    const prompts: string[] = [];
    for (let i = 0; i < 3; i++) {
      prompts.push(s.state().pair!.prompt[0].content);
      await s.decide('tie');
    }
    assert.deepEqual(prompts, ['q3', 'q1', 'q6']);
    await s.close();
    // A reopened session resumes at the next undecided pair of the same order.
    const again = await LabelingSession.open({ queue: await judgeUncertaintyQueue(new ArrayPairQueue(pairs), byPair), logPath, annotator: 'ana' });
    assert.equal(again.state().pair!.prompt[0].content, 'q4');
    await again.close();
  });
});
