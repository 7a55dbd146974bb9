import * as assert from 'node:assert/strict';
import type { FormatId } from '../../../src/core/formats/formatModule';
import { allFormats, getFormat } from '../../../src/core/formats/registry';
import type { CanonicalRecord } from '../../../src/core/model';
import { VALID } from './ruleCases';

function via(a: FormatId, b: FormatId, record: Record<string, unknown>) {
  const A = getFormat(a);
  const B = getFormat(b);
  const mid = B.fromCanonical(A.toCanonical(record));
  assert.ok(mid.record, `${b} could not hold it: ${JSON.stringify(mid.lost)}`);
  const canon = B.toCanonical(mid.record);
  delete (canon as { meta?: unknown }).meta; // B's own layout hints must not help A
  return { mid, back: A.fromCanonical(canon) };
}

const u = (content: string) => ({ role: 'user', content });
const a = (content: string) => ({ role: 'assistant', content });

describe('canonical round trips', () => {
  describe('A -> canonical -> A is deep-equal and loses nothing', () => {
    for (const f of allFormats()) {
      it(`${f.id} example`, () => {
        const back = f.fromCanonical(f.toCanonical(f.example));
        assert.deepEqual(back, { record: f.example, lost: [] });
      });
    }
    for (const v of VALID) {
      it(`${v.format}: ${JSON.stringify(v.record).slice(0, 60)}`, () => {
        const f = getFormat(v.format);
        assert.deepEqual(f.fromCanonical(f.toCanonical(v.record, v.options), v.options), { record: v.record, lost: [] });
      });
    }
    it('extra top-level keys survive', () => {
      const r = { id: 7, source: 'web', instruction: 'q', input: '', output: 'a' };
      assert.deepEqual(getFormat('alpaca').fromCanonical(getFormat('alpaca').toCanonical(r)).record, r);
    });
  });

  describe('A -> B -> A where B can hold everything', () => {
    const pairs: [FormatId, FormatId, Record<string, unknown>][] = [
      ['sharegpt', 'openai-chat', {
        conversations: [{ from: 'human', value: 'weather?' }, { from: 'function_call', value: '{"name": "w", "arguments": {"city": "Oslo"}}' }, { from: 'observation', value: 'rain' }, { from: 'gpt', value: 'Rain.' }],
        system: 'sys',
        tools: '[{"name": "w", "parameters": {"type": "object"}}]',
      }],
      ['openai-chat', 'sharegpt', { messages: [{ role: 'system', content: 's' }, u('q'), a('x'), u('q2'), a('y')] }],
      ['alpaca', 'sharegpt', { instruction: 'q', input: '', output: 'a', history: [['h1', 'h2']], system: 's' }],
      ['alpaca', 'openai-chat', { instruction: 'q', input: '', output: 'a' }],
      ['alpaca-preference', 'sharegpt-preference', { instruction: 'q', input: '', chosen: 'a', rejected: 'b' }],
      ['sharegpt-preference', 'trl-preference', { conversations: [{ from: 'system', value: 's' }, { from: 'human', value: 'q' }], chosen: { from: 'gpt', value: 'a' }, rejected: { from: 'gpt', value: 'b' } }],
      ['sharegpt-preference', 'openai-dpo', { conversations: [{ from: 'human', value: 'q' }, { from: 'gpt', value: 'a0' }, { from: 'human', value: 'q2' }], chosen: { from: 'gpt', value: 'a' }, rejected: { from: 'gpt', value: 'b' } }],
      ['trl-preference', 'axolotl-chatml-prompt-pairs', { prompt: [u('q')], chosen: [a('a')], rejected: [a('b')] }],
      ['axolotl-chatml-intel', 'axolotl-chatml-argilla', { system: 's', question: 'q', chosen: 'a', rejected: 'b' }],
      ['trl-preference-implicit', 'trl-preference', { chosen: [u('q'), a('a')], rejected: [u('q'), a('b')] }],
      ['axolotl-chatml-ultra', 'trl-preference', { prompt: 'q', chosen: [u('q'), a('a')], rejected: [u('q'), a('b')] }],
      ['llamafactory-kto', 'trl-unpaired', { messages: [u('q'), a('a')], label: true }],
      ['trl-prompt-completion', 'openai-chat', { prompt: [u('q')], completion: [a('a')] }],
      ['labelstudio-pairwise', 'candidates', { id: 'k', prompt: 'q', answer1: 'x', answer2: 'y' }],
      ['query-response', 'sharegpt', { system: 's', query: 'q2', response: 'a2', history: [['q1', 'a1']] }],
      ['query-response', 'alpaca', { query: 'q', response: 'a' }],
      ['swift-preference', 'trl-preference', { messages: [{ role: 'system', content: 's' }, u('q'), a('a')], rejected_response: 'b' }],
      ['rl-prompt-messages', 'trl-prompt-only', { messages: [{ role: 'system', content: 's' }, u('q')] }],
      ['torchtune-stack-exchange-paired', 'alpaca-preference', { question: 'q', response_j: 'a', response_k: 'b' }],
      ['swift-conversation', 'sharegpt', { system: 's', conversation: [{ human: 'q1', assistant: 'a1' }, { human: 'q2', assistant: 'a2' }] }],
      ['instruct-response', 'query-response', { instruction: 'q', input: '', response: 'a' }],
    ];
    for (const [x, y, rec] of pairs) {
      it(`${x} -> ${y} -> ${x}`, () => {
        assert.deepEqual(getFormat(x).detect(rec) > 0.5, true);
        const { mid, back } = via(x, y, rec);
        assert.deepEqual(mid.lost, []);
        assert.deepEqual(back, { record: rec, lost: [] });
      });
    }
  });

  describe('losses are reported, never silent', () => {
    const sft: CanonicalRecord = {
      type: 'sft',
      system: 'sys',
      messages: [u('q') as never, { role: 'assistant', content: '', toolCalls: [{ name: 'f', arguments: '{}' }] }, { role: 'tool', content: '1' }, { role: 'assistant', content: 'done', weight: 1 }],
    };
    it('tool calls and weights into alpaca', () => {
      const r = getFormat('alpaca').fromCanonical(sft);
      assert.deepEqual(r.record, { instruction: 'q', input: '', output: 'done', system: 'sys' });
      const fields = r.lost.map((l) => l.field);
      assert.ok(fields.includes('messages[1].toolCalls'), JSON.stringify(r.lost));
      assert.ok(fields.includes('messages[2]'));
      assert.ok(fields.includes('messages[3].weight'));
    });
    it('weights into ShareGPT', () => {
      const r = getFormat('sharegpt').fromCanonical(sft);
      assert.deepEqual(r.lost, [{ field: 'messages[3].weight', reason: 'ShareGPT turns carry no per-message weight' }]);
    });
    it('system prompt into a format without one', () => {
      const pref: CanonicalRecord = { type: 'preference', prompt: [{ role: 'system', content: 's' }, u('q') as never], chosen: [a('x') as never], rejected: [a('y') as never] };
      const r = getFormat('trl-preference').fromCanonical(pref, { variant: 'standard' });
      assert.deepEqual(r.record, { prompt: 'q', chosen: 'x', rejected: 'y' });
      assert.deepEqual(r.lost.map((l) => l.field), ['prompt[0]']);
    });
    it('multi-turn answers into OpenAI DPO cannot be written', () => {
      const pref: CanonicalRecord = { type: 'preference', prompt: [u('q') as never], chosen: [a('x') as never, a('y') as never], rejected: [a('z') as never] };
      const r = getFormat('openai-dpo').fromCanonical(pref);
      assert.equal(r.record, undefined);
      assert.equal(r.lost[0].field, 'chosen');
    });
    it('multi-turn prompt into alpaca-preference goes to history, not lost', () => {
      const pref: CanonicalRecord = { type: 'preference', prompt: [u('q1') as never, a('a1') as never, u('q2') as never], chosen: [a('x') as never], rejected: [a('y') as never] };
      const r = getFormat('alpaca-preference').fromCanonical(pref);
      assert.deepEqual(r, { record: { instruction: 'q2', input: '', history: [['q1', 'a1']], chosen: 'x', rejected: 'y' }, lost: [] });
    });
    it('a record of another kind is refused with a reason', () => {
      const r = getFormat('sharegpt').fromCanonical({ type: 'text', text: 'x' });
      assert.equal(r.record, undefined);
      assert.match(r.lost[0].reason, /not text/);
    });
    it('LLaMA-Factory v1 typed parts are kept only by the same format', () => {
      const v1 = { messages: [{ role: 'user', content: [{ type: 'text', value: 'q' }], loss_weight: 0 }, { role: 'assistant', content: [{ type: 'text', value: 'a' }], loss_weight: 1 }] };
      const canon = getFormat('openai-chat').toCanonical(v1);
      assert.deepEqual(canon.type === 'sft' && canon.messages.map((m) => [m.role, m.content, m.weight]), [['user', 'q', 0], ['assistant', 'a', 1]]);
      const sg = getFormat('sharegpt').fromCanonical(canon);
      assert.deepEqual(sg.record, { conversations: [{ from: 'human', value: 'q' }, { from: 'gpt', value: 'a' }] });
      assert.equal(sg.lost.length, 2);
    });
    it('candidates with three responses into a pairwise task keep two', () => {
      const c: CanonicalRecord = { type: 'candidates', id: 'i', prompt: [u('q') as never], responses: [{ model: 'answer1', content: 'x' }, { model: 'answer2', content: 'y' }, { model: 'm3', content: 'z' }] };
      const r = getFormat('labelstudio-pairwise').fromCanonical(c);
      assert.deepEqual(r.record, { id: 'i', prompt: 'q', answer1: 'x', answer2: 'y' });
      assert.deepEqual(r.lost.map((l) => l.field), ['responses']);
    });
  });
});
