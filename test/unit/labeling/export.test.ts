import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { validateFile } from '../../../src/core/validate/pipeline';
import { CandidatesPairQueue } from '../../../src/core/labeling/candidatesQueue';
import { makeDecision } from '../../../src/core/labeling/decisionLog';
import { datasetInfoEntry, exportPreferences, PREFERENCE_EXPORT_FORMATS, type ExportSummary } from '../../../src/core/labeling/exportPreferences';
import { LabelStore } from '../../../src/core/labeling/labelStore';
import type { Choice, LabelPair, Strength } from '../../../src/core/labeling/pair';
import type { PairQueue } from '../../../src/core/labeling/pairQueue';
import { makePair } from '../../../src/core/labeling/pair';
import { promptHash, responseHash } from '../../../src/core/labeling/hashing';
import { llamaFactoryFile, needsCorpus } from '../../support/corpus';

const fixtures = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'labeling');

async function pairsOf(q: PairQueue): Promise<LabelPair[]> {
  const n = await q.whenComplete();
  const out: LabelPair[] = [];
  for (let i = 0; i < n; i++) out.push((await q.get(i))!);
  return out;
}

/** Decides the pair holding `x` and `y` so that `winner` (a text, or a non-preference choice) comes out. */
function decideOn(store: LabelStore, pairs: LabelPair[], x: string, y: string, winner: string | Choice, annotator = 'ann', strength?: Strength) {
  const p = pairs.find((q) => new Set([q.a.content, q.b.content]).has(x) && new Set([q.a.content, q.b.content]).has(y));
  assert.ok(p, `pair ${x} / ${y}`);
  const leftIsA = annotator.length % 2 === 0; // sides differ between annotators
  const left = leftIsA ? p.a : p.b;
  const choice: Choice = winner === x || winner === y ? (left.content === winner ? 'left' : 'right') : (winner as Choice);
  store.add(makeDecision({ pair: p, leftIsA, choice, strength, annotator, ms: 10 }, 1000 + store.annotators().length));
}

function labeled(pairs: LabelPair[]): LabelStore {
  const s = new LabelStore();
  decideOn(s, pairs, '4', 'Four.', '4', 'ann', 'clearly');
  decideOn(s, pairs, '4', '22', '4');
  decideOn(s, pairs, 'Four.', '22', 'tie');
  decideOn(s, pairs, 'Paris', 'Lyon', 'Paris', 'ann', 'slightly');
  decideOn(s, pairs, 'Red', 'Blue', 'both_bad');
  decideOn(s, pairs, 'Red', 'Green', 'skip');
  decideOn(s, pairs, 'hi', 'hello', 'hello');
  // A decision on a pair of another input file.
  const prompt = [{ role: 'user' as const, content: 'elsewhere' }];
  const other = makePair(prompt, promptHash(prompt), { hash: responseHash('p'), content: 'p' }, { hash: responseHash('q'), content: 'q' });
  s.add(makeDecision({ pair: other, leftIsA: true, choice: 'left', annotator: 'ann', ms: 1 }));
  return s;
}

async function readJsonl(p: string): Promise<Record<string, unknown>[]> {
  return (await fsp.readFile(p, 'utf8'))
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
}

