import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DecisionLog, loadLabelLogs, makeDecision, readLabelLog } from '../../../src/core/labeling/decisionLog';
import { isPairDecision, READER_VERSION, toLogRecord } from '../../../src/core/labeling/decisionRecord';
import { hashText, pairIdOf } from '../../../src/core/labeling/hashing';
import { LabelStore } from '../../../src/core/labeling/labelStore';
import { isRewriteRecord, makeRewrite } from '../../../src/core/labeling/rewriteRecord';
import { parseRubric, readRubric, rubricPathFor, onScale, MAX_CRITERIA } from '../../../src/core/labeling/rubric';
import { isScoresRecord, makeScores } from '../../../src/core/labeling/scoresRecord';

const A = hashText('answer a');
const B = hashText('answer b');
const PAIR = pairIdOf(hashText('prompt'), A, B);

const RUBRIC = `name: assistant-quality
scale: { min: 1, max: 5, labels: { 1: unusable, 5: excellent } }
guidelines: |
  Read the **whole** conversation first.
criteria:
  - id: helpfulness
    title: Helpfulness
    guidelines: |
      Does it answer what was asked?
  - id: correctness
`;

describe('rubric files', () => {
  it('reads criteria, scale, labels and guidelines, and hashes the content', () => {
    const r = parseRubric(RUBRIC);
    assert.equal(r.name, 'assistant-quality');
    assert.deepEqual(r.scale, { min: 1, max: 5, labels: { 1: 'unusable', 5: 'excellent' } });
    assert.equal(r.guidelines, 'Read the **whole** conversation first.\n');
    assert.deepEqual(r.criteria.map((c) => [c.id, c.title]), [['helpfulness', 'Helpfulness'], ['correctness', 'correctness']]);
    assert.equal(r.criteria[0].guidelines, 'Does it answer what was asked?\n');
    assert.match(r.hash, /^[0-9a-f]{16}$/);
    assert.equal(parseRubric(RUBRIC).hash, r.hash);
    assert.notEqual(parseRubric(RUBRIC.replace('min: 1', 'min: 0')).hash, r.hash, 'another scale is another rubric');
    assert.deepEqual(parseRubric('criteria: [{id: a}]').scale, { min: 1, max: 5, labels: {} }, 'default scale 1-5');
    assert.deepEqual(parseRubric('scale: [0, 2]\ncriteria: [{id: a}]').scale, { min: 0, max: 2, labels: {} });
    assert.ok(onScale(r, 5) && onScale(r, 1) && !onScale(r, 0) && !onScale(r, 2.5) && !onScale(r, '3'));
    assert.equal(rubricPathFor('/w/data/x.candidates.jsonl'), '/w/data/x.candidates.rubric.yaml');
  });

  it('names what is wrong with a bad rubric', () => {
    const bad: [string, RegExp][] = [
      ['criteria: [', /not valid YAML/],
      ['- a\n- b', /mapping with "criteria"/],
      ['name: x', /"criteria" must be a non-empty list/],
      ['criteria: [{title: T}]', /"criteria\[0\]\.id"/],
      ['criteria: [{id: "Bad Id"}]', /"criteria\[0\]\.id"/],
      ['criteria: [{id: __proto__}]', /"criteria\[0\]\.id"/],
      ['criteria: [{id: a}, {id: a}]', /"a" appears twice/],
      ['scale: [5, 1]\ncriteria: [{id: a}]', /0 <= min < max <= 10/],
      ['scale: [1, 11]\ncriteria: [{id: a}]', /0 <= min < max <= 10/],
      ['scale: {min: 1, max: 3, labels: {7: x}}\ncriteria: [{id: a}]', /names 7/],
      ['criteria: [{id: a, guidelines: [1]}]', /"criteria\[0\]\.guidelines" must be text/],
      ['criteria: [{id: a}]\ncriteria: [{id: b}]', /not valid YAML/],
      [`criteria:\n${Array.from({ length: MAX_CRITERIA + 1 }, (_, i) => `  - id: c${i}`).join('\n')}`, /13 criteria; at most 12/],
      ['a: &a [x, x, x, x]\nb: &b [*a, *a, *a, *a]\nc: &c [*b, *b, *b, *b]\nd: &d [*c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d]\ncriteria: [{id: a}]', /not valid YAML/],
    ];
    for (const [text, re] of bad) assert.throws(() => parseRubric(text), re, text);
  });

  it('reads a rubric file as a regular file only', async () => {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pw-rubric-'));
    const file = path.join(dir, 'x.rubric.yaml');
    await fsp.writeFile(file, RUBRIC);
    assert.equal((await readRubric(file)).criteria.length, 2);
    await assert.rejects(readRubric(dir), /not a regular file/);
    await assert.rejects(readRubric(path.join(dir, 'missing.yaml')), /file not found/);
    if (process.platform !== 'win32') {
      await fsp.symlink('/dev/zero', path.join(dir, 'zero.rubric.yaml'));
      await assert.rejects(readRubric(path.join(dir, 'zero.rubric.yaml')), /not a regular file/);
    }
  });
});

