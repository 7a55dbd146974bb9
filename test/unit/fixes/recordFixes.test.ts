import * as assert from 'node:assert/strict';
import { getFormat } from '../../../src/core/formats/registry';
import type { FormatId } from '../../../src/core/formats/formatModule';
import { arrayElementDeletion, fixesFor, type RecordEdit } from '../../../src/core/fixes/recordFixes';
import { validateRecordText } from '../../../src/core/validate/pipeline';

function apply(text: string, edits: RecordEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.offset - a.offset)) out = out.slice(0, e.offset) + e.text + out.slice(e.offset + e.length);
  return out;
}

/** Validates one record, applies the first fix of the named rule, and returns the new text and its problems. */
function fixOnce(text: string, format: FormatId, rule: string, options?: Parameters<typeof fixesFor>[3]) {
  const { problems } = validateRecordText(text, format, 1, 0, 1, { formatOptions: options });
  const p = problems.find((x) => x.rule === rule);
  assert.ok(p, `expected ${rule} in ${JSON.stringify(problems.map((x) => x.rule))}`);
  const fixes = fixesFor({ rule: p.rule, message: p.message, start: p.offset!, end: p.endOffset! }, text, getFormat(format), options);
  assert.ok(fixes.length > 0, `a fix for ${rule}`);
  const out = apply(text, fixes[0].edits);
  return { out, title: fixes[0].title, after: validateRecordText(out, format, 1, 0, 1, { formatOptions: options }).problems };
}

