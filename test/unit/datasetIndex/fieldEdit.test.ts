import * as assert from 'node:assert/strict';
import { stringTokenEdit } from '../../../src/core/datasetIndex/fieldEdit';

describe('datasetIndex: stringTokenEdit', () => {
  const rec = '{"conversations": [{"from": "human", "value": "Caf\\u00e9 \\"one\\""}], "chosen": {"from": "gpt", "value": "x"}}';

  it('replaces exactly the string token at a path with the new value JSON-encoded', () => {
    const e = stringTokenEdit(rec, ['conversations', 0, 'value'], 'Two\nlines "quoted" </script>', 'Café "one"');
    assert.ok(!('error' in e));
    const out = rec.slice(0, e.offset) + e.newText + rec.slice(e.offset + e.length);
    assert.equal(rec.slice(e.offset, e.offset + e.length), '"Caf\\u00e9 \\"one\\""');
    assert.equal(out, rec.replace('"Caf\\u00e9 \\"one\\""', '"Two\\nlines \\"quoted\\" </script>"'));
    assert.equal((JSON.parse(out) as { conversations: { value: string }[] }).conversations[0].value, 'Two\nlines "quoted" </script>');
  });

  it('refuses a path that is missing, not a string, or whose value changed since it was shown', () => {
    assert.match((stringTokenEdit(rec, ['rejected'], 'v') as { error: string }).error, /no field rejected/);
    assert.match((stringTokenEdit(rec, ['chosen'], 'v') as { error: string }).error, /not a string/);
    assert.match((stringTokenEdit(rec, ['chosen', 'value'], 'v', 'y') as { error: string }).error, /changed since/);
    assert.match((stringTokenEdit('[1]', [0], 'v') as { error: string }).error, /not a JSON object/);
    assert.match((stringTokenEdit('['.repeat(100000), [0], 'v') as { error: string }).error, /./);
  });

  it('edits a bare message list (xtuner) through the path the Dataset View shows, {"messages": list}', () => {
    const rec = '[{"role": "user", "content": "q"}, {"role": "assistant", "content": "old"}]';
    const e = stringTokenEdit(rec, ['messages', 1, 'content'], 'new', 'old');
    assert.ok(!('error' in e));
    const out = rec.slice(0, e.offset) + e.newText + rec.slice(e.offset + e.length);
    assert.deepEqual(JSON.parse(out), [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'new' }]);
  });
});
