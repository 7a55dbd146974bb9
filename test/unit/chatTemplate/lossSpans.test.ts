import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ChatTemplateRenderer, loadModelFolder, trainerView, type TrainerView, type TrainerViewOptions } from '../../../src/core/chatTemplate';
import type { SftRecord } from '../../../src/core/model';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'chatTemplates');

/** The trained text, one string per run of consecutive trained tokens. */
function trainedRuns(v: TrainerView): string[] {
  const runs: string[] = [];
  let open = false;
  for (const s of v.segments) {
    if (s.trained && open) runs[runs.length - 1] += s.text;
    else if (s.trained) runs.push(s.text);
    open = s.trained;
  }
  return runs;
}

const rec: SftRecord = { type: 'sft', system: 'be brief.', messages: [{ role: 'user', content: 'the sum?' }, { role: 'assistant', content: '42.' }, { role: 'user', content: 'why' }, { role: 'assistant', content: 'it is.' }] };

for (const [family, eos] of [['chatml', '<|im_end|>'], ['llama3', '<|eot_id|>']] as const) {
  describe(`chatTemplate: what each trainer trains (${family})`, () => {
    const model = loadModelFolder(path.join(FIXTURES, family));
    const renderer = new ChatTemplateRenderer(model.chatTemplate);
    const special = { bos_token: model.bosToken, eos_token: model.eosToken };
    const view = (o: TrainerViewOptions, r: SftRecord = rec): TrainerView => trainerView(r, renderer, model.tokenizer, o, special);
    const eosId = model.tokenizer.encode(eos, { add_special_tokens: false }).ids;

    it('LLaMA-Factory and torchtune train each answer with the token that ends it', () => {
      assert.equal(model.eosToken, eos);
      for (const trainer of ['llamafactory', 'torchtune'] as const) {
        const v = view({ trainer });
        assert.deepEqual(trainedRuns(v), [`42.${eos}`, `it is.${eos}`], trainer);
        assert.equal(eosId.length, 1);
        assert.equal(v.ids.filter((id, i) => id === eosId[0] && v.mask[i] === 1).length, 2, `${trainer}: two end-of-turn tokens trained`);
      }
    });

    it('LLaMA-Factory mask_history trains the last answer only; a turn with loss weight 0 is left out', () => {
      assert.deepEqual(trainedRuns(view({ trainer: 'llamafactory', maskHistory: true })), [`it is.${eos}`]);
      const weighted: SftRecord = { ...rec, messages: rec.messages.map((m, i) => (i === 1 ? { ...m, weight: 0 } : m)) };
      assert.deepEqual(trainedRuns(view({ trainer: 'llamafactory' }, weighted)), [`it is.${eos}`]);
      // mask_history is LLaMA-Factory's option: another trainer ignores it.
      assert.deepEqual(trainedRuns(view({ trainer: 'torchtune', maskHistory: true })), [`42.${eos}`, `it is.${eos}`]);
    });

    it('Axolotl: roles_to_train with train_on_eos "turn" by default, and the other train_on_eos modes', () => {
      assert.deepEqual(trainedRuns(view({ trainer: 'axolotl' })), [`42.${eos}`, `it is.${eos}`]);
      assert.deepEqual(trainedRuns(view({ trainer: 'axolotl', trainOnEos: 'none' })), ['42.', 'it is.']);
      assert.deepEqual(trainedRuns(view({ trainer: 'axolotl', trainOnEos: 'last' })), ['42.', `it is.${eos}`]);
      assert.deepEqual(trainedRuns(view({ trainer: 'axolotl', trainOnEos: 'all' })), [eos, eos, `42.${eos}`, eos, `it is.${eos}`]);
      assert.deepEqual(trainedRuns(view({ trainer: 'axolotl', rolesToTrain: ['user', 'assistant'] })), [`the sum?${eos}`, `42.${eos}`, `why${eos}`, `it is.${eos}`]);
    });

    it('the OpenAI API: the answers\' content, no end-of-turn token', () => {
      assert.deepEqual(trainedRuns(view({ trainer: 'openai' })), ['42.', 'it is.']);
    });
  });
}

describe('chatTemplate: tool calls and tool definitions the template leaves out', () => {
  const model = loadModelFolder(path.join(FIXTURES, 'chatml'));
  const withTools: SftRecord = {
    type: 'sft',
    tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: {} } } }],
    messages: [
      { role: 'user', content: 'weather?' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'get_weather', arguments: '{}' }] },
      { role: 'tool', content: 'sunny', toolCallId: 'c1' },
      { role: 'assistant', content: 'It is sunny.' },
    ],
  };

  it('a template without tool support drops the call and the definitions; one that prints them does not', () => {
    const plain = trainerView(withTools, new ChatTemplateRenderer(model.chatTemplate), model.tokenizer, { trainer: 'openai' });
    assert.deepEqual(plain.droppedToolCalls, [1]);
    assert.equal(plain.toolsDropped, true);
    const aware = new ChatTemplateRenderer(
      '{% for t in tools %}<tool>{{ t.function.name }}</tool>{% endfor %}{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}{% if m.tool_calls %}{% for c in m.tool_calls %}<call>{{ c.function.name }}</call>{% endfor %}{% endif %}<|im_end|>\n{% endfor %}',
    );
    const v = trainerView(withTools, aware, model.tokenizer, { trainer: 'openai' });
    assert.deepEqual(v.droppedToolCalls, []);
    assert.equal(v.toolsDropped, false);
    // ShareGPT carries the definitions as JSON text.
    assert.equal(trainerView({ ...withTools, tools: JSON.stringify(withTools.tools) }, aware, model.tokenizer, { trainer: 'openai' }).toolsDropped, false);
    assert.equal(trainerView({ ...withTools, tools: JSON.stringify(withTools.tools) }, new ChatTemplateRenderer(model.chatTemplate), model.tokenizer, { trainer: 'openai' }).toolsDropped, true);
  });
});
