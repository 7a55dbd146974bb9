import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DecisionLog, loadLabelLogs, makeDecision, readLabelLog } from '../../../src/core/labeling/decisionLog';
import { sideFreeChoice, toLogRecord, type DecisionRecord } from '../../../src/core/labeling/decisionRecord';
import { LabelStore } from '../../../src/core/labeling/labelStore';
import { makePair, type Choice } from '../../../src/core/labeling/pair';
import { promptHash, responseHash } from '../../../src/core/labeling/hashing';

const prompt = [{ role: 'user' as const, content: 'Q' }];
const pair = makePair(prompt, promptHash(prompt), { hash: responseHash('good'), content: 'good', model: 'g' }, { hash: responseHash('bad'), content: 'bad', model: 'b' });

function decision(choice: Choice, at: number, annotator = 'ann', leftIsA = true): DecisionRecord {
  return makeDecision({ pair, leftIsA, choice, annotator, ms: 1200 }, at);
}

describe('labeling: decision records', () => {
  it('hold the DESIGN.md shape plus v, id, models and strength', () => {
    const d = makeDecision({ pair, leftIsA: false, choice: 'right', strength: 'clearly', rationale: 'why', annotator: 'ann', ms: 1234.4 }, Date.UTC(2026, 0, 2, 3, 4, 5, 6));
    assert.equal(d.v, 1);
    assert.equal(d.pair, pair.id);
    assert.equal(d.left, pair.b.hash);
    assert.equal(d.right, pair.a.hash);
    assert.equal(d.leftModel, pair.b.model);
    assert.equal(d.rightModel, pair.a.model);
    assert.equal(d.ts, '2026-01-02T03:04:05.006Z');
    assert.equal(d.ms, 1234);
    assert.equal(d.strength, 'clearly');
    assert.equal(d.rationale, 'why');
    assert.match(d.id, /^[0-9a-z]{13}[0-9a-f]{8}$/);
    assert.deepEqual(toLogRecord(JSON.parse(JSON.stringify(d))), d);
    // Strength only qualifies a preference.
    assert.equal(makeDecision({ pair, leftIsA: true, choice: 'tie', strength: 'clearly', annotator: 'a', ms: 0 }).strength, undefined);
  });

  it('reads side-free: the same response preferred from either side is the same choice', () => {
    const aIsGood = pair.a.content === 'good';
    const leftA = decision('left', 1, 'x', true); // prefers a
    const rightA = decision('right', 2, 'y', false); // a shown right, prefers a
    assert.equal(sideFreeChoice(leftA), 'a');
    assert.equal(sideFreeChoice(rightA), 'a');
    assert.equal(sideFreeChoice(decision('left', 3, 'z', false)), 'b');
    assert.equal(sideFreeChoice(decision('tie', 3)), 'tie');
    assert.ok(typeof aIsGood === 'boolean');
  });

  it('rejects lines that are not decisions, naming the reason', () => {
    const d = decision('left', 5);
    assert.match(String(toLogRecord({ ...d, choice: 'maybe' })), /choice/);
    assert.match(String(toLogRecord({ ...d, left: 'ffff' })), /two responses/);
    assert.match(String(toLogRecord({ ...d, ts: 'yesterday' })), /ts/);
    assert.match(String(toLogRecord({ ...d, v: 99 })), /newer/);
    assert.match(String(toLogRecord({ ...d, strength: 'very' })), /strength/);
    assert.match(String(toLogRecord('x')), /object/);
  });
});

describe('labeling: LabelStore', () => {
  it('latest non-retracted decision wins; undoing a change restores the earlier label', () => {
    const s = new LabelStore();
    const d1 = decision('left', 1000);
    const d2 = decision('right', 2000);
    // Line order must not matter: add the later one first.
    s.add(d2);
    s.add(d1);
    assert.equal(s.current(pair.id, 'ann')?.id, d2.id);
    s.add({ v: 1, id: 'r1', retract: d2.id, annotator: 'ann', ts: new Date(3000).toISOString() });
    assert.equal(s.current(pair.id, 'ann')?.id, d1.id);
    s.add({ v: 1, id: 'r2', retract: d1.id, annotator: 'ann', ts: new Date(4000).toISOString() });
    assert.equal(s.current(pair.id, 'ann'), undefined);
    assert.deepEqual([...s.pairs()], []);
    const redo: DecisionRecord = { ...d2, id: 'zzzz', ts: new Date(5000).toISOString(), redo: d2.id };
    s.add(redo);
    assert.equal(s.current(pair.id, 'ann')?.id, 'zzzz');
    assert.deepEqual([...s.pairs()], [pair.id]);
    s.add(decision('tie', 6000, 'other'));
    assert.deepEqual(s.annotators(), ['ann', 'other']);
    assert.deepEqual([...s.decisionsFor(pair.id).keys()].sort(), ['ann', 'other']);
  });
});

