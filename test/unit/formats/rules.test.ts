import * as assert from 'node:assert/strict';
import { checkRecord, getFormat, schemaCheck } from '../../../src/core/formats/registry';
import type { RuleReport } from '../../../src/core/formats/formatModule';
import { INVALID, VALID } from './ruleCases';

function run(format: Parameters<typeof checkRecord>[0], record: unknown, options?: Parameters<typeof checkRecord>[2]): RuleReport[] {
  return checkRecord(format, record, options);
}

function shape(r: RuleReport): Record<string, unknown> {
  const o: Record<string, unknown> = { rule: r.rule, path: r.path, severity: r.severity };
  if (r.target === 'key') o.target = 'key';
  return o;
}

describe('format rules', () => {
  describe('valid records produce no reports', () => {
    for (const v of VALID) {
      it(`${v.format}: ${JSON.stringify(v.record).slice(0, 70)}`, () => {
        assert.deepEqual(run(v.format, v.record, v.options), []);
      });
    }
  });

  describe('every module example is valid', () => {
    for (const v of VALID.map((x) => x.format).filter((f, i, all) => all.indexOf(f) === i)) {
      it(v, () => assert.deepEqual(run(v, getFormat(v).example), []));
    }
  });

  describe('invalid records produce exactly the expected reports', () => {
    for (const c of INVALID) {
      it(`${c.format}: ${c.name}`, () => {
        const got = run(c.format, c.record, c.options);
        assert.deepEqual(got.map(shape), c.expect, JSON.stringify(got, null, 1));
        for (const r of got) {
          assert.ok(r.message.length > 10, 'a message that says something');
        }
      });
    }
  });

  it('messages name the field and the trainer', () => {
    const [alt] = run('sharegpt', { conversations: [{ from: 'human', value: 'a' }, { from: 'human', value: 'b' }] });
    assert.match(alt.message, /^LLaMA-Factory drops this record/);
    assert.match(alt.message, /turn 2 is "human" at an assistant position/);
    const [typ] = schemaCheck('alpaca', { instruction: 'x', output: 5 });
    assert.equal(typ.message, '"output" must be a string, not the number 5');
    const [kto] = run('llamafactory-kto', { messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }], label: 'true' });
    assert.match(kto.message, /"label" is the string "true" \(write true\)/);
    const [tag] = run('sharegpt', { conversations: [{ from: 'user', value: 'a' }, { from: 'gpt', value: 'b' }] });
    assert.match(tag.message, /^LLaMA-Factory and torchtune drop this record \(Invalid role tag\): turn 1 has "from": "user", which is an OpenAI role \(ms-swift, Axolotl and TRL read it as it is\); this dataset uses "human"$/);
  });

  it('check is silent for records whose variant is pinned and matches', () => {
    assert.deepEqual(run('trl-preference', { prompt: 'a', chosen: 'b', rejected: 'c' }, { variant: 'standard' }), []);
  });
});
