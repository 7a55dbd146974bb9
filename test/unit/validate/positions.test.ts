import * as assert from 'node:assert/strict';
import { readTextRecords } from '../../../src/core/jsonl/readRecords';
import type { SourceRecord } from '../../../src/core/jsonl/sourceRecord';
import { placeReports, unplacedRange } from '../../../src/core/validate/positions';
import { checkRecordValue } from '../../../src/core/validate/recordChecks';
import { getFormat } from '../../../src/core/formats/registry';
import type { Problem } from '../../../src/core/base/problem';
import { LineIndex } from '../../../src/core/jsonl/lineIndex';

function recs(text: string, mode: 'json' | 'jsonl'): SourceRecord[] {
  return readTextRecords(text, mode).filter((i): i is SourceRecord => i.kind === 'record');
}

/** The document text a problem's range covers, read back through a line index. */
function covered(text: string, p: Problem): string {
  const idx = LineIndex.fromText(text);
  const s = idx.offsetAt(p.line, p.column);
  const e = idx.offsetAt(p.endLine, p.endColumn);
  assert.equal(s, p.offset, 'line/column and offset agree at the start');
  assert.equal(e, p.endOffset, 'line/column and offset agree at the end');
  return text.slice(s, e);
}

describe('position mapping', () => {
  it('places a value and a key on one JSON line, after non-ASCII text', () => {
    const text = '{"a":1}\n{"instruction": "Übersetze 😀 bitte", "outptu": "", "input": 5}\n';
    const [, r] = recs(text, 'jsonl');
    const ps = placeReports(r, [
      { path: ['outptu'], target: 'key', severity: 'warning', rule: 't/key', message: 'unknown key' },
      { path: ['input'], severity: 'error', rule: 't/value', message: 'not a string' },
      { path: ['instruction'], target: 'value', severity: 'error', rule: 't/v2', message: 'x' },
    ]);
    assert.deepEqual(
      ps.map((p) => covered(text, p)),
      ['"outptu"', '5', '"Übersetze 😀 bitte"'],
    );
    assert.deepEqual([ps[0].line, ps[0].column, ps[0].endLine, ps[0].endColumn], [2, 39, 2, 47]);
    assert.equal(ps[0].record, 1);
  });

  it('places paths inside a multi-line record of a JSON array', () => {
    const text = [
      '[',
      '  {"conversations": [{"from": "human", "value": "hi"}], "chosen": {"from": "gpt", "value": "a"}, "rejected": {"from": "gpt", "value": "b"}},',
      '  {',
      '    "conversations": [',
      '      {"from": "human", "value": "ça va? 日本"},',
      '      {"from": "gtp", "value": "x"}',
      '    ],',
      '    "chosen": {"from": "gpt", "value": ""}',
      '  }',
      ']',
    ].join('\r\n');
    const [, r] = recs(text, 'json');
    assert.equal(r.line, 3);
    const ps = placeReports(r, [
      { path: ['conversations', 1, 'from'], severity: 'error', rule: 'x/role', message: 'bad role' },
      { path: ['conversations', 1, 'from'], target: 'key', severity: 'error', rule: 'x/key', message: 'key' },
      { path: ['chosen', 'value'], severity: 'warning', rule: 'x/empty', message: 'empty' },
      { path: ['rejected'], severity: 'error', rule: 'x/missing', message: 'missing rejected' },
      { path: ['conversations', 0, 'value'], severity: 'info', rule: 'x/text', message: 'text' },
    ]);
    assert.deepEqual(
      ps.map((p) => [p.line, p.column, covered(text, p)]),
      [
        [6, 16, '"gtp"'],
        [6, 8, '"from"'],
        [8, 40, '""'],
        // A missing key marks the record's opening brace rather than nine lines.
        [3, 3, '{'],
        [5, 34, '"ça va? 日本"'],
      ],
    );
  });

  it('points at the key of the object that lacks a nested key', () => {
    const text = '{"input": {"messages": []}, "preferred_output": [{"role": "assistant"}]}';
    const [r] = recs(text, 'jsonl');
    const [p, q] = placeReports(r, [
      { path: ['input', 'tools', 0], severity: 'error', rule: 'x', message: 'm' },
      { path: ['preferred_output', 0, 'content'], severity: 'error', rule: 'y', message: 'm' },
    ]);
    assert.equal(covered(text, p), '"input"');
    assert.equal(covered(text, q), '{"role": "assistant"}');
  });

  it('falls back to the record when its nesting is too deep to re-parse', () => {
    const depth = 200000;
    const text = '{"a":' + '['.repeat(depth) + ']'.repeat(depth) + '}';
    const [r] = recs(text, 'jsonl');
    const [p] = placeReports(r, [{ path: ['a'], severity: 'error', rule: 'x', message: 'm' }]);
    assert.equal(p.line, 1);
    assert.ok(p.endColumn <= text.length + 1 && p.column >= 1);
  });

  it('leaves problems that are only counted at the record start, with the same rule, severity and message', () => {
    const text = '{"x": 0}\n  {"messages": [{"role": "user", "content": "hi"}, {"role": "bot", "content": 3}]}\n';
    const [, r] = recs(text, 'jsonl');
    const value = JSON.parse(r.text) as Record<string, unknown>;
    const placed = checkRecordValue(value, r, getFormat('openai-chat'));
    const counted = checkRecordValue(value, r, getFormat('openai-chat'), undefined, false);
    assert.ok(placed.problems.length >= 2, 'problems to compare');
    assert.equal(counted.valid, placed.valid);
    const what = (ps: Problem[]) => ps.map((p) => [p.rule, p.severity, p.message, p.record, p.trainers]);
    assert.deepEqual(what(counted.problems), what(placed.problems));
    // Placed: deep inside the record; counted: its first character, with no parse to find it.
    assert.ok(placed.problems.every((p) => (p.offset ?? 0) > r.offset));
    for (const p of counted.problems) {
      assert.deepEqual([p.line, p.column, p.endLine, p.endColumn, p.offset, p.endOffset], [r.line, r.column, r.line, r.column, r.offset, r.offset]);
    }
    assert.deepEqual(unplacedRange(r), { line: 2, column: 1, endLine: 2, endColumn: 1, offset: 9, endOffset: 9 });
  });
});
