import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { readFileRecords } from '../../../src/core/jsonl/readRecords';
import type { ReaderItem } from '../../../src/core/jsonl/sourceRecord';

async function collect(file: string): Promise<ReaderItem[]> {
  const out: ReaderItem[] = [];
  for await (const item of readFileRecords(file)) out.push(item);
  return out;
}

describe('Parquet reader', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pw-parquet-'));
  });
  afterEach(async () => {
    await fsp.rm(dir, { recursive: true, force: true });
  });

  function sample(rows: number, rowGroupSize: number): ArrayBuffer {
    const ids = Array.from({ length: rows }, (_, i) => BigInt(i));
    ids[1] = 2n ** 60n; // beyond Number.MAX_SAFE_INTEGER: read as a string
    return parquetWriteBuffer({
      columnData: [
        { name: 'instruction', data: Array.from({ length: rows }, (_, i) => (i === 2 ? null : `q${i}`)), type: 'STRING' },
        { name: 'id', data: ids, type: 'INT64' },
        { name: 'ok', data: Array.from({ length: rows }, (_, i) => i % 2 === 0), type: 'BOOLEAN' },
        { name: 'messages', data: Array.from({ length: rows }, (_, i) => [{ role: 'user', content: `m${i}` }]), type: 'JSON' },
      ],
      rowGroupSize,
    });
  }

  it('reads every row of many row groups as records with JSON values', async () => {
    const file = path.join(dir, 'd.parquet');
    await fsp.writeFile(file, Buffer.from(sample(25, 4)));
    const items = await collect(file);
    assert.equal(items.length, 25);
    const recs = items.map((it) => (it.kind === 'record' ? it : assert.fail(JSON.stringify(it))));
    assert.deepEqual(recs.map((r) => r.index), Array.from({ length: 25 }, (_, i) => i));
    assert.deepEqual(recs[0].value, { instruction: 'q0', id: 0, ok: true, messages: [{ role: 'user', content: 'm0' }] });
    assert.equal(recs[1].value?.id, '1152921504606846976');
    assert.equal(recs[2].value?.instruction, null);
    assert.equal(recs[24].line, 25, 'a record is placed at its 1-based row number');
    assert.deepEqual(JSON.parse(recs[24].text), recs[24].value);
  });

  it('reports a truncated footer as one clear problem', async () => {
    const file = path.join(dir, 't.parquet');
    const whole = Buffer.from(sample(10, 4));
    await fsp.writeFile(file, whole.subarray(0, whole.length - 20));
    const items = await collect(file);
    assert.equal(items.length, 1);
    assert.equal(items[0].kind, 'problem');
    assert.match(items[0].kind === 'problem' ? items[0].problem.message : '', /Not a readable Parquet file/);
  });

  it('reports a non-Parquet file and an empty file', async () => {
    for (const [name, body] of [['a.parquet', '{"a":1}\n'], ['e.parquet', '']] as const) {
      const file = path.join(dir, name);
      await fsp.writeFile(file, body);
      const items = await collect(file);
      assert.equal(items.length, 1, name);
      assert.equal(items[0].kind === 'problem' && items[0].problem.rule, 'parquet/unreadable');
    }
  });

  it('reports a row group of garbage after the rows before it', async () => {
    const file = path.join(dir, 'g.parquet');
    const buf = Buffer.from(sample(12, 4));
    // Overwrite the middle of the data pages (after the 4-byte magic, before the footer) with garbage.
    const footerLen = buf.readUInt32LE(buf.length - 8);
    const dataEnd = buf.length - 8 - footerLen;
    for (let i = Math.floor(dataEnd / 2); i < dataEnd; i++) buf[i] = (i * 7919) & 0xff;
    await fsp.writeFile(file, buf);
    const items = await collect(file);
    const problems = items.filter((it) => it.kind === 'problem');
    assert.equal(problems.length, 1, JSON.stringify(items.map((i) => i.kind)));
    assert.ok(items.length < 13);
  });
});
