/** `convert … --out x.parquet`: written with hyparquet-writer, atomically, and read back the same. */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parquetMetadataAsync } from 'hyparquet';
import { canonicalJson } from '../../../src/core/base/canonicalJson';
import { convertFile } from '../../../src/core/convert/convertFile';
import { readFileRecords } from '../../../src/core/jsonl/readRecords';
import { alpacaDataset, toolCallDataset, writeDataset } from '../../support/ownDatasets';

async function valuesOf(file: string): Promise<string[]> {
  const out: string[] = [];
  for await (const item of readFileRecords(file)) {
    assert.equal(item.kind, 'record', item.kind === 'problem' ? item.problem.message : '');
    if (item.kind === 'record') out.push(canonicalJson(item.value));
  }
  return out;
}

describe('convert to Parquet', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pw-pq-write-'));
  });
  afterEach(async () => {
    await fsp.rm(dir, { recursive: true, force: true });
  });

  it('round-trips tool-call chats: the Parquet file reads back as the JSONL conversion, nested values as JSON columns', async () => {
    const input = writeDataset(dir, toolCallDataset({ count: 60 }));
    const jsonl = path.join(dir, 'chat.jsonl');
    const pq = path.join(dir, 'chat.parquet');
    const a = await convertFile(input, { to: 'openai-chat', out: jsonl });
    const b = await convertFile(input, { to: 'openai-chat', out: pq });
    assert.equal(b.out, pq, String(b.refused));
    assert.equal(b.written, a.written);
    assert.deepEqual(b.lossCounts, {});
    assert.deepEqual(await valuesOf(pq), await valuesOf(jsonl));
    // The magic bytes and a schema with the nested column annotated as JSON.
    const bytes = await fsp.readFile(pq);
    assert.equal(bytes.subarray(0, 4).toString(), 'PAR1');
    const buf = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const meta = await parquetMetadataAsync(buf);
    const messages = meta.schema.find((s) => s.name === 'messages');
    assert.equal(messages?.converted_type, 'JSON');
  });

  it('writes several row groups, typed scalar columns, mixed columns as JSON and absent keys as null', async () => {
    const input = path.join(dir, 'mixed.jsonl');
    const rows = Array.from({ length: 2300 }, (_, i) => ({
      instruction: `question ${i}`,
      output: `answer ${i}`,
      ...(i % 3 === 0 ? { input: `context ${i}` } : {}),
      score: i % 2 === 0 ? i : i + 0.5,
      id: i,
      tag: i % 5 === 0 ? { k: i } : `t${i}`,
    }));
    await fsp.writeFile(input, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const pq = path.join(dir, 'mixed.parquet');
    const r = await convertFile(input, { from: 'alpaca', to: 'alpaca', out: pq, allowLossy: true });
    assert.equal(r.out, pq, String(r.refused));
    const back = await valuesOf(pq);
    assert.equal(back.length, rows.length);
    const expected = rows.map((row) => canonicalJson({ instruction: row.instruction, input: row.input ?? null, output: row.output, score: row.score, id: row.id, tag: row.tag }));
    // alpaca's fromCanonical may drop the unknown keys; compare what it kept.
    const kept = Object.keys(JSON.parse(back[0]) as object);
    const pick = (s: string) => canonicalJson(Object.fromEntries(Object.entries(JSON.parse(s) as Record<string, unknown>).filter(([k]) => kept.includes(k))));
    assert.deepEqual(back, expected.map(pick));
    const bytes = await fsp.readFile(pq);
    const meta = await parquetMetadataAsync(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    assert.equal(meta.row_groups.length, 3);
  });

  it('refuses a lossy conversion without leaving a file or a temp behind', async () => {
    const input = path.join(dir, 'bad.jsonl');
    await fsp.writeFile(input, JSON.stringify({ instruction: 'q', output: 'a' }) + '\n' + JSON.stringify({ instruction: 'q2' }) + '\n');
    const pq = path.join(dir, 'bad.parquet');
    const r = await convertFile(input, { from: 'alpaca', to: 'openai-chat', out: pq });
    assert.equal(r.out, undefined);
    assert.ok(r.refused);
    assert.deepEqual((await fsp.readdir(dir)).sort(), ['bad.jsonl']);
  });

  it('never writes through a link at the target', async () => {
    const input = writeDataset(dir, alpacaDataset({ count: 5 }));
    const victim = path.join(dir, 'victim.txt');
    await fsp.writeFile(victim, 'keep me');
    const pq = path.join(dir, 'out.parquet');
    await fsp.symlink(victim, pq);
    await assert.rejects(convertFile(input, { to: 'alpaca', out: pq }));
    assert.equal(await fsp.readFile(victim, 'utf8'), 'keep me');
    assert.ok((await fsp.lstat(pq)).isSymbolicLink());
  });

  it('is read by pyarrow with the same rows', function () {
    const probe = spawnSync('python3', ['-c', 'import pyarrow'], { encoding: 'utf8' });
    if (probe.status !== 0) {
      // Only a machine with pyarrow can run it; this one lacks it (`pip install pyarrow`).
      this.skip();
    }
    return (async () => {
      const input = writeDataset(dir, toolCallDataset({ count: 20 }));
      const pq = path.join(dir, 'chat.parquet');
      const r = await convertFile(input, { to: 'openai-chat', out: pq });
      assert.equal(r.out, pq);
      const py = 'import json,sys,pyarrow.parquet as pq\nt=pq.read_table(sys.argv[1]).to_pylist()\nfor r in t:\n  print(json.dumps({k:(json.loads(v) if k!="id" and isinstance(v,str) and v[:1] in "[{" else v) for k,v in r.items()},sort_keys=True,separators=(",",":"),ensure_ascii=False))';
      const res = spawnSync('python3', ['-c', py, pq], { encoding: 'utf8' });
      assert.equal(res.status, 0, res.stderr);
      const fromPy = res.stdout.trim().split('\n').map((l) => canonicalJson(JSON.parse(l)));
      assert.deepEqual(fromPy, await valuesOf(pq));
    })();
  });
});
