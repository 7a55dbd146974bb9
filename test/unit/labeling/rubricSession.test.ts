/**
 * Rubric scores of the pair on screen (core/labeling/rubricSession.ts) and their commit with the
 * pair's decision (LabelingSession.decide `with`): the scores line is on disk with the decision,
 * undo retracts both, redo re-applies both, and a reopened session finds the scores.
 */
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readLabelLog, loadLabelLogs } from '../../../src/core/labeling/decisionLog';
import { isRetraction } from '../../../src/core/labeling/decisionRecord';
import { promptHash, responseHash } from '../../../src/core/labeling/hashing';
import { makePair, type LabelPair } from '../../../src/core/labeling/pair';
import { ArrayPairQueue } from '../../../src/core/labeling/pairQueue';
import { parseRubric } from '../../../src/core/labeling/rubric';
import { cleanScores, oneSidedCriteria, scoresToCommit, sideScoresOf } from '../../../src/core/labeling/rubricSession';
import { isScoresRecord, type ScoresRecord } from '../../../src/core/labeling/scoresRecord';
import { LabelingSession } from '../../../src/core/labeling/session';
import { leftIsA } from '../../../src/core/labeling/sides';

const RUBRIC = parseRubric(`name: quality
scale: { min: 1, max: 5, labels: { 1: unusable, 5: excellent } }
guidelines: Read the question first.
criteria:
  - id: helpfulness
    title: Helpfulness
  - id: correctness
    title: Correctness
    guidelines: Facts only.
`);

function pairs(n: number): LabelPair[] {
  return Array.from({ length: n }, (_, k) => {
    const prompt = [{ role: 'user' as const, content: `question ${k}` }];
    return makePair(prompt, promptHash(prompt), { hash: responseHash(`alpha ${k}`), content: `alpha ${k}`, model: 'mA' }, { hash: responseHash(`beta ${k}`), content: `beta ${k}`, model: 'mB' });
  });
}

/** The hashes shown left and right for a pair with the session's seed. */
function sides(p: LabelPair, seed: string): [string, string] {
  return leftIsA(p.id, seed) ? [p.a.hash, p.b.hash] : [p.b.hash, p.a.hash];
}

describe('labeling: rubric scores in progress', () => {
  it('keeps only criteria of the rubric with scores on its scale, in the rubric order', () => {
    const dirty = { left: { correctness: 5, helpfulness: 0, unknown: 3 }, right: { helpfulness: 2.5, correctness: 6, constructor: 1 } } as never;
    assert.deepEqual(cleanScores(RUBRIC, dirty), { left: { correctness: 5 }, right: {} });
    assert.deepEqual(Object.keys(cleanScores(RUBRIC, { left: { correctness: 1, helpfulness: 2 }, right: {} }).left), ['helpfulness', 'correctness']);
    assert.deepEqual(cleanScores(RUBRIC, undefined), { left: {}, right: {} });
  });

  it('refuses to commit a criterion scored for one response only, naming it', () => {
    const [p] = pairs(1);
    const s = { left: { helpfulness: 4, correctness: 2 }, right: { helpfulness: 3 } };
    assert.deepEqual(oneSidedCriteria(RUBRIC, s), ['Correctness']);
    assert.throws(() => scoresToCommit({ rubric: RUBRIC, pair: p.id, leftHash: p.a.hash, rightHash: p.b.hash, scores: s, annotator: 'ann', ms: 10 }), /Correctness/);
  });

  it('commits nothing when nothing is scored, or when the same scores are already current', () => {
    const [p] = pairs(1);
    const base = { rubric: RUBRIC, pair: p.id, leftHash: p.b.hash, rightHash: p.a.hash, annotator: 'ann', ms: 1200 };
    assert.equal(scoresToCommit({ ...base, scores: { left: {}, right: {} } }), undefined);
    const r = scoresToCommit({ ...base, scores: { left: { helpfulness: 4 }, right: { helpfulness: 2 } } }, 5000)!;
    assert.equal(r.kind, 'scores');
    assert.equal(r.rubric, RUBRIC.hash);
    assert.deepEqual(r.scores, { [p.b.hash]: { helpfulness: 4 }, [p.a.hash]: { helpfulness: 2 } }, 'on-screen sides become response hashes');
    assert.equal(r.ms, 1200);
    assert.equal(scoresToCommit({ ...base, scores: { left: { helpfulness: 4 }, right: { helpfulness: 2 } }, committed: r }), undefined);
    assert.ok(scoresToCommit({ ...base, scores: { left: { helpfulness: 5 }, right: { helpfulness: 2 } }, committed: r }), 'a changed score is written');
    // Seen from the other sides, the committed scores swap.
    assert.deepEqual(sideScoresOf(r, p.a.hash, p.b.hash, RUBRIC), { left: { helpfulness: 2 }, right: { helpfulness: 4 } });
  });
});

