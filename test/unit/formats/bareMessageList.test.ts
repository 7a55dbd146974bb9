/**
 * xtuner's JSON Lines records that are bare message lists: read as chat records, judged for xtuner
 * (their only reader) unless another trainer is the target, located inside the list, and fixable.
 */
import * as assert from 'node:assert/strict';
import { fixesFor } from '../../../src/core/fixes/recordFixes';
import { getFormat } from '../../../src/core/formats/registry';
import { isBareMessageList, recordValueOf, wasBareMessageList } from '../../../src/core/jsonl/bareMessageList';
import { validateText } from '../../../src/core/validate/pipeline';

const line = (msgs: unknown[]) => JSON.stringify(msgs);
const u = (content: string) => ({ role: 'user', content });
const a = (content: string) => ({ role: 'assistant', content });

function fileOf(n: number, extra?: unknown[]): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(line([u(`question ${i}`), a(`answer ${i}`)]));
  if (extra) out.push(line(extra));
  return out.join('\n') + '\n';
}

describe('bare message lists (xtuner)', () => {
  it('tells a message list from other lists', () => {
    assert.equal(isBareMessageList([u('q'), a('y')]), true);
    assert.equal(isBareMessageList([]), false);
    assert.equal(isBareMessageList([1, 2]), false);
    assert.equal(isBareMessageList([u('q'), 'x']), false);
    assert.equal(isBareMessageList([{ prompt: 'q' }]), false);
    const v = recordValueOf([u('q')])!;
    assert.deepEqual(v, { messages: [u('q')] });
    assert.equal(wasBareMessageList(v), true);
    assert.equal(wasBareMessageList({ messages: [u('q')] }), false);
    assert.equal(recordValueOf([1]), undefined);
  });

  it('a file of bare lists reads as chat data with no problem when no other trainer is the target', () => {
    const r = validateText(fileOf(12), { fileName: 'x.jsonl' });
    assert.equal(r.format, 'openai-chat');
    assert.deepEqual(r.problems, []);
    assert.deepEqual(validateText(fileOf(12), { fileName: 'x.jsonl', formatOptions: { trainer: 'xtuner' } }).problems, []);
  });

  it('another target says the line cannot be read, and the fix wraps it', () => {
    const text = fileOf(12);
    const r = validateText(text, { fileName: 'x.jsonl', formatOptions: { trainer: 'trl' } });
    assert.equal(r.problems.length, 12);
    assert.ok(r.problems.every((p) => p.rule === 'xtuner/bare-message-list' && p.severity === 'error'));
    assert.match(r.problems[0].message, /^TRL cannot read this line: a bare list of messages is read by xtuner only/);
    const rec = text.split('\n')[0];
    const [fix] = fixesFor({ rule: 'xtuner/bare-message-list', message: r.problems[0].message, start: 0, end: rec.length }, rec);
    let fixed = rec;
    for (const ed of [...fix.edits].sort((x, y) => y.offset - x.offset)) fixed = fixed.slice(0, ed.offset) + ed.text + fixed.slice(ed.offset + ed.length);
    assert.deepEqual(JSON.parse(fixed), { messages: JSON.parse(rec) });
    assert.deepEqual(validateText(fixed + '\n', { fileName: 'x.jsonl', format: 'openai-chat', formatOptions: { trainer: 'trl' } }).problems, []);
  });

  it('problems point inside the list, judged as xtuner reads it', () => {
    const bad = [u('q'), { role: 'assistant', content: 'y', weight: 1 }];
    const text = fileOf(11, bad);
    const r = validateText(text, { fileName: 'x.jsonl' });
    assert.equal(r.problems.length, 1);
    const p = r.problems[0];
    assert.equal(p.rule, 'xtuner/unknown-message-key');
    assert.equal(p.severity, 'error', 'xtuner is the only reader of a bare list');
    const last = text.split('\n')[11];
    assert.equal(p.line, 12);
    assert.equal(last.slice(p.column - 1, p.endColumn - 1), '"weight"');
  });

  it('converts through the canonical model like any chat record', () => {
    const v = recordValueOf([{ role: 'system', content: 's' }, u('q'), a('y')])!;
    const canon = getFormat('openai-chat').toCanonical(v);
    assert.equal(canon.type, 'sft');
    assert.equal(canon.type === 'sft' && canon.system, 's');
    const out = getFormat('sharegpt').fromCanonical(canon);
    assert.deepEqual(out.record, { conversations: [{ from: 'human', value: 'q' }, { from: 'gpt', value: 'y' }], system: 's' });
  });
});
