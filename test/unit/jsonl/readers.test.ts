import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readFileRecords, readTextRecords, scanFile, scanText } from '../../../src/core/jsonl/readRecords';
import type { ReaderItem, SourceRecord } from '../../../src/core/jsonl/sourceRecord';
import { RecordScanner } from '../../../src/core/jsonl/recordScanner';
import type { Problem } from '../../../src/core/base/problem';

function records(items: ReaderItem[]): SourceRecord[] {
  return items.filter((i): i is SourceRecord => i.kind === 'record');
}
function allProblems(items: ReaderItem[]): Problem[] {
  const out: Problem[] = [];
  for (const i of items) {
    if (i.kind === 'problem') out.push(i.problem);
    else if (i.problems) out.push(...i.problems);
  }
  return out;
}

describe('readers: JSON Lines', () => {
  it('locates a syntax error only for a sink that will list it (placesProblems)', () => {
    const text = '{"a": 1}\n  {"a": [1, 2,, 3]}\n';
    const seen = (places: boolean | undefined): Problem[] => {
      const out: Problem[] = [];
      scanText(text, 'jsonl', { record: (rec) => out.push(...(rec.problems ?? [])), problem: (p) => out.push(p), ...(places === undefined ? {} : { placesProblems: () => places }) });
      return out;
    };
    const located = seen(true);
    assert.deepEqual(seen(undefined), located, 'placing is the default');
    assert.deepEqual(located.map((p) => [p.rule, p.line, p.column, p.record]), [['jsonl/invalid-json', 2, 15, 1]]);
    assert.match(located[0].message, /^Not valid JSON: /);
    // Only counted: the same rule, severity and record, at the record's start, with JSON.parse's own words.
    const counted = seen(false);
    assert.deepEqual(counted.map((p) => [p.rule, p.severity, p.record, p.line, p.column, p.endLine, p.endColumn, p.offset, p.endOffset]), [['jsonl/invalid-json', 'error', 1, 2, 1, 2, 1, 9, 9]]);
    assert.match(counted[0].message, /^Not valid JSON: /);
  });

  it('reads records with index, text, line and offsets; skips blank lines; accepts CRLF and a BOM', () => {
    const items = readTextRecords('\uFEFF{"a":1}\r\n\r\n  \n{"b":"é"}\r\n{"c":3}', 'jsonl');
    const recs = records(items);
    assert.deepEqual(
      recs.map((r) => [r.index, r.line, r.column, r.offset, r.byteOffset, r.text]),
      [
        [0, 1, 1, 0, 3, '{"a":1}'],
        [1, 4, 1, 14, 17, '{"b":"é"}'],
        [2, 5, 1, 25, 29, '{"c":3}'],
      ],
    );
    assert.deepEqual(recs[1].value, { b: 'é' });
    assert.deepEqual(allProblems(items), []);
  });

  it('reports a line that is not JSON at the exact column, and goes on', () => {
    const items = readTextRecords('{"ok":1}\n{"instruction": "x", "output" "y"}\n{"ok":2}\n', 'jsonl');
    const ps = allProblems(items);
    assert.equal(ps.length, 1);
    assert.equal(ps[0].rule, 'jsonl/invalid-json');
    assert.equal(ps[0].line, 2);
    // The string "y" where ':' was expected starts at column 31.
    assert.equal(ps[0].column, 31);
    assert.match(ps[0].message, /expected ':'/);
    assert.equal(ps[0].record, 1);
    assert.equal(records(items).filter((r) => r.value).length, 2);
  });

  it('counts columns in UTF-16 code units after non-ASCII text', () => {
    const items = readTextRecords('{"q": "日本語😀", x}', 'jsonl');
    const [p] = allProblems(items);
    // `{"q": "` is 7 units, 日本語 3, 😀 2 (a surrogate pair), `", ` 3 → x at column 16.
    assert.equal(p.column, 16);
    assert.equal(p.endColumn, 17);
    assert.match(p.message, /property names must be in double quotes/);
  });

  it('points at a trailing comma', () => {
    const [p] = allProblems(readTextRecords('{"a": 1, }', 'jsonl'));
    assert.equal(p.column, 8);
    assert.match(p.message, /trailing comma/);
  });

  it('points at a raw control character inside a string (a tab), not at the string\'s quote', () => {
    const text = '{"role": "user", "content": "abc\tdef"}';
    const [p] = allProblems(readTextRecords(text, 'jsonl'));
    assert.deepEqual([p.rule, p.column, p.endColumn], ['jsonl/invalid-json', text.indexOf('\t') + 1, text.indexOf('\t') + 2]);
    assert.match(p.message, /control character in string .*\(U\+0009\)/);
  });

  it('reports a record that is not an object once', () => {
    const ps = allProblems(readTextRecords('[1, 2]\n"text"\n42\nnull\n', 'jsonl'));
    assert.deepEqual(
      ps.map((p) => [p.rule, p.line, p.column, p.endColumn]),
      [
        ['jsonl/not-an-object', 1, 1, 7],
        ['jsonl/not-an-object', 2, 1, 7],
        ['jsonl/not-an-object', 3, 1, 3],
        ['jsonl/not-an-object', 4, 1, 5],
      ],
    );
    assert.match(ps[0].message, /an array/);
  });

  it('reports invalid UTF-8 at its place and still reads the record', () => {
    const bytes = Buffer.concat([Buffer.from('{"a":1}\n{"t": "ab'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n{"z":2}\n')]);
    const items = readTextRecords(bytes, 'jsonl');
    const ps = allProblems(items);
    assert.equal(ps.length, 1);
    assert.equal(ps[0].rule, 'jsonl/invalid-utf8');
    assert.deepEqual([ps[0].line, ps[0].column], [2, 10]);
    assert.equal(records(items).filter((r) => r.value).length, 3);
  });

  it('says a cut-off last line looks truncated', () => {
    const ps = allProblems(readTextRecords('{"a":1}\n{"instruction": "hel', 'jsonl'));
    assert.equal(ps.length, 1);
    assert.equal(ps[0].line, 2);
    assert.match(ps[0].message, /cut off/);
  });

  it('reports binary input once instead of a problem per line', () => {
    const bin = Buffer.alloc(20000);
    for (let i = 0; i < bin.length; i++) bin[i] = (i * 7919) % 256;
    const ps = allProblems(readTextRecords(bin, 'jsonl'));
    assert.equal(ps.length, 1);
    assert.equal(ps[0].rule, 'jsonl/binary-file');
    assert.match(ps[0].message, /NUL byte at line 1, column 1/);
  });

  it('skips a record over the size limit with a problem, and reads the next', () => {
    const big = '{"a":"' + 'x'.repeat(5000) + '"}';
    const items = readTextRecords(`${big}\n{"b":1}\n`, 'jsonl', { maxRecordBytes: 1000 });
    const ps = allProblems(items);
    assert.deepEqual(
      ps.map((p) => [p.rule, p.line, p.record]),
      [['jsonl/record-too-large', 1, 0]],
    );
    const recs = records(items);
    assert.deepEqual(
      recs.map((r) => [r.index, r.line, r.offset]),
      [[1, 2, big.length + 1]],
    );
  });
});

describe('readers: where a read stops does not change the answer', () => {
  /** Feeds `data` to a scanner in pieces ending at `cuts`; returns what it reports, in order. */
  function scanInPieces(data: Buffer, cuts: number[], opts: { maxRecordBytes: number; chunkBytes: number }): string[] {
    const out: string[] = [];
    const s = new RecordScanner('jsonl', { record: (r) => out.push(`record ${r.index} line ${r.line}`), problem: (p) => out.push(`${p.rule} line ${p.line}`) }, opts);
    let at = 0;
    for (const c of [...cuts, data.length]) {
      while (at < c) {
        s.prepareForRead();
        const n = Math.min(s.free, c - at);
        data.copy(s.buffer, s.end, at, at + n);
        s.end += n;
        at += n;
        s.process();
      }
    }
    s.finish();
    return out;
  }

  it('a record exactly at the size limit before its CRLF is read whole, even when a read ends between the CR and the LF', () => {
    const rec = '{"a":"' + 'x'.repeat(12) + '"}'; // 20 bytes, the limit
    const pad = Buffer.from('{"p":1}\n'.repeat(1100));
    const data = Buffer.concat([pad, Buffer.from(rec + '\r\n{"b":2}\n')]);
    const opts = { maxRecordBytes: 20, chunkBytes: 64 };
    const whole = scanInPieces(data, [], opts);
    assert.deepEqual(whole.slice(-2), ['record 1100 line 1101', 'record 1101 line 1102']);
    assert.deepEqual(scanInPieces(data, [pad.length, pad.length + rec.length + 1], opts), whole);
  });
});

describe('readers: JSON arrays', () => {
  const pretty = '[\n  {\n    "instruction": "a",\n    "output": "b"\n  },\n  {"instruction": "c", "output": "d"}\n]\n';

  it('streams the elements of a top-level array, records spanning lines', () => {
    const recs = records(readTextRecords(pretty, 'json'));
    assert.deepEqual(
      recs.map((r) => [r.index, r.line, r.column, r.offset]),
      [
        [0, 2, 3, 4],
        [1, 6, 3, pretty.indexOf('{"instruction": "c"')],
      ],
    );
    assert.deepEqual(recs[0].value, { instruction: 'a', output: 'b' });
  });

  it('gives the same records from a file read in tiny chunks as from memory', async () => {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pw-read-'));
    try {
      const text = '[' + Array.from({ length: 50 }, (_, i) => JSON.stringify({ i, s: 'ü'.repeat(i), nested: [{ a: '",]' }] }, null, 1)).join(',\n ') + ']';
      const f = path.join(dir, 'a.json');
      await fsp.writeFile(f, text);
      const fromFile: SourceRecord[] = [];
      await scanFile(f, { record: (r) => void fromFile.push(r), problem: (p) => assert.fail(p.message) }, { chunkBytes: 7 });
      const fromText = records(readTextRecords(text, 'json'));
      assert.equal(fromFile.length, 50);
      assert.deepEqual(
        fromFile.map((r) => [r.line, r.column, r.offset, r.byteOffset, r.text]),
        fromText.map((r) => [r.line, r.column, r.offset, r.byteOffset, r.text]),
      );
      assert.deepEqual(fromFile[7].value, { i: 7, s: 'ü'.repeat(7), nested: [{ a: '",]' }] });
      // The reported offsets really are where each record's text starts.
      for (const r of fromText) assert.equal(text.slice(r.offset, r.offset + r.text.length), r.text);
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });

  it('recovers from a missing comma and reports a trailing comma at the comma', () => {
    const items = readTextRecords('[\n {"a":1}\n {"b":2},\n]', 'json');
    assert.equal(records(items).length, 2);
    assert.deepEqual(
      allProblems(items).map((p) => [p.rule, p.line, p.column]),
      [
        ['json/missing-comma', 3, 2],
        ['json/trailing-comma', 3, 9],
      ],
    );
  });

  it('reports a truncated array: the cut record and the missing bracket', () => {
    const items = readTextRecords('[{"a":1},\n {"b": "unfinished', 'json');
    const ps = allProblems(items);
    assert.deepEqual(
      ps.map((p) => p.rule),
      ['jsonl/invalid-json', 'json/unclosed-array'],
    );
    assert.equal(ps[0].line, 2);
    assert.match(ps[0].message, /string is not closed|cut off/);
  });

  it('reads JSON Lines saved as .json, and a single object as one record with a problem', () => {
    const lines = readTextRecords('{"a":1}\n{"a":2}\n', 'json');
    assert.equal(records(lines).length, 2);
    assert.deepEqual(allProblems(lines), []);
    const single = readTextRecords('{\n  "a": 1\n}\n', 'json');
    assert.equal(records(single).length, 1);
    assert.deepEqual(
      allProblems(single).map((p) => p.rule),
      ['json/not-an-array'],
    );
  });

  it('reports text after the closing bracket', () => {
    const ps = allProblems(readTextRecords('[{"a":1}]\n{"b":2}', 'json'));
    assert.deepEqual(
      ps.map((p) => [p.rule, p.line, p.column]),
      [['json/trailing-content', 2, 1]],
    );
  });
});

describe('readers: a huge single line in a file', () => {
  it('reads a 40 MB line across many chunks, and the records around it', async () => {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pw-huge-'));
    try {
      const f = path.join(dir, 'huge.jsonl');
      const huge = 'é'.repeat(20 * 1024 * 1024);
      await fsp.writeFile(f, `{"a":1}\n{"big":"${huge}"}\n{"b":2}\n`);
      const got: SourceRecord[] = [];
      await scanFile(f, { record: (r) => void got.push({ ...r, text: r.text.length > 100 ? `${r.text.length} chars` : r.text, value: r.value && 'big' in r.value ? { big: (r.value.big as string).length } : r.value }), problem: (p) => assert.fail(p.message) });
      assert.deepEqual(
        got.map((r) => [r.index, r.line, r.text, r.value]),
        [
          [0, 1, '{"a":1}', { a: 1 }],
          [1, 2, `${huge.length + 10} chars`, { big: huge.length }],
          [2, 3, '{"b":2}', { b: 2 }],
        ],
      );
      assert.equal(got[2].offset, 8 + huge.length + 11);
      assert.equal(got[2].byteOffset, 8 + Buffer.byteLength(huge) + 11);
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('readers: async iteration over a file', () => {
  it('yields the same items as the in-memory reader', async () => {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pw-read-'));
    try {
      const text = '{"a":1}\nnope\n\n{"b":[1,2]}\n[3]\n';
      const f = path.join(dir, 'x.jsonl');
      await fsp.writeFile(f, text);
      const got: ReaderItem[] = [];
      for await (const it of readFileRecords(f, { chunkBytes: 5 })) got.push(it);
      assert.deepEqual(got, readTextRecords(text, 'jsonl'));
      assert.equal(records(got).length, 4);
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });
});
