import * as assert from 'node:assert/strict';
import { yamlTrainingOptions } from '../../../src/core/trainerConfigs';

describe('trainer configs: the loss and length options a YAML config sets', () => {
  it('LLaMA-Factory: cutoff_len (2048 by default, one less when packing), train_on_prompt, mask_history, with their lines', () => {
    const o = yamlTrainingOptions('stage: sft\ndataset: mine\ncutoff_len: 1024\nmask_history: true\n');
    assert.deepEqual(o, { trainer: 'llamafactory', maxLength: 1024, maskHistory: true, lines: { maxLength: 3, maskHistory: 4 } });
    assert.equal(yamlTrainingOptions('stage: sft\n')?.maxLength, 2048);
    assert.equal(yamlTrainingOptions('stage: sft\npacking: true\n')?.maxLength, 2047);
    assert.equal(yamlTrainingOptions('finetuning_type: lora\ntrain_on_prompt: true\n')?.trainOnPrompt, true);
  });

  it('Axolotl: sequence_len and train_on_inputs, and roles_to_train / train_on_eos of the dataset entry that names the file', () => {
    const text = [
      'base_model: x',
      'sequence_len: 4096',
      'train_on_inputs: false',
      'datasets:',
      '  - path: data/other.jsonl',
      '    type: chat_template',
      '    train_on_eos: all',
      '  - path: data/mine.jsonl',
      '    type: chat_template',
      '    roles_to_train: [user, assistant]',
      '    train_on_eos: last',
    ].join('\n');
    const mine = yamlTrainingOptions(text, (raw) => raw === 'data/mine.jsonl');
    assert.deepEqual(mine, { trainer: 'axolotl', maxLength: 4096, trainOnPrompt: false, rolesToTrain: ['user', 'assistant'], trainOnEos: 'last', lines: { maxLength: 2, trainOnPrompt: 3, rolesToTrain: 10, trainOnEos: 11 } });
    // No entry names the file: the first entry's.
    assert.equal(yamlTrainingOptions(text)?.trainOnEos, 'all');
    assert.equal(yamlTrainingOptions('datasets:\n  - path: a.jsonl\n    train_on_eos: false\n')?.trainOnEos, 'none');
  });

  it('torchtune: tokenizer.max_seq_len and dataset.train_on_input; ms-swift: max_length; anything else: undefined', () => {
    const tt = yamlTrainingOptions('tokenizer:\n  _component_: torchtune.models.llama3.llama3_tokenizer\n  max_seq_len: 512\ndataset:\n  _component_: torchtune.datasets.chat_dataset\n  train_on_input: true\n');
    assert.deepEqual(tt, { trainer: 'torchtune', maxLength: 512, trainOnPrompt: true, lines: { maxLength: 3, trainOnPrompt: 6 } });
    assert.deepEqual(yamlTrainingOptions('model: Qwen/Qwen2.5-7B\nmax_length: 8192\n'), { trainer: 'ms-swift', maxLength: 8192, lines: { maxLength: 2 } });
    assert.equal(yamlTrainingOptions('name: not a config\n'), undefined);
    assert.equal(yamlTrainingOptions('stage: [unclosed\n'), undefined);
  });
});
