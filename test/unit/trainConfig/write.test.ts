/** writeTrainingConfig on real files: conversion through the formats engine, atomic writes, no overwrite without force, dataset_info.json merged. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { inspectDataset, planTrainingConfig, TrainConfigError, writeTrainingConfig, type TrainConfigOptions } from '../../../src/core/trainConfig';
import { validateFile } from '../../../src/core/validate/pipeline';
import { llamaFactoryFile, needsCorpus } from '../../support/corpus';
import { alpacaDataset, ktoDataset, preferenceDataset, sharedDatasetFile, toolCallDataset } from '../../support/ownDatasets';

const root = path.resolve(__dirname, '..', '..', '..', '..');
// The project's own datasets in LLaMA-Factory's demo shapes.
const ALPACA = sharedDatasetFile(alpacaDataset());
const PREFS = sharedDatasetFile(preferenceDataset());
const KTO = sharedDatasetFile(ktoDataset());
const TOOLS = sharedDatasetFile(toolCallDataset());
const inputs = path.join(root, 'test', 'fixtures', 'trainConfig', 'inputs');

async function plan(file: string, o: Partial<TrainConfigOptions> & Pick<TrainConfigOptions, 'trainer' | 'method'>, outDir: string) {
  const ins = await inspectDataset(file);
  assert.ok(ins.format);
  return planTrainingConfig({ dataset: file, format: ins.format, sample: ins.sample, model: 'Qwen/Qwen2.5-7B-Instruct', pairwiseVersion: '0.0.0-test', outDir, ...o });
}

function listing(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}

describe('trainConfig: writing the files', function () {
  this.timeout(60000);
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-train-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('converts the dataset through the formats engine; the converted file validates without errors and is what the script loads', async () => {
    const out = path.join(dir, 'trl-dpo');
    const p = await plan(PREFS, { trainer: 'trl', method: 'dpo' }, out);
    const r = await writeTrainingConfig(p);
    assert.deepEqual(listing(out), ['preference_pairs.trl-preference.jsonl', 'train_dpo_lora.py']);
    assert.equal(r.conversion?.to, 'trl-preference');
    assert.equal(r.conversion?.written, 120);
    assert.equal(r.conversion?.droppedRecords, 0);
    assert.equal(r.validation?.bySeverity.error, 0);
    assert.equal(r.validation?.records, 120);
    // Independent re-validation with detection: the file reads as the format the trainer wants.
    const v = await validateFile(path.join(out, 'preference_pairs.trl-preference.jsonl'));
    assert.equal(v.format, 'trl-preference');
    assert.equal(v.bySeverity.error, 0);
    const first = JSON.parse(fs.readFileSync(path.join(out, 'preference_pairs.trl-preference.jsonl'), 'utf8').split('\n')[0]) as Record<string, unknown>;
    assert.deepEqual(Object.keys(first).sort(), ['chosen', 'prompt', 'rejected']);
    assert.match(fs.readFileSync(path.join(out, 'train_dpo_lora.py'), 'utf8'), /DATA_FILE = HERE \/ "preference_pairs\.trl-preference\.jsonl"/);
    assert.deepEqual(r.written, [path.join(out, 'preference_pairs.trl-preference.jsonl'), path.join(out, 'train_dpo_lora.py')]);
  });

  it('a cancel while the converted file is validated takes the conversion back: nothing is left, and the same run works again', async () => {
    const out = path.join(dir, 'trl-dpo');
    const p = await plan(PREFS, { trainer: 'trl', method: 'dpo' }, out);
    const converted = p.conversion!.out;
    // A signal that reads as aborted from the moment the converted file is on disk: the cancel lands in the validation.
    const ac = new AbortController();
    const signal = new Proxy(ac.signal, {
      get(target, key) {
        if (key === 'aborted') return fs.existsSync(converted);
        const v = Reflect.get(target, key, target) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    await assert.rejects(writeTrainingConfig(p, { signal }), (e: Error) => e.name === 'AbortError');
    assert.deepEqual(listing(dir), [], 'neither the converted file nor the folder made for it is left');
    const r = await writeTrainingConfig(p);
    assert.deepEqual(listing(out), ['preference_pairs.trl-preference.jsonl', 'train_dpo_lora.py']);
    assert.equal(r.validation?.records, 120);
  });

  it('Axolotl and LLaMA-Factory conversions validate too (SFT to openai-chat, unpaired to the string shape, prompts)', async () => {
    const cases: [string, Partial<TrainConfigOptions> & Pick<TrainConfigOptions, 'trainer' | 'method'>, string][] = [
      [TOOLS, { trainer: 'axolotl', method: 'sft' }, 'openai-chat'],
      // Single-turn prompts only: Axolotl's KTO types read one prompt string (kto_feedback's multi-turn prompts are refused).
      [path.join(inputs, 'kto-messages.jsonl'), { trainer: 'axolotl', method: 'kto', model: 'meta-llama/Llama-3.1-8B-Instruct' }, 'trl-unpaired'],
      [PREFS, { trainer: 'axolotl', method: 'orpo' }, 'axolotl-chatml-ultra'],
      [KTO, { trainer: 'trl', method: 'kto' }, 'trl-unpaired'],
      [ALPACA, { trainer: 'trl', method: 'sft' }, 'openai-chat'],
    ];
    for (const [file, o, to] of cases) {
      const out = path.join(dir, `${o.trainer}-${o.method}`);
      const p = await plan(file, o, out);
      assert.equal(p.conversion?.to, to);
      const r = await writeTrainingConfig(p);
      assert.ok(r.conversion?.out, `${file} -> ${to}: ${r.conversion?.refused}`);
      assert.equal(r.validation?.bySeverity.error, 0, `${to}: ${JSON.stringify(r.validation?.problemCounts)}`);
      assert.equal(r.conversion?.written, r.conversion?.records);
    }
    // LLaMA-Factory-style messages became the string prompt/completion Axolotl's llama3.prompt_pairs reads.
    const kto = fs.readFileSync(path.join(dir, 'axolotl-kto', 'kto-messages.trl-unpaired.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(kto[0], { prompt: 'What colour is the sky on a clear day?', completion: 'Blue.', label: true });
    assert.equal(kto.length, 2);
  });

  it('a conversion that would lose data is refused and nothing is written', async () => {
    // A system prompt has no place in trl-unpaired's string shape: refused, not dropped.
    const sys = path.join(dir, 'sys.jsonl');
    fs.writeFileSync(sys, JSON.stringify({ messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello.' }], label: true }) + '\n');
    const k = await plan(sys, { trainer: 'axolotl', method: 'kto' }, path.join(dir, 'k'));
    await assert.rejects(writeTrainingConfig(k), /refused.*line 1: prompt\[0\]: the standard \(string\) shape has no system prompt/);
    assert.equal(fs.existsSync(path.join(dir, 'k')), false);
    const out = path.join(dir, 'axo');
    // The first record has a multi-turn prompt, which chatml.intel's single question cannot hold.
    const p = await plan(path.join(inputs, 'multiturn-prefs.jsonl'), { trainer: 'axolotl', method: 'dpo' }, out);
    await assert.rejects(writeTrainingConfig(p), (e: Error) => {
      assert.ok(e instanceof TrainConfigError);
      assert.match(e.message, /conversion to axolotl-chatml-intel was refused.*line 1/);
      return true;
    });
    assert.equal(fs.existsSync(out), false);
  });

  it("LLaMA-Factory's own demo files convert to what each trainer reads and validate without errors", async function () {
    needsCorpus(this);
    const cases: [string, Partial<TrainConfigOptions> & Pick<TrainConfigOptions, 'trainer' | 'method'>, string, number][] = [
      ['dpo_en_demo.json', { trainer: 'trl', method: 'dpo' }, 'trl-preference', 300],
      ['glaive_toolcall_en_demo.json', { trainer: 'axolotl', method: 'sft' }, 'openai-chat', 300],
      ['dpo_en_demo.json', { trainer: 'axolotl', method: 'orpo' }, 'axolotl-chatml-ultra', 300],
      ['kto_en_demo.json', { trainer: 'trl', method: 'kto' }, 'trl-unpaired', 300],
      ['alpaca_en_demo.json', { trainer: 'trl', method: 'sft' }, 'openai-chat', 999],
    ];
    for (const [name, o, to, records] of cases) {
      const p = await plan(llamaFactoryFile(name), o, path.join(dir, `corpus-${o.trainer}-${o.method}`));
      assert.equal(p.conversion?.to, to);
      const r = await writeTrainingConfig(p);
      assert.equal(r.conversion?.written, records, `${name} -> ${to}: ${r.conversion?.refused}`);
      assert.equal(r.validation?.bySeverity.error, 0, `${to}: ${JSON.stringify(r.validation?.problemCounts)}`);
    }
  });

  it('existing files are not overwritten unless force', async () => {
    const out = path.join(dir, 'lf');
    const p = await plan(ALPACA, { trainer: 'llamafactory', method: 'sft' }, out);
    await writeTrainingConfig(p);
    const yaml = path.join(out, 'llamafactory_sft_lora.yaml');
    fs.writeFileSync(yaml, 'edited by the user\n');
    await assert.rejects(writeTrainingConfig(p), /this file exists: .*llamafactory_sft_lora\.yaml; use --force/);
    assert.equal(fs.readFileSync(yaml, 'utf8'), 'edited by the user\n');
    await writeTrainingConfig(p, { force: true });
    assert.equal(fs.readFileSync(yaml, 'utf8'), p.files[1].content);
    assert.deepEqual(listing(out), ['dataset_info.json', 'llamafactory_sft_lora.yaml']);
  });

  it('dataset_info.json: the entry is merged into an existing file; a different entry of the same name needs force', async () => {
    const out = path.join(dir, 'lf');
    fs.mkdirSync(out);
    const info = path.join(out, 'dataset_info.json');
    fs.writeFileSync(info, JSON.stringify({ identity: { file_name: 'identity.json' } }, null, 2));
    const p = await plan(PREFS, { trainer: 'llamafactory', method: 'dpo' }, out);
    const r = await writeTrainingConfig(p);
    assert.equal(r.datasetInfoMerged, true);
    const doc = JSON.parse(fs.readFileSync(info, 'utf8')) as Record<string, { file_name: string; ranking?: boolean }>;
    assert.deepEqual(Object.keys(doc), ['identity', 'preference_pairs']);
    assert.equal(doc.preference_pairs.ranking, true);
    assert.equal(path.resolve(out, doc.preference_pairs.file_name), PREFS);

    // The same entry again (the YAML removed so only dataset_info.json is in question): fine.
    fs.rmSync(path.join(out, 'llamafactory_dpo_lora.yaml'));
    await writeTrainingConfig(p);
    // A different entry under that name: refused without force, before anything is written.
    fs.rmSync(path.join(out, 'llamafactory_dpo_lora.yaml'));
    doc.preference_pairs.file_name = 'elsewhere.json';
    fs.writeFileSync(info, JSON.stringify(doc));
    await assert.rejects(writeTrainingConfig(p), /already has a different "preference_pairs" entry/);
    assert.deepEqual(listing(out), ['dataset_info.json']);
    await writeTrainingConfig(p, { force: true });
    assert.equal((JSON.parse(fs.readFileSync(info, 'utf8')) as Record<string, { file_name: string }>).preference_pairs.file_name, p.files[0].datasetInfo?.entry.file_name);

    fs.writeFileSync(info, '{ not json');
    await assert.rejects(writeTrainingConfig(p, { force: true }), /dataset_info\.json is not valid JSON/);
  });
});