describe('labeling: label log files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pw-labels-'));
  });
  afterEach(async () => {
    await fsp.rm(dir, { recursive: true, force: true });
  });

  it('appends, retracts and redoes; reading gives the current decision', async () => {
    const p = path.join(dir, 'a.labels.jsonl');
    const log = await DecisionLog.open(p);
    const d = decision('left', 1000);
    await log.append(d);
    const r = await log.retract(d.id, 'ann', 2000);
    const again = await log.redo(d, 3000);
    await log.close();
    const text = await fsp.readFile(p, 'utf8');
    assert.equal(text.split('\n').length, 4);
    assert.deepEqual(JSON.parse(text.split('\n')[1]), r);
    assert.equal(again.redo, d.id);
    assert.notEqual(again.id, d.id);
    const { records, problems } = await readLabelLog(p);
    assert.equal(records.length, 3);
    assert.deepEqual(problems, []);
    const { store } = await loadLabelLogs([p, path.join(dir, 'missing.jsonl')]);
    assert.equal(store.current(pair.id, 'ann')?.id, again.id);
  });

  it('sets aside a torn last line with its line number and keeps every earlier decision', async () => {
    const p = path.join(dir, 't.labels.jsonl');
    const d1 = decision('left', 1);
    const d2 = decision('right', 2);
    await fsp.writeFile(p, JSON.stringify(d1) + '\n' + JSON.stringify(d2) + '\n' + JSON.stringify(decision('tie', 3)).slice(0, 40));
    const res = await readLabelLog(p);
    assert.deepEqual(res.records.map((r) => r.id), [d1.id, d2.id]);
    assert.equal(res.problems.length, 1);
    assert.equal(res.problems[0].kind, 'torn');
    assert.equal(res.problems[0].line, 3);
    assert.match(res.problems[0].message, /torn/);
    // The next session appends after it; the torn text stays on its own line (now an invalid line).
    const log = await DecisionLog.open(p);
    const d4 = decision('left', 4);
    await log.append(d4);
    await log.close();
    const res2 = await readLabelLog(p);
    assert.deepEqual(res2.records.map((r) => r.id), [d1.id, d2.id, d4.id]);
    assert.deepEqual(res2.problems.map((x) => [x.line, x.kind]), [[3, 'invalid']]);
  });

  it('reports garbage lines and wrong shapes, skips them, keeps the rest', async () => {
    const p = path.join(dir, 'g.labels.jsonl');
    const d1 = decision('left', 1);
    const d2 = decision('both_bad', 2);
    await fsp.writeFile(p, ['garbage', JSON.stringify(d1), '', '{"pair":"x"}', '\u0000\u0001\u0002', JSON.stringify(d2), ''].join('\n'));
    const res = await readLabelLog(p);
    assert.deepEqual(res.records.map((r) => r.id), [d1.id, d2.id]);
    assert.deepEqual(res.problems.map((x) => [x.line, x.kind]), [
      [1, 'invalid'],
      [4, 'invalid'],
      [5, 'invalid'],
    ]);
    assert.match(res.problems[1].message, /id/);
  });

  it('merges logs of several annotators whatever their order', async () => {
    const pa = path.join(dir, 'a.jsonl');
    const pb = path.join(dir, 'b.jsonl');
    await fsp.writeFile(pa, JSON.stringify(decision('left', 1, 'ann')) + '\n');
    await fsp.writeFile(pb, JSON.stringify(decision('right', 2, 'bob', false)) + '\n');
    const one = (await loadLabelLogs([pa, pb])).store;
    const two = (await loadLabelLogs([pb, pa])).store;
    for (const s of [one, two]) {
      const ds = s.decisionsFor(pair.id);
      assert.equal(sideFreeChoice(ds.get('ann')!), 'a');
      assert.equal(sideFreeChoice(ds.get('bob')!), 'a');
    }
  });
});
