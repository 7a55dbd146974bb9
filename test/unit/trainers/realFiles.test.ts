/**
 * Files from the trainers' own repositories (../shared/corpus/real), judged with no
 * target and with their own trainer: what each file's README row implies. Skipped, saying so, where
 * the corpus is absent; ruleCases.ts covers every rule with the project's own records.
 */
import * as assert from 'node:assert/strict';
import type { TrainerId } from '../../../src/core/trainers';
import { validateFile } from '../../../src/core/validate/pipeline';
import { corpusPath, needsCorpus } from '../../support/corpus';

async function errors(file: string, trainer?: TrainerId): Promise<{ rule: string; line: number }[]> {
  const r = await validateFile(corpusPath('real', file), { formatOptions: trainer ? { trainer } : undefined });
  return r.problems.filter((p) => p.severity === 'error').map((p) => ({ rule: p.rule, line: p.line }));
}

describe('real files from the trainers, judged by their trainer', function () {
  beforeEach(function () {
    needsCorpus(this);
  });

  it("OpenAI cookbook drone file: lines 3-5 hold arguments encoded twice, with or without OpenAI as the target", async () => {
    const want = [3, 4, 5].map((line) => ({ rule: 'tools/arguments-double-encoded', line }));
    assert.deepEqual(await errors('openai-cookbook_drone_training.head5.jsonl'), want);
    // For OpenAI, the five-line excerpt is also under the 10-example minimum.
    assert.deepEqual(await errors('openai-cookbook_drone_training.head5.jsonl', 'openai'), [{ rule: 'openai/too-few-examples', line: 1 }, ...want]);
  });

  for (const file of ['trl_toolcall_language_modeling.jsonl', 'trl_harmony_language_modeling.jsonl', 'trl_toolcall_preference.jsonl']) {
    it(`${file}: no errors with no target and with TRL (or Unsloth's TRL) as the target`, async () => {
      assert.deepEqual(await errors(file), []);
      assert.deepEqual(await errors(file, 'trl'), []);
    });
  }

  it('TRL data that OpenAI would reject is an error once OpenAI is the target: object arguments, the thinking key', async () => {
    const toolcall = (await errors('trl_toolcall_language_modeling.jsonl', 'openai')).filter((p) => p.rule !== 'openai/too-few-examples');
    assert.ok(toolcall.length >= 8 && toolcall.every((p) => p.rule === 'tools/arguments-object'), JSON.stringify(toolcall));
    const harmony = await errors('trl_harmony_language_modeling.jsonl', 'openai');
    assert.ok(harmony.length >= 19 && harmony.every((p) => p.rule === 'openai/unknown-message-key'), JSON.stringify(harmony));
  });

  it('ms-swift conversations with OpenAI role tags: no errors with no target and for ms-swift; errors for LLaMA-Factory', async () => {
    assert.deepEqual(await errors('ms-swift_conversations.jsonl'), []);
    assert.deepEqual(await errors('ms-swift_conversations.jsonl', 'ms-swift'), []);
    const lf = await errors('ms-swift_conversations.jsonl', 'llamafactory');
    assert.deepEqual([...new Set(lf.map((p) => p.rule))], ['sharegpt/openai-role-tag']);
  });

  it("the 2023 reward layout: every record's one error names the layout and the conversion", async () => {
    const all = await errors('chatglm-et_oaast_rm_zh.json');
    assert.equal(all.length, 775);
    assert.ok(all.every((p) => p.rule === 'llamafactory/old-reward-layout'));
  });

  it("torchtune's stack_exchange_paired file is recognised as its own format, with no problems", async () => {
    const r = await validateFile(corpusPath('real', 'torchtune_stack_exchange_paired_tiny.json'));
    assert.equal(r.format, 'torchtune-stack-exchange-paired');
    assert.deepEqual(r.problems, []);
    assert.deepEqual(await errors('torchtune_stack_exchange_paired_tiny.json', 'torchtune'), []);
  });

  it("torchtune's instruction/response file is read as instruct-response, with no problems (it was Alpaca missing its output)", async () => {
    const r = await validateFile(corpusPath('real', 'torchtune_instruct_tiny.json'));
    assert.equal(r.format, 'instruct-response');
    assert.deepEqual(r.problems, []);
    assert.deepEqual(await errors('torchtune_instruct_tiny.json', 'torchtune'), []);
  });

  it("ms-swift's GRPO prompt set (messages ending with the user, env_config for the reward) is an RL prompt set, not SFT missing its answers", async () => {
    const r = await validateFile(corpusPath('real', 'ms-swift_frozen_lake.jsonl'));
    assert.equal(r.format, 'rl-prompt-messages');
    assert.deepEqual(r.problems, []);
    assert.deepEqual(await errors('ms-swift_frozen_lake.jsonl', 'ms-swift'), []);
  });

  it("OpenAI's toy chat file: its 5 examples are under OpenAI's 10-example minimum, an error for OpenAI and silent with no target", async () => {
    assert.deepEqual(await errors('openai-cookbook_toy_chat_fine_tuning.jsonl'), []);
    assert.deepEqual(await errors('openai-cookbook_toy_chat_fine_tuning.jsonl', 'openai'), [{ rule: 'openai/too-few-examples', line: 1 }]);
  });

  it("xtuner's JSON Lines of bare message lists: read as chat data, no problem for xtuner or with no target; other targets are told to wrap them", async () => {
    const r = await validateFile(corpusPath('real', 'xtuner_openai_sft.jsonl'));
    assert.equal(r.format, 'openai-chat');
    assert.equal(r.records, 128);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(await errors('xtuner_openai_sft.jsonl', 'xtuner'), []);
    const trl = await errors('xtuner_openai_sft.jsonl', 'trl');
    assert.equal(trl.length, 128);
    assert.ok(trl.every((p) => p.rule === 'xtuner/bare-message-list'));
  });

  it("LLaMA-Factory's multimodal demo (messages + images): no errors with no target and for LLaMA-Factory", async () => {
    assert.deepEqual(await errors('llamafactory_mllm_demo.json'), []);
    assert.deepEqual(await errors('llamafactory_mllm_demo.json', 'llamafactory'), []);
  });

  for (const file of ['trl_zen_standard_preference.jsonl', 'trl_zen_standard_stepwise_supervision.jsonl', 'trl_zen_standard_unpaired_preference.jsonl', 'trl_zen_conversational_language_modeling.jsonl', 'trl_zen_conversational_prompt_only.jsonl', 'trl_zen_conversational_prompt_completion.jsonl', 'trl_zen_conversational_preference.jsonl', 'trl_zen_conversational_implicit_prompt_preference.jsonl', 'trl_zen_conversational_unpaired_preference.jsonl']) {
    it(`${file} (TRL's own test data): no errors with no target and with TRL as the target`, async () => {
      assert.deepEqual(await errors(file), []);
      assert.deepEqual(await errors(file, 'trl'), []);
    });
  }
});
