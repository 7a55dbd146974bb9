import * as assert from 'node:assert/strict';
import { TextRecordIndex } from '../../../src/core/datasetIndex/textRecordIndex';

const CHAT = [
  { messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Name a colour' }, { role: 'assistant', content: 'Blue' }] },
  { messages: [{ role: 'user', content: 'Add one and one' }, { role: 'assistant', content: 'Two, said the Parrot' }] },
  { messages: [{ role: 'user', content: 'Say hi' }, { role: 'user', content: 'again' }] },
];

function jsonl(records: unknown[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

describe('datasetIndex: TextRecordIndex', () => {
  it('indexes every record with its line, length in characters and roles', async () => {
    const idx = TextRecordIndex.build(jsonl(CHAT), 'chat.jsonl');
    const s = idx.summary();
    assert.equal(s.records, 3);
    assert.equal(s.format, 'openai-chat');
    assert.deepEqual(s.roles.sort(), ['assistant', 'system', 'user']);
    const cards = await idx.cards([2, 0, 7]);
    assert.deepEqual(cards.map((c) => c.index), [2, 0]);
    assert.equal(cards[0].line, 3);
    assert.deepEqual(cards[0].value, CHAT[2]);
    assert.equal(cards[1].chars, 'Be brief.'.length + 'Name a colour'.length + 'Blue'.length);
    // Record 2 has two user turns in a row and no assistant reply: the format's rules flag it.
    assert.ok(cards[0].problems.length > 0, 'record 3 has problems');
    assert.ok(s.errors + s.warnings >= cards[0].problems.length);
  });

  it('searches text case-insensitively, case-sensitively, by regular expression, and reports a bad one', () => {
    const idx = TextRecordIndex.build(jsonl(CHAT), 'chat.jsonl');
    assert.deepEqual(idx.querySync({ search: 'parrot' }).matches, [1]);
    assert.deepEqual(idx.querySync({ search: 'parrot', caseSensitive: true }).matches, []);
    assert.deepEqual(idx.querySync({ search: '^(blue|again)$', regex: true }).matches, []);
    assert.deepEqual(idx.querySync({ search: '\\b(blue|again)\\b', regex: true }).matches, [0, 2]);
    // Keys and role names are not text: "role" and "assistant" appear in every record's JSON.
    assert.deepEqual(idx.querySync({ search: 'assistant' }).matches, []);
    const bad = idx.querySync({ search: '(unclosed', regex: true });
    assert.equal(bad.total, 0);
    assert.match(bad.error!, /^Invalid regular expression: .*/);
    assert.deepEqual(idx.querySync({}), { matches: null, total: 3 });
  });

  it('filters by errors, rule, role, length range and picked indexes, combined with search', () => {
    const text = jsonl(CHAT) + '{"messages": [}\n';
    const idx = TextRecordIndex.build(text, 'chat.jsonl');
    assert.deepEqual(idx.querySync({ hasErrors: true }).matches, [2, 3]);
    assert.deepEqual(idx.querySync({ rule: 'jsonl/invalid-json' }).matches, [3]);
    assert.deepEqual(idx.querySync({ role: 'system' }).matches, [0]);
    assert.deepEqual(idx.querySync({ role: 'nobody' }).matches, []);
    assert.deepEqual(idx.querySync({ minChars: 20, maxChars: 40 }).matches, [0, 1]);
    assert.deepEqual(idx.querySync({ maxChars: 11 }).matches, [2]);
    assert.deepEqual(idx.querySync({ recordIndexes: [3, 1, 1, 99] }).matches, [1, 3]);
    assert.deepEqual(idx.querySync({ recordIndexes: [0, 1], search: 'two' }).matches, [1]);
  });

  it('follows an edit inside one record: later records shift, only that record is re-validated', async () => {
    const before = jsonl(CHAT);
    const idx = TextRecordIndex.build(before, 'chat.jsonl');
    const at = before.indexOf('Blue');
    const after = before.slice(0, at) + 'Deep sea blue' + before.slice(at + 4);
    const touched = idx.noteChange({ offset: at, removedLength: 4, insertedText: 'Deep sea blue', removedLineBreaks: 0, line: 1 });
    assert.equal(touched, 0);
    assert.deepEqual(idx.refresh(after), [0]);
    const [c0, c2] = await idx.cards([0, 2]);
    assert.equal((c0.value!.messages as { content: string }[])[2].content, 'Deep sea blue');
    assert.deepEqual(c2.value, CHAT[2]);
    assert.equal(idx.recordText(2), JSON.stringify(CHAT[2]));
    assert.deepEqual(idx.querySync({ search: 'deep sea' }).matches, [0]);
  });

  it('re-indexes everything after an edit that adds a line or crosses records', () => {
    const before = jsonl(CHAT);
    const idx = TextRecordIndex.build(before, 'chat.jsonl');
    const nl = before.indexOf('\n');
    assert.equal(idx.noteChange({ offset: nl, removedLength: 0, insertedText: '\n{"messages": []}', removedLineBreaks: 0, line: 1 }), undefined);
    const after = before.slice(0, nl) + '\n{"messages": []}' + before.slice(nl);
    assert.equal(idx.refresh(after), 'all');
    assert.equal(idx.summary().records, 4);
    assert.equal(idx.lineOf(3), 4);
  });

  it('breaks an edited record into a parse error and back', async () => {
    const before = jsonl(CHAT);
    const idx = TextRecordIndex.build(before, 'chat.jsonl');
    const at = before.indexOf('"Blue"');
    const broken = before.slice(0, at) + before.slice(at + 1);
    idx.noteChange({ offset: at, removedLength: 1, insertedText: '', removedLineBreaks: 0, line: 1 });
    idx.refresh(broken);
    const [c] = await idx.cards([0]);
    assert.equal(c.value, undefined);
    assert.equal(c.text, broken.split('\n')[0]);
    assert.equal(c.problems[0].rule, 'jsonl/invalid-json');
    assert.deepEqual(idx.querySync({ hasErrors: true }).matches, [0, 2]);
  });
});
