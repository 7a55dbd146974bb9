import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { getFormat } from '../../../src/core/formats/registry';
import { agreementWithKnown } from '../../../src/core/labeling/agreement';
import { auditPairs } from '../../../src/core/labeling/auditSource';
import { loadLabelLogs } from '../../../src/core/labeling/decisionLog';
import { exportPreferences } from '../../../src/core/labeling/exportPreferences';
import { LabelingSession } from '../../../src/core/labeling/session';
import { sftPairs } from '../../../src/core/labeling/sftSource';
import { llamaFactoryFile, needsCorpus } from '../../support/corpus';
import { preferenceDataset, textDataset, writeDataset } from '../../support/ownDatasets';

describe('labeling: pair sources', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pw-sources-'));
  });
  afterEach(async () => {
    await fsp.rm(dir, { recursive: true, force: true });
  });

  /** A ShareGPT preference file of `records` records, `repeats` of them repeated, audited blind: 20 decisions, 15 agreeing with the dataset. */
  async function auditsBlind(file: string, records: number, repeats: number): Promise<void> {
    const src = await auditPairs(file, getFormat('sharegpt-preference'));
    assert.equal(src.queue.known, records - repeats);
    assert.equal(src.known.size, records - repeats);
    assert.equal(src.problems.length, repeats);
    for (const p of src.problems) assert.match(p.message, /^the same pair as record \d+; shown once$/);
    const raw = JSON.parse(await fsp.readFile(file, 'utf8'));
    const first = (await src.queue.get(0))!;
    assert.equal(first.knownChosen, src.known.get(first.id));
    const chosen = first.a.hash === first.knownChosen ? first.a : first.b;
    assert.equal(chosen.content, raw[0].chosen.value);
    // Blind: the chosen answer is on the left for some pairs and on the right for others.
    const logPath = path.join(dir, 'audit.labels.jsonl');
    const s = await LabelingSession.open({ queue: src.queue, logPath, annotator: 'auditor', seed: 'x' });
    let chosenLeft = 0;
    for (let i = 0; i < 20; i++) {
      const st = s.state();
      const c = s.current!;
      const leftHash = c.leftIsA ? c.pair.a.hash : c.pair.b.hash;
      if (leftHash === src.known.get(c.pair.id)) chosenLeft++;
      // The auditor agrees with the dataset on 15 of 20.
      const pickChosen = i < 15;
      const chosenIsLeft = leftHash === src.known.get(c.pair.id);
      assert.ok(!JSON.stringify(st).includes('"chosen"'), 'the state does not say which answer the dataset chose');
      await s.decide(pickChosen === chosenIsLeft ? 'left' : 'right');
    }
    await s.close();
    assert.ok(chosenLeft > 3 && chosenLeft < 17, `chosen shown left in ${chosenLeft} of 20`);
    const { store } = await loadLabelLogs([logPath]);
    assert.deepEqual(agreementWithKnown(store, 'auditor', src.known), { pairs: 20, agree: 15, percent: 75 });
    // Exporting the audited pairs back to the same format: the 15 agreements reproduce the originals.
    const out = path.join(dir, 'audited.json');
    const sum = await exportPreferences({ queue: src.queue, logs: store, format: 'sharegpt-preference', output: out, container: 'json' });
    assert.equal(sum.pairs, 20);
    const back = JSON.parse(await fsp.readFile(out, 'utf8'));
    assert.deepEqual(back[0].chosen, raw[0].chosen);
    assert.deepEqual(back[0].conversations, raw[0].conversations);
    assert.deepEqual(back[19].chosen, raw[19].rejected, 'the 20th was overturned');
  }

  it('audit: a ShareGPT preference file becomes blind pairs (repeats reported) with the known label kept aside', async () => {
    const ds = preferenceDataset();
    assert.ok(ds.duplicates.length > 0);
    await auditsBlind(writeDataset(dir, ds), ds.records.length, ds.duplicates.length);
  });

  it("audit: LLaMA-Factory's dpo_en_demo.json becomes 295 blind pairs (5 repeats reported) with the known label kept aside", async function () {
    needsCorpus(this);
    await auditsBlind(llamaFactoryFile('dpo_en_demo.json'), 300, 5);
  });

  it('audit: records of the wrong kind and identical answers are reported by line', async () => {
    const p = path.join(dir, 'prefs.jsonl');
    await fsp.writeFile(
      p,
      [
        JSON.stringify({ prompt: 'a', chosen: 'x', rejected: 'y' }),
        JSON.stringify({ prompt: 'b', chosen: 'same', rejected: 'same' }),
        '{broken',
        JSON.stringify({ prompt: 'a', chosen: 'x', rejected: 'y' }),
      ].join('\n') + '\n',
    );
    const src = await auditPairs(p, getFormat('trl-preference'));
    assert.equal(src.queue.known, 1);
    assert.deepEqual(src.problems.map((x) => x.line), [2, 3, 4]);
    // Without a format named, it is detected from the records.
    const detected = await auditPairs(p);
    assert.equal(detected.format, 'trl-preference');
    assert.equal(detected.queue.known, 1);
    await assert.rejects(auditPairs(writeDataset(dir, textDataset())), /holds text records, not preference pairs/);
    assert.match(src.problems[0].message, /identical/);
  });

  it('SFT A vs B: prompts matched by normalised text in any order; unmatched counted', async () => {
    const a = path.join(dir, 'a.jsonl');
    const b = path.join(dir, 'b.json');
    await fsp.writeFile(
      a,
      [
        { instruction: 'What is the capital of France?', input: '', output: 'Paris.' },
        { instruction: 'Name a prime number.', input: '', output: '7' },
        { instruction: 'Only in A', input: '', output: 'x' },
        { instruction: 'Same answer', input: '', output: 'same' },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n') + '\n',
    );
    await fsp.writeFile(
      b,
      JSON.stringify([
        { messages: [{ role: 'user', content: 'name a  prime number.' }, { role: 'assistant', content: '11' }] },
        { messages: [{ role: 'user', content: 'Only in B' }, { role: 'assistant', content: 'y' }] },
        { messages: [{ role: 'user', content: 'What is the capital of  France? ' }, { role: 'assistant', content: 'It is Paris.' }] },
        { messages: [{ role: 'user', content: 'Same answer' }, { role: 'assistant', content: 'same' }] },
      ]),
    );
    const src = await sftPairs({ path: a, format: getFormat('alpaca'), model: 'model-a' }, { path: b });
    assert.equal(src.matched, 3);
    assert.equal(src.onlyInA, 1);
    assert.equal(src.onlyInB, 1);
    assert.equal(src.identical, 1);
    assert.equal(src.queue.known, 2);
    const p0 = (await src.queue.get(0))!;
    assert.equal(p0.prompt[p0.prompt.length - 1].content, 'What is the capital of France?');
    const byModel = Object.fromEntries([p0.a, p0.b].map((r) => [r.model, r.content]));
    assert.deepEqual(byModel, { 'model-a': 'Paris.', 'b.json': 'It is Paris.' });
  });
});
