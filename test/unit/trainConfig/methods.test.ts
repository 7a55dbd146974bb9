/** Which methods each dataset type supports, and clear errors for the rest. */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { FORMAT_IDS } from '../../../src/core/formats/formatModule';
import { getFormat } from '../../../src/core/formats/registry';
import { llamaFactoryTemplate, MODEL_SUGGESTIONS, planTrainingConfig, supportedMethods, TrainConfigError, type TrainConfigOptions } from '../../../src/core/trainConfig';

const base = (o: Partial<TrainConfigOptions>): TrainConfigOptions => ({
  dataset: 'data/x.jsonl',
  format: 'alpaca',
  trainer: 'trl',
  method: 'sft',
  model: 'Qwen/Qwen2.5-7B-Instruct',
  pairwiseVersion: '9.9.9',
  generatedAt: '2025-01-01T00:00:00.000Z',
  ...o,
});

describe('trainConfig: methods by dataset type', () => {
  it('offers sft for SFT data, ppo for prompt-only, rm/dpo/orpo for pairs, kto for unpaired', () => {
    assert.deepEqual(supportedMethods('alpaca'), ['sft']);
    assert.deepEqual(supportedMethods('sharegpt'), ['sft']);
    assert.deepEqual(supportedMethods('openai-chat'), ['sft']);
    assert.deepEqual(supportedMethods('trl-prompt-only'), ['ppo']);
    assert.deepEqual(supportedMethods('sharegpt-preference'), ['rm', 'dpo', 'orpo']);
    assert.deepEqual(supportedMethods('trl-preference'), ['rm', 'dpo', 'orpo']);
    assert.deepEqual(supportedMethods('axolotl-chatml-intel'), ['rm', 'dpo', 'orpo']);
    assert.deepEqual(supportedMethods('trl-unpaired'), ['kto']);
    assert.deepEqual(supportedMethods('llamafactory-kto'), ['kto']);
    assert.deepEqual(supportedMethods('candidates'), []);
    assert.deepEqual(supportedMethods('ranked'), []);
    assert.deepEqual(supportedMethods('preference'), ['rm', 'dpo', 'orpo']);
    assert.deepEqual(supportedMethods('unpaired'), ['kto']);
    // Every format id gets an answer, and preference formats always the three pair methods.
    for (const id of FORMAT_IDS) if (getFormat(id).kind === 'preference') assert.deepEqual(supportedMethods(id), ['rm', 'dpo', 'orpo'], id);
  });

  it('an unsupported method for the dataset type is a clear error naming what it supports', () => {
    assert.throws(() => planTrainingConfig(base({ format: 'sharegpt-preference', method: 'kto' })), (e: Error) => {
      assert.ok(e instanceof TrainConfigError);
      assert.match(e.message, /cannot train kto.*sharegpt-preference.*preference data.*supports rm, dpo, orpo/);
      return true;
    });
    assert.throws(() => planTrainingConfig(base({ format: 'alpaca', method: 'dpo' })), /cannot train dpo.*alpaca.*supports sft/);
    assert.throws(() => planTrainingConfig(base({ format: 'alpaca', method: 'ppo' })), /PPO needs prompt-only data.*--to trl-prompt-only/);
    assert.throws(() => planTrainingConfig(base({ format: 'trl-prompt-only', method: 'sft' })), /prompt-only data.*supports ppo/);
    assert.throws(() => planTrainingConfig(base({ format: 'candidates', method: 'dpo' })), /label or rank it into preference pairs first/);
  });

  it('combinations a trainer has no config for are refused with the alternative', () => {
    assert.throws(() => planTrainingConfig(base({ format: 'trl-preference', trainer: 'axolotl', method: 'rm' })), /Axolotl reward modelling.*--trainer trl/);
    assert.throws(() => planTrainingConfig(base({ format: 'trl-prompt-only', trainer: 'axolotl', method: 'ppo' })), /Axolotl online RL.*--trainer trl/);
  });

  it('bad choices and hyperparameters are refused', () => {
    assert.throws(() => planTrainingConfig(base({ model: '  ' })), TrainConfigError);
    assert.throws(() => planTrainingConfig(base({ model: 'a\nb' })), TrainConfigError);
    assert.throws(() => planTrainingConfig(base({ hyper: { learningRate: -1 } })), /learningRate must be greater than 0/);
    assert.throws(() => planTrainingConfig(base({ hyper: { batchSize: 1.5 } })), /batchSize must be a whole number/);
    assert.throws(() => planTrainingConfig(base({ hyper: { loraDropout: 1 } })), /loraDropout/);
    assert.throws(() => planTrainingConfig(base({ hyper: { epochs: NaN } })), /epochs must be a number/);
    assert.throws(() => planTrainingConfig(base({ trainer: 'unsloth' as never })), /unknown trainer/);
    assert.throws(() => planTrainingConfig(base({ finetuning: 'qlora8' as never })), /unknown finetuning/);
    assert.throws(() => planTrainingConfig(base({ wandbProject: '' })), /wandb project/);
  });

  it('user hyperparameters reach the files; defaults depend on method and finetuning', () => {
    const p = planTrainingConfig(base({ hyper: { learningRate: 3e-5, epochs: 2, cutoffLength: 4096, loraRank: 32, loraAlpha: 64 } }));
    assert.deepEqual([p.hyper.learningRate, p.hyper.epochs, p.hyper.cutoffLength, p.hyper.loraRank], [3e-5, 2, 4096, 32]);
    const script = p.files[0].content;
    assert.match(script, /learning_rate=0\.00003,/);
    assert.match(script, /max_length=4096,/);
    assert.match(script, /r=32,\n {4}lora_alpha=64,/);
    assert.equal(planTrainingConfig(base({ finetuning: 'full' })).hyper.learningRate, 1e-5);
    assert.equal(planTrainingConfig(base({ format: 'trl-preference', method: 'dpo' })).hyper.learningRate, 5e-6);
  });

  it('the header names the version, the date and the dataset; the plan is pure and repeatable', () => {
    const a = planTrainingConfig(base({ trainer: 'llamafactory' }));
    const b = planTrainingConfig(base({ trainer: 'llamafactory' }));
    assert.deepEqual(a, b);
    const yaml = a.files.find((f) => f.path.endsWith('.yaml'))!.content;
    assert.match(yaml, /^# Generated by Pairwise 9\.9\.9 on 2025-01-01T00:00:00\.000Z\n# Dataset: \.\.\/x\.jsonl \(alpaca\)\n/);
    assert.equal(a.outDir, path.join('data', 'x-llamafactory-sft'));
  });

  it('guesses the LLaMA-Factory template from the model id, falling back to default with a note', () => {
    assert.equal(llamaFactoryTemplate('meta-llama/Llama-3.1-8B-Instruct').template, 'llama3');
    assert.equal(llamaFactoryTemplate('meta-llama/Meta-Llama-3-8B-Instruct').template, 'llama3');
    assert.equal(llamaFactoryTemplate('Qwen/Qwen2.5-7B-Instruct').template, 'qwen');
    assert.equal(llamaFactoryTemplate('Qwen/Qwen3-4B-Instruct-2507').template, 'qwen3_nothink');
    assert.equal(llamaFactoryTemplate('Qwen/Qwen3-8B').template, 'qwen3');
    assert.equal(llamaFactoryTemplate('mistralai/Mistral-7B-Instruct-v0.3').template, 'mistral');
    assert.equal(llamaFactoryTemplate('google/gemma-2-9b-it').template, 'gemma2');
    assert.equal(llamaFactoryTemplate('microsoft/Phi-3.5-mini-instruct').template, 'phi');
    const unknown = llamaFactoryTemplate('./my-local-model');
    assert.deepEqual(unknown, { template: 'default', matched: false });
    const p = planTrainingConfig(base({ trainer: 'llamafactory', model: './my-local-model' }));
    assert.match(p.files[1].content, /template: default +# TODO: check/);
    assert.ok(p.notes.some((n) => /template/.test(n)));
    for (const m of MODEL_SUGGESTIONS) assert.ok(llamaFactoryTemplate(m).matched, m);
  });
});
