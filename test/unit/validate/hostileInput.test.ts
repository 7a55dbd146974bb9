/**
 * Property tests: seeded random and mutated input never makes the validator throw, and every
 * range it reports lies inside the file (start before end, lines and columns that exist).
 */
import * as assert from 'node:assert/strict';
import { LineIndex } from '../../../src/core/jsonl/lineIndex';
import { validateText } from '../../../src/core/validate/pipeline';
import type { Problem } from '../../../src/core/base/problem';
import { seededRandom } from '../../../src/core/base/random';

const rng = seededRandom;

const SEEDS = [
  JSON.stringify({ instruction: 'Translate "hi" → français', input: '', output: 'Salut 😀' }),
  JSON.stringify({ conversations: [{ from: 'human', value: 'q' }, { from: 'gpt', value: 'a\nb' }], system: 's' }),
  JSON.stringify({ conversations: [{ from: 'human', value: '日本語' }], chosen: { from: 'gpt', value: 'x' }, rejected: { from: 'gpt', value: 'y' } }),
  JSON.stringify({ messages: [{ role: 'user', content: 'u' }, { role: 'assistant', content: 'a' }] }),
  JSON.stringify({ prompt: 'p', chosen: 'c', rejected: 'r' }),
];

function mutate(text: string, r: () => number): string {
  const n = text.length;
  const at = Math.floor(r() * (n + 1));
  switch (Math.floor(r() * 7)) {
    case 0:
      return text.slice(0, at); // truncated
    case 1:
      return text.slice(0, at) + text.slice(at + 1 + Math.floor(r() * 5)); // deleted bytes
    case 2:
      return text.slice(0, at) + '{}[],:"\\\n\r\t\u0000é😀'[Math.floor(r() * 14)] + text.slice(at); // inserted token
    case 3:
      return text.slice(0, at) + '\n' + text.slice(at); // broken line
    case 4:
      return text.slice(0, at) + String.fromCharCode(Math.floor(r() * 0x3000)) + text.slice(at + 1);
    case 5:
      return text + '\n' + text.slice(0, at); // duplicated prefix
    default:
      return text.replace(/"[a-z]+"/, '"' + 'k'.repeat(Math.floor(r() * 4)) + '"');
  }
}

function assertInside(text: string, ps: Problem[]): void {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const idx = LineIndex.fromText(body);
  for (const p of ps) {
    const msg = `${p.rule} ${p.line}:${p.column}-${p.endLine}:${p.endColumn}`;
    assert.ok(p.line >= 1 && p.line <= idx.lineCount, msg);
    assert.ok(p.endLine >= p.line && p.endLine <= idx.lineCount, msg);
    assert.ok(p.column >= 1 && p.endColumn >= 1, msg);
    if (p.endLine === p.line) assert.ok(p.endColumn >= p.column, msg);
    const lineLen = (l: number) => idx.lineEnd(l) - idx.lineStart(l);
    assert.ok(p.column - 1 <= lineLen(p.line), msg);
    assert.ok(p.endColumn - 1 <= lineLen(p.endLine), msg);
    if (p.offset !== undefined) {
      assert.equal(p.offset, idx.offsetAt(p.line, p.column), msg);
      assert.equal(p.endOffset, idx.offsetAt(p.endLine, p.endColumn), msg);
    }
  }
}

describe('validator on hostile input (property tests)', () => {
  it('never throws on mutated records, JSON Lines and JSON arrays; ranges stay inside the file', () => {
    const r = rng(20240611);
    for (let round = 0; round < 300; round++) {
      const lines: string[] = [];
      const count = 1 + Math.floor(r() * 6);
      for (let i = 0; i < count; i++) {
        let t = SEEDS[Math.floor(r() * SEEDS.length)];
        const m = Math.floor(r() * 3);
        for (let k = 0; k < m; k++) t = mutate(t, r);
        lines.push(t);
      }
      const eol = r() < 0.3 ? '\r\n' : '\n';
      const jsonl = lines.join(eol);
      assertInside(jsonl, validateText(jsonl, { fileName: 'x.jsonl' }).problems);
      const arr = '[' + eol + lines.map((l) => '  ' + l).join(',' + eol) + eol + ']';
      const mutatedArr = r() < 0.5 ? mutate(arr, r) : arr;
      assertInside(mutatedArr, validateText(mutatedArr, { fileName: 'x.json' }).problems);
    }
  });

  it('never throws on random bytes', () => {
    const r = rng(7);
    for (let round = 0; round < 100; round++) {
      const len = Math.floor(r() * 3000);
      const bytes = Buffer.alloc(len);
      // Half the rounds avoid NUL so the input is not simply called binary.
      for (let i = 0; i < len; i++) bytes[i] = round % 2 ? Math.floor(r() * 256) : 1 + Math.floor(r() * 255);
      const text = bytes.toString('utf8');
      for (const fileName of ['x.jsonl', 'x.json']) assertInside(text, validateText(text, { fileName }).problems);
    }
  });

  it('survives nesting 100k deep, as a broken line and as a valid record', () => {
    const deep = '['.repeat(100000);
    const valid = '{"instruction": "x", "output": ' + '['.repeat(100000) + ']'.repeat(100000) + '}';
    const text = [deep, valid, '{"instruction":"a","output":"b"}'].join('\n');
    const r = validateText(text, { fileName: 'x.jsonl' });
    assertInside(text, r.problems);
    assert.equal(r.format, 'alpaca');
    assert.deepEqual(
      r.problems.map((p) => [p.line, p.rule]),
      [
        [1, 'jsonl/invalid-json'],
        [2, 'schema/type'],
      ],
    );
  });

  it('handles huge strings inside records', () => {
    const huge = 'ü'.repeat(5_000_000);
    const text = [JSON.stringify({ instruction: huge, output: 'o' }), `{"instruction": "${huge}`, JSON.stringify({ instruction: 'x', output: huge })].join('\n');
    const r = validateText(text, { fileName: 'x.jsonl' });
    assertInside(text, r.problems);
    assert.deepEqual(
      r.problems.map((p) => [p.line, p.rule]),
      [[2, 'jsonl/invalid-json']],
    );
  });
});
