/** How the Dataset View reads chat turns and maps roles to sides (webview-ui/datasetView/logic/turns.ts). */
import * as assert from 'node:assert/strict';
import { asTurn, asTurns, sideOf, valueAt } from '../../../webview-ui/datasetView/logic/turns';

describe('Dataset View turns and roles', () => {
  it('reads OpenAI role/content and ShareGPT from/value turns, with the key to edit', () => {
    assert.deepEqual(asTurn({ role: 'user', content: 'hi' }), { role: 'user', content: 'hi', key: 'content' });
    assert.deepEqual(asTurn({ from: 'gpt', value: 'hello' }), { role: 'gpt', content: 'hello', key: 'value' });
    assert.deepEqual(asTurn({ role: 'assistant', content: null }), { role: 'assistant', content: null, key: 'content' });
  });

  it('anything without a string role is not a turn', () => {
    for (const v of [null, 'user', 3, [], ['a'], {}, { role: 1, content: 'x' }, { content: 'x' }, { from: null, value: 'x' }]) assert.equal(asTurn(v), undefined, JSON.stringify(v));
  });

  it('a list is a chat only when every item is a turn and it is not empty', () => {
    assert.equal(asTurns([]), undefined);
    assert.equal(asTurns([{ role: 'user', content: 'a' }, 'b']), undefined);
    assert.equal(asTurns({ role: 'user', content: 'a' }), undefined);
    assert.deepEqual(asTurns([{ from: 'human', value: 'q' }, { from: 'gpt', value: 'a' }])?.map((t) => t.role), ['human', 'gpt']);
  });

  it('maps the roles of the formats to the sides of the chat', () => {
    for (const r of ['assistant', 'gpt', 'model', 'bot', 'function_call']) assert.equal(sideOf(r), 'assistant', r);
    for (const r of ['user', 'human']) assert.equal(sideOf(r), 'user', r);
    assert.equal(sideOf('system'), 'system');
    for (const r of ['tool', 'function', 'observation', 'ipython', 'Assistant', '']) assert.equal(sideOf(r), 'tool', r);
  });

  it('valueAt follows a JSON path and stops at what is not there', () => {
    const v = { messages: [{ role: 'user', content: 'hi' }], meta: { n: 1 } };
    assert.equal(valueAt(v, ['messages', 0, 'content']), 'hi');
    assert.equal(valueAt(v, ['meta', 'n']), 1);
    assert.equal(valueAt(v, ['messages', 3, 'content']), undefined);
    assert.equal(valueAt(v, ['meta', 'n', 'x']), undefined);
    assert.equal(valueAt(undefined, ['a']), undefined);
    assert.deepEqual(valueAt(v, []), v);
  });
});
