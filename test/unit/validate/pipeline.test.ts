import * as assert from 'node:assert/strict';
import { closeSync, openSync, promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { validateFile, validateRecordText, validateText } from '../../../src/core/validate/pipeline';
import type { Problem } from '../../../src/core/base/problem';
import { fileByteFetcher, FileLevelRules } from '../../../src/core/validate/fileLevelRules';

const sp = (q: string, c: string, r: string) => JSON.stringify({ conversations: [{ from: 'human', value: q }], chosen: { from: 'gpt', value: c }, rejected: { from: 'gpt', value: r } });
const rules = (ps: Problem[]) => ps.map((p) => [p.line, p.rule]);

describe('validation pipeline', () => {
  it('detects the format from many records and says why', () => {
    const lines = [sp('q1', 'a', 'b'), sp('q2', 'c', 'd'), sp('q3', 'e', 'f'), JSON.stringify({ instruction: 'x', output: 'y' })];
    const r = validateText(lines.join('\n'), { fileName: 'd.jsonl' });
    assert.equal(r.format, 'sharegpt-preference');
    assert.equal(r.detection.confidence, 0.75);
    assert.equal(r.detection.evidence, '3 of 4 records look like sharegpt-preference, 1 like alpaca');
    assert.equal(r.records, 4);
    // The alpaca record gets one clear problem, not a cascade of schema errors.
    assert.deepEqual(rules(r.problems), [[4, 'format/mixed-format']]);
    assert.match(r.problems[0].message, /looks like alpaca .* but the file is sharegpt-preference/);
  });

  it('lets a forced format win over detection', () => {
    const r = validateText([sp('q1', 'a', 'b'), sp('q2', 'a', 'b')].join('\n'), { fileName: 'd.jsonl', format: 'alpaca' });
    assert.equal(r.format, 'alpaca');
    assert.equal(r.detection.forced, true);
    assert.deepEqual(rules(r.problems), [
      [1, 'format/mixed-format'],
      [2, 'format/mixed-format'],
    ]);
  });

  it('gives a record that fits no format exactly one problem', () => {
    const text = ['{"instruction":"a","output":"b"}', '{"foo": 1, "bar": [1, 2, {"baz": null}]}', '{"instruction":"c","output":"d"}'].join('\n');
    const r = validateText(text, { fileName: 'd.jsonl' });
    assert.equal(r.format, 'alpaca');
    assert.deepEqual(rules(r.problems), [[2, 'format/unrecognized-record']]);
    assert.deepEqual([r.problems[0].column, r.problems[0].endColumn], [1, 41]);
    assert.equal(r.problems[0].record, 1);
  });

  it('says so once when no record fits any format', () => {
    const r = validateText('{"a":1}\n{"b":2}\n', { fileName: 'd.jsonl' });
    assert.equal(r.format, undefined);
    assert.deepEqual(rules(r.problems), [[1, 'format/unknown-format']]);
    assert.match(r.problems[0].message, /none of 2 records looks like a known format/);
  });

  it('places schema and rule findings on the offending value', () => {
    const text = '{"instruction":"Übersetze","output":5}\n{"instruction":"x","input":"","output":""}\n';
    const r = validateText(text, { fileName: 'd.jsonl' });
    assert.deepEqual(
      r.problems.map((p) => [p.rule, p.line, p.column, p.endColumn, p.severity]),
      [
        ['schema/type', 1, 37, 38, 'error'],
        ['common/empty-content', 2, 40, 42, 'warning'],
      ],
    );
  });

  it('reports exact duplicates at the later record, naming the line of the first', () => {
    const a = '{"instruction":"a","output":"b"}';
    const text = [a, '{"instruction":"c","output":"d"}', '', `  ${a}  `, '{"output":"b","instruction":"a"}', a].join('\n');
    const r = validateText(text, { fileName: 'd.jsonl' });
    const dups = r.problems.filter((p) => p.rule === 'common/duplicate-record');
    assert.deepEqual(
      dups.map((p) => [p.line, p.message]),
      [
        [4, 'Exact duplicate of the record on line 1.'],
        [6, 'Exact duplicate of the record on line 1.'],
      ],
    );
    assert.equal(dups[0].column, 3);
  });

  it('finds the duplicate when the first copy is the one with whitespace around it', () => {
    const a = '{"instruction":"a","output":"b"}';
    const text = [`  ${a}\t`, '{"instruction":"c","output":"d"}', a].join('\n');
    for (const r of [validateText(text, { fileName: 'd.jsonl' }), validateText(`[\n  ${a} ,\n${a}\n]`, { fileName: 'd.json' })]) {
      const dups = r.problems.filter((p) => p.rule === 'common/duplicate-record');
      assert.equal(dups.length, 1, JSON.stringify(r.problems));
      assert.match(dups[0].message, /on line (1|2)\./);
    }
  });

  it('never calls records duplicates when only bytes outside the hash sample differ', () => {
    const body = 'x'.repeat(5000);
    const recs = Array.from({ length: 40 }, (_, i) => JSON.stringify({ instruction: 'same', output: body.slice(0, 1000 + i * 37) + 'y' + body.slice(1001 + i * 37) }));
    const text = [...recs, recs[17]].join('\n');
    const r = validateText(text, { fileName: 'd.jsonl' });
    assert.deepEqual(
      r.problems.map((p) => [p.line, p.message]),
      [[41, 'Exact duplicate of the record on line 18.']],
    );
  });

  it('finds duplicates among records spanning lines in a JSON array', () => {
    const rec = { instruction: 'a', output: 'b' };
    const text = JSON.stringify([rec, { instruction: 'c', output: 'd' }, rec], null, 2);
    const r = validateText(text, { fileName: 'd.json' });
    assert.deepEqual(
      r.problems.map((p) => [p.rule, p.line, p.column, p.message]),
      [['common/duplicate-record', 10, 3, 'Exact duplicate of the record on line 2.']],
    );
  });

  it('reports the same prompt with contradicting preferences', () => {
    const text = [sp('q', 'good', 'bad'), sp('other', 'good', 'bad'), sp('q', 'bad', 'good')].join('\n');
    const r = validateText(text, { fileName: 'p.jsonl' });
    assert.deepEqual(rules(r.problems), [[3, 'common/contradicting-preference']]);
    assert.match(r.problems[0].message, /line 1/);
    const kto = ['{"prompt":"p","completion":"c","label":true}', '{"prompt":"p","completion":"c","label":false}'].join('\n');
    assert.deepEqual(rules(validateText(kto, { fileName: 'k.jsonl' }).problems), [[2, 'common/contradicting-preference']]);
  });

  it('gives the same result from a file as from its text', async () => {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pw-val-'));
    try {
      const text = [sp('q', 'a', 'b'), 'oops', sp('q', 'a', 'b'), '{"instruction":"x","output":"y"}', sp('r', 'a', '')].join('\r\n');
      const f = path.join(dir, 'p.jsonl');
      await fsp.writeFile(f, text);
      const progress: number[] = [];
      const fromFile = await validateFile(f, { onProgress: (d) => progress.push(d) });
      const fromText = validateText(text, { fileName: f });
      assert.deepEqual(fromFile, fromText);
      assert.deepEqual(progress, [Buffer.byteLength(text)]);
      assert.deepEqual(
        fromFile.problems.map((p) => p.rule),
        ['jsonl/invalid-json', 'common/duplicate-record', 'format/mixed-format', 'common/empty-content'],
      );
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });

  it('stops when cancelled', async () => {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pw-val-'));
    try {
      const f = path.join(dir, 'p.jsonl');
      await fsp.writeFile(f, '{"instruction":"x","output":"y"}\n');
      const ac = new AbortController();
      ac.abort();
      await assert.rejects(validateFile(f, { signal: ac.signal }), /cancelled/);
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });

  it('keeps complete counts when the problem list is capped', () => {
    const text = Array.from({ length: 50 }, () => 'nope').join('\n');
    const r = validateText(text, { fileName: 'x.jsonl', maxProblems: 10 });
    assert.equal(r.problems.length, 10);
    assert.equal(r.omitted, 40);
    assert.equal(r.problemCounts['jsonl/invalid-json'], 50);
    assert.equal(r.bySeverity.error, 50);
  });

  it('lists the same problems, placed the same, whatever the cap; past it problems are counted, not placed', () => {
    // Every kind the pipeline places: a rule's report deep in a record, a record of another format,
    // a file-level finding (duplicates), reader problems (invalid JSON, not an object).
    const lines: string[] = [];
    for (let i = 0; i < 40; i++) {
      const msgs = [{ role: i % 3 === 0 ? 'human' : 'user', content: `question ${i % 7}` }, { role: 'assistant', content: `answer ${i % 7}` }];
      lines.push(i % 11 === 5 ? JSON.stringify({ instruction: `q${i}`, output: 'a' }) : i % 13 === 7 ? '{"messages": [' : i % 17 === 3 ? '[1, 2]' : JSON.stringify({ messages: msgs }, null, i % 2 === 0 ? undefined : 0));
    }
    const text = lines.join('\n');
    const all = validateText(text, { fileName: 'mixed.jsonl', maxProblems: Number.MAX_SAFE_INTEGER });
    const total = all.problems.length;
    assert.ok(total > 30, `enough problems to cut (${total})`);
    assert.ok(new Set(all.problems.map((p) => p.rule)).size >= 4, 'several kinds of problem');
    for (const cap of [0, 1, 7, 25, total - 1, total]) {
      const r = validateText(text, { fileName: 'mixed.jsonl', maxProblems: cap });
      assert.deepEqual(r.problems, all.problems.slice(0, cap), `cap ${cap}: the same first problems, at the same places`);
      assert.equal(r.omitted, total - cap, `cap ${cap}`);
      assert.deepEqual(r.problemCounts, all.problemCounts, `cap ${cap}: every problem counted`);
      assert.deepEqual(r.bySeverity, all.bySeverity, `cap ${cap}`);
    }
  });

  it('re-validates one record where it sits (incremental API)', () => {
    const text = '{\n    "instruction": "é",\n    "output": 7\n  }';
    const r = validateRecordText(text, 'alpaca', 12, 400, 3, { index: 5 });
    assert.deepEqual(
      r.problems.map((p) => [p.rule, p.line, p.column, p.endLine, p.endColumn, p.offset, p.record]),
      [['schema/type', 14, 15, 14, 16, 400 + text.indexOf('7'), 5]],
    );
    const broken = validateRecordText('{"instruction": "x", }', 'alpaca', 3, 0);
    assert.deepEqual(
      broken.problems.map((p) => [p.rule, p.line, p.column]),
      [['jsonl/invalid-json', 3, 20]],
    );
  });

  it('makes room in the file-level rules for the whole file, at the density of the detection sample, with the same findings', async () => {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pairwise-reserve-'));
    try {
      // 3,000 records, the last 200 duplicates of the first 200: the duplicate index finds them
      // in the table made up front, as it does in one grown as records came.
      const text = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ instruction: `question ${i % 2800}`, output: `answer ${i % 2800}` })).join('\n') + '\n';
      const file = path.join(dir, 'd.jsonl');
      await fsp.writeFile(file, text);
      const reserved: number[] = [];
      class Spy extends FileLevelRules {
        override reserve(n: number): void {
          reserved.push(n);
          super.reserve(n);
        }
      }
      const fd = openSync(file, 'r');
      let fromFile;
      try {
        fromFile = await validateFile(file, { fileLevel: new Spy(fileByteFetcher(fd)) });
      } finally {
        closeSync(fd);
      }
      assert.equal(reserved.length, 1);
      assert.ok(reserved[0] > 2700 && reserved[0] < 3300, `reserved ${reserved[0]} for 3,000 records`);
      // Text in memory has no size to go by: no room is made, and the findings are the same.
      const bytes = Buffer.from(text);
      const fromText = validateText(text, { fileName: 'd.jsonl', fileLevel: new Spy((off, len) => bytes.subarray(off, off + len)) });
      assert.equal(reserved.length, 1);
      assert.equal(fromFile.problems.filter((p) => p.rule === 'common/duplicate-record').length, 200);
      assert.deepEqual(fromFile.problems, fromText.problems);
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });
});