describe('scores and rewrite lines of a label log', () => {
  it('builds, checks and reads back scores and rewrites; pair decisions are not them', () => {
    const s = makeScores({ pair: PAIR, rubric: 'r1', scores: { [A]: { helpfulness: 4, correctness: 5 }, [B]: { helpfulness: 2, correctness: 5 } }, annotator: 'ana', ms: 1234.4 }, 1000);
    assert.equal(s.v, 3);
    assert.equal(s.ms, 1234);
    assert.ok(isScoresRecord(s) && !isPairDecision(s));
    assert.deepEqual(toLogRecord(JSON.parse(JSON.stringify(s))), s);
    const w = makeRewrite({ pair: PAIR, base: B, text: 'a better answer', annotator: 'ana', ms: 10 }, 2000);
    assert.equal(w.hash, hashText('a better answer'));
    assert.ok(isRewriteRecord(w) && !isPairDecision(w) && !isScoresRecord(w));
    assert.deepEqual(toLogRecord(JSON.parse(JSON.stringify(w))), w);
    assert.equal(READER_VERSION, 3);
    const d = makeDecision({ pair: { id: PAIR, a: { hash: A }, b: { hash: B } } as never, leftIsA: true, choice: 'left', annotator: 'ana', ms: 5 });
    assert.ok(isPairDecision(d) && !isScoresRecord(d) && !isRewriteRecord(d));
  });

  it('refuses scores and rewrites that do not fit their pair', () => {
    const base = { v: 3, id: 'x1', annotator: 'ana', ts: '2026-12-05T10:00:00.000Z' };
    const scores = (s: unknown, extra: object = {}) => toLogRecord({ ...base, kind: 'scores', pair: PAIR, rubric: 'r', scores: s, ...extra });
    assert.match(scores({ [A]: { a: 1 } }) as string, /exactly the two responses/);
    assert.match(scores({ [A]: { a: 1 }, deadbeefdeadbeef: { a: 1 } }) as string, /exactly the two responses/);
    assert.match(scores({ [A]: { a: 1 }, [B]: { b: 1 } }) as string, /same criteria/);
    assert.match(scores({ [A]: { a: 1.5 }, [B]: { a: 1 } }) as string, /whole number/);
    assert.match(scores({ [A]: { a: 11 }, [B]: { a: 1 } }) as string, /whole number/);
    assert.match(scores({ [A]: { 'Bad key': 1 }, [B]: { 'Bad key': 1 } }) as string, /not a criterion id/);
    assert.match(scores({ [A]: {}, [B]: {} }) as string, /must not be empty/);
    assert.match(scores({ [A]: { a: 1 }, [B]: { a: 1 } }, { rubric: '' }) as string, /missing "rubric"/);
    assert.match(scores({ [A]: { a: 1 }, [B]: { a: 1 } }, { pair: 'nope' }) as string, /not a pair id/);
    const rewrite = (extra: object) => toLogRecord({ ...base, kind: 'rewrite', pair: PAIR, base: A, text: 'x', ...extra });
    assert.match(rewrite({ base: 'deadbeefdeadbeef' }) as string, /"base" must be one of the two responses/);
    assert.match(rewrite({ text: '  \n' }) as string, /"text" must be the rewritten answer/);
    assert.match(rewrite({ text: 'x'.repeat(200_001) }) as string, /longer than/);
    assert.equal((rewrite({ hash: 'forged' }) as { hash: string }).hash, hashText('x'), 'the hash is recomputed');
    assert.match(toLogRecord({ ...base, kind: 'label-studio', pair: PAIR }) as string, /unknown line kind/);
    assert.match(toLogRecord({ ...base, v: 4, kind: 'scores' }) as string, /newer than this reader \(3\)/);
    assert.throws(() => makeRewrite({ pair: PAIR, base: A, text: '', annotator: 'a', ms: 0 }), /rewritten answer/);
    assert.throws(() => makeScores({ pair: PAIR, rubric: 'r', scores: { [A]: { a: 1 } }, annotator: 'a', ms: 0 }), /two responses/);
  });

  it('keeps the latest scores and rewrite per pair and annotator; undo and redo through the log', async () => {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pw-scores-'));
    const file = path.join(dir, 'x.labels.jsonl');
    const log = await DecisionLog.open(file);
    const s1 = makeScores({ pair: PAIR, rubric: 'r', scores: { [A]: { h: 1 }, [B]: { h: 2 } }, annotator: 'ana', ms: 1 }, 1000);
    const s2 = makeScores({ pair: PAIR, rubric: 'r', scores: { [A]: { h: 5 }, [B]: { h: 2 } }, annotator: 'ana', ms: 1 }, 2000);
    const sBo = makeScores({ pair: PAIR, rubric: 'r', scores: { [A]: { h: 3 }, [B]: { h: 3 } }, annotator: 'bo', ms: 1 }, 1500);
    const w1 = makeRewrite({ pair: PAIR, base: A, text: 'first rewrite', annotator: 'ana', ms: 1 }, 1000);
    for (const r of [s1, s2, sBo, w1]) await log.append(r);
    await log.retract(s2.id, 'ana', 3000);
    await log.retract(w1.id, 'ana', 3000);
    await log.close();
    const read = await readLabelLog(file);
    assert.deepEqual(read.problems, []);
    const { store } = await loadLabelLogs([file]);
    assert.equal(store.currentScores(PAIR, 'ana')?.id, s1.id, 'undoing the change brings back the scores before it');
    assert.equal(store.currentScores(PAIR, 'bo')?.id, sBo.id);
    assert.deepEqual([...store.currentScoresAll()].map((r) => r.id).sort(), [s1.id, sBo.id].sort());
    assert.equal(store.currentRewrite(PAIR, 'ana'), undefined, 'the rewrite was undone');
    assert.deepEqual([...store.currentRewrites()], []);
    assert.deepEqual(store.annotators(), ['ana', 'bo']);
    assert.equal(store.scoresOrRewrite(w1.id)?.id, w1.id);

    const log2 = await DecisionLog.open(file);
    const again = await log2.redo(w1, 4000);
    await log2.close();
    const { store: store2 } = await loadLabelLogs([file]);
    assert.equal(store2.currentRewrite(PAIR, 'ana')?.id, again.id);
    assert.equal(again.redo, w1.id);
    const store3 = new LabelStore();
    for (const r of read.records) store3.add(r);
    for (const r of read.records) store3.add(r);
    assert.equal([...store3.currentScoresAll()].length, 2, 'a log read twice counts once');
  });
});