describe('labeling: export', () => {
  let dir: string;
  let queue: CandidatesPairQueue;
  let pairs: LabelPair[];
  before(async () => {
    queue = await CandidatesPairQueue.open(path.join(fixtures, 'small.candidates.jsonl'));
    pairs = await pairsOf(queue);
  });
  after(async () => {
    await queue.close();
  });
  beforeEach(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pw-export-'));
  });
  afterEach(async () => {
    await fsp.rm(dir, { recursive: true, force: true });
  });

  const expectSummary = (s: ExportSummary, written: number) => {
    assert.equal(s.pairs, 4);
    assert.equal(s.written, written);
    assert.deepEqual(s.excluded, { ties: 1, bothBad: 1, skipped: 1, conflicts: 0 });
    assert.equal(s.notInInput, 1);
    assert.equal(s.unrepresentable, 0);
  };

  for (const format of PREFERENCE_EXPORT_FORMATS) {
    it(`${format}: 4 pairs written, exclusions counted, the file passes validation with no errors`, async () => {
      const out = path.join(dir, `out.${format}.jsonl`);
      const summary = await exportPreferences({ queue, logs: labeled(pairs), format, output: out });
      expectSummary(summary, format === 'trl-unpaired' ? 7 : 4);
      const v = await validateFile(out, { format });
      // Four pairs are below OpenAI's 10-example minimum: that file-level error is the only one.
      const errors = v.problems.filter((p) => p.severity === 'error');
      assert.deepEqual(errors.map((p) => p.rule), format === 'openai-dpo' ? ['openai/too-few-examples'] : [], JSON.stringify(errors.slice(0, 3)));
      assert.equal(v.records, summary.written);
    });
  }

  it('trl-preference standard and conversational: chosen is the preferred text, in input order', async () => {
    const std = path.join(dir, 'std.jsonl');
    await exportPreferences({ queue, logs: labeled(pairs), format: 'trl-preference', formatOptions: { variant: 'standard' }, output: std });
    const rows = await readJsonl(std);
    assert.deepEqual(
      rows.map((r) => [r.chosen, r.rejected]),
      [
        ['4', 'Four.'],
        ['4', '22'],
        ['Paris', 'Lyon'],
        ['hello', 'hi'],
      ],
    );
    assert.equal(rows[0].prompt, 'What is 2+2?');
    const conv = path.join(dir, 'conv.jsonl');
    await exportPreferences({ queue, logs: labeled(pairs), format: 'trl-preference', formatOptions: { variant: 'conversational' }, output: conv });
    const c = await readJsonl(conv);
    assert.deepEqual(c[2], {
      prompt: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Capital of France?' },
      ],
      chosen: [{ role: 'assistant', content: 'Paris' }],
      rejected: [{ role: 'assistant', content: 'Lyon' }],
    });
  });

  it('margin: strength kept as a numeric column when asked', async () => {
    const out = path.join(dir, 'm.jsonl');
    await exportPreferences({ queue, logs: labeled(pairs), format: 'trl-preference', output: out, margin: true });
    assert.deepEqual((await readJsonl(out)).map((r) => r.margin), [2, 1, 1, 1]);
  });

  it('trl-unpaired (KTO): chosen → label true, rejected → label false, one record per response', async () => {
    const out = path.join(dir, 'kto.jsonl');
    await exportPreferences({ queue, logs: labeled(pairs), format: 'trl-unpaired', formatOptions: { variant: 'standard' }, output: out });
    const rows = await readJsonl(out);
    assert.deepEqual(rows.slice(0, 2), [
      { prompt: 'What is 2+2?', completion: '4', label: true },
      { prompt: 'What is 2+2?', completion: 'Four.', label: false },
    ]);
    // "4" won twice (vs "Four." and vs "22"): written once.
    assert.deepEqual(rows.map((r) => [r.completion, r.label]), [
      ['4', true],
      ['Four.', false],
      ['22', false],
      ['Paris', true],
      ['Lyon', false],
      ['hello', true],
      ['hi', false],
    ]);
  });

  it('trl-unpaired: a response that won as often as it lost gets no label', async () => {
    const s = labeled(pairs);
    // "Four." now beats "22": "22" loses twice, "Four." has one loss (to "4") and one win → no label.
    decideOn(s, pairs, 'Four.', '22', 'Four.', 'ann');
    const out = path.join(dir, 'kto2.jsonl');
    const sum = await exportPreferences({ queue, logs: s, format: 'trl-unpaired', formatOptions: { variant: 'standard' }, output: out });
    assert.equal(sum.unpairedAmbiguous, 1);
    assert.deepEqual((await readJsonl(out)).slice(0, 2).map((r) => [r.completion, r.label]), [
      ['4', true],
      ['22', false],
    ]);
  });

  it('distilabel-dpo keeps the chosen and rejected model names', async () => {
    const out = path.join(dir, 'd.jsonl');
    await exportPreferences({ queue, logs: labeled(pairs), format: 'distilabel-dpo', output: out });
    const rows = await readJsonl(out);
    assert.deepEqual(rows.map((r) => [r.chosen_model, r.rejected_model]), [
      ['m1', 'm2'],
      ['m1', 'm3'],
      ['m1', 'm2'],
      ['m2', 'm1'],
    ]);
    assert.equal(rows[0].prompt, 'What is 2+2?');
    assert.equal(typeof rows[0].prompt_id, 'string');
  });

  it('sharegpt-preference as a JSON array with its dataset_info.json entry (ranking, formatting, columns)', async () => {
    const out = path.join(dir, 'prefs.json');
    const s = await exportPreferences({ queue, logs: labeled(pairs), format: 'sharegpt-preference', output: out, container: 'json' });
    const arr = JSON.parse(await fsp.readFile(out, 'utf8')) as Record<string, unknown>[];
    assert.equal(arr.length, s.written);
    assert.deepEqual(arr[0].chosen, { from: 'gpt', value: '4' });
    assert.deepEqual(arr[0].rejected, { from: 'gpt', value: 'Four.' });
    const v = await validateFile(out, { format: 'sharegpt-preference' });
    assert.equal(v.bySeverity.error, 0);
    const entry = datasetInfoEntry('sharegpt-preference', 'prefs.json')!;
    assert.equal(entry.ranking, true);
    assert.equal(entry.formatting, 'sharegpt');
    // The columns LLaMA-Factory's data/README.md gives for ShareGPT preference data (plus system).
    assert.deepEqual({ ...(entry.columns as object), system: undefined }, { messages: 'conversations', chosen: 'chosen', rejected: 'rejected', system: undefined });
    const alp = datasetInfoEntry('alpaca-preference', 'a.json')!;
    assert.deepEqual([alp.ranking, (alp.columns as Record<string, string>).chosen], [true, 'chosen']);
    assert.equal(datasetInfoEntry('openai-dpo', 'x.jsonl'), undefined);
  });

  it("sharegpt-preference's dataset_info.json columns are those of LLaMA-Factory's own DPO demo entry", async function () {
    needsCorpus(this);
    const entry = datasetInfoEntry('sharegpt-preference', 'prefs.json')!;
    const shipped = JSON.parse(await fsp.readFile(llamaFactoryFile('dataset_info.json'), 'utf8'));
    assert.deepEqual({ ...(entry.columns as object), system: undefined }, { ...shipped.dpo_en_demo.columns, system: undefined });
  });

  it('merging two annotators by majority leaves their conflicts out and counts them', async () => {
    const s = labeled(pairs);
    // bob disagrees on Paris/Lyon and agrees on 4/22.
    decideOn(s, pairs, 'Paris', 'Lyon', 'Lyon', 'bob');
    decideOn(s, pairs, '4', '22', '4', 'bob');
    const out = path.join(dir, 'maj.jsonl');
    const sum = await exportPreferences({ queue, logs: s, format: 'trl-preference', formatOptions: { variant: 'standard' }, output: out, rule: { kind: 'majority' } });
    assert.equal(sum.excluded.conflicts, 1);
    assert.equal(sum.pairs, 3);
    const lead = await exportPreferences({ queue, logs: s, format: 'trl-preference', formatOptions: { variant: 'standard' }, output: out, rule: { kind: 'annotator', name: 'bob' } });
    assert.equal(lead.pairs, 4);
    assert.deepEqual((await readJsonl(out)).find((r) => r.chosen === 'Lyon' || r.chosen === 'Paris')?.chosen, 'Lyon');
  });

  it('a failed export leaves no partial file behind', async () => {
    const out = path.join(dir, 'fail.jsonl');
    await fsp.writeFile(out, 'previous\n');
    const broken: PairQueue = { ...queue, known: 1, complete: true, findNext: async () => 0, get: async () => { throw new Error('disk gone'); }, whenComplete: async () => 1, problems: () => [], close: async () => {} };
    await assert.rejects(exportPreferences({ queue: broken, logs: labeled(pairs), format: 'trl-preference', output: out }), /disk gone/);
    assert.equal(await fsp.readFile(out, 'utf8'), 'previous\n');
    assert.deepEqual((await fsp.readdir(dir)).filter((f) => f.endsWith('.tmp')), []);
  });
});
