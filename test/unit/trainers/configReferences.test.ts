/**
 * Trainer configs and scripts that name a dataset, read as text with the project's own fixtures:
 * which trainer, which file (resolved from the workspace folder and the config's folder), which line.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { configReferences, targetFromConfigs } from '../../../src/core/trainerConfigs/configReferences';
import { type ConfigContext } from '../../../src/core/trainerConfigs/configParsing';

const ROOT = path.resolve('/ws');
const ctx: ConfigContext = { roots: [ROOT] };
const refs = (file: string, text: string, c: ConfigContext = ctx) =>
  configReferences(path.join(ROOT, file), text, c).map((r) => ({ trainer: r.trainer, line: r.line, raw: r.raw, candidates: r.candidates }));

describe('trainer configs that name a dataset', () => {
  it('Axolotl: datasets[].path and data_files, resolved from the workspace and the config folder', () => {
    const text = ['base_model: Qwen/Qwen2.5-0.5B', 'datasets:', '  - path: data/train.jsonl', '    type: chat_template', '  - path: json', '    data_files:', '      - data/more.jsonl', '  - path: tatsu-lab/alpaca', 'test_datasets:', '  - path: ./data/eval.jsonl', 'output_dir: out'].join('\n');
    assert.deepEqual(refs('configs/sft.yaml', text), [
      { trainer: 'axolotl', line: 3, raw: 'data/train.jsonl', candidates: [path.join(ROOT, 'data/train.jsonl'), path.join(ROOT, 'configs/data/train.jsonl')] },
      { trainer: 'axolotl', line: 7, raw: 'data/more.jsonl', candidates: [path.join(ROOT, 'data/more.jsonl'), path.join(ROOT, 'configs/data/more.jsonl')] },
      { trainer: 'axolotl', line: 10, raw: './data/eval.jsonl', candidates: [path.join(ROOT, 'data/eval.jsonl'), path.join(ROOT, 'configs/data/eval.jsonl')] },
    ]);
  });

  it('Axolotl: pretraining_dataset as a list of json loaders with local data_files, or a path', () => {
    const list = ['base_model: Qwen/Qwen2.5-0.5B', 'pretraining_dataset:', '  - path: json', '    data_files:', '      - corpus/a.jsonl', '      - corpus/b.jsonl', 'max_steps: 100'].join('\n');
    assert.deepEqual(refs('pt.yaml', list).map((r) => [r.trainer, r.line, r.raw]), [['axolotl', 5, 'corpus/a.jsonl'], ['axolotl', 6, 'corpus/b.jsonl']]);
    assert.deepEqual(refs('pt2.yaml', 'base_model: x\npretraining_dataset: ./corpus/c.jsonl\n').map((r) => [r.trainer, r.line, r.raw]), [['axolotl', 2, './corpus/c.jsonl']]);
    // A hub id names no local file.
    assert.deepEqual(refs('pt3.yaml', 'base_model: x\npretraining_dataset: hf_org/name\n'), []);
  });

  it('torchtune: a recipe config whose dataset loads local data_files', () => {
    const text = ['model:', '  _component_: torchtune.models.llama3_2.lora_llama3_2_1b', 'dataset:', '  _component_: torchtune.datasets.instruct_dataset', '  source: json', '  data_files: data/instruct.json', '  column_map:', '    input: instruction', '    output: response'].join('\n');
    assert.deepEqual(refs('tt.yaml', text).map((r) => [r.trainer, r.line, r.raw]), [['torchtune', 6, 'data/instruct.json']]);
  });

  it('LLaMA-Factory: dataset names are looked up in dataset_dir/dataset_info.json', () => {
    const info = JSON.stringify({ my_sft: { file_name: 'sft.jsonl' }, other: { file_name: 'other.json' } });
    const c: ConfigContext = { roots: [ROOT], readDatasetInfo: (dir) => (dir === path.join(ROOT, 'mydata') ? info : undefined) };
    const text = ['model_name_or_path: Qwen/Qwen2.5-0.5B', 'stage: sft', 'finetuning_type: lora', 'dataset: my_sft, missing', 'dataset_dir: mydata', 'eval_dataset: other'].join('\n');
    assert.deepEqual(refs('lf.yaml', text, c), [
      { trainer: 'llamafactory', line: 4, raw: 'my_sft', candidates: [path.join(ROOT, 'mydata/sft.jsonl')] },
      { trainer: 'llamafactory', line: 6, raw: 'other', candidates: [path.join(ROOT, 'mydata/other.json')] },
    ]);
  });

  it('ms-swift: a YAML config and a shell command line, #N sampling suffix dropped, hub ids skipped', () => {
    const yaml = ['model: Qwen/Qwen2.5-7B-Instruct', 'train_type: lora', 'dataset:', '  - data/swift.jsonl#500', '  - AI-ModelScope/alpaca-gpt4-data-zh#500'].join('\n');
    assert.deepEqual(refs('swift.yaml', yaml).map((r) => [r.trainer, r.line, r.raw]), [['ms-swift', 4, 'data/swift.jsonl']]);
    const sh = ['#!/bin/sh', 'CUDA_VISIBLE_DEVICES=0 \\', 'swift sft \\', '    --model Qwen/Qwen2.5-7B-Instruct \\', '    --dataset data/a.jsonl \\', "              'data/b.jsonl#100' \\", '    --val_dataset data/val.jsonl \\', '    --num_train_epochs 1', 'echo --dataset not/a/swift.jsonl'].join('\n');
    assert.deepEqual(refs('train.sh', sh).map((r) => [r.trainer, r.line, r.raw]), [['ms-swift', 5, 'data/a.jsonl'], ['ms-swift', 6, 'data/b.jsonl'], ['ms-swift', 7, 'data/val.jsonl']]);
  });

  it('ms-swift: a Python entry point passing dataset / val_dataset to TrainArguments', () => {
    const py = [
      'from swift.llm import sft_main, TrainArguments',
      "VAL = 'data/swift_val.jsonl'",
      'sft_main(TrainArguments(',
      "    model='Qwen/Qwen2.5-0.5B-Instruct',",
      "    dataset=['AI-ModelScope/alpaca-gpt4-data-zh#500', 'data/swift_py.jsonl#200'],",
      '    val_dataset=VAL,',
      '))',
      "other(dataset='data/not_swift_args.jsonl')",
    ].join('\n');
    assert.deepEqual(refs('swift_train.py', py).map((r) => [r.trainer, r.line, r.raw]), [['ms-swift', 5, 'data/swift_py.jsonl'], ['ms-swift', 2, 'data/swift_val.jsonl']]);
  });

  it('xtuner: DatasetConfig(anno_path=…) in a Python config', () => {
    const py = ['from xtuner.v1.datasets import DatasetConfig', 'dataset_config = [', '    {"dataset": DatasetConfig(name="sft", anno_path="data/xtuner.jsonl", sample_ratio=1.0)},', ']'].join('\n');
    assert.deepEqual(refs('xt.py', py).map((r) => [r.trainer, r.line, r.raw]), [['xtuner', 3, 'data/xtuner.jsonl']]);
  });

  it('xtuner v0: dict(type=load_dataset, data_files=…) with the path set in a name at the top of the config', () => {
    const py = [
      'from datasets import load_dataset',
      'from xtuner.dataset import process_hf_dataset',
      '# PART 1 Settings',
      "data_path = 'data/v0.json'",
      "eval_path = 'data/v0_eval.jsonl'",
      'train_dataset = dict(',
      '    type=process_hf_dataset,',
      "    dataset=dict(type=load_dataset, path='json', data_files=dict(train=data_path)),",
      '    max_length=max_length)',
      'eval_dataset = dict(type=load_dataset, path="json", data_files=[eval_path, "data/extra.jsonl"])',
      'if data_files == None: pass',
    ].join('\n');
    assert.deepEqual(refs('xt_v0.py', py).map((r) => [r.trainer, r.line, r.raw]), [['xtuner', 4, 'data/v0.json'], ['xtuner', 10, 'data/extra.jsonl'], ['xtuner', 5, 'data/v0_eval.jsonl']]);
  });

  it('TRL: a name given to data_files is followed to its literal; a multi-line call is read to its end', () => {
    const py = ['import trl', 'from datasets import load_dataset', 'TRAIN = "data/named.jsonl"', 'ds = load_dataset(', '    "json",', '    split="train",', '    data_files=TRAIN,', ')', 'ev = load_dataset("json", split=pick("test"), data_files="data/after_call.jsonl")'].join('\n');
    assert.deepEqual(refs('named.py', py).map((r) => [r.trainer, r.line, r.raw]), [['trl', 3, 'data/named.jsonl'], ['trl', 9, 'data/after_call.jsonl']]);
  });

  it('TRL: a script importing trl that loads JSON data_files (a string, a list or a dict)', () => {
    const py = ['from datasets import load_dataset', 'from trl import SFTTrainer', 'ds = load_dataset("json", data_files="data/trl.jsonl", split="train")', "ev = load_dataset('json', data_files={'train': 'data/t.jsonl', 'test': 'data/e.jsonl'})", 'x = load_dataset("json", data_files=path_var)'].join('\n');
    assert.deepEqual(refs('train.py', py).map((r) => [r.trainer, r.line, r.raw]), [['trl', 3, 'data/trl.jsonl'], ['trl', 4, 'data/t.jsonl'], ['trl', 4, 'data/e.jsonl']]);
    // The same call without trl: not a TRL script.
    assert.deepEqual(refs('other.py', py.replace('from trl import SFTTrainer', 'import numpy')), []);
  });

  it('names nothing for other files, broken YAML, binary or huge text, globs, URLs and home paths', () => {
    assert.deepEqual(refs('notes.yaml', 'title: hello\nitems: [1, 2]'), []);
    assert.deepEqual(refs('bad.yaml', 'datasets:\n  - path: [unclosed'), []);
    assert.deepEqual(refs('bin.yaml', 'datasets:\u0000'), []);
    assert.deepEqual(refs('big.yaml', 'datasets:\n' + '  - path: data/x.jsonl\n'.repeat(60000)), []);
    assert.deepEqual(refs('a.yaml', 'datasets:\n  - path: data/*.jsonl\n  - path: https://x.org/d.jsonl\n  - path: ~/d.jsonl'), []);
    // Many unclosed calls and names (the test's timeout would catch a quadratic scan): nothing found.
    assert.deepEqual(refs('many.py', 'import trl\n' + 'load_dataset(data_files=x'.repeat(40000)), []);
    // Aliases are not expanded (no "billion laughs"), and an alias names no file.
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]', 'datasets:', '  - path: *c'].join('\n');
    assert.deepEqual(refs('bomb.yaml', bomb), []);
  });
});

describe('the target trainer from configs', () => {
  it('one trainer when every config naming the file agrees, none when they disagree, undefined when none names it', () => {
    const ax = configReferences(path.join(ROOT, 'a.yaml'), 'datasets:\n  - path: data/x.jsonl\n', ctx);
    const tr = configReferences(path.join(ROOT, 't.py'), 'import trl\nload_dataset("json", data_files="data/x.jsonl")\n', ctx);
    const x = path.join(ROOT, 'data/x.jsonl');
    assert.equal(targetFromConfigs(ax, x)?.trainer, 'axolotl');
    assert.equal(targetFromConfigs([...ax, ...ax], x)?.references.length, 2);
    const both = targetFromConfigs([...ax, ...tr], x);
    assert.equal(both?.trainer, undefined);
    assert.deepEqual(both?.references.map((r) => r.trainer), ['axolotl', 'trl']);
    assert.equal(targetFromConfigs(ax, path.join(ROOT, 'data/y.jsonl')), undefined);
  });
});
