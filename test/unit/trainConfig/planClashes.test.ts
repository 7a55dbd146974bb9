/** planClashes: what writeTrainingConfig would refuse without force, found before anything is asked or written. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { inspectDataset, planClashes, planTrainingConfig, TrainConfigError, writeTrainingConfig, type TrainConfigOptions } from '../../../src/core/trainConfig';
import { alpacaDataset, preferenceDataset, sharedDatasetFile } from '../../support/ownDatasets';

// The project's own datasets in LLaMA-Factory's demo shapes.
const ALPACA = sharedDatasetFile(alpacaDataset());
const PREFS = sharedDatasetFile(preferenceDataset());

async function plan(file: string, o: Partial<TrainConfigOptions> & Pick<TrainConfigOptions, 'trainer' | 'method'>, outDir: string) {
  const ins = await inspectDataset(file);
  assert.ok(ins.format);
  return planTrainingConfig({ dataset: file, format: ins.format, sample: ins.sample, model: 'Qwen/Qwen2.5-7B-Instruct', pairwiseVersion: '0.0.0-test', outDir, ...o });
}

describe('trainConfig: planClashes', function () {
  this.timeout(60000);
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-clash-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('finds nothing in an empty folder, then exactly the files a second write would refuse', async () => {
    const out = path.join(dir, 'trl-sft');
    const p = await plan(ALPACA, { trainer: 'trl', method: 'sft' }, out);
    assert.deepEqual(await planClashes(p), { existing: [] });
    await writeTrainingConfig(p);
    const c = await planClashes(p);
    assert.deepEqual(c.existing.sort(), [path.join(out, 'alpaca_tips.openai-chat.jsonl'), path.join(out, 'train_sft_lora.py')]);
    assert.equal(c.datasetInfoEntry, undefined);
    await assert.rejects(writeTrainingConfig(p), TrainConfigError);
  });

  it('an identical dataset_info.json entry is no clash; a different one of the same name is', async () => {
    const out = path.join(dir, 'lf');
    const dpo = await plan(PREFS, { trainer: 'llamafactory', method: 'dpo' }, out);
    await writeTrainingConfig(dpo);
    fs.rmSync(path.join(out, 'llamafactory_dpo_lora.yaml'));
    assert.deepEqual(await planClashes(dpo), { existing: [] });
    const info = path.join(out, 'dataset_info.json');
    const entries = JSON.parse(fs.readFileSync(info, 'utf8')) as Record<string, Record<string, unknown>>;
    entries.preference_pairs.ranking = false;
    fs.writeFileSync(info, JSON.stringify(entries));
    assert.deepEqual(await planClashes(dpo), { existing: [], datasetInfoEntry: { file: info, name: 'preference_pairs' } });
    await assert.rejects(writeTrainingConfig(dpo), /already has a different "preference_pairs" entry/);
  });

  it('a broken dataset_info.json is not reported as a clash to overrule: the write says what is wrong', async () => {
    const out = path.join(dir, 'lf');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'dataset_info.json'), '{ not json');
    const dpo = await plan(PREFS, { trainer: 'llamafactory', method: 'dpo' }, out);
    assert.deepEqual(await planClashes(dpo), { existing: [] });
    await assert.rejects(writeTrainingConfig(dpo, { force: true }), /is not valid JSON/);
  });
});
