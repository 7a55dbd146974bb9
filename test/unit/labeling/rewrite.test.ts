/**
 * Rewrite: the session side (a save appends a rewrite line and, on an undecided pair, the decision
 * "the rewritten answer is better"; refusals; one undo history with decisions; a draft brought back
 * after a reload) and the exports (rewrite vs original, optionally vs the other answer, in every
 * preference format; the rewrites as SFT records), each checked by the validator of `pairwise validate`.
 */
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CandidatesPairQueue } from '../../../src/core/labeling/candidatesQueue';
import { loadLabelLogs, makeDecision, readLabelLog } from '../../../src/core/labeling/decisionLog';
import { isRetraction } from '../../../src/core/labeling/decisionRecord';
import { exportPreferences, PREFERENCE_EXPORT_FORMATS } from '../../../src/core/labeling/exportPreferences';
import { responseHash } from '../../../src/core/labeling/hashing';
import { LabelStore } from '../../../src/core/labeling/labelStore';
import type { LabelPair } from '../../../src/core/labeling/pair';
import { exportRewritesSft, planRewriteExport, REWRITE_SFT_FORMATS } from '../../../src/core/labeling/rewriteExport';
import { makeRewrite } from '../../../src/core/labeling/rewriteRecord';
import { rewriteRefusal, RewriteSession } from '../../../src/core/labeling/rewriteSession';
import { LabelingSession } from '../../../src/core/labeling/session';
import { validateFile } from '../../../src/core/validate/pipeline';

const fixtures = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'labeling');
const input = path.join(fixtures, 'rewrite.candidates.jsonl');

function clock(start = 5_000_000) {
  let t = start;
  const f = () => (t += 1000);
  return f;
}

async function lines(file: string) {
  return (await readLabelLog(file)).records;
}

async function allPairs(): Promise<LabelPair[]> {
  const q = await CandidatesPairQueue.open(input);
  await q.whenComplete();
  const out: LabelPair[] = [];
  for (let i = 0; ; i++) {
    const p = await q.get(i);
    if (!p) break;
    out.push(p);
  }
  await q.close();
  return out;
}

