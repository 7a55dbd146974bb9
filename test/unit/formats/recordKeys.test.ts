import * as assert from 'node:assert/strict';
import { preferenceKey, promptKey } from '../../../src/core/formats/recordKeys';
import { getFormat } from '../../../src/core/formats/registry';

describe('record keys for file-level rules', () => {
  const trl = getFormat('trl-preference');
  const sg = getFormat('sharegpt-preference');

  it('the same prompt in two formats has the same key', () => {
    const a = trl.toCanonical({ prompt: [{ role: 'user', content: 'q' }], chosen: [{ role: 'assistant', content: 'x' }], rejected: [{ role: 'assistant', content: 'y' }] });
    const b = sg.toCanonical({ conversations: [{ from: 'human', value: 'q' }], chosen: { from: 'gpt', value: 'y' }, rejected: { from: 'gpt', value: 'x' } });
    assert.equal(promptKey(a), promptKey(b));
    const ka = preferenceKey(a)!;
    const kb = preferenceKey(b)!;
    assert.equal(ka.key, kb.key, 'same prompt and pair');
    assert.notEqual(ka.swapped, kb.swapped, 'opposite preferences contradict');
  });

  it('different prompts or pairs differ', () => {
    const a = trl.toCanonical({ prompt: 'q', chosen: 'x', rejected: 'y' });
    const b = trl.toCanonical({ prompt: 'q2', chosen: 'x', rejected: 'y' });
    const c = trl.toCanonical({ prompt: 'q', chosen: 'x', rejected: 'z' });
    assert.notEqual(promptKey(a), promptKey(b));
    assert.notEqual(preferenceKey(a)!.key, preferenceKey(c)!.key);
    assert.equal(preferenceKey(a)!.swapped, preferenceKey(trl.toCanonical({ prompt: 'q', chosen: 'x', rejected: 'y' }))!.swapped);
  });

  it('SFT prompt key is everything before the final answer; text has none', () => {
    const s1 = getFormat('alpaca').toCanonical({ instruction: 'q', input: '', output: 'a1' });
    const s2 = getFormat('openai-chat').toCanonical({ messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a2' }] });
    assert.equal(promptKey(s1), promptKey(s2));
    assert.equal(promptKey({ type: 'text', text: 'x' }), undefined);
    assert.equal(preferenceKey(s1), undefined);
  });
});