describe('labeling: rubric scores committed with the decision', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pw-rubric-'));
  });
  afterEach(async () => {
    await fsp.rm(dir, { recursive: true, force: true });
  });

  it('writes the scores line before the decision; undo retracts both; redo re-applies both; a reopened session has them', async () => {
    const ps = pairs(3);
    const logPath = path.join(dir, 'a.labels.jsonl');
    const s = await LabelingSession.open({ queue: new ArrayPairQueue(ps), logPath, annotator: 'ann', seed: 'S' });
    const [l, r] = sides(ps[0], 'S');
    const scores = scoresToCommit({ rubric: RUBRIC, pair: ps[0].id, leftHash: l, rightHash: r, scores: { left: { helpfulness: 5, correctness: 4 }, right: { helpfulness: 2, correctness: 4 } }, annotator: 'ann', ms: 3000 })!;
    await s.decide('left', { with: [scores] });
    let lines = (await fsp.readFile(logPath, 'utf8')).trim().split('\n').map((x) => JSON.parse(x) as Record<string, unknown>);
    assert.equal(lines.length, 2, 'both lines are on disk when decide resolves');
    assert.equal(lines[0].kind, 'scores');
    assert.equal(lines[0].v, 3);
    assert.deepEqual(lines[0].scores, { [l]: { helpfulness: 5, correctness: 4 }, [r]: { helpfulness: 2, correctness: 4 } });
    assert.equal(lines[1].choice, 'left');
    assert.equal(s.currentScores(ps[0].id)?.id, scores.id);

    // A skip carries no scores and is undone alone.
    await s.decide('skip');
    await s.undo();
    assert.equal(s.currentScores(ps[0].id)?.id, scores.id, 'undoing the skip leaves the scores of pair 1');

    let st = await s.undo();
    assert.equal(st.pair?.index, 0);
    assert.equal(st.pair?.decision, undefined);
    assert.equal(s.currentScores(ps[0].id), undefined, 'undo retracts the scores with the decision');
    st = await s.redo();
    const again = s.currentScores(ps[0].id);
    assert.ok(again && again.id !== scores.id && again.redo === scores.id, 'redo appends a copy of the scores');
    await s.close();

    const { records, problems } = await readLabelLog(logPath);
    assert.deepEqual(problems, []);
    const kinds = records.map((x) => (isRetraction(x) ? `retract:${records.find((y) => y.id === x.retract) && (isScoresRecord(records.find((y) => y.id === x.retract)!) ? 'scores' : 'decision')}` : isScoresRecord(x) ? 'scores' : 'decision'));
    assert.deepEqual(kinds, ['scores', 'decision', 'decision', 'retract:decision', 'retract:decision', 'retract:scores', 'scores', 'decision']);
    lines = (await fsp.readFile(logPath, 'utf8')).trim().split('\n').map((x) => JSON.parse(x) as Record<string, unknown>);

    const { store } = await loadLabelLogs([logPath]);
    assert.deepEqual((store.currentScores(ps[0].id, 'ann') as ScoresRecord).scores, scores.scores);
    const s2 = await LabelingSession.open({ queue: new ArrayPairQueue(ps), logPath, annotator: 'ann', seed: 'S' });
    assert.equal(s2.currentScores(ps[0].id)?.id, again.id, 'a reopened session reads the scores from the log');
    assert.equal(s2.state().pair?.index, 1);
    await s2.close();
  });
});