describe('labeling: rewrite in a session', () => {
  let dir: string;
  let log: string;
  let queue: CandidatesPairQueue;
  let s: LabelingSession;
  let rw: RewriteSession;
  const key = () => s.state().pair!.key;
  const shown = (side: 'left' | 'right') => s.state().pair![side].content;

  beforeEach(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pw-rewrite-'));
    log = path.join(dir, 'ann.labels.jsonl');
    queue = await CandidatesPairQueue.open(input);
    await queue.whenComplete();
    const c = clock();
    s = await LabelingSession.open({ queue, logPath: log, annotator: 'ann', clock: c });
    rw = await RewriteSession.open(log, 'ann', c);
  });
  afterEach(async () => {
    await rw.close();
    await s.close();
    await queue.close();
    await fsp.rm(dir, { recursive: true, force: true });
  });

  it('a save on an undecided pair appends the rewrite, then the decision for the rewritten answer, and moves on', async () => {
    const cur = s.current!;
    const left = cur.leftIsA ? cur.pair.a : cur.pair.b;
    rw.start(s, key(), undefined);
    let ed = rw.editor(s)!;
    assert.equal(ed.side, 'left', 'no decision, no earlier rewrite, nothing focused: the left answer');
    assert.equal(ed.original, left.content);
    assert.equal(ed.text, left.content);
    assert.deepEqual(ed.diff, [{ op: 'equal', text: left.content }]);
    const typed = `${left.content} Hidden files are also listed by \`ls -A\`, without . and ..\n\n`;
    rw.setText(ed.key, 'left', typed);
    ed = rw.editor(s)!;
    assert.ok(ed.diff.some((d) => d.op === 'insert' && d.text.includes('ls -A')), JSON.stringify(ed.diff));
    assert.deepEqual(rw.resume(), { key: ed.key, side: 'left', text: typed });

    const { decided } = await rw.save(s, ed.key, 'left', typed, { strength: 'clearly', rationale: 'fixed' });
    assert.equal(decided, true);
    const recs = await lines(log);
    assert.equal(recs.length, 2, 'the rewrite and the decision are on disk when save resolves');
    const [r, d] = recs as unknown as [Record<string, unknown>, Record<string, unknown>];
    assert.equal(r.kind, 'rewrite');
    assert.equal(r.pair, cur.pair.id);
    assert.equal(r.base, left.hash);
    assert.equal(r.text, typed.trimEnd(), 'trailing whitespace is not part of the answer');
    assert.equal(r.hash, responseHash(typed.trimEnd()));
    assert.equal(r.annotator, 'ann');
    assert.equal(d.choice, 'left');
    assert.equal(d.left, left.hash);
    assert.equal(d.strength, 'clearly');
    assert.equal(d.rationale, 'fixed');
    assert.equal(s.current!.index, 1, 'the next pair is on screen');
    assert.equal(rw.editor(s), undefined);
    assert.equal(rw.resume(), undefined);
  });

  it('refuses an empty or unchanged rewrite with a clear message, and writes nothing', async () => {
    rw.start(s, key(), 'right');
    const original = shown('right');
    await assert.rejects(rw.save(s, key(), 'right', '  \n\t'), /empty rewrite is not saved/);
    await assert.rejects(rw.save(s, key(), 'right', `${original}\n  \n`), /same as the original answer/);
    await assert.rejects(rw.save(s, 'another-key', 'right', 'Better.'), /pair on screen changed/);
    assert.equal(rewriteRefusal('a', 'b'), undefined);
    assert.equal((await lines(log)).length, 0);
    assert.ok(rw.editor(s), 'the draft stays open after a refusal');
  });

  it('a save on a decided pair keeps the decision (both bad stays both bad) and the pair on screen', async () => {
    await s.decide('both_bad');
    await s.jump(0);
    const pairId = s.current!.pair.id;
    rw.start(s, key(), 'right');
    await rw.save(s, key(), 'right', 'Use `ls -a` (or `ls -A` to leave out `.` and `..`).');
    const { store } = await loadLabelLogs([log]);
    assert.equal(store.current(pairId, 'ann')!.choice, 'both_bad');
    assert.equal(store.currentRewrite(pairId, 'ann')!.text, 'Use `ls -a` (or `ls -A` to leave out `.` and `..`).');
    assert.equal(s.current!.index, 0);
    assert.equal(rw.saved(s)!.side, 'right');
    // Opening the editor again starts from the saved rewrite, diffed against the original.
    rw.start(s, key(), undefined);
    const ed = rw.editor(s)!;
    assert.equal(ed.side, 'right');
    assert.equal(ed.fromSaved, true);
    assert.equal(ed.start, 'Use `ls -a` (or `ls -A` to leave out `.` and `..`).');
    assert.equal(ed.original, shown('right'));
    await assert.rejects(rw.save(s, key(), 'right', ed.start), /already saved/);
  });

  it('opens the better answer by the decision when no side is given', async () => {
    await s.decide('right');
    await s.jump(0);
    rw.start(s, key(), undefined);
    assert.equal(rw.editor(s)!.side, 'right');
    assert.equal(rw.editor(s)!.original, shown('right'));
  });

  it('undo and redo: one history of decisions and rewrites; undoing a save retracts the decision it made', async () => {
    await s.decide('left');
    rw.noteDecision();
    const second = s.current!;
    rw.start(s, key(), 'right');
    await rw.save(s, key(), 'right', 'A clearly better answer.');
    assert.equal(s.current!.index, 2);
    assert.equal(rw.canUndo, true);

    await rw.undo(s); // the save: its rewrite and its decision
    let { store } = await loadLabelLogs([log]);
    assert.equal(store.currentRewrite(second.pair.id, 'ann'), undefined);
    assert.equal(store.current(second.pair.id, 'ann'), undefined);
    assert.equal(s.current!.index, 1, 'the pair of the undone save is on screen');
    assert.equal((await lines(log)).filter(isRetraction).length, 2);

    await rw.undo(s); // the first decision
    ({ store } = await loadLabelLogs([log]));
    assert.equal(store.currentFor('ann').size, 0);
    assert.equal(rw.canUndo, false);

    await rw.redo(s);
    await rw.redo(s);
    ({ store } = await loadLabelLogs([log]));
    assert.equal(store.currentFor('ann').size, 2);
    const back = store.currentRewrite(second.pair.id, 'ann')!;
    assert.equal(back.text, 'A clearly better answer.');
    assert.ok(back.redo, 'a redo appends a fresh copy naming the undone line');
    assert.equal(rw.canRedo, false);
  });

  it('a draft comes back after a reload (from the webview state) only on its own pair', async () => {
    rw.start(s, key(), 'left');
    rw.setText(key(), 'left', 'Half-typed improvement');
    const saved = rw.resume()!;
    await rw.close();
    rw = await RewriteSession.open(log, 'ann');
    assert.equal(rw.editor(s), undefined);
    rw.restore(s, { ...saved, key: 'not-this-pair' });
    assert.equal(rw.editor(s), undefined);
    rw.restore(s, { ...saved, side: 'middle' } as never);
    assert.equal(rw.editor(s), undefined);
    rw.restore(s, saved);
    assert.equal(rw.editor(s)!.text, 'Half-typed improvement');
    assert.equal(rw.editor(s)!.original, shown('left'));
    // Another pair on screen: the draft belonged to the first.
    await s.next();
    assert.equal(rw.editor(s), undefined);
  });
});