describe('record quick fixes', () => {
  it('replaces an OpenAI role used as a ShareGPT tag, touching only that value', () => {
    const text = '{"conversations": [{"from": "user", "value": "Hi"}, {"from": "gpt", "value": "Hello"}]}';
    const r = fixOnce(text, 'sharegpt', 'sharegpt/openai-role-tag');
    assert.equal(r.out, '{"conversations": [{"from": "human", "value": "Hi"}, {"from": "gpt", "value": "Hello"}]}');
    assert.equal(r.title, 'Replace "user" with "human"');
    assert.deepEqual(r.after, []);
  });

  it('replaces a ShareGPT tag used as an OpenAI role', () => {
    const text = '{"messages": [{"role": "user", "content": "Hi"}, {"role": "gpt", "content": "Hello"}]}';
    const r = fixOnce(text, 'openai-chat', 'openai/sharegpt-role');
    assert.equal(r.out, '{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]}');
    assert.deepEqual(r.after, []);
  });

  it('renames from/value to role/content and back', () => {
    let text = '{"messages": [{"from": "user", "value": "Hi"}, {"role": "assistant", "content": "Hello"}]}';
    let r = fixOnce(text, 'openai-chat', 'openai/sharegpt-message-keys');
    text = r.out;
    r = fixOnce(text, 'openai-chat', 'openai/sharegpt-message-keys');
    assert.equal(r.out, '{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]}');
    assert.deepEqual(r.after, []);
    text = '{"conversations": [{"role": "human", "value": "Hi"}, {"from": "gpt", "value": "Hello"}]}';
    r = fixOnce(text, 'sharegpt', 'sharegpt/openai-message-keys');
    assert.equal(r.out, '{"conversations": [{"from": "human", "value": "Hi"}, {"from": "gpt", "value": "Hello"}]}');
  });

  it('does not rename onto a key the message already has', () => {
    const text = '{"messages": [{"from": "user", "role": "user", "content": "x"}]}';
    const fixes = fixesFor({ rule: 'openai/sharegpt-message-keys', message: 'rename "from" to "role"', start: text.indexOf('"from"'), end: text.indexOf('"from"') + 6 }, text);
    assert.deepEqual(fixes, []);
  });

  it("rewrites LLaMA-Factory's 2023 reward layout as alpaca-preference, the answers' text as written", () => {
    const text = '{"instruction": "Pick a prime.", "input": "", "output": ["7", "8 \\u00e9"]}';
    const { problems } = validateRecordText(text, 'alpaca', 1, 0, 1);
    assert.deepEqual(problems.map((p) => p.rule), ['llamafactory/old-reward-layout'], 'the layout named, not "must be a string"');
    const p = problems[0];
    const [fix] = fixesFor({ rule: p.rule, message: p.message, start: p.offset!, end: p.endOffset! }, text, getFormat('alpaca'));
    assert.equal(fix.title, 'Convert to alpaca-preference: "chosen" and "rejected"');
    const out = apply(text, fix.edits);
    assert.equal(out, '{"instruction": "Pick a prime.", "input": "", "chosen": "7", "rejected": "8 \\u00e9"}');
    assert.deepEqual(validateRecordText(out, 'alpaca-preference', 1, 0, 1).problems, []);
    // Three ranked answers: no fix that would drop one; the message names the ranked format.
    const three = '{"instruction": "Pick a prime.", "output": ["7", "9", "8"]}';
    const [q] = validateRecordText(three, 'alpaca', 1, 0, 1).problems;
    assert.match(q.message, /holds 3 answers, best first.*ranked format/);
    assert.deepEqual(fixesFor({ rule: q.rule, message: q.message, start: q.offset!, end: q.endOffset! }, three, getFormat('alpaca')), []);
  });

  it('writes a boolean KTO tag', () => {
    const text = '{"messages": [{"role": "user", "content": "Q"}, {"role": "assistant", "content": "A"}], "label": "true"}';
    const r = fixOnce(text, 'llamafactory-kto', 'llamafactory/kto-tag-not-boolean');
    assert.equal(r.out, '{"messages": [{"role": "user", "content": "Q"}, {"role": "assistant", "content": "A"}], "label": true}');
    assert.deepEqual(r.after, []);
  });

  it('swaps two turns that are only out of order', () => {
    const text = '{"conversations": [{"from": "gpt", "value": "A"}, {"from": "human", "value": "Q"}]}';
    const r = fixOnce(text, 'sharegpt', 'llamafactory/role-alternation');
    assert.equal(r.out, '{"conversations": [{"from": "human", "value": "Q"}, {"from": "gpt", "value": "A"}]}');
    assert.equal(r.title, 'Swap turns 1 and 2');
    assert.deepEqual(r.after, []);
    const tt = '{"messages": [{"role": "user", "content": "Q"}, {"role": "user", "content": "Q2"}, {"role": "assistant", "content": "A"}, {"role": "assistant", "content": "A2"}]}';
    const r2 = fixOnce(tt, 'openai-chat', 'torchtune/consecutive-user');
    assert.equal(r2.out, '{"messages": [{"role": "user", "content": "Q"}, {"role": "assistant", "content": "A"}, {"role": "user", "content": "Q2"}, {"role": "assistant", "content": "A2"}]}');
  });

  it('offers no swap when a swap cannot put the turns in order', () => {
    const text = '{"conversations": [{"from": "gpt", "value": "A"}, {"from": "gpt", "value": "B"}]}';
    const { problems } = validateRecordText(text, 'sharegpt', 1, 0);
    const p = problems.find((x) => x.rule === 'llamafactory/role-alternation')!;
    assert.deepEqual(fixesFor({ rule: p.rule, message: p.message, start: p.offset!, end: p.endOffset! }, text, getFormat('sharegpt')), []);
  });

  it('deletes an array element with one comma', () => {
    const text = '[\n  {"a": 1},\n  {"b": 2},\n  {"c": 3}\n]';
    const rec = (s: string) => ({ offset: text.indexOf(s), endOffset: text.indexOf(s) + s.length });
    const cutOut = (r: { start: number; end: number }) => text.slice(0, r.start) + text.slice(r.end);
    assert.equal(cutOut(arrayElementDeletion(rec('{"b": 2}'), rec('{"a": 1}'), rec('{"c": 3}'))), '[\n  {"a": 1},\n  {"c": 3}\n]');
    assert.equal(cutOut(arrayElementDeletion(rec('{"a": 1}'), undefined, rec('{"b": 2}'))), '[\n  {"b": 2},\n  {"c": 3}\n]');
    assert.equal(cutOut(arrayElementDeletion(rec('{"c": 3}'), rec('{"b": 2}'))), '[\n  {"a": 1},\n  {"b": 2}\n]');
  });
});
