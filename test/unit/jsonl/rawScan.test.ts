import * as assert from 'node:assert/strict';
import { RecordScanner } from '../../../src/core/jsonl/recordScanner';
import type { SourceRecord } from '../../../src/core/jsonl/sourceRecord';

/** Records as (index, line, byte range, bytes) from a scan of `data` in chunks of `chunk` bytes. */
function scan(data: Buffer, raw: boolean, chunk: number): { index: number; line: number; byteOffset: number; byteLength: number; bytes: string }[] {
  const out: { index: number; line: number; byteOffset: number; byteLength: number; bytes: string }[] = [];
  const s = new RecordScanner('jsonl', { record: (r: SourceRecord, b: Uint8Array) => out.push({ index: r.index, line: r.line, byteOffset: r.byteOffset, byteLength: r.byteLength, bytes: Buffer.from(b).toString('latin1') }), problem: () => undefined }, { raw, chunkBytes: chunk, maxRecordBytes: 64 });
  let at = 0;
  for (;;) {
    s.prepareForRead();
    const n = Math.min(s.free, data.length - at);
    if (n === 0) break;
    data.copy(s.buffer, s.end, at, at + n);
    at += n;
    s.end += n;
    s.process();
  }
  s.finish();
  return out;
}

describe('RecordScanner raw mode (bytes only, for split and sample)', () => {
  it('cuts the same records with the same indexes, lines and bytes as a parsing scan', () => {
    const lines = [
      '\ufeff{"a":1}',
      '',
      '   \t',
      '{"b":"x"}\r',
      'not json',
      '  {"c":[1,2]}  ',
      '[1,2]',
      '{"too long":"' + 'y'.repeat(80) + '"}',
      Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]).toString('latin1'),
      '{"é":"数据"}',
      '{"last":true}',
    ];
    const data = Buffer.concat(lines.map((l, i) => Buffer.concat([Buffer.from(l, [...l].some((c) => c.charCodeAt(0) > 0xff) || l.startsWith('\ufeff') ? 'utf8' : 'latin1'), Buffer.from(i < lines.length - 1 ? '\n' : '')])));
    for (const chunk of [16, 64, 1 << 20]) {
      const parsed = scan(data, false, chunk);
      const raw = scan(data, true, chunk);
      assert.deepEqual(raw, parsed, `chunk ${chunk}`);
      assert.equal(raw.length, 8, 'blank lines are not records; the too-long line is skipped');
      assert.equal(raw[raw.length - 1].index, 8, 'the skipped line still takes an index');
    }
  });

  it('gives records no text, offset or value', () => {
    const got: SourceRecord[] = [];
    const s = new RecordScanner('jsonl', { record: (r) => got.push(r), problem: () => undefined }, { raw: true });
    const data = Buffer.from('{"a":1}\nnot json\n');
    data.copy(s.buffer);
    s.end = data.length;
    s.finish();
    assert.equal(got.length, 2);
    for (const r of got) {
      assert.equal(r.text, '');
      assert.equal(r.offset, -1);
      assert.equal(r.value, undefined);
      assert.equal(r.problems, undefined);
    }
  });
});