describe('labeling: rewrites in exports', () => {
  let dir: string;
  let queue: CandidatesPairQueue;
  let store: LabelStore;
  let pairs: LabelPair[];
  const byPrompt = (text: string) => pairs.find((p) => p.prompt.some((m) => m.content.includes(text)))!;
  const answer = (p: LabelPair, model: string) => (p.a.model === model ? p.a : p.b);
  const REWRITES = {
    hidden: 'Use `ls -a`: it lists every file, including those whose names start with a dot.',
    boiling: 'About **100 °C** (212 °F) at sea level.',
    reverse: '```python\ns[::-1]\n```\n\n`reversed(s)` gives an iterator, not a string.',
    planet: 'Jupiter.',
    km: '5 km is about **3.11 miles**.',
    tomato: 'Botanically, yes: it is a fruit. In cooking it is used as a vegetable.',
    haiku: 'Rain taps on the roof\nsoft drums in the quiet night\ngutters hum along',
    http: 'Not Found: the server has nothing at that URL (the link may be broken or the page moved).',
  };

  before(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pw-rewrite-export-'));
    pairs = await allPairs();
    queue = await CandidatesPairQueue.open(input);
    await queue.whenComplete();
    store = new LabelStore();
    let t = 1_000_000;
    const decide = (p: LabelPair, winner: 'alpha' | 'beta' | 'both_bad', annotator = 'ann') => {
      const choice = winner === 'both_bad' ? 'both_bad' : p.a.model === winner ? 'left' : 'right';
      store.add(makeDecision({ pair: p, leftIsA: true, choice, annotator, ms: 5 }, (t += 1000)));
    };
    const rewrite = (p: LabelPair, model: string, text: string, annotator = 'ann') => store.add(makeRewrite({ pair: p.id, base: answer(p, model).hash, text, annotator, ms: 9 }, (t += 1000)));
    // ann prefers alpha and improves it: the rewrite also beats beta.
    decide(byPrompt('hidden files'), 'alpha');
    rewrite(byPrompt('hidden files'), 'alpha', REWRITES.hidden);
    // ann prefers beta but rewrites alpha: nothing is implied about the rewrite against beta.
    decide(byPrompt('boiling'), 'beta');
    rewrite(byPrompt('boiling'), 'alpha', REWRITES.boiling);
    // Both bad; ann fixes beta: the fix beats alpha too.
    decide(byPrompt('reverses a string'), 'both_bad');
    rewrite(byPrompt('reverses a string'), 'beta', REWRITES.reverse);
    // bob rewrites without deciding.
    rewrite(byPrompt('largest planet'), 'beta', REWRITES.planet, 'bob');
    // Rewrites without a decision, enough for OpenAI's ten-example minimum.
    rewrite(byPrompt('5 km'), 'beta', REWRITES.km);
    rewrite(byPrompt('tomato'), 'beta', REWRITES.tomato);
    rewrite(byPrompt('haiku'), 'alpha', REWRITES.haiku);
    rewrite(byPrompt('HTTP 404'), 'alpha', REWRITES.http);
  });
  after(async () => {
    await queue.close();
    await fsp.rm(dir, { recursive: true, force: true });
  });

  it('plans rewrite vs original for each rewrite, and vs the other answer only where the annotator did not prefer it', () => {
    const plan = planRewriteExport(store, 'with-other');
    assert.deepEqual({ ...plan.summary }, { mode: 'with-other', rewrites: 8, vsOriginal: 0, vsOther: 0, otherNotImplied: 6, notInInput: 0, unsupported: 0 });
    const against = [...plan.byPair.values()].flat().map((p) => `${p.rewrite.text.slice(0, 8)}:${p.against}`).filter((x) => x.endsWith(':other') || /^(Jupiter|About|Use|```)/.test(x)).sort();
    assert.deepEqual(against, ['Jupiter.:original', 'About **:original', 'Use `ls :original', 'Use `ls :other', '```pytho:original', '```pytho:other'].sort());
    assert.equal(planRewriteExport(store, 'none').byPair.size, 0);
    assert.equal(planRewriteExport(store, 'original', ['bob']).summary.rewrites, 1);
  });

  // 2 decided pairs (the both-bad one is left out) + 8 rewrites vs original (+ 2 vs the other answer).
  const expected = { original: 10, 'with-other': 12 } as const;
  for (const mode of ['original', 'with-other'] as const) {
    for (const format of PREFERENCE_EXPORT_FORMATS) {
      it(`${mode} → ${format}: passes pairwise validate`, async () => {
        const out = path.join(dir, `${mode}.${format}.jsonl`);
        const summary = await exportPreferences({ queue, logs: store, format, output: out, rewrites: mode });
        assert.equal(summary.pairs, 2);
        assert.equal(summary.rewrites.vsOriginal, 8);
        assert.equal(summary.rewrites.vsOther, mode === 'with-other' ? 2 : 0);
        assert.equal(summary.rewrites.notInInput, 0);
        const v = await validateFile(out, { format });
        const errors = v.problems.filter((p) => p.severity === 'error');
        assert.deepEqual(errors, [], JSON.stringify(errors.slice(0, 3)));
        assert.equal(v.records, summary.written);
        if (format !== 'trl-unpaired') assert.equal(summary.written, expected[mode]);
      });
    }
  }

  it('trl-preference: chosen is the rewrite, rejected the answer it rewrote (or the other answer)', async () => {
    const out = path.join(dir, 'std.jsonl');
    await exportPreferences({ queue, logs: store, format: 'trl-preference', formatOptions: { variant: 'standard' }, output: out, rewrites: 'with-other' });
    const rows = (await fsp.readFile(out, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { prompt: string; chosen: string; rejected: string });
    const rewriteRows = rows.filter((r) => (Object.values(REWRITES) as string[]).includes(r.chosen));
    const hidden = byPrompt('hidden files');
    assert.deepEqual(
      rewriteRows.filter((r) => r.chosen === REWRITES.hidden).map((r) => r.rejected).sort(),
      [answer(hidden, 'alpha').content, answer(hidden, 'beta').content].sort(),
    );
    assert.deepEqual(rewriteRows.filter((r) => r.chosen === REWRITES.boiling).map((r) => r.rejected), [answer(byPrompt('boiling'), 'alpha').content]);
    assert.equal(rewriteRows.length, 10);
    const none = path.join(dir, 'none.jsonl');
    const s = await exportPreferences({ queue, logs: store, format: 'trl-preference', output: none, rewrites: 'none' });
    assert.equal(s.written, 2);
  });

  it('KTO: the rewrite is desirable, the answer it replaced undesirable (net over decisions and rewrites)', async () => {
    const out = path.join(dir, 'kto.jsonl');
    await exportPreferences({ queue, logs: store, format: 'trl-unpaired', formatOptions: { variant: 'standard' }, output: out });
    const rows = (await fsp.readFile(out, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { completion: string; label: boolean });
    const label = (text: string) => rows.find((r) => r.completion === text)?.label;
    for (const t of Object.values(REWRITES)) assert.equal(label(t), true, t);
    // alpha of the boiling prompt lost to beta and to its rewrite.
    assert.equal(label(answer(byPrompt('boiling'), 'alpha').content), false);
    // alpha of the hidden-files prompt won over beta and lost to its rewrite: no net label.
    assert.equal(label(answer(byPrompt('hidden files'), 'alpha').content), undefined);
  });

  for (const format of REWRITE_SFT_FORMATS) {
    it(`the rewrites as SFT records → ${format}: passes pairwise validate`, async () => {
      const out = path.join(dir, `sft.${format}.jsonl`);
      const summary = await exportRewritesSft({ queue, logs: store, format, output: out });
      assert.equal(summary.written, 8);
      assert.equal(summary.rewrites, 8);
      const v = await validateFile(out, { format });
      const errors = v.problems.filter((p) => p.severity === 'error');
      assert.deepEqual(errors, [], JSON.stringify(errors.slice(0, 3)));
      assert.equal(v.records, 8);
      const text = await fsp.readFile(out, 'utf8');
      for (const r of Object.values(REWRITES)) assert.ok(text.includes(JSON.stringify(r).slice(1, -1)), `${format} holds ${r}`);
    });
  }

  it('SFT: the same rewrite by two annotators is written once; a rewrite of a pair not in the input is counted', async () => {
    const more = new LabelStore();
    for (const r of store.currentRewrites()) more.add(r);
    const planet = byPrompt('largest planet');
    more.add(makeRewrite({ pair: planet.id, base: answer(planet, 'beta').hash, text: REWRITES.planet, annotator: 'cy', ms: 1 }, 9_000_000));
    more.add(makeRewrite({ pair: `${'0'.repeat(16)}.${'1'.repeat(16)}.${'2'.repeat(16)}`, base: '1'.repeat(16), text: 'Elsewhere.', annotator: 'cy', ms: 1 }, 9_000_001));
    const out = path.join(dir, 'sft-dupes.json');
    const summary = await exportRewritesSft({ queue, logs: more, format: 'sharegpt', output: out, container: 'json' });
    assert.deepEqual([summary.written, summary.duplicates, summary.notInInput], [8, 1, 1]);
    assert.equal((JSON.parse(await fsp.readFile(out, 'utf8')) as unknown[]).length, 8);
    await assert.rejects(exportRewritesSft({ queue, logs: more, format: 'trl-preference' as never, output: path.join(dir, 'x.jsonl') }), /not an SFT format/);
  });
});
