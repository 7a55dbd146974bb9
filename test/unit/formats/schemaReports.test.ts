import * as assert from 'node:assert/strict';
import { schemaCheck } from '../../../src/core/formats/registry';
import { pathLabel, pointerToPath } from '../../../src/core/formats/schemaReports';

describe('schema reports', () => {
  it('splits JSON pointers into keys and indices, unescaping ~1 and ~0', () => {
    assert.deepEqual(pointerToPath(''), []);
    assert.deepEqual(pointerToPath('/messages/0/content'), ['messages', 0, 'content']);
    assert.deepEqual(pointerToPath('/a~1b/c~0d/01'), ['a/b', 'c~d', '01']);
    assert.equal(pathLabel(['messages', 2, 'content']), '"messages[2].content"');
    assert.equal(pathLabel([]), 'the record');
  });

  it('reports every problem of a record (allErrors), each once', () => {
    const reps = schemaCheck('alpaca', { instruction: 1, output: null, history: 'x' });
    assert.deepEqual(reps.map((r) => [r.rule, r.path]), [
      ['schema/type', ['instruction']],
      ['schema/type', ['history']],
      ['schema/type', ['output']],
    ]);
    assert.equal(reps[1].message, '"history" must be a list or null, not a string');
  });

  it('collapses anyOf cascades into one report naming the alternatives', () => {
    const reps = schemaCheck('trl-preference-implicit', { chosen: 'a' });
    assert.equal(reps.length, 1);
    assert.equal(reps[0].rule, 'schema/anyOf');
    assert.equal(reps[0].message, 'the record needs "rejected", or "chosen_messages" and "rejected_messages"');
    const kto = schemaCheck('llamafactory-kto', { label: true });
    assert.equal(kto[0].message, 'the record needs "messages", or "conversations"');
  });

  it('points at a misspelt key instead of only saying a key is missing', () => {
    const reps = schemaCheck('sharegpt-preference', { conversation: [], chosen: { from: 'gpt', value: 'a' }, rejected: { from: 'gpt', value: 'b' } });
    assert.deepEqual(reps, [{
      path: ['conversation'], target: 'key', severity: 'error', rule: 'common/misspelt-key',
      message: '"conversation" looks like a misspelling of "conversations", which is required',
    }]);
    // A key the format itself defines is not taken for a misspelling.
    const ok = schemaCheck('alpaca', { input: 'x', output: 'y' });
    assert.equal(ok[0].rule, 'schema/required');
  });

  it('nested misspelling inside a message', () => {
    const reps = schemaCheck('openai-dpo', { input: { mesages: [] }, preferred_output: [], non_preferred_output: [] });
    assert.deepEqual(reps.map((r) => [r.rule, r.path, r.target]), [['common/misspelt-key', ['input', 'mesages'], 'key']]);
  });

  it('rejects non-objects plainly', () => {
    assert.equal(schemaCheck('trl-text', null)[0].message, 'each record must be a JSON object, not null (Plain text (language modelling / pre-training))');
    assert.equal(schemaCheck('trl-text', [1])[0].rule, 'schema/type');
  });

  it('returns an empty list for a valid record and reuses the compiled validator', () => {
    for (let i = 0; i < 3; i++) assert.deepEqual(schemaCheck('trl-text', { text: 'x' }), []);
  });
});
