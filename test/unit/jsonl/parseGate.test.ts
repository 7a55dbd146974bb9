/**
 * Where lines fail to parse, the reader checks them with isJsonText before JSON.parse (V8 keeps the
 * text of every failed JSON.parse alive until a full collection): after a failure, and while one in
 * eight of the last 32 records failed. The problems it reports are the same either way.
 */
import * as assert from 'node:assert/strict';
import { checksBeforeParse } from '../../../src/core/jsonl/recordScanner';
import { readTextRecords } from '../../../src/core/jsonl/readRecords';
import type { Problem } from '../../../src/core/base/problem';

/** Runs `fn` counting the JSON.parse calls that threw. */
function countingFailedParses<T>(fn: () => T): { result: T; failed: number } {
  const parse = JSON.parse;
  let failed = 0;
  JSON.parse = ((text: string, reviver?: (this: unknown, key: string, value: unknown) => unknown) => {
    try {
      return parse(text, reviver);
    } catch (e) {
      failed++;
      throw e;
    }
  }) as typeof JSON.parse;
  try {
    return { result: fn(), failed };
  } finally {
    JSON.parse = parse;
  }
}

/** The reader problems of each record, keyed by record index, with columns (the lines differ between files). */
function problemsOf(text: string): Problem[][] {
  const out: Problem[][] = [];
  for (const item of readTextRecords(text)) if (item.kind === 'record') out.push(item.problems ?? []);
  return out;
}

const VALID = (i: number) => JSON.stringify({ messages: [{ role: 'user', content: `question ${i} é` }, { role: 'assistant', content: 'answer' }] });
/** Broken in different ways, so that the located errors differ. */
const BROKEN = [(i: number) => `{"messages":[,{"role":"user","content":"q${i}"}]}`, (i: number) => `{"a": ${i},}`, (i: number) => `{"text": "unterminated ${i}`, (i: number) => `not json ${i}`];

describe('checking lines before JSON.parse where they fail', () => {
  it('checks after a failure, and while at least 4 of the last 32 records failed', () => {
    assert.equal(checksBeforeParse(0), false);
    assert.equal(checksBeforeParse(0b1), true);
    assert.equal(checksBeforeParse(0b10), false);
    assert.equal(checksBeforeParse(0b1110), false);
    assert.equal(checksBeforeParse(0b11110), true);
    // The oldest of the 32 counts too (bit 31 makes the number negative).
    assert.equal(checksBeforeParse((1 << 31) | 0b1100), false);
    assert.equal(checksBeforeParse((1 << 31) | 0b11100), true);
  });

  it('parses no more than four failing lines of a file whose every other line is broken', () => {
    const lines: string[] = [];
    for (let i = 0; i < 2000; i++) lines.push(i % 2 ? BROKEN[(i >> 1) % BROKEN.length](i) : VALID(i));
    const { result, failed } = countingFailedParses(() => problemsOf(lines.join('\n') + '\n'));
    assert.equal(failed, 4);
    assert.equal(result.length, 2000);
    // Every broken line still gets the problem (and place) it gets when JSON.parse is asked, as it is
    // on a line of its own.
    for (let i = 0; i < 2000; i++) {
      if (i % 2 === 0) {
        assert.deepEqual(result[i], [], `line ${i + 1}`);
        continue;
      }
      const [alone] = problemsOf(lines[i] + '\n');
      assert.equal(result[i].length, 1, `line ${i + 1}`);
      const [p] = result[i];
      const [q] = alone;
      assert.deepEqual(
        { rule: p.rule, message: p.message, column: p.column, endColumn: p.endColumn, lines: p.endLine - p.line },
        { rule: q.rule, message: q.message, column: q.column, endColumn: q.endColumn, lines: q.endLine - q.line },
        `line ${i + 1}`,
      );
    }
  });

  it('asks JSON.parse of every broken line where few lines break (no check of the valid ones)', () => {
    const lines: string[] = [];
    for (let i = 0; i < 2000; i++) lines.push(i % 40 === 39 ? BROKEN[i % BROKEN.length](i) : VALID(i));
    const { failed } = countingFailedParses(() => problemsOf(lines.join('\n') + '\n'));
    assert.equal(failed, 50);
  });
});
