/** Messages that name the fix: a problem that is really another dataset type says which one. */
import * as assert from 'node:assert/strict';
import { checkRecord } from '../../../src/core/formats/registry';
import { validateText } from '../../../src/core/validate/pipeline';

describe('messages that name the fix', () => {
  it('a messages record ending with the user and no answer, read as chat, names the RL prompt format', () => {
    const [r] = checkRecord('openai-chat', { messages: [{ role: 'system', content: 's' }, { role: 'user', content: 'q' }] });
    assert.equal(r.rule, 'openai/missing-assistant');
    assert.match(r.message, /prompt set for GRPO, PPO or reinforcement fine-tuning, its format is rl-prompt-messages/);
    // No such hint when the conversation does not end with the user.
    const [s] = checkRecord('openai-chat', { messages: [{ role: 'system', content: 's' }] });
    assert.doesNotMatch(s.message, /rl-prompt-messages/);
  });

  it('instruction + response read as Alpaca names instruct-response', () => {
    const r = validateText('{"instruction":"a","response":"b"}\n', { fileName: 'x.jsonl', format: 'alpaca' });
    assert.equal(r.problems[0].rule, 'format/mixed-format');
    assert.match(r.problems[0].message, /looks like instruct-response/);
  });
});
