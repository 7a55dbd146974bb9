import * as assert from 'node:assert/strict';
import { appendToJsonArray } from '../../../src/core/generation/datasetAppender';
import { buildSyntheticMessages, firstJsonObject, parseRecordReply } from '../../../src/core/generation/syntheticPrompt';
import { getFormat } from '../../../src/core/formats/registry';

describe('synthetic records: prompt and reply parsing', () => {
  it('shows the topic, the format and each seed record as JSON between example tags', () => {
    const seeds = [
      { instruction: 'Add 2 and 3.', input: '', output: '5' },
      { instruction: 'Name a prime.', input: '', output: '7' },
    ];
    const msgs = buildSyntheticMessages(getFormat('alpaca'), '  arithmetic for children ', seeds);
    assert.deepEqual(
      msgs.map((m) => m.role),
      ['system', 'user'],
    );
    const user = msgs[1].content;
    assert.ok(user.startsWith('Topic of the new record: arithmetic for children\n'), user);
    assert.ok(user.includes('(alpaca)'));
    const shown = [...user.matchAll(/<example>\n([\s\S]*?)\n<\/example>/g)].map((m) => JSON.parse(m[1]) as unknown);
    assert.deepEqual(shown, seeds);
  });

  it('reads a bare object, a fenced one, one wrapped in prose, and strings with braces', () => {
    assert.deepEqual(parseRecordReply('{"a": 1}'), { ok: true, value: { a: 1 } });
    assert.deepEqual(parseRecordReply('Sure!\n```json\n{"a": "x"}\n```\nHope it helps.'), { ok: true, value: { a: 'x' } });
    assert.deepEqual(parseRecordReply('```\n{"a": 2}\n```'), { ok: true, value: { a: 2 } });
    assert.deepEqual(parseRecordReply('Here: {"a": "} \\" {", "b": {"c": []}} and more {"d": 1}'), { ok: true, value: { a: '} " {', b: { c: [] } } });
    // A list: its first object is the record.
    assert.deepEqual(parseRecordReply('[{"a": 1}, {"a": 2}]'), { ok: true, value: { a: 1 } });
    assert.equal(firstJsonObject('no object'), undefined);
  });

  it('gives reasons for replies that hold no record', () => {
    for (const [reply, reason] of [
      ['', 'the reply is empty'],
      ['I cannot help with that.', 'the reply holds no JSON object'],
      ['{"a": 1,', 'the reply is not valid JSON'],
      ['[1, 2]', 'the reply holds no JSON object'],
    ] as const) {
      const r = parseRecordReply(reply);
      assert.equal(r.ok, false, reply);
      assert.equal(!r.ok && r.reason, reason, reply);
    }
  });

  it('appends to a JSON array keeping every existing byte and the file’s indentation', () => {
    const file = Buffer.from('[\n  {\n    "a": 1\n  }\n]\n');
    const out = appendToJsonArray(file, [{ b: 2 }, { c: 'x' }]).toString('utf8');
    assert.equal(out, '[\n  {\n    "a": 1\n  },\n  {\n    "b": 2\n  },\n  {\n    "c": "x"\n  }\n]\n');
    assert.deepEqual(JSON.parse(out), [{ a: 1 }, { b: 2 }, { c: 'x' }]);
    assert.deepEqual(JSON.parse(appendToJsonArray(Buffer.from('[]'), [{ a: 1 }]).toString()), [{ a: 1 }]);
    assert.deepEqual(JSON.parse(appendToJsonArray(Buffer.from('\ufeff[{"a":1}]'), [{ b: 2 }]).toString().slice(1)), [{ a: 1 }, { b: 2 }]);
    assert.throws(() => appendToJsonArray(Buffer.from('[{"a": 1}'), [{ b: 2 }]), /closing "\]"/);
    // CRLF (a Windows checkout) stays CRLF throughout.
    const crlf = appendToJsonArray(Buffer.from('[\r\n  {\r\n    "a": 1\r\n  }\r\n]\r\n'), [{ b: 2 }]).toString('utf8');
    assert.equal(crlf, '[\r\n  {\r\n    "a": 1\r\n  },\r\n  {\r\n    "b": 2\r\n  }\r\n]\r\n');
  });
});
