import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { appendToJsonArray, openDatasetAppender } from '../../../src/core/generation/datasetAppender';
import { readDatasetRows } from '../../../src/core/labeling/datasetRows';
import type { InputProblem } from '../../../src/core/labeling/pairQueue';
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

  it('a .jsonl file of bare message lists (xtuner) is JSON Lines to the appender and the row reader, as to the validator', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-bare-'));
    try {
      const file = path.join(dir, 'xtuner.jsonl');
      const lines = [[{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }], [{ role: 'user', content: 'c' }, { role: 'assistant', content: 'd' }]].map((l) => JSON.stringify(l));
      fs.writeFileSync(file, lines.join('\n') + '\n');
      const problems: InputProblem[] = [];
      const rows = [];
      for await (const r of readDatasetRows(file, problems)) rows.push(r);
      assert.deepEqual([rows.length, rows[1].line, problems], [2, 2, []]);
      const added = { messages: [{ role: 'user', content: 'e' }, { role: 'assistant', content: 'f' }] };
      const appender = await openDatasetAppender(file);
      await appender.append(added);
      await appender.close();
      assert.equal(fs.readFileSync(file, 'utf8'), [...lines, JSON.stringify(added)].join('\n') + '\n');
      // A .json file opening with "[" is still an array.
      const array = path.join(dir, 'demo.json');
      fs.writeFileSync(array, '[\n  {"a": 1}\n]\n');
      const a = await openDatasetAppender(array);
      await a.append({ b: 2 });
      await a.close();
      assert.deepEqual(JSON.parse(fs.readFileSync(array, 'utf8')), [{ a: 1 }, { b: 2 }]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
