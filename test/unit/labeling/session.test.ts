import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CandidatesPairQueue } from '../../../src/core/labeling/candidatesQueue';
import { readLabelLog, loadLabelLogs } from '../../../src/core/labeling/decisionLog';
import { isRetraction, type DecisionRecord } from '../../../src/core/labeling/decisionRecord';
import { promptHash, responseHash } from '../../../src/core/labeling/hashing';
import { makePair, type LabelPair } from '../../../src/core/labeling/pair';
import { ArrayPairQueue } from '../../../src/core/labeling/pairQueue';
import { LabelingSession, nextUndecided } from '../../../src/core/labeling/session';
import { estimateTokens, progressOf } from '../../../src/core/labeling/sessionState';
import { leftIsA } from '../../../src/core/labeling/sides';
import { openFileHandles } from '../../support/openHandles';

const fixtures = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'labeling');

function pairs(n: number): LabelPair[] {
  return Array.from({ length: n }, (_, k) => {
    const prompt = [{ role: 'user' as const, content: `question ${k}` }];
    return makePair(prompt, promptHash(prompt), { hash: responseHash(`alpha ${k}`), content: `alpha ${k}`, model: 'mA' }, { hash: responseHash(`beta answer ${k}`), content: `beta answer ${k}`, model: 'mB' });
  });
}

function clock(start = 1_000_000) {
  let t = start;
  const f = () => t;
  f.advance = (ms: number) => {
    t += ms;
  };
  return f;
}

describe('labeling: position randomisation', () => {
  it('is seeded by session seed and pair id: stable, about half each way, differs between seeds', () => {
    const ids = pairs(1000).map((p) => p.id);
    const left = ids.map((id) => leftIsA(id, 'seed-1'));
    assert.deepEqual(ids.map((id) => leftIsA(id, 'seed-1')), left);
    const count = left.filter(Boolean).length;
    assert.ok(count > 430 && count < 570, `${count} of 1000 with a on the left`);
    const other = ids.map((id) => leftIsA(id, 'seed-2'));
    const same = other.filter((v, i) => v === left[i]).length;
    assert.ok(same > 430 && same < 570, `${same} of 1000 agree across seeds`);
  });
});

