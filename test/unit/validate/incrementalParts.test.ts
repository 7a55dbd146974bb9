/**
 * The parts the incremental validator is built from, tested alone: the keys its first pass keeps
 * per record (from the rules' own key functions, packed), setIfAbsent of the duplicate index's map,
 * and the problems outside records moved by edits.
 */
import * as assert from 'node:assert/strict';
import { getFormat } from '../../../src/core/formats/registry';
import { FILE_LEVEL_RULES, keyAt, recordKeys } from '../../../src/core/validate/fileLevelRules';
import { SmallIntMap } from '../../../src/core/validate/fileLevelRules/smallIntMap';
import type { Problem } from '../../../src/core/base/problem';
import { StaticProblems, type TextChange } from '../../../src/core/validate/staticProblems';

const at = { line: 3, column: 1, offset: 40, index: 2 };

describe('incremental validator parts', () => {
  it('keeps the duplicate hash of a record that has no other key as a bare number, and an array when a preference adds its key', () => {
    const sft = '{"instruction": "Say hi", "output": "Hi"}';
    const a = recordKeys({ ...at, text: sft }, JSON.parse(sft), true, getFormat('alpaca'), undefined);
    assert.equal(typeof a.keys, 'number');
    assert.equal(keyAt(a.keys, 0), FILE_LEVEL_RULES[0].key({ bytes: Buffer.from(sft), value: JSON.parse(sft), format: getFormat('alpaca'), formatOptions: undefined }));
    assert.equal(keyAt(a.keys, 1), undefined);
    assert.deepEqual(a.problems, []);

    const pref = '{"prompt": "Say hi", "chosen": "Hi", "rejected": "Go away"}';
    const p = recordKeys({ ...at, text: pref }, JSON.parse(pref), true, getFormat('trl-preference'), undefined);
    assert.ok(Array.isArray(p.keys));
    assert.equal(typeof keyAt(p.keys, 0), 'number');
    const contra = keyAt(p.keys, 1) as { mine: string; opposite: string };
    assert.ok(contra.mine && contra.opposite && contra.mine !== contra.opposite);
    // An invalid record gets no valid-stage key: it is not trusted to state a preference.
    const invalid = recordKeys({ ...at, text: pref }, JSON.parse(pref), false, getFormat('trl-preference'), undefined);
    assert.equal(typeof invalid.keys, 'number');
  });

  it('SmallIntMap.setIfAbsent sets a new key and hands back the value held for a present one', () => {
    const m = new SmallIntMap<string>(4);
    assert.equal(m.setIfAbsent(7, 'a'), undefined);
    assert.equal(m.setIfAbsent(7, 'b'), 'a');
    assert.equal(m.get(7), 'a');
    // Keys that collide modulo the table size, past a grow.
    for (let k = 0; k < 5000; k++) assert.equal(m.setIfAbsent(1024 * k + 3, `v${k}`), undefined);
    for (let k = 0; k < 5000; k++) assert.equal(m.setIfAbsent(1024 * k + 3, 'x'), `v${k}`);
    assert.equal(m.size, 5001);
  });

  it('moves problems outside records with the edits around them and drops those an edit covers', () => {
    const p = (line: number, column: number, offset: number): Problem => ({ line, column, endLine: line, endColumn: column + 1, offset, endOffset: offset + 1, severity: 'error', rule: 'json/structure', message: `at ${line}:${column}` });
    const s = new StaticProblems();
    s.add(p(1, 1, 0));
    s.add(p(5, 3, 60));
    s.add(p(9, 2, 120));
    // Two lines inserted at the start of line 3 (0-based 2): later problems move down two lines.
    const insert: TextChange = { startLine: 2, startCharacter: 0, endLine: 2, endCharacter: 0, rangeOffset: 30, rangeLength: 0, text: 'a\nb\n' };
    s.shift(insert, 2, 4, 0, true);
    assert.deepEqual(s.current().map((q) => [q.line, q.column, q.offset]), [[1, 1, 0], [7, 3, 64], [11, 2, 124]]);
    // An edit over the problem now on line 7 drops it; the one after moves by the edit's length.
    const over: TextChange = { startLine: 6, startCharacter: 0, endLine: 6, endCharacter: 5, rangeOffset: 62, rangeLength: 5, text: '' };
    s.shift(over, 0, -5, 0, true);
    assert.deepEqual(s.current().map((q) => [q.line, q.column, q.offset]), [[1, 1, 0], [11, 2, 119]]);
    const counts = { error: 0, warning: 0, info: 0 };
    s.countInto(counts);
    assert.deepEqual(counts, { error: 2, warning: 0, info: 0 });
    assert.deepEqual(s.current('warning'), []);
  });
});
