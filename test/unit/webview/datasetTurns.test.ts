/** How the Dataset View reads chat turns (webview-ui/datasetView/logic/turns.ts) and which side the host draws each speaker on (chatSide, roleSides). */
import * as assert from 'node:assert/strict';
import { asTurn, asTurns, valueAt } from '../../../webview-ui/datasetView/logic/turns';
import { roleSides } from '../../../src/core/datasetIndex/recordFacts';
import { chatSide } from '../../../src/core/formats/roleNames';

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

  it("maps the roles of the formats to the sides of the chat, as the core's role vocabulary reads them", () => {
    // ShareGPT's FastChat tags (chatgpt, bing, bard) are the model's side for the validator, and so for the view.
    for (const r of ['assistant', 'gpt', 'model', 'bot', 'function_call', 'chatgpt', 'bing', 'bard']) assert.equal(chatSide(r), 'assistant', r);
    for (const r of ['user', 'human']) assert.equal(chatSide(r), 'user', r);
    for (const r of ['system', 'developer']) assert.equal(chatSide(r), 'system', r);
    for (const r of ['tool', 'function', 'observation', 'ipython', 'Assistant', '', 'constructor', '__proto__']) assert.equal(chatSide(r), 'tool', r);
  });

  it('the host names the side of every speaker of a card, by the name as written', () => {
    const v = { system: 'Be brief.', conversations: [{ from: 'human', value: 'q' }, { from: 'gpt', value: 'a' }, { from: 'observation', value: '{}' }], chosen: { role: 'model', content: 'x' } };
    assert.deepEqual(Object.entries(roleSides(v)), [['human', 'user'], ['gpt', 'assistant'], ['observation', 'tool'], ['model', 'assistant']]);
    // Speaker names are data: '__proto__' is a name like any other, not the map's prototype.
    const hostile = roleSides({ messages: [{ role: '__proto__', content: 'x' }, { role: 'toString', content: 'y' }, { role: 'user', content: 'z' }] });
    assert.deepEqual(Object.entries(hostile), [['__proto__', 'tool'], ['toString', 'tool'], ['user', 'user']]);
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
