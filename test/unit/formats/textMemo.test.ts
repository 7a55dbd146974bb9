import * as assert from 'node:assert/strict';
import { TextMemo } from '../../../src/core/formats/textMemo';
import { getFormat } from '../../../src/core/formats/registry';
import type { RuleReport } from '../../../src/core/formats/formatModule';

describe('TextMemo (results per repeated string)', () => {
  it('computes once per distinct string, for fresh copies of it too', () => {
    const memo = new TextMemo<number>();
    let calls = 0;
    const compute = (t: string) => {
      calls++;
      return t.length;
    };
    const tools = JSON.stringify([{ name: 'get_weather', parameters: { type: 'object', required: ['city'] } }]);
    for (let i = 0; i < 5; i++) assert.equal(memo.get((JSON.parse(JSON.stringify({ tools })) as { tools: string }).tools, compute), tools.length);
    assert.equal(calls, 1);
  });

  it('never answers for another string whose sampled characters are the same', () => {
    // Same length, differing only at one position between the samples: the same key, other strings.
    const memo = new TextMemo<string>();
    const base = 'x'.repeat(1000);
    // (Samples fall every 62.5 characters: at 500 and 562, not 530.)
    const a = base.slice(0, 530) + 'A' + base.slice(531);
    const b = base.slice(0, 530) + 'B' + base.slice(531);
    const seen: string[] = [];
    const compute = (t: string) => {
      seen.push(t[530]);
      return t[530];
    };
    assert.deepEqual([memo.get(a, compute), memo.get(b, compute), memo.get(a, compute), memo.get(a, compute)], ['A', 'B', 'A', 'A']);
    assert.deepEqual(seen, ['A', 'B', 'A']);
  });

  it('keeps at most its limit of strings', () => {
    const memo = new TextMemo<number>(4);
    let calls = 0;
    for (let round = 0; round < 2; round++) for (let i = 0; i < 10; i++) memo.get(`tools ${i}`, () => ++calls);
    assert.ok(calls > 10, 'ten strings through a memo of four are computed again in the second round');
    assert.equal(memo.get('', () => -1), -1);
  });

  it('the sharegpt rules give each record its own verdict on its tools text', () => {
    const f = getFormat('sharegpt');
    const good = JSON.stringify([{ name: 'f', description: 'd', parameters: {} }]);
    // The same length and ends as `good`, broken in the middle.
    const bad = good.slice(0, 10) + '\u0000' + good.slice(11);
    const rules = (tools: string) => {
      const out: string[] = [];
      f.check({ conversations: [{ from: 'human', value: 'hi' }, { from: 'gpt', value: 'hello' }], tools }, (r: RuleReport) => out.push(r.rule));
      return out;
    };
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(rules(good), []);
      assert.deepEqual(rules(bad), ['llamafactory/tools-not-json']);
    }
  });
});
