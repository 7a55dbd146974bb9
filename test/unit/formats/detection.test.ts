import * as assert from 'node:assert/strict';
import Ajv from 'ajv';
import { FORMAT_IDS } from '../../../src/core/formats/formatModule';
import { allFormats, detectFormat, getFormat, isFormatId, scoreRecord } from '../../../src/core/formats/registry';

const best = (r: unknown) => scoreRecord(r)[0]?.id;

describe('format detection', () => {
  it('the registry has one module per format id, in order', () => {
    assert.deepEqual(allFormats().map((f) => f.id), [...FORMAT_IDS]);
    for (const id of FORMAT_IDS) assert.equal(getFormat(id).id, id);
    assert.ok(isFormatId('alpaca'));
    assert.ok(!isFormatId('alpacca'));
    assert.throws(() => getFormat('nope'), /Unknown dataset format "nope"/);
  });

  it("every format's JSON Schema is valid against JSON Schema's meta-schema (the registry skips that check at run time)", () => {
    const ajv = new Ajv({ strict: false });
    for (const f of allFormats()) assert.equal(ajv.validateSchema(f.schema), true, `${f.id}: ${ajv.errorsText(ajv.errors)}`);
    assert.equal(ajv.validateSchema({ type: 'objekt' }), false, 'the check can fail');
  });

  describe('each module example is detected as itself', () => {
    for (const f of allFormats()) it(f.id, () => assert.equal(best(f.example), f.id));
  });

  describe('look-alikes resolve as documented', () => {
    const u = (content: string) => ({ role: 'user', content });
    const a = (content: string) => ({ role: 'assistant', content });
    const cases: [string, unknown, string][] = [
      ['prompt/chosen/rejected strings without system: TRL', { prompt: 'q', chosen: 'a', rejected: 'b' }, 'trl-preference'],
      ['prompt/chosen/rejected strings with system: Axolotl prompt_pairs', { system: 's', prompt: 'q', chosen: 'a', rejected: 'b' }, 'axolotl-chatml-prompt-pairs'],
      ['message-list prompt: TRL conversational', { prompt: [u('q')], chosen: [a('a')], rejected: [a('b')] }, 'trl-preference'],
      ['string prompt, list answers: Axolotl ultra', { prompt: 'q', chosen: [u('q'), a('a')], rejected: [u('q'), a('b')] }, 'axolotl-chatml-ultra'],
      ['no prompt, list answers: TRL implicit', { chosen: [u('q'), a('a')], rejected: [u('q'), a('b')] }, 'trl-preference-implicit'],
      ['distilabel marks', { prompt: 'q', prompt_id: 'x', chosen: 'a', rejected: 'b', chosen_rating: 3 }, 'distilabel-dpo'],
      ['sharegpt without answers', { conversations: [{ from: 'human', value: 'q' }, { from: 'gpt', value: 'a' }] }, 'sharegpt'],
      ['sharegpt with answers', { conversations: [{ from: 'human', value: 'q' }], chosen: { from: 'gpt', value: 'a' }, rejected: { from: 'gpt', value: 'b' } }, 'sharegpt-preference'],
      ['messages without label: OpenAI chat', { messages: [u('q'), a('a')] }, 'openai-chat'],
      ['messages with boolean label: LLaMA-Factory KTO', { messages: [u('q'), a('a')], label: true }, 'llamafactory-kto'],
      ['messages with string label: still KTO', { messages: [u('q'), a('a')], label: 'true' }, 'llamafactory-kto'],
      ['alpaca with output', { instruction: 'q', input: '', output: 'a' }, 'alpaca'],
      ['alpaca with chosen/rejected', { instruction: 'q', chosen: 'a', rejected: 'b' }, 'alpaca-preference'],
      ['instruction + chosen_response: Axolotl argilla', { instruction: 'q', chosen_response: 'a', rejected_response: 'b' }, 'axolotl-chatml-argilla'],
      ['prompt/completion', { prompt: 'q', completion: 'a' }, 'trl-prompt-completion'],
      ['prompt/completion/label', { prompt: 'q', completion: 'a', label: false }, 'trl-unpaired'],
      ['text only', { text: 'x' }, 'trl-text'],
      ['LLaMA-Factory v1 preference', { chosen_messages: [u('q'), a('a')], rejected_messages: [u('q'), a('b')] }, 'trl-preference-implicit'],
    ];
    for (const [name, rec, id] of cases) it(name, () => assert.equal(best(rec), id));
  });

  it('scores are sorted, in 0..1, and non-matching formats are left out', () => {
    const s = scoreRecord({ prompt: 'q', chosen: 'a', rejected: 'b' });
    for (let i = 1; i < s.length; i++) assert.ok(s[i - 1].score >= s[i].score);
    for (const x of s) assert.ok(x.score > 0 && x.score <= 1);
    assert.ok(!s.some((x) => x.id === 'alpaca'));
    assert.deepEqual(scoreRecord('not an object'), []);
    assert.deepEqual(scoreRecord({ unrelated: 1 }), []);
  });

  it('detectFormat votes by majority', () => {
    const d = detectFormat([{ text: 'a' }, { text: 'b' }, { messages: [{ role: 'user', content: 'q' }] }, 7]);
    assert.deepEqual(d, { id: 'trl-text', share: 2 / 3 });
    assert.equal(detectFormat([]), undefined);
  });
});