describe('labeling: session', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pw-session-'));
  });
  afterEach(async () => {
    await fsp.rm(dir, { recursive: true, force: true });
  });

  it('shows a pair with seeded sides and no model names; a reload shows the same sides', async () => {
    const ps = pairs(5);
    const logPath = path.join(dir, 'a.labels.jsonl');
    const s1 = await LabelingSession.open({ queue: new ArrayPairQueue(ps), logPath, annotator: 'ann', seed: 'S' });
    const st = s1.state();
    assert.equal(st.pair?.index, 0);
    const aLeft = leftIsA(ps[0].id, 'S');
    assert.equal(st.pair?.left.content, aLeft ? ps[0].a.content : ps[0].b.content);
    assert.equal(st.pair?.right.content, aLeft ? ps[0].b.content : ps[0].a.content);
    const json = JSON.stringify(st);
    assert.ok(!json.includes('mA') && !json.includes('mB'), 'model names never reach the webview');
    assert.ok(!json.includes(ps[0].a.hash) && !json.includes(ps[0].b.hash), 'response hashes never reach the webview');
    assert.deepEqual(JSON.parse(json), st, 'state is plain serializable data');
    await s1.close();
    const s2 = await LabelingSession.open({ queue: new ArrayPairQueue(ps), logPath, annotator: 'ann', seed: 'S' });
    assert.deepEqual(s2.state().pair, st.pair);
    await s2.close();
  });

  it('reports lengths and a token estimate per side', async () => {
    const s = await LabelingSession.open({ queue: new ArrayPairQueue(pairs(1)), logPath: path.join(dir, 'x.jsonl'), annotator: 'ann', seed: 'S', diff: true });
    const p = s.state().pair!;
    const beta = p.left.content.startsWith('beta') ? p.left : p.right;
    assert.deepEqual([beta.chars, beta.words, beta.tokens], [13, 3, 4]);
    assert.equal(estimateTokens('日本語のテキスト'), 8);
    assert.ok(p.diff && p.diff.some((d) => d.op === 'equal' && d.text.includes('0')));
    await s.close();
  });

  it('decides durably, records the sides shown, moves on; undo retracts, redo re-appends', async () => {
    const ps = pairs(4);
    const logPath = path.join(dir, 'a.labels.jsonl');
    const c = clock();
    const s = await LabelingSession.open({ queue: new ArrayPairQueue(ps), logPath, annotator: 'ann', seed: 'S', clock: c });
    c.advance(4000);
    let st = await s.decide('left', { strength: 'clearly', rationale: 'more precise' });
    assert.equal(st.pair?.index, 1);
    assert.equal(st.canUndo, true);
    const stale = s.state().pair!.key;
    await s.jump(0);
    await assert.rejects(s.decide('right', { key: stale }), /changed/);
    await s.jump(1);
    // On disk already, with the hashes of what was on each side.
    const lines = (await fsp.readFile(logPath, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as DecisionRecord);
    assert.equal(lines.length, 1);
    const d = lines[0];
    const aLeft = leftIsA(ps[0].id, 'S');
    assert.equal(d.left, aLeft ? ps[0].a.hash : ps[0].b.hash);
    assert.equal(d.leftModel, aLeft ? ps[0].a.model : ps[0].b.model);
    assert.deepEqual([d.pair, d.choice, d.strength, d.rationale, d.annotator, d.ms], [ps[0].id, 'left', 'clearly', 'more precise', 'ann', 4000]);
    c.advance(1000);
    st = await s.decide('skip');
    assert.equal(st.pair?.index, 2);
    assert.equal(st.progress.done, 1);
    assert.equal(st.progress.skipped, 1);

    st = await s.undo();
    assert.equal(st.pair?.index, 1, 'undo shows the undone pair again');
    assert.equal(st.pair?.decision, undefined);
    assert.equal(st.canRedo, true);
    st = await s.undo();
    assert.equal(st.pair?.index, 0);
    assert.equal(st.pair?.decision, undefined);
    assert.equal(st.canUndo, false);
    st = await s.redo();
    assert.equal(st.pair?.index, 1);
    st = await s.jump(0);
    assert.deepEqual(st.pair?.decision, { choice: 'left', strength: 'clearly', rationale: 'more precise' });
    assert.equal(st.progress.done, 1);
    await s.close();

    const { records, problems } = await readLabelLog(logPath);
    assert.deepEqual(problems, []);
    assert.deepEqual(records.map((r) => (isRetraction(r) ? 'retract' : (r as DecisionRecord).choice)), ['left', 'skip', 'retract', 'retract', 'left']);
    const { store } = await loadLabelLogs([logPath]);
    assert.equal(store.current(ps[0].id, 'ann')?.redo, d.id);
    assert.equal(store.current(ps[1].id, 'ann'), undefined);
  });

  it('a new decision clears the redo stack', async () => {
    const s = await LabelingSession.open({ queue: new ArrayPairQueue(pairs(3)), logPath: path.join(dir, 'r.jsonl'), annotator: 'ann' });
    await s.decide('left');
    await s.undo();
    assert.equal(s.state().canRedo, true);
    await s.decide('right');
    assert.equal(s.state().canRedo, false);
    await s.close();
  });

  it('resumes at the next undecided pair, over a candidates file, from the log alone', async () => {
    const logPath = path.join(dir, 'c.labels.jsonl');
    const file = path.join(fixtures, 'small.candidates.jsonl');
    const q1 = await CandidatesPairQueue.open(file);
    const s1 = await LabelingSession.open({ queue: q1, logPath, annotator: 'ann' });
    for (let i = 0; i < 3; i++) await s1.decide('right');
    await s1.decide('tie');
    await s1.close();
    await q1.close();
    // Reordered copy of the same data: resume is by content, not by line.
    const q2 = await CandidatesPairQueue.open(path.join(fixtures, 'reordered.candidates.jsonl'));
    const { store } = await loadLabelLogs([logPath]);
    const next = await nextUndecided(q2, store, 'ann');
    const s2 = await LabelingSession.open({ queue: q2, logPath, annotator: 'ann' });
    assert.equal(s2.state().pair?.index, next);
    const decided = new Set(store.currentFor('ann').keys());
    assert.equal(decided.size, 4);
    assert.ok(!decided.has(s2.current!.pair.id));
    // The reordered file starts with q4 (6 pairs, none decided): index 0.
    assert.equal(next, 0);
    // Walk the whole queue: exactly 13 - 4 undecided pairs are shown before the session is done.
    let shown = 0;
    while (s2.state().pair) {
      shown++;
      await s2.decide('left');
    }
    assert.equal(shown, 9);
    assert.equal(s2.state().progress.done, 13);
    assert.equal(s2.state().progress.total, 13);
    await s2.close();
    await q2.close();
  });

  it('filters: skipped pairs, disagreements with another annotator', async () => {
    const ps = pairs(5);
    const bobLog = path.join(dir, 'bob.jsonl');
    const bob = await LabelingSession.open({ queue: new ArrayPairQueue(ps), logPath: bobLog, annotator: 'bob', seed: 'bob' });
    // bob prefers alpha everywhere (whatever side it is on)
    for (let k = 0; k < 5; k++) {
      const left = bob.state().pair!.left.content;
      await bob.decide(left.startsWith('alpha') ? 'left' : 'right');
    }
    await bob.close();
    const annLog = path.join(dir, 'ann.jsonl');
    const ann = await LabelingSession.open({ queue: new ArrayPairQueue(ps), logPath: annLog, annotator: 'ann', seed: 'ann', otherLogs: [bobLog] });
    // ann: pair 0 alpha, pair 1 beta (disagrees), pair 2 skip, pair 3 tie (disagrees), pair 4 skip
    const pick = async (want: 'alpha' | 'beta') => ann.decide(ann.state().pair!.left.content.startsWith(want) ? 'left' : 'right');
    await pick('alpha');
    await pick('beta');
    await ann.decide('skip');
    await ann.decide('tie');
    await ann.decide('skip');
    assert.equal(ann.state().pair, undefined, 'all labeled');
    let st = await ann.setFilter('skipped');
    assert.equal(st.pair?.index, 2);
    st = await ann.next();
    assert.equal(st.pair?.index, 4);
    st = await ann.decide('left');
    assert.equal(st.pair?.index, 2, 'wraps to the remaining skipped pair');
    st = await ann.setFilter('disagreements');
    assert.equal(st.pair?.index, 1);
    st = await ann.next();
    assert.equal(st.pair?.index, 3);
    st = await ann.previous();
    assert.equal(st.pair?.index, 1);
    st = await ann.setFilter('all');
    assert.equal(st.pair?.index, 0);
    await assert.rejects(ann.jump(99), /no pair at index 99/);
    await ann.close();
  });

  it('an input that fails while the session opens fails the open, with the label log closed', async () => {
    // The queue over a candidates file rethrows its read error from findNext; here one that always does.
    class FailingQueue extends ArrayPairQueue {
      override findNext(): Promise<number> {
        return Promise.reject(new Error('EIO: the input could not be read'));
      }
    }
    const logPath = path.join(dir, 'failing.labels.jsonl');
    const before = await openFileHandles();
    await assert.rejects(LabelingSession.open({ queue: new FailingQueue(pairs(2)), logPath, annotator: 'ann', seed: 'S' }), /EIO/);
    assert.deepEqual(await openFileHandles(), before, 'the label log is closed');
  });

  it('progress: rate over recent decisions and ETA for the rest', () => {
    // 3 decisions 10 s apart → 2 intervals in 20 s → 360 per hour; 100 - 40 = 60 left → 600 s.
    const p = progressOf(40, 2, 100, true, [0, 10_000, 20_000]);
    assert.equal(p.ratePerHour, 360);
    assert.equal(p.etaSeconds, 600);
    assert.equal(progressOf(0, 0, 10, false, [5]).etaSeconds, undefined);
    // Window: only the last 3 count (an early pause of 1 h is forgotten).
    assert.equal(progressOf(0, 0, 10, true, [0, 3_600_000, 3_610_000, 3_620_000], 3).ratePerHour, 360);
  });
});
